"""Adjoints of indexing: scatter an element's adjoint back into its container's adjoint."""
from __future__ import annotations

import numpy as np


def add_at(dx, index, g):
    """dx[index] += g, correct even when an integer-array index repeats a position.

    Mutates `dx`, which the reverse sweep always allocates itself (zeros_like),
    and returns it.
    """
    if isinstance(dx, (list, dict)):                 # a container's adjoint: entries may be containers too
        from .containers import add_adjoints
        dx[index] = add_adjoints(dx[index], g)
        return dx
    np.add.at(dx, index, g)
    return dx
