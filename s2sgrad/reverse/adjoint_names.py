"""Adjoint names in the seeds' notation: the adjoint of `v` is `dv` (dJ/dv)."""
from __future__ import annotations


class AdjointNames:
    """Maps a primal name to its adjoint's name, avoiding every name in use.

    `dv` when free; if the user already has a `dv` (or `dv` is another
    adjoint), `d_v`, then `d_v_1`, ...
    """

    def __init__(self, namer):
        self._namer = namer
        self._names: dict[str, str] = {}

    def __call__(self, primal: str) -> str:
        name = self._names.get(primal)
        if name is None:
            preferred = f"d{primal}"
            if self._namer.is_taken(preferred):
                preferred = f"d_{primal}"
            name = self._names[primal] = self._namer.claim(preferred)
        return name

    def items(self):
        return self._names.items()
