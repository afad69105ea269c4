"""The compiled gradient kept as a native library that a new process loads without importing numba.

numba's own cache makes a second process skip compiling, but not numba's
start-up: its import and the set-up of its typing and target contexts cost
about a second before it can load anything from that cache. So, beside it,
the machine code of each compiled specialization is kept as a shared library:

- saving (in the process that compiled it, numba loaded): the specialization's
  LLVM module (its code, the helpers it calls and the CPython wrapper numba
  generates to unbox the arguments and box the results) is emitted as
  position-independent object code for this CPU and linked with the system's
  C compiler into `<key>.so`, with one small trampoline per symbol of numba's
  runtime it calls (`NRT_*`, `numba_*`: hidden in numba's extension modules,
  so the dynamic linker cannot find them) jumping through a slot filled at load;
- loading (a new process, numba not imported): numba's three C extension
  modules (the memory runtime, the helper library, the function-object maker)
  are loaded alone, without the numba package; the library is opened with
  every symbol resolved at once (RTLD_NOW), the slots are filled with the
  runtime's addresses, the wrapper's environment (its constants, pickled with
  the library) is set, and the wrapper becomes a Python callable exactly as
  numba makes one.

The key holds everything the machine code depends on: the module's text (the
generated gradient, so the rule table's templates as they were applied; the
called helpers' texts, by their modules' names), the arguments' machine types
(dtype, rank, layout, writability, alignment), the files of s2sgrad's compiled
helpers and of any other module the text imports, the Python, NumPy, numba
and llvmlite versions and the CPU (model and feature flags). Anything different is a miss,
and the call goes through numba as before; a library that fails to load or
link is a miss too. No C compiler, or another platform than Linux: no
libraries are written, nothing else changes.

Folder: `cache_folder("native")` (under `$S2SGRAD_CACHE_DIR`);
`S2SGRAD_NO_NATIVE=1` turns this off.
"""
from __future__ import annotations

import base64
import ctypes
import functools
import hashlib
import importlib.machinery
import importlib.util
import json
import os
import pickle
import platform
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import types

import numpy as np

from ..codegen.cache_dir import cache_folder, write_atomically

DISABLE_VARIABLE = "S2SGRAD_NO_NATIVE"
FORMAT = 1
# the prefixes of the runtime symbols numba binds itself (hidden in its extension modules)
_RUNTIME_PREFIXES = ("NRT_", "numba_")
# numba's own numba_unpickle imports the numba package to read a constant (the array type a result is
# boxed as): the library defines its own, which calls _unpickle below, the same memo without numba.
# numba binds the symbol PyExc_X to the exception class itself, where the C API's PyExc_X is a variable
# holding it: the code's PyErr_SetString(PyExc_X, ...) and PyErr_SetNone(PyExc_X) calls go through
# s2sgrad_PyErr_SetString and s2sgrad_PyErr_SetNone (_exceptions)
_HELPERS_C = """
typedef struct _object PyObject;
extern void PyErr_SetString(PyObject *, const char *);
extern void PyErr_SetNone(PyObject *);
__attribute__((visibility("hidden")))
void s2sgrad_PyErr_SetString(PyObject **exception, const char *message) {
    PyErr_SetString(*exception, message);
}
__attribute__((visibility("hidden")))
void s2sgrad_PyErr_SetNone(PyObject **exception) {
    PyErr_SetNone(*exception);
}
extern PyObject *PyBytes_FromStringAndSize(const char *, long);
extern PyObject *PyLong_FromVoidPtr(void *);
extern PyObject *PyObject_CallFunctionObjArgs(PyObject *, ...);
extern void Py_DecRef(PyObject *);
PyObject *s2sgrad_unpickle_function = 0;
__attribute__((visibility("hidden")))
PyObject *numba_unpickle(const char *data, int n, const char *hashed) {
    PyObject *buffer = PyBytes_FromStringAndSize(data, n);
    PyObject *address = PyLong_FromVoidPtr((void *)data);
    PyObject *digest = PyBytes_FromStringAndSize(hashed, 20);
    PyObject *found = 0;
    if (buffer && address && digest)
        found = PyObject_CallFunctionObjArgs(s2sgrad_unpickle_function, address, buffer, digest, (PyObject *)0);
    if (buffer) Py_DecRef(buffer);
    if (address) Py_DecRef(address);
    if (digest) Py_DecRef(digest);
    return found;
}
"""
_UNPICKLED: dict = {}


