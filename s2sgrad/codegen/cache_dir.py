"""Where s2sgrad keeps what it caches on disk.

Every persistent cache (generated source, numba's compiled code) lives under
one folder, so a user can move or clear all of them at once. The folder is
`$S2SGRAD_CACHE_DIR` when set, else `s2sgrad` under `$XDG_CACHE_HOME`
(default `~/.cache`).
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

ENVIRONMENT_VARIABLE = "S2SGRAD_CACHE_DIR"


def cache_root() -> Path:
    chosen = os.environ.get(ENVIRONMENT_VARIABLE)
    if chosen:
        return Path(chosen).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "s2sgrad"


def cache_folder(kind: str) -> Path:
    """The folder for one kind of cache ("source", "numba"), created on demand."""
    folder = cache_root() / kind
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def write_atomically(path, data: bytes | str) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename, so a reader (another
    process too) sees no entry, the old one or the new one whole. Raises OSError (a read-only or full
    disk) after removing the temporary file; the caches call it where losing an entry is harmless."""
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(os.fspath(path)), prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb" if isinstance(data, bytes) else "w",
                       **({} if isinstance(data, bytes) else {"encoding": "utf-8"})) as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
