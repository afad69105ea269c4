"""Compile generated source into a live function.

The generated function must see exactly what the user's function sees when
it runs: the same module globals (live, not a copy) and the same closure
cells. The objects the rules refer to (np, math, unbroadcast, ...) are passed
in as closure cells of their own, so nothing is added to the user's module.
The source is written to a real file and registered in `linecache`, so
tracebacks, `pdb` and IDE debuggers show the generated lines.
"""
from __future__ import annotations

import hashlib
import linecache
import os
import tempfile
import textwrap
import types
import weakref

from .code_cache import compiled

_FACTORY = "__s2sgrad_factory__"
# the code of each function load_function made: s2sgrad's own generated code, as opposed to the user's nested
# defs and lambdas that the generated file holds verbatim
_GENERATED_CODE: weakref.WeakSet = weakref.WeakSet()


def load_function(source: str, name: str, original: types.FunctionType, bound: dict[str, object],
                  kwdefaults: dict[str, object], label: str) -> types.FunctionType:
    originals = dict(zip(original.__code__.co_freevars, original.__closure__ or ()))
    free = sorted(set(bound) | set(originals))
    text = f"def {_FACTORY}({', '.join(free)}):\n{textwrap.indent(source, '    ')}    return {name}\n"
    filename = _write(text, label)
    factory_code = compiled(text, filename).co_consts        # from the disk when a process compiled it before
    inner_code = _find_code(factory_code, name)
    cells = []
    for var in inner_code.co_freevars:
        cells.append(originals[var] if var in originals and var not in bound else types.CellType(bound[var]))
    fn = types.FunctionType(inner_code, original.__globals__, name, original.__defaults__, tuple(cells))
    fn.__kwdefaults__ = {**(original.__kwdefaults__ or {}), **kwdefaults}
    fn.__module__ = original.__module__
    fn.__qualname__ = f"{original.__qualname__}.<{name}>"
    _GENERATED_CODE.add(inner_code)
    return fn


def _find_code(consts, name: str) -> types.CodeType:
    for const in consts:
        if isinstance(const, types.CodeType):
            if const.co_name == name:
                return const
            found = _find_code(const.co_consts, name)
            if found is not None:
                return found
    return None


_FOLDER = "s2sgrad-generated"


def is_generated_function(function) -> bool:
    """Is `function` (or a rebinding of it) one that load_function made, rather than a def or lambda of the user's
    that generated code defines?"""
    code = getattr(function, "__code__", None)
    return code is not None and code in _GENERATED_CODE


def is_generated_file(filename: str) -> bool:
    """Is `filename` one that _write gave generated code?"""
    return os.path.basename(os.path.dirname(filename)) == _FOLDER or filename.startswith("<s2sgrad ")


def _write(text: str, label: str) -> str:
    """Write the generated module to a real file and put it in linecache."""
    digest = hashlib.sha1(text.encode()).hexdigest()[:10]
    folder = os.path.join(tempfile.gettempdir(), _FOLDER)
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in label)
    filename = os.path.join(folder, f"{safe}_{digest}.py")
    try:
        os.makedirs(folder, exist_ok=True)
        if not os.path.exists(filename):
            with open(filename, "w", encoding="utf-8") as handle:
                handle.write(text)
    except OSError:
        filename = f"<s2sgrad {label} {digest}>"      # read-only file system: linecache alone still serves pdb
    linecache.cache[filename] = (len(text), None, text.splitlines(keepends=True), filename)
    return filename