def supported() -> bool:
    """Libraries are kept where the trampolines' assembly and the ELF reader apply: x86-64 Linux."""
    return sys.platform.startswith("linux") and platform.machine() == "x86_64"


def c_compiler() -> str | None:
    """The C compiler that links a library ($CC, else cc or gcc); without one no library is kept."""
    return shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc")


def enabled() -> bool:
    return os.environ.get(DISABLE_VARIABLE, "") in ("", "0") and supported()


# ---- the key --------------------------------------------------------------------------------------

def machine_types(values) -> tuple[str, ...] | None:
    """How the compiled code's wrapper sees each argument (what numba's typeof would make of it), or None
    for an argument the native path does not take (numba's dispatcher decides those)."""
    found = []
    for v in values:
        t = type(v)
        if t is float or t is np.float64:
            found.append("float64")
        elif t is int:
            if not -2 ** 63 <= v < 2 ** 63:
                return None
            found.append("int64")
        elif t is np.int64 or t is np.int32:
            found.append(t.__name__)
        elif t is np.ndarray:
            flags = v.flags
            layout = "C" if flags.c_contiguous else "F" if flags.f_contiguous else "A"
            found.append(f"array({v.dtype.str},{v.ndim},{layout},{int(flags.writeable)},{int(flags.aligned)})")
        else:
            return None
    return tuple(found)


@functools.lru_cache(maxsize=None)
def _platform() -> str:
    """Python, NumPy, numba and llvmlite versions and the CPU (model and flags), read without numba."""
    parts = [f"format {FORMAT}", sys.version, np.__version__]
    for package in ("numba", "llvmlite"):
        spec = importlib.util.find_spec(package)
        folder = spec.submodule_search_locations[0] if spec and spec.submodule_search_locations else ""
        parts.append(f"{package} {_version_text(folder)}")
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as handle:
            lines = [line for line in handle.read().split("\n\n")[0].splitlines()
                     if line.split(":")[0].strip() in ("vendor_id", "cpu family", "model", "model name", "flags")]
        parts.extend(lines)
    except OSError:
        parts.append("cpu unknown")
    return "\n".join(parts)


def _version_text(folder: str) -> str:
    """The package's _version.py (its version string) and the size and time of its files that hold code."""
    if not folder:
        return "absent"
    text = ""
    try:
        with open(os.path.join(folder, "_version.py"), encoding="utf-8") as handle:
            text = handle.read()
    except OSError:
        pass
    stats = []
    for name in sorted(os.listdir(folder)):
        if name.endswith((".so", ".pyd", ".py")):
            stat = os.stat(os.path.join(folder, name))
            stats.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256((text + "\n".join(stats)).encode()).hexdigest()


def key(module_text: str, types_of_arguments: tuple[str, ...]) -> str | None:
    """The library's key, or None when a module the text imports cannot be found."""
    dependencies = _dependencies(module_text)
    if dependencies is None:
        return None
    parts = [_platform(), _jit_files(), dependencies, repr(types_of_arguments), module_text]
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:32]


@functools.lru_cache(maxsize=None)
def _jit_files() -> str:
    """s2sgrad's compiled helpers (this folder: helpers.py, checked_math.py, ...), by size and time."""
    folder = os.path.dirname(os.path.abspath(__file__))
    stats = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".py"):
            stat = os.stat(os.path.join(folder, name))
            stats.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
    return "\n".join(stats)


