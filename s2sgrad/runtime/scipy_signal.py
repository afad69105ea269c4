"""Adjoints of scipy.signal's N-dimensional convolve, correlate and fftconvolve (real values).

Every mode is a window of the 'full' convolution, whose shape is s1 + s2 - 1 along each axis:
'same' keeps in1's shape starting at (s2 - 1) // 2, 'valid' keeps |s1 - s2| + 1 starting at
min(s1, s2) - 1 (SciPy's `_centered`). So an operand's adjoint is the result's adjoint put back
into its place in the full result (zeros elsewhere), correlated with the other operand in 'valid'
mode. correlate(in1, in2) is convolve(in1, in2 reversed along every axis). SciPy is imported at the
top, where a second derivative can read its names; it stays optional because only rules/scipy_rules.py
imports this module, once the user's program has imported SciPy.
"""
from __future__ import annotations

import numpy as np
from scipy import signal

from .arrays import adjoint_dtype


def _start(mode, s1, s2):
    if mode == "full":
        return 0
    if mode == "same":
        return (s2 - 1) // 2
    if mode == "valid":
        return min(s1, s2) - 1
    raise ValueError(f"scipy.signal: mode must be 'full', 'same' or 'valid', not {mode!r}")


def _into_full(g, in1, in2, mode):
    """g placed where its mode's window lies in the full convolution, zeros elsewhere."""
    s1, s2 = np.shape(in1), np.shape(in2)
    full = np.zeros(tuple(a + b - 1 for a, b in zip(s1, s2)), dtype=np.result_type(g, np.float32))
    window = tuple(slice(_start(mode, a, b), _start(mode, a, b) + n) for a, b, n in zip(s1, s2, np.shape(g)))
    full[window] = g
    return full


def _correlated_with(full, other, like):
    out = signal.correlate(full, other, mode="valid", method="direct")
    return out.astype(adjoint_dtype(like), copy=False)


# each adjoint is linear in g and in the other operand and reads its own operand's shape only, so the
# table gives each a forward rule (a second derivative through a convolution)

def convolve_adjoint_in1(g, in1, in2, mode="full"):
    """Adjoint of in1 in scipy.signal.convolve(in1, in2, mode): the full adjoint correlated with in2."""
    return _correlated_with(_into_full(g, in1, in2, mode), in2, in1)


def convolve_adjoint_in2(g, in1, in2, mode="full"):
    """Adjoint of in2: the full adjoint correlated with in1."""
    return _correlated_with(_into_full(g, in1, in2, mode), in1, in2)


def correlate_adjoint_in1(g, in1, in2, mode="full"):
    """Adjoint of in1 in scipy.signal.correlate(in1, in2, mode) = convolve(in1, reversed in2, mode)."""
    return convolve_adjoint_in1(g, in1, np.flip(in2), mode)


def correlate_adjoint_in2(g, in1, in2, mode="full"):
    """Adjoint of in2: convolve's adjoint of the reversed in2, reversed back."""
    return np.flip(convolve_adjoint_in2(g, in1, np.flip(in2), mode))


__all__ = ["convolve_adjoint_in1", "convolve_adjoint_in2", "correlate_adjoint_in1", "correlate_adjoint_in2"]
