"""The compiled backend: a specialization's generated gradient, compiled by numba.

    numba_source.py   the generated code rewritten as a module numba can compile
    tape.py           the tape split into one typed stack per recorded name
    helpers.py        numba versions of the runtime helpers generated code calls (imports numba)
    compiler.py       write, load and compile that module, with numba's on-disk cache (imports numba)
    fallback.py       the warning that says what numba could not compile, at which user line

Nothing here imports numba until `s2sgrad.jit(g)` is used (api/jit_gradient.py).
"""