def _dependencies(module_text: str) -> str | None:
    """The files of the modules the text imports whose code numba compiles into it (a user's njit
    function, imported by name), by size and time: numba's own cache looks at the module's file alone.
    NumPy's and math's are versioned in _platform, s2sgrad's in _jit_files, a called helper's module
    name holds its text's hash."""
    found = []
    for line in module_text.splitlines():
        words = line.split()
        if len(words) < 2 or words[0] not in ("from", "import"):
            continue
        module = words[1]
        top = module.split(".")[0]
        if top in ("numpy", "math", "s2sgrad") or top.startswith("s2sgrad_jit_"):
            continue
        origin = _origin(module)
        if origin is None:
            return None
        stat = os.stat(origin)
        found.append(f"{module}:{origin}:{stat.st_size}:{stat.st_mtime_ns}")
    return "\n".join(found)


def _origin(module: str) -> str | None:
    loaded = sys.modules.get(module)
    origin = getattr(loaded, "__file__", None)
    if origin is None:
        try:
            spec = importlib.util.find_spec(module)
        except (ImportError, ValueError):
            return None
        origin = spec.origin if spec is not None else None
    return origin if origin and os.path.exists(origin) else None


# ---- loading (no numba) ---------------------------------------------------------------------------

_RUNTIME: list = []          # [(dynfunc module, {symbol: address})], once per process
_LOADED: dict = {}           # key -> the callable (a library opens once per process)


def load(key_text: str):
    """The compiled wrapper kept under `key_text` as a Python callable, or None (absent, or anything off)."""
    if key_text in _LOADED:
        return _LOADED[key_text]
    try:
        folder = cache_folder("native")
        with open(folder / f"{key_text}.json", encoding="utf-8") as handle:
            record = json.load(handle)
        if record.get("format") != FORMAT or record.get("key") != key_text:
            return None
        function = _open(str(folder / f"{key_text}.so"), record)
    except Exception:                     # absent, unreadable, or a library that does not link: a miss
        return None
    _LOADED[key_text] = function
    return function


def _open(path: str, record: dict):
    dynfunc, addresses = _runtime()
    library = ctypes.CDLL(path, mode=os.RTLD_NOW | os.RTLD_LOCAL)
    for symbol in record["symbols"]:
        ctypes.c_void_p.in_dll(library, _slot(symbol)).value = addresses[symbol]
    ctypes.py_object.in_dll(library, "s2sgrad_unpickle_function").value = _unpickle   # module-level: lives on
    consts = pickle.loads(base64.b64decode(record["consts"]))
    module = types.ModuleType(record["module"])
    environment = dynfunc.Environment(module.__dict__)
    environment.consts[:] = consts
    ctypes.c_void_p.in_dll(library, record["environment"]).value = id(environment)
    pointer = ctypes.cast(getattr(library, record["wrapper"]), ctypes.c_void_p).value
    return dynfunc.make_function(module, record["name"], "s2sgrad.jit native library", pointer, environment,
                                 (library, environment))


def _runtime():
    """numba's C runtime (memory, helpers, function objects) without the numba package: the three
    extension modules are loaded by their own names, so a later `import numba` finds and keeps them."""
    if _RUNTIME:
        return _RUNTIME[0]
    spec = importlib.util.find_spec("numba")
    folder = spec.submodule_search_locations[0]
    helperlib = _extension("numba._helperlib", folder, "_helperlib")
    nrt = _extension("numba.core.runtime._nrt_python", os.path.join(folder, "core", "runtime"), "_nrt_python")
    dynfunc = _extension("numba._dynfunc", folder, "_dynfunc")
    if "numba.core.runtime.nrt" not in sys.modules:
        nrt.memsys_use_cpython_allocator()      # what numba's runtime does on import: the same allocator
    addresses = dict(helperlib.c_helpers)       # numba binds libm's names to these copies (exp, tanh, ...)
    addresses.update({f"numba_{name}": address for name, address in {**helperlib.c_helpers,
                                                                       **dynfunc.c_helpers}.items()})
    addresses.update({f"NRT_{name}": address for name, address in nrt.c_helpers.items()
                      if not name.startswith("_")})
    _RUNTIME.append((dynfunc, addresses))
    return _RUNTIME[0]


