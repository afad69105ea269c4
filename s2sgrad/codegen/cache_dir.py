"""Where s2sgrad keeps what it caches on disk.

Every persistent cache (generated source, numba's compiled code) lives under
one folder, so a user can move or clear all of them at once. The folder is
`$S2SGRAD_CACHE_DIR` when set, else `s2sgrad` under `$XDG_CACHE_HOME`
(default `~/.cache`).
"""
from __future__ import annotations

import os
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
