"""The persistent cache of generated gradient code, so a new process reuses what an earlier one generated.

An entry holds the generated source text, its function's and seed's names,
and the objects the code refers to by name (np, math, unbroadcast, ...) as
importable references (module and qualified name). It is keyed by everything
the text depends on:

- s2sgrad: a fingerprint of its own source files (the path, size and
  modification time of each: the version string is in one of them), so an
  edited or upgraded s2sgrad never reads code an older one wrote; the Python
  and NumPy versions;
- the function: its file, line and source text, its lifted closure variables,
  and what every name it resolved denotes (by module and qualified name);
- the rule table: a fingerprint of every entry (its key, parameters, reverse
  texts and facts), and the full templates of the entries the function uses,
  so a new or changed rule invalidates it;
- the specialization: wrt, argument kinds, has_aux, release.

A function the key cannot describe across processes (it resolves a name to
an object that is not importable by name: a lambda, an instance) is simply
not cached. On reading, every reference must import to an object, and no
name the code binds may mean something else in the user's function; any
failure, a corrupt file or a key mismatch is a miss. Writes go to a temporary
file renamed into place, so two processes racing write whole entries.

The folder is `cache_folder("source")` (root `$S2SGRAD_CACHE_DIR`);
`S2SGRAD_NO_CACHE=1` turns the cache off.
"""
from __future__ import annotations

import hashlib
import importlib
import json
import os
import sys
import types
from pathlib import Path

import gast

from .cache_dir import cache_folder, write_atomically

DISABLE_VARIABLE = "S2SGRAD_NO_CACHE"
FORMAT = 1
_MISSING = object()


def enabled() -> bool:
    return os.environ.get(DISABLE_VARIABLE, "") in ("", "0")


class CachedProgram:
    """What a cache hit gives: the generated text, its function's name, the seed's name, the bound objects."""

    def __init__(self, text: str, name: str, seed: str, objects: dict):
        self.text, self.name, self.seed, self.objects = text, name, seed, objects


def key_for(prepared, specialization: tuple) -> str | None:
    """The cache key of one specialization of `prepared`, or None if it cannot be described across processes.
    `prepared.cache_description` is function_description's, kept with the preparation (or its summary,
    summary_cache.py), so that a hit needs neither the function's tree nor its IR."""
    description = prepared.cache_description
    if description is None:
        return None
    parts = [_environment(), description, _table_part(prepared.rules), repr(specialization)]
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def function_description(prepared) -> str | None:
    """What the generated code of `prepared` depends on of the function and the entries it uses (the part of
    every key that is the same for all its specializations), or None if it cannot be described."""
    try:
        return hashlib.sha256((_function_part(prepared) + "\x00" + _entries_part(prepared)).encode()).hexdigest()
    except _Undescribable:
        return None


def load(key: str, user_names: set, namespace: dict) -> CachedProgram | None:
    """The entry for `key`, or None (absent, unreadable, stale references or names that would clash)."""
    try:
        path = _path(key)
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        if data.get("format") != FORMAT or data.get("key") != key:
            return None
        objects = {}
        for bound_name, reference in data["bindings"].items():
            obj = _import(reference)
            if obj is _MISSING:
                return None
            if bound_name in user_names and namespace.get(bound_name, _MISSING) is not obj:
                return None             # the user's function uses this name for something else
            objects[bound_name] = obj
        return CachedProgram(data["text"], data["name"], data["seed"], objects)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None                     # absent or corrupt: generate afresh


def store(key: str, text: str, name: str, seed: str, objects: dict) -> None:
    """Write the entry atomically; silently skip if an object has no importable name or the disk refuses."""
    try:
        bindings = {bound_name: _reference(obj) for bound_name, obj in objects.items()}
    except _Undescribable:
        return
    data = {"format": FORMAT, "key": key, "name": name, "seed": seed, "text": text, "bindings": bindings}
    try:
        write_atomically(_path(key), json.dumps(data))
    except OSError:
        pass                                   # a read-only or full disk: the cache is an optimization


def _path(key: str) -> Path:
    return cache_folder("source") / f"{key}.json"


# ---- the key's parts -------------------------------------------------------
class _Undescribable(Exception):
    """An object without a name that another process could import."""


_ENVIRONMENT: list = []


def _environment() -> str:
    """s2sgrad's version and source files, Python's and NumPy's versions (computed once per process)."""
    if not _ENVIRONMENT:
        import numpy

        files = sorted(_python_files(str(Path(__file__).resolve().parent.parent), ""))
        _ENVIRONMENT.append("\n".join([f"format {FORMAT}", sys.version, numpy.__version__, *files]))
    return _ENVIRONMENT[0]


