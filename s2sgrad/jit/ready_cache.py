"""The numba-ready module of a specialization, kept on disk, so a new process finds its native library at once.

A process whose compiled code comes from a native library (native.py) still
needs the module's text: the library's key is made from it. Deriving it again
(numba_source.numba_ready twice, unfused then fused, and the walk over array
ranks between them, ranks.py) costs tens of milliseconds, several times the
library's load. So the text, and what the call path needs beside it (the
function's name and parameters, whether it indexes, its stacks, whether it
is fused, the values baked into it), is kept as plain data.

The key holds everything the text is made from: the generated gradient's
text, what preparing the function concluded (its source, file and lines, what
its names resolve to and their code, the rule table's entries it uses:
source_cache.function_description), which of NumPy's ufuncs the rule table
says are elementwise (which calls fuse), the arguments' machine types, s2sgrad's files and
the Python and NumPy versions (source_cache), numba's and llvmlite's versions
and the CPU (native.py), the vector functions fused loops call
(vector_math.describe) and whether numba's `@` has SciPy's BLAS.

What the key cannot hold is checked when an entry is read, against this
process:
- the values baked into the text (a module-level `DT = 0.001`, a function
  imported by name), stored as descriptions (the module or closure cell that
  holds each, the value's type and repr or importable name) from which the
  guards a call checks are rebuilt; any that differs is a miss;
- the Python functions the text calls through their compiled gradients (and
  those they call), by module, qualified name, code and their file's size and
  time: an edited helper is a miss.

An entry that is absent, corrupt, from another format or under another key is
a miss: the text is derived again, never trusted. It is used only where its
native library loads too (api/jit_gradient.py), so numba never compiles from
it. Folder: `cache_folder("ready")` (under `$S2SGRAD_CACHE_DIR`);
`S2SGRAD_NO_CACHE=1` turns it off with the source cache.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import sys
import types

from ..codegen import source_cache
from ..codegen.cache_dir import cache_folder, write_atomically
from . import native
from .numba_source import NumbaSource

FORMAT = 1
_CALLEE_MODULE = re.compile(r"^from (s2sgrad_jit_\w+) import ", re.MULTILINE)
# a called helper's compiled module (compiler.load_callee's name) -> (the Python function, its module's text),
# as this process made them: how the called functions an entry depends on are described
CALLEES: dict[str, tuple[types.FunctionType, str]] = {}


def enabled() -> bool:
    return source_cache.enabled() and native.enabled()


def key(program, ordered: tuple) -> str | None:
    """The entry's key for this program called with `ordered`, or None where it cannot be described."""
    description = program.prepared.cache_description
    described = native.machine_types(ordered)
    if description is None or described is None:
        return None
    from .numba_source import _numba_has_blas
    from .vector_math import describe
    parts = [f"format {FORMAT}", source_cache._environment(), native._platform(), describe(),
             f"blas {_numba_has_blas()}", _ufunc_facts(program.prepared.rules), description, repr(described),
             program.source]
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


_FACTS: dict = {}         # (id of the table, its version) -> _ufunc_facts


def _ufunc_facts(rules) -> str:
    """What the rewriting reads of the rule table beyond the generated text (whose templates the key holds
    through the text and the function's description): which of NumPy's ufuncs are elementwise, which
    decides the calls that fuse (fusion.py). Not the whole table's fingerprint: a library's entries are
    added when it is imported (SciPy's, which numba's import brings), so a process that compiled has more
    than one that loads the library, and every key would differ."""
    import numpy
    entries = rules.items()                  # first: it adds the entries an import since deferred
    found = _FACTS.get((id(rules), rules.version))
    if found is None:
        facts = sorted((key.__name__, bool(getattr(getattr(entry, "facts", None), "elementwise", False)))
                       for key, entry in entries
                       if isinstance(key, numpy.ufunc) and getattr(numpy, key.__name__, None) is key)
        found = _FACTS[(id(rules), rules.version)] = hashlib.sha256(repr(facts).encode()).hexdigest()
    return found


def load(key_text: str, function: types.FunctionType) -> NumbaSource | None:
    """The kept module for `key_text`, its guards rebuilt against `function` (the Python version the text
    was made from: its globals and closure cells), or None (absent, corrupt, or anything changed)."""
    try:
        with open(_path(key_text), encoding="utf-8") as handle:
            data = json.load(handle)
        if data.get("format") != FORMAT or data.get("key") != key_text:
            return None
        guards = _guards(data["guards"], function)
        if guards is None or not all(_same_callee(c) for c in data["callees"]):
            return None
        return NumbaSource(**{name: _decoded(value) for name, value in data["source"].items()}, guards=guards)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None                        # absent or corrupt: derive the text again


