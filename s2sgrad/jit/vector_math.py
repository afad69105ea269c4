"""Transcendental functions a fused loop can compute several elements at a time (glibc's libmvec).

A fused loop (fusion.py) calls `exp`, `sin`, `tanh`, ... once per element. numba
lowers them to libm's scalar functions, and LLVM can vectorize the loop's
arithmetic but not those calls (numba's LLVM has no vector library: no SVML in
llvmlite's wheels, and its `-vector-library` option does not reach numba's pass
builder). Those calls bound the loop: libm's `exp` and `tanh` are 5-6x slower
than NumPy's SIMD ones.

glibc ships vector versions of them (libmvec: `_ZGVeN8v_exp` computes 8
doubles with AVX-512, within 4 ulp, where the scalar one is within 1). Each
function here is a numba intrinsic that calls a scalar function marked with
LLVM's `vector-function-abi-variant` attribute, which names its vector
version: the loop vectorizer then calls the vector version on 8 (AVX-512),
4 (AVX2) or 2 (SSE) elements at a time, and the scalar one on the remainder
(and in loops it cannot vectorize). Where libmvec is absent (not glibc, not
x86-64, a numba target CPU other than the host's), each function is numba's
own `math.<name>`, so results never depend on it beyond those few ulp.

`VECTOR_NAMES` maps the NumPy ufuncs to the names here; `describe()` says what
this process uses, for the header of generated modules (numba's cache keys on
the module's text, so machine code built with and without libmvec is never
mixed up).
"""
from __future__ import annotations

import ctypes
import math
import os
import platform
import sys

import numpy

# NumPy ufunc -> libm/libmvec name (each also in Python's math, numba's fallback)
VECTOR_NAMES = {
    numpy.exp: "exp", numpy.expm1: "expm1", numpy.log: "log", numpy.log1p: "log1p", numpy.log2: "log2",
    numpy.log10: "log10", numpy.sin: "sin", numpy.cos: "cos", numpy.tan: "tan", numpy.arcsin: "asin",
    numpy.arccos: "acos", numpy.arctan: "atan", numpy.sinh: "sinh", numpy.cosh: "cosh", numpy.tanh: "tanh",
    numpy.arcsinh: "asinh", numpy.arccosh: "acosh", numpy.arctanh: "atanh",
}


def _variant():
    """(ISA letter, lanes) of the vector functions numba's code may call, or None."""
    if platform.system() != "Linux" or platform.machine() not in ("x86_64", "AMD64"):
        return None
    if _numba_targets_another_cpu():
        return None                  # code built for another CPU: the host's vector ABI may not apply
    path, library = _libmvec()
    if library is None:
        return None
    features = host_cpu_features()
    # glibc's ISA letters: e = AVX-512 (8 doubles), d = AVX2 (4), b = SSE4 (2)
    for letter, lanes, feature in (("e", 8, "avx512f"), ("d", 4, "avx2"), ("b", 2, "sse4.1")):
        if features.get(feature) and all(hasattr(library, f"_ZGV{letter}N{lanes}v_{n}") for n in VECTOR_NAMES.values()):
            _LIBMVEC.append(path)
            return letter, lanes
    return None


def _libmvec():
    """(path, library) of glibc's libmvec, or (None, None). By its soname first: find_library runs
    `ldconfig -p` in a subprocess (milliseconds, more in a process holding much memory)."""
    try:
        return "libmvec.so.1", ctypes.CDLL("libmvec.so.1")
    except OSError:
        pass
    from ctypes.util import find_library
    path = find_library("mvec")
    try:
        return (path, ctypes.CDLL(path)) if path else (None, None)
    except OSError:
        return None, None


# the CPU features the choice above reads, by LLVM's names (the kernel writes sse4_1 for sse4.1)
FEATURES = ("avx512f", "avx2", "sse4.1")
_LIBMVEC: list = []          # libmvec's path, for numba's JIT to resolve the vector symbols from (_for_the_jit)


def host_cpu_features() -> dict[str, bool]:
    """FEATURES of this CPU, as LLVM sees them. Where llvmlite is not loaded yet, from the flags the kernel
    reports (/proc/cpuinfo): importing llvmlite.binding costs a process that runs native libraries
    (native.py), which never compiles, about 25 ms. Elsewhere, or when llvmlite is loaded, LLVM's answer."""
    if "llvmlite.binding" not in sys.modules:
        flags = cpuinfo_flags()
        if flags is not None:
            return {feature: feature.replace(".", "_") in flags for feature in FEATURES}
    return llvm_cpu_features()


def llvm_cpu_features() -> dict[str, bool]:
    import llvmlite.binding as llvm
    found = llvm.get_host_cpu_features()
    return {feature: bool(found.get(feature)) for feature in FEATURES}