def _extension(name: str, folder: str, stem: str):
    module = sys.modules.get(name)
    if module is not None:
        return module
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        path = os.path.join(folder, stem + suffix)
        if os.path.exists(path):
            loader = importlib.machinery.ExtensionFileLoader(name, path)
            module = importlib.util.module_from_spec(importlib.util.spec_from_file_location(name, path,
                                                                                          loader=loader))
            loader.exec_module(module)
            sys.modules[name] = module
            return module
    raise ImportError(f"numba's extension module {stem} was not found in {folder}")


def _unpickle(address: int, data: bytes, digest: bytes):
    """numba's _numba_unpickle: a constant of the compiled code, unpickled once per address."""
    found = _UNPICKLED.get((address, digest))
    if found is None:
        found = _UNPICKLED[(address, digest)] = pickle.loads(data)
    return found


def _slot(symbol: str) -> str:
    return f"s2sgrad_slot_{symbol}"


# ---- saving (numba loaded) ------------------------------------------------------------------------

def save(key_text: str, dispatcher, signature: tuple) -> bool:
    """Keep the machine code numba compiled for `signature` as `<key>.so`; False when it cannot be (no
    C compiler, code that holds addresses of this process's objects, constants that need numba, a
    symbol bound otherwise than numba bound it, a read-only folder): the call goes on either way."""
    try:
        return _save(key_text, dispatcher, signature)
    except Exception:
        return False


def _save(key_text: str, dispatcher, signature: tuple) -> bool:
    folder = cache_folder("native")
    if (folder / f"{key_text}.json").exists():
        return True
    compiler = c_compiler()
    if compiler is None:
        return False
    try:
        overload = dispatcher.overloads[signature]
    except KeyError:
        return False
    library = overload.library
    if getattr(library, "has_dynamic_globals", True):
        return False
    consts = pickle.dumps(list(overload.environment.consts))
    if b"numba" in consts:
        return False                 # a constant that only numba can unpickle
    module = _module_of(library, overload.fndesc.llvm_cpython_wrapper_name)
    module = _exceptions(module) if module is not None else None
    if module is None:
        return False
    import llvmlite.binding as ll
    code = _target_machine().emit_object(module)
    # the object's undefined symbols, the backend's own calls included (exp for llvm.exp, memcpy, ...)
    undefined = _undefined_symbols(code)
    if undefined is None:
        return False
    declared = [n for n in undefined if not n.startswith("s2sgrad_") and n != "numba_unpickle"]
    _, addresses = _runtime()
    # what numba bound to its runtime (NRT_*, numba_*, and libm's names it binds to its helper library's
    # copies) jumps through a slot; the rest (the C API, libm, libmvec) the dynamic linker binds
    runtime = sorted(n for n in declared if n in addresses)
    if any(ll.address_of_symbol(n) != addresses[n] for n in runtime):
        return False
    others = sorted(n for n in declared if n not in addresses)
    libraries = _providers(others)
    if libraries is None or any(n.startswith(_RUNTIME_PREFIXES) for n in others):
        return False
    runtime_objects = _runtime_objects(folder, compiler, sorted(n for n in addresses if n != "numba_unpickle"))
    if runtime_objects is None:
        return False
    record = {"format": FORMAT, "key": key_text, "symbols": runtime,
              "wrapper": overload.fndesc.llvm_cpython_wrapper_name,
              "environment": overload.environment.env_name, "name": overload.fndesc.qualname.split(".")[-1],
              "module": overload.fndesc.modname, "consts": base64.b64encode(consts).decode()}
    with tempfile.TemporaryDirectory(dir=folder) as work:
        obj = os.path.join(work, "code.o")
        with open(obj, "wb") as handle:
            handle.write(code)
        built = os.path.join(work, "code.so")
        done = subprocess.run([compiler, "-shared", "-o", built, obj, *runtime_objects, *libraries, "-lm"],
                              capture_output=True, text=True)
        if done.returncode != 0:
            return False
        try:
            _open(built, record)           # every symbol resolves here, or it is not kept
            if not _binds_as_numba(built, [n for n in others if not n.startswith("PyExc_")]):
                return False
        except Exception:
            return False
        os.replace(built, folder / f"{key_text}.so")
        write_atomically(folder / f"{key_text}.json", json.dumps(record))
    return True


