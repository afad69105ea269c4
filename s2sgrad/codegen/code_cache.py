"""Compiled code of generated modules, kept on disk as Python keeps .pyc files.

A new process that finds its gradient's source in the source cache
(source_cache.py) still compiled that text: a fifth of a warm-cache
transformation. The code object compiled from a text is a function of the
text, the file name it is compiled under and the interpreter, so it is
stored under a hash of all three, marshalled, with a checksum: a file that
does not match its checksum, does not unmarshal to a code object, or names
another file is ignored and the text compiled afresh. Writes go to a
temporary file renamed into place. `S2SGRAD_NO_CACHE=1` turns it off with
the source cache; the folder is `cache_folder("code")`.
"""
from __future__ import annotations

import hashlib
import marshal
import sys
import types

from .cache_dir import cache_folder, write_atomically
from .source_cache import enabled

_CHECKSUM_BYTES = 32


def compiled(text: str, filename: str) -> types.CodeType:
    """compile(text, filename, "exec"), read from the cache when an earlier process compiled it."""
    if not enabled():
        return compile(text, filename, "exec")
    key = hashlib.sha256("\x00".join([sys.implementation.cache_tag or "", sys.version, filename, text])
                         .encode()).hexdigest()
    try:
        path = cache_folder("code") / f"{key}.bin"
    except OSError:
        return compile(text, filename, "exec")
    code = _read(path, filename)
    if code is None:
        code = compile(text, filename, "exec")
        _write(path, code)
    return code


def _read(path, filename: str) -> types.CodeType | None:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    checksum, payload = data[:_CHECKSUM_BYTES], data[_CHECKSUM_BYTES:]
    if hashlib.sha256(payload).digest() != checksum:
        return None                     # absent, truncated or corrupt: compile afresh
    try:
        code = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None
    if not isinstance(code, types.CodeType) or code.co_filename != filename:
        return None
    return code


def _write(path, code: types.CodeType) -> None:
    payload = marshal.dumps(code)
    try:
        write_atomically(path, hashlib.sha256(payload).digest() + payload)
    except OSError:
        pass                                   # a read-only or full disk: the cache is an optimization