def store(key_text: str, source: NumbaSource, function: types.FunctionType) -> None:
    """Keep `source`; silently not where a baked value or a called function has no description another
    process could check, or the disk refuses."""
    guards, callees = _describe_guards(source.guards, function), _describe_callees(source.text)
    if guards is None or callees is None:
        return
    try:
        fields = {f.name: _encoded(getattr(source, f.name)) for f in dataclasses.fields(source)
                  if f.name != "guards"}
    except TypeError:
        return                             # a field that is not plain data
    data = {"format": FORMAT, "key": key_text, "source": fields, "guards": guards, "callees": callees}
    try:
        write_atomically(_path(key_text), json.dumps(data))
    except OSError:
        pass                               # a read-only or full disk: the cache is an optimization


def _encoded(value):
    """NumbaSource's fields as JSON: tuples and frozensets tagged, so they come back as they were."""
    if value is None or type(value) in (str, int, bool, float):
        return value
    if type(value) is tuple:
        return {"tuple": [_encoded(v) for v in value]}
    if type(value) is frozenset:
        return {"frozenset": sorted(_encoded(v) for v in value)}
    raise TypeError(f"not plain data: {type(value).__name__}")


def _decoded(value):
    if isinstance(value, dict):
        (kind, items), = value.items()
        return {"tuple": tuple, "frozenset": frozenset}[kind](_decoded(v) for v in items)
    if isinstance(value, list):
        raise ValueError("an untagged list")
    return value


def _path(key_text: str):
    return cache_folder("ready") / f"{key_text}.json"


# ---- the values baked into the text ---------------------------------------------------------------

def _describe_guards(guards, function) -> list | None:
    """[[where, what]] for each guard (namespace or cell, name or None, value): where = ["module", module
    name, name], ["cell", the closure's variable] or ["called helper's cell"]; what = source_cache's
    reference to the value."""
    cells = {id(cell): name for name, cell in zip(function.__code__.co_freevars, function.__closure__ or ())}
    described = []
    for holder, name, value in guards:
        if name is None:
            # a cell of a called helper's generated gradient (the helpers themselves have no closures: see
            # compiled_callee) holds what s2sgrad bound for its text (unbroadcast, ...), not the user's values
            where = ["cell", cells[id(holder)]] if id(holder) in cells else ["called helper's cell"]
        else:
            module = holder.get("__name__")
            if not isinstance(module, str) or getattr(sys.modules.get(module), "__dict__", None) is not holder:
                return None
            where = ["module", module, name]
        try:
            what = source_cache._reference(value)      # a number's repr, or a name importing the very object
        except source_cache._Undescribable:
            return None
        described.append([where, what])
    return described


def _guards(described, function) -> tuple | None:
    """The guards a call checks, rebuilt from their descriptions: (holder, name, the value it holds now),
    or None when a holder is gone or holds another value than the one baked into the text."""
    cells = dict(zip(function.__code__.co_freevars, function.__closure__ or ()))
    guards = []
    for where, what in described:
        if where[0] == "called helper's cell":
            if source_cache._import(what) is source_cache._MISSING:
                return None
            continue                       # no such cell in this process: nothing could change it
        if where[0] == "cell":
            holder, name = cells[where[1]], None
            current = holder.cell_contents
        else:
            module = sys.modules.get(where[1])
            if module is None:
                return None
            holder, name = module.__dict__, where[2]
            if name not in holder:
                return None
            current = holder[name]
        if what[0] == "=":
            if repr(current) != what[1] or type(current) is not type(source_cache._import(what)):
                return None
        elif source_cache._import(what) is not current:
            return None
        guards.append((holder, name, current))
    return tuple(guards)


# ---- the Python functions the text calls through their compiled gradients -------------------------

def _describe_callees(text: str) -> list | None:
    """[module, qualified name, code fingerprint, file, size, time] of every function whose compiled
    gradient `text` imports, and of those their texts import; None for one this process did not make."""
    described, seen, pending = [], set(), _CALLEE_MODULE.findall(text)
    while pending:
        module_name = pending.pop()
        if module_name in seen:
            continue
        seen.add(module_name)
        if module_name not in CALLEES:
            return None
        function, callee_text = CALLEES[module_name]
        file = getattr(sys.modules.get(function.__module__), "__file__", None)
        if not file or not os.path.exists(file):
            return None
        stat = os.stat(file)
        described.append([function.__module__, function.__qualname__, source_cache._code_fingerprint(function),
                          file, stat.st_size, stat.st_mtime_ns])
        pending.extend(_CALLEE_MODULE.findall(callee_text))
    return described


def _same_callee(described) -> bool:
    module, qualname, fingerprint, file, size, mtime = described
    function = source_cache._import([module, qualname])
    if not isinstance(function, types.FunctionType) or source_cache._code_fingerprint(function) != fingerprint:
        return False
    try:
        stat = os.stat(file)
    except OSError:
        return False
    return stat.st_size == size and stat.st_mtime_ns == mtime
