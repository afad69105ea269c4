"""What preparing a function concluded, kept on disk, so a process whose gradient code is in the source
cache (source_cache.py) need not read, normalize and lower the function again to find its key.

A summary holds what a gradient's first call reads of a preparation:
the names it resolved (each by module and qualified name, with the code
fingerprint of a Python function), the closure variables it lifted, the
names it reads from outside, the names its tree uses, the description of
the function that keys its programs, which `wrt` passed the early checks,
and which had no value that may be complex with real arguments. It is keyed
by everything those depend on: s2sgrad, Python and NumPy (the source
cache's environment), the rule table's fingerprint, the function's code
(instructions, names, constants, file and first line), its file's size and
modification time, its lifted variables and call shape.

It is a guard, not a copy: on loading, every reference must import to an
object with the fingerprint it had, and (transform.py) every name must still
resolve to it in the function's globals and cells; anything else, a corrupt
file or a key mismatch, is a miss, and the function is prepared afresh. A
function whose file Python did not read it from (exec, a prompt) has no
summary. Writes go to a temporary file renamed into place.
"""
from __future__ import annotations

import hashlib
import json
import os

from .cache_dir import cache_folder, write_atomically
from .source_cache import (_MISSING, _Undescribable, _code_fingerprint, _code_text, _environment, _import,
                           _reference, _table_part)

FORMAT = 1


def summary_key(fn, rules, lifted, call_shape) -> str | None:
    """The key of `fn`'s summary, or None where it has none (no file on disk, no code to fingerprint)."""
    code = fn.__code__
    try:
        stat = os.stat(code.co_filename)
    except (OSError, ValueError):
        return None                 # exec'd or typed at a prompt: no file whose change would show
    parts = [_environment(), _table_part(rules), _code_text(code), f"{stat.st_size}:{stat.st_mtime_ns}",
             fn.__module__ or "", fn.__qualname__, repr(lifted), repr(call_shape)]
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def describe(resolutions: dict) -> list | None:
    """The resolved names as [dotted, reference, code fingerprint], or None if one has no importable name."""
    try:
        return sorted([dotted, _reference(obj), _code_fingerprint(obj)] for dotted, obj in resolutions.items())
    except _Undescribable:
        return None


def load(key: str) -> dict | None:
    """The summary stored under `key`, its resolutions imported ({dotted: object}); None where absent,
    corrupt, or a reference no longer imports to an object of the same code."""
    try:
        with open(_path(key), encoding="utf-8") as handle:
            data = json.load(handle)
        if data.get("format") != FORMAT or data.get("key") != key:
            return None
        resolutions = {}
        for dotted, reference, fingerprint in data["resolutions"]:
            obj = _import(reference)
            if obj is _MISSING or _code_fingerprint(obj) != fingerprint:
                return None
            resolutions[dotted] = obj
        data["resolutions"] = resolutions
        return data
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def store(key: str, data: dict) -> None:
    """Write the summary atomically; a read-only or full disk is silently skipped (it is an optimization)."""
    data = {"format": FORMAT, "key": key, **data}
    try:
        write_atomically(_path(key), json.dumps(data))
    except OSError:
        pass


def _path(key: str):
    return cache_folder("prepared") / f"{key}.json"