def _undefined_symbols(code: bytes) -> list[str] | None:
    """The names an ELF64 little-endian relocatable object leaves undefined (its symbol table's entries in
    no section), or None for another format."""
    if code[:4] != b"\x7fELF" or code[4] != 2 or code[5] != 1:
        return None
    section_offset, = struct.unpack_from("<Q", code, 0x28)
    entry_size, count = struct.unpack_from("<HH", code, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", code, section_offset + i * entry_size) for i in range(count)]
    names = []
    for _, kind, _, _, offset, size, link, _, _, symbol_size in sections:
        if kind != 2:                      # SHT_SYMTAB
            continue
        strings = sections[link][4]
        for start in range(offset + symbol_size, offset + size, symbol_size):    # entry 0 is null
            name_at, _, _, section = struct.unpack_from("<IBBH", code, start)
            if section == 0 and name_at:
                end = code.index(b"\0", strings + name_at)
                names.append(code[strings + name_at:end].decode())
    return names


class _DlInfo(ctypes.Structure):
    _fields_ = [("dli_fname", ctypes.c_char_p), ("dli_fbase", ctypes.c_void_p),
                ("dli_sname", ctypes.c_char_p), ("dli_saddr", ctypes.c_void_p)]


def _providers(symbols) -> list[str] | None:
    """The shared libraries (paths) defining the symbols the code calls outside numba's runtime, as numba's
    JIT found them in this process (libm, libmvec, ...), to link against; the Python program's own symbols
    are left to the process. None when one is not found."""
    import llvmlite.binding as ll
    dladdr = ctypes.CDLL(None).dladdr
    dladdr.argtypes = [ctypes.c_void_p, ctypes.POINTER(_DlInfo)]
    program = {os.path.realpath(sys.executable)}
    found = set()
    for symbol in symbols:
        address = ll.address_of_symbol(symbol)
        info = _DlInfo()
        if not address or not dladdr(address, ctypes.byref(info)) or not info.dli_fname:
            return None
        path = os.path.realpath(os.fsdecode(info.dli_fname))
        if path in program or os.path.basename(path).startswith("libpython"):
            continue
        found.add(path)
    return sorted(found)


def _binds_as_numba(path: str, symbols) -> bool:
    """Whether the library, opened, reaches each outside symbol at the address numba's JIT used."""
    import llvmlite.binding as ll
    library, process = ctypes.CDLL(path, mode=os.RTLD_NOW | os.RTLD_LOCAL), ctypes.CDLL(None)
    for symbol in symbols:
        reached = None
        for scope in (library, process):
            try:
                reached = ctypes.cast(getattr(scope, symbol), ctypes.c_void_p).value
                break
            except AttributeError:
                continue
        if reached is None or reached != ll.address_of_symbol(symbol):
            return False
    return True


def _runtime_objects(folder, compiler: str, symbols) -> list[str] | None:
    """The objects every library links: a trampoline per runtime symbol and the unpickler; compiled once
    per set of symbols (numba's version) and kept in the folder."""
    sources = {".s": _trampolines(symbols), ".c": _HELPERS_C}
    digest = hashlib.sha256(repr(sorted(sources.items())).encode()).hexdigest()[:16]
    objects = []
    for suffix, text in sources.items():
        target = folder / f"runtime_{digest}{suffix[1:]}.o"
        if not target.exists():
            with tempfile.TemporaryDirectory(dir=folder) as work:
                source = os.path.join(work, f"runtime{suffix}")
                with open(source, "w", encoding="utf-8") as handle:
                    handle.write(text)
                built = os.path.join(work, "runtime.o")
                done = subprocess.run([compiler, "-c", "-fPIC", "-O1", "-o", built, source],
                                      capture_output=True, text=True)
                if done.returncode != 0:
                    return None
                os.replace(built, target)
        objects.append(str(target))
    return objects


def _module_of(library, wrapper: str):
    """A copy of the library's LLVM module holding the wrapper's definition (a fresh compile's final
    module, or the one numba's cache keeps for linking), or None."""
    import llvmlite.binding as ll
    for candidate in (getattr(library, "_final_module", None), getattr(library, "_shared_module", None)):
        if candidate is None:
            continue
        try:
            if not candidate.get_function(wrapper).is_declaration:
                return ll.parse_bitcode(candidate.as_bitcode())
        except NameError:
            continue
    return None


# the C API calls that take an exception class: numba passes the class, the C API's symbol is a variable
_SETTER_CALL = re.compile(r"call void @(PyErr_SetString|PyErr_SetNone)\((ptr|i8\*)( nonnull)? @PyExc_\w+[,)]")


def _exceptions(module):
    """The module with its PyErr_SetString(PyExc_X, ...) and PyErr_SetNone(PyExc_X) calls passing the C
    API's variable PyExc_X to s2sgrad_PyErr_SetString / s2sgrad_PyErr_SetNone, which read the class from
    it (numba raises StopIteration with SetNone where a generator or a raise may end the call); None if
    PyExc_X is used any other way."""
    import llvmlite.binding as ll
    text = str(module)
    if "@PyExc_" not in text:
        return module
    lines = text.splitlines()
    used = set()
    for number, line in enumerate(lines):
        if "@PyExc_" not in line or re.match(r"@PyExc_\w+ = external global ", line):
            continue
        calls = _SETTER_CALL.findall(line)
        if len(calls) != line.count("@PyExc_"):
            return None
        for setter, _, _ in calls:
            used.add(setter)
            line = line.replace(f"call void @{setter}(", f"call void @s2sgrad_{setter}(")
        lines[number] = line
    for setter in sorted(used):
        declaration = next((d for d in lines if d.startswith(f"declare void @{setter}(")), None)
        if declaration is None:
            return None
        lines.append(declaration.replace(f"@{setter}(", f"@s2sgrad_{setter}("))
    rewritten = ll.parse_assembly("\n".join(lines) + "\n")
    rewritten.verify()
    return rewritten


@functools.lru_cache(maxsize=None)
def _target_machine():
    """numba's target machine for this CPU, but position-independent (to link into a shared library)."""
    import llvmlite.binding as ll
    from numba.core.registry import cpu_target
    codegen = cpu_target.target_context.codegen()
    target = ll.Target.from_triple(ll.get_process_triple())
    return target.create_target_machine(cpu=codegen._get_host_cpu_name(),
                                        features=codegen._get_host_cpu_features(),
                                        opt=3, reloc="pic", codemodel="default")


def _trampolines(symbols) -> str:
    """Assembly defining each runtime symbol as a jump through a slot the loader fills (x86-64 only)."""
    lines = ["    .text"]
    for number, symbol in enumerate(symbols):
        lines += [f"    .globl {symbol}", f"    .hidden {symbol}", f"    .type {symbol}, @function",
                  f"{symbol}:", f"    jmp *.Lslot{number}(%rip)"]
    lines.append("    .data")
    for number, symbol in enumerate(symbols):      # read through a local label: the exported name may be
        lines += [f"    .globl {_slot(symbol)}", "    .p2align 3", f"{_slot(symbol)}:", f".Lslot{number}:",
                  "    .quad 0"]                   # preempted, which a PC-relative jump cannot follow
    lines.append('    .section .note.GNU-stack,"",@progbits')
    return "\n".join(lines) + "\n"

