"""Compile a NumbaSource with numba, using numba's on-disk cache under s2sgrad's cache folder.

The module text is written to `cache_folder("numba")/<label>_<hash of text>.py`:
the same gradient in a second process gives the same text, hence the same
file, untouched (never rewritten, so its modification time stays), and
numba's cache (`cache=True`) finds the machine code it saved next to it, in
that folder's `__pycache__` (numba's rule for a file in a writable folder;
NUMBA_CACHE_DIR, when set, overrides it). A different constant, rule table
or specialization gives different text, so a stale entry is never served.

numba is imported only where something is compiled or typed: a process whose
compiled code comes from the native libraries (native.py) never imports it.
"""
from __future__ import annotations

import hashlib
import json
import linecache
import os
import sys
import types

from ..codegen.cache_dir import cache_folder, write_atomically
from .native import machine_types
from .numba_source import NumbaSource


def load_module_file(source: NumbaSource, label: str) -> tuple[types.FunctionType, str]:
    """The Python function the module defines, loaded from its file, and the file's name."""
    stem = _stem(source, label)
    filename = str(cache_folder("numba") / f"{stem}.py")
    if not os.path.exists(filename):
        write_atomically(filename, source.text)     # a second process racing us writes the same text
    module_name = f"s2sgrad_jit_{stem}"
    module = sys.modules.get(module_name)
    if module is None or getattr(module, "__file__", None) != filename:
        module = types.ModuleType(module_name)
        module.__file__ = filename
        exec(compile(source.text, filename, "exec"), module.__dict__)
        sys.modules[module_name] = module
    linecache.cache[filename] = (len(source.text), None, source.text.splitlines(keepends=True), filename)
    return module.__dict__[source.name], filename


_PENDING: dict = {}       # module name -> (source, label) of a called helper's module not loaded yet


def load_callee(source: NumbaSource, label: str) -> str:
    """The name of the module holding a called helper's compiled gradient, through which a caller's module
    imports it (the name holds the text's hash, so a caller's text, and numba's cache of it, changes when
    the helper's does). The module is loaded, its `source.name` a numba dispatcher, only when a caller is
    compiled by numba (load_callees): a caller loaded from a native library needs its text alone."""
    name = f"s2sgrad_jit_{_stem(source, label)}"
    if name not in sys.modules:
        _PENDING.setdefault(name, (source, label))
    return name


def load_callees() -> None:
    """Load the called helpers' modules, each with its dispatcher, in the order their names were asked
    for (a helper's own callees first), before a caller's module, which imports them, is loaded."""
    while _PENDING:
        name = next(iter(_PENDING))
        source, label = _PENDING[name]
        function, _ = load_module_file(source, label)
        sys.modules[name].__dict__[source.name] = compiled(function, source)
        del _PENDING[name]


def _stem(source: NumbaSource, label: str) -> str:
    digest = hashlib.sha256(source.text.encode()).hexdigest()[:16]
    safe = "".join(c if c.isalnum() or c in "_" else "_" for c in label)[:80]
    return f"{safe}_{digest}"


def compiled(function: types.FunctionType, source: NumbaSource):
    """A numba dispatcher for `function`, caching to disk; bounds checked where the code subscripts
    (an index out of range is an IndexError, as in Python, never a read of stray memory)."""
    import numba
    if isinstance(function, numba.core.dispatcher.Dispatcher):
        return function               # a module loaded as a called helper's holds its dispatcher already
    return numba.njit(cache=True, boundscheck=source.indexes or None, nogil=True)(function)


def stack_dtypes(source: NumbaSource, typing, arguments: tuple) -> dict[str, str]:
    """The NumPy type of each of `source`'s stacks' elements where they are numbers, from numba's type
    inference alone (no code generation) of `typing()`, the module's variant with stacks as plain
    variables; {} when it cannot say (the compile proper will explain). Kept on disk beside the compiled
    code, keyed by the module's text (which decides the variant's) and the argument types, so a second
    process neither types again nor makes the variant."""
    if not source.stacks:
        return {}
    return _remembered("stack_types", f"{source.text}\n{_types_key(arguments)}",
                       lambda: _infer_stack_dtypes(in_memory(typing()), _numba_types(arguments), source.stacks))


def _types_key(arguments) -> str:
    """The arguments' types as the keys of what is remembered on disk, told apart without numba (so a
    process loading native libraries need not import it) where native.machine_types can say."""
    described = machine_types(arguments)
    return repr(described) if described is not None else str(_numba_types(arguments))


def _numba_types(arguments) -> tuple:
    import numba
    return tuple(numba.typeof(a) for a in arguments)


def _remembered(kind: str, text: str, compute):
    """compute()'s JSON answer, kept on disk under the numba cache, keyed by `text`."""
    key = hashlib.sha256(text.encode()).hexdigest()[:24]
    record = cache_folder("numba") / kind / f"{key}.json"
    try:
        return json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    found = compute()
    try:
        record.parent.mkdir(exist_ok=True)
        write_atomically(str(record), json.dumps(found))
    except OSError:
        pass                                   # a read-only cache folder: type again next time
    return found


def _infer_stack_dtypes(function, argument_types, stacks) -> dict[str, str]:
    from numba.core import types as nb
    typemap = _typemap(function, argument_types)
    found = {}
    for stack in stacks:
        kind = typemap.get(stack)
        if isinstance(kind, (nb.Float, nb.Integer, nb.Boolean)):
            found[stack] = "bool_" if isinstance(kind, nb.Boolean) else str(kind)
    return found


def in_memory(source: NumbaSource) -> types.FunctionType:
    """The module's function, executed from its text alone (for typing, before the file is chosen)."""
    load_callees()                # the text imports the called helpers' modules
    namespace: dict = {"__name__": "s2sgrad_jit_typing"}
    exec(compile(source.text, "<s2sgrad.jit typing>", "exec"), namespace)
    return namespace[source.name]


def _typemap(function, argument_types) -> dict:
    try:
        from numba.core import compiler, typed_passes
        from numba.core.registry import cpu_target
        typing = cpu_target.typing_context
        typing.refresh()
        ir = compiler.run_frontend(function)
        return typed_passes.type_inference_stage(typing, cpu_target.target_context, ir, argument_types,
                                                 None).typemap
    except Exception:
        return {}
