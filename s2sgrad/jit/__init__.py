"""The compiled backend: a specialization's generated gradient, compiled by numba.

    numba_source.py   the generated code rewritten as a module numba can compile
    tape.py           the tape split into one typed stack per recorded name
    helpers.py        numba versions of the runtime helpers generated code calls (imports numba)
    compiler.py       write, load and compile that module, with numba's on-disk cache (numba when compiling)
    native.py         the compiled code kept as a shared library a new process loads without numba
    fallback.py       the warning that says what numba could not compile, at which user line

Nothing here imports numba until something is compiled or typed: a process whose compiled
gradients come from native libraries kept by an earlier one never imports it.
"""