def cpuinfo_flags() -> set[str] | None:
    """The first processor's flags in /proc/cpuinfo (Linux), or None where there is no such file."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as handle:
            for line in handle:
                name, _, value = line.partition(":")
                if name.strip() == "flags":
                    return set(value.split())
    except OSError:
        pass
    return None


def _for_the_jit() -> None:
    """Make libmvec's symbols visible to numba's JIT (once, before it compiles a call to them)."""
    if _LIBMVEC:
        import llvmlite.binding as llvm
        llvm.load_library_permanently(_LIBMVEC.pop())


def _numba_targets_another_cpu() -> bool:
    """numba's CPU_NAME / CPU_FEATURES settings: from its config once numba is imported, before that from
    the environment variables that set them (importing numba here would cost a process that runs native
    libraries, jit/native.py, numba's whole start-up)."""
    config = sys.modules.get("numba.core.config")
    if config is not None:
        return bool(config.CPU_NAME or config.CPU_FEATURES)
    return bool(os.environ.get("NUMBA_CPU_NAME") or os.environ.get("NUMBA_CPU_FEATURES"))


_VARIANT = _variant()
_ISA = {"e": "AVX-512", "d": "AVX2", "b": "SSE4"}


def describe() -> str:
    if _VARIANT is None:
        return "numba's scalar math (no libmvec for this target)"
    letter, lanes = _VARIANT
    return f"glibc libmvec, {_ISA[letter]}, {lanes} doubles per call"


def _vector_intrinsic(name):
    _for_the_jit()
    from llvmlite import ir
    from numba import types
    from numba.extending import intrinsic

    double = ir.DoubleType()

    def scalar_with_vector_variant(module):
        """`double s2sgrad_vector_<name>(double)`: libm's function, never inlined (the attribute that
        names its vector version is on calls to it), with that version declared and kept."""
        letter, lanes = _VARIANT
        wrapper = f"s2sgrad_vector_{name}"
        if wrapper in module.globals:
            return module.globals[wrapper]
        vector = ir.VectorType(double, lanes)
        vector_name = f"_ZGV{letter}N{lanes}v_{name}"
        vector_fn = module.globals.get(vector_name) or ir.Function(module, ir.FunctionType(vector, [vector]),
                                                                   vector_name)
        _keep(module, vector_fn)
        libm = module.globals.get(name) or ir.Function(module, ir.FunctionType(double, [double]), name)
        fn = ir.Function(module, ir.FunctionType(double, [double]), wrapper)
        fn.linkage = "linkonce_odr"
        fn.attributes.add("noinline")
        fn.attributes.add("nounwind")
        builder = ir.IRBuilder(fn.append_basic_block())
        builder.ret(builder.call(libm, [fn.args[0]]))
        return fn

    @intrinsic
    def vector_function(typingctx, x):
        if not isinstance(x, (types.Float, types.Integer)):
            return None
        signature = types.float64(types.float64)

        def codegen(context, builder, sig, args):
            value = context.cast(builder, args[0], sig.args[0], types.float64)
            if _VARIANT is None:
                return context.get_function(getattr(math, name), signature)(builder, [value])
            letter, lanes = _VARIANT
            fn = scalar_with_vector_variant(builder.module)
            call = builder.call(fn, [value])
            # llvmlite's attribute sets accept known keywords only; this string attribute is LLVM's
            set.add(call.attributes, f'"vector-function-abi-variant"="_ZGV_LLVM_N{lanes}v_{fn.name}'
                                     f'(_ZGV{letter}N{lanes}v_{name})"')
            set.add(call.attributes, "nounwind")
            return call
        return signature, codegen

    vector_function.__name__ = name
    return vector_function


def _keep(module, fn):
    """Add `fn` to the module's llvm.compiler.used, so the optimizer keeps the declaration of a vector
    version nothing calls yet (the loop vectorizer adds the calls)."""
    from llvmlite import ir
    pointer = ir.IntType(8).as_pointer()
    previous = module.globals.get("llvm.compiler.used")
    items = []
    if previous is not None:                    # one such array per module: rebuild it with `fn` added
        items = list(previous.initializer.constant)
        del module.globals["llvm.compiler.used"]
        module.scope._useset.discard("llvm.compiler.used")
    items.append(fn.bitcast(pointer))
    array = ir.ArrayType(pointer, len(items))
    used = ir.GlobalVariable(module, array, "llvm.compiler.used")
    used.linkage = "appending"
    used.section = "llvm.metadata"
    used.initializer = ir.Constant(array, items)


def __getattr__(name: str):
    """Each intrinsic is made when a compiled module imports it: made on import, they would import numba
    wherever VECTOR_NAMES or describe() is read (the fusion of a module whose native library is kept)."""
    if name in VECTOR_NAMES.values():
        made = globals()[name] = _vector_intrinsic(name)
        return made
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