def _python_files(folder: str, prefix: str):
    """Each .py file under `folder` as path:size:time, by os.scandir: Path.rglob took 3 ms of every new
    process's first gradient (about 200 files), this takes under 1."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                yield from _python_files(entry.path, f"{prefix}{entry.name}/")
            elif entry.name.endswith(".py"):
                stat = entry.stat()
                yield f"{prefix}{entry.name}:{stat.st_size}:{stat.st_mtime_ns}"


def _function_part(prepared) -> str:
    src = prepared.source
    tree = src.tree
    end = getattr(tree, "end_lineno", None)
    if end and src.file_lines and src.function.__code__.co_name != "<lambda>":     # lambdas share lines
        text = "".join(src.file_lines[src.line_offset:src.line_offset + end])
    else:
        text = gast.dump(tree)
    # a Python function it calls is named by its module and qualified name, and its code too: what
    # the transformer reads of a callee (its parameters, whether it returns a tuple) must not go stale
    resolved = sorted((dotted, _reference(obj), _code_fingerprint(obj))
                      for dotted, obj in prepared.resolutions.items())
    return repr((src.filename, src.line_offset, src.col_offset, text, getattr(src, "lifted", ()), resolved))


def _code_fingerprint(obj) -> str:
    while isinstance(obj, types.MethodType):
        obj = obj.__func__
    code = getattr(obj, "__code__", None)
    if not isinstance(code, types.CodeType):
        return ""
    return hashlib.sha256(_code_text(code).encode()).hexdigest()


def _code_text(code: types.CodeType) -> str:
    """The code's instructions and names; nested code objects (comprehensions, lambdas) by their text,
    not their repr, which holds a memory address."""
    consts = [_code_text(c) if isinstance(c, types.CodeType) else repr(c) for c in code.co_consts]
    return repr((code.co_filename, code.co_firstlineno, code.co_code, consts, code.co_names, code.co_varnames))


_TABLE_PARTS: dict = {}         # (id of the table, its version) -> fingerprint


def _table_part(rules) -> str:
    key = (id(rules), rules.version)
    part = _TABLE_PARTS.get(key)
    if part is None:
        digest = hashlib.sha256()
        for table_key, entry in rules.items():
            digest.update(repr((_key_text(table_key), type(entry).__name__, getattr(entry, "params_text", ""),
                                getattr(entry, "texts", None), getattr(entry, "facts", None),
                                getattr(entry, "result", None), getattr(entry, "memory", None))).encode())
        part = _TABLE_PARTS[key] = digest.hexdigest()
    return part


def _entries_part(prepared) -> str:
    """The full templates of every entry the function's operations resolved to."""
    seen, parts = set(), []
    for entry in _entries(prepared.ir.body):
        if id(entry) in seen:
            continue
        seen.add(id(entry))
        parts.append(_entry_text(entry))
    return "\n".join(parts)


def _entries(body):
    for node in body:
        primitive = getattr(node, "primitive", None)
        if primitive is not None:
            yield getattr(primitive, "rule", primitive)
        for block in ("body", "orelse"):
            inner = getattr(node, block, None)
            if isinstance(inner, list):
                yield from _entries(inner)


_ENTRY_TEXTS: dict = {}


def _entry_text(entry) -> str:
    found = _ENTRY_TEXTS.get(id(entry))
    if found is not None and found[0] is entry:
        return found[1]
    fields = []
    for name in ("name", "params_text", "result", "facts", "texts", "memory"):
        fields.append(repr(getattr(entry, name, None)))
    for name in ("adjoints", "scalar_adjoints", "tangents", "scalar_tangents", "defaults"):
        slot = getattr(entry, name, None) or {}
        fields.append(repr(sorted((param, _template_text(t)) for param, t in slot.items())))
    text = "|".join(fields)
    _ENTRY_TEXTS[id(entry)] = (entry, text)
    return text


def _template_text(template) -> str:
    return gast.dump(template) if isinstance(template, gast.AST) else repr(template)


def _key_text(key) -> str:
    if isinstance(key, tuple):
        return repr(key)
    if isinstance(key, type) and issubclass(key, gast.AST):
        return f"operator {key.__name__}"
    return f"{getattr(key, '__module__', None)}.{getattr(key, '__qualname__', getattr(key, '__name__', type(key).__name__))}"


def _reference(obj) -> list:
    """[module, qualified name] naming `obj` so that another process imports the very same object."""
    if isinstance(obj, types.ModuleType):
        return [obj.__name__, ""]
    if isinstance(obj, (bool, int, float, str, type(None))):
        return ["=", repr(obj)]
    module = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None)
    if not isinstance(module, str) or not isinstance(qualname, str) or "<" in qualname:
        raise _Undescribable(obj)
    if _import([module, qualname]) is not obj:
        found = _import(["numpy", qualname]) if module.startswith("numpy") else _MISSING
        if found is not obj:        # ufuncs and re-exported functions: np.sin lives in numpy._core.umath
            raise _Undescribable(obj)
        module = "numpy"
    return [module, qualname]


def _import(reference):
    module_name, qualname = reference
    if module_name == "=":
        return _literal(qualname)
    try:
        module = sys.modules.get(module_name) or importlib.import_module(module_name)
    except Exception:
        return _MISSING
    obj = module
    for attr in qualname.split(".") if qualname else ():
        obj = getattr(obj, attr, _MISSING)
        if obj is _MISSING:
            return _MISSING
    return obj


def _literal(text: str):
    import ast
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return _MISSING
