"""Entries for the runtime helpers that the newer NumPy entries' slots call (masked reductions, ...), so a
gradient that calls them can be differentiated again (hessian, jacfwd(grad(f))).

Helpers linear in the adjoint they take, and piecewise constant or shape-only in their other arguments,
are linear entries with those arguments constant; their reverse slot is the helper they transpose. Helpers
smooth in their other arguments (masked_prod_adjoint) have no entry: s2sgrad follows their Python source.
"""
from __future__ import annotations

from ..runtime import array_edits, masked_reductions
from .registry import RuleTable


def register(rules: RuleTable) -> None:
    d = rules.define
    masked = masked_reductions
    # the mask and the positions of the extremum are constants of the adjoint
    d(masked.masked_unreduce, "g, x, axis=None, keepdims=False, where=True", result="out", constant="x, where",
      linear=True, dg="np.sum(dout, axis, keepdims=keepdims, where=where)")
    d(masked.masked_mean_adjoint, "g, x, axis=None, keepdims=False, where=True", result="out",
      constant="x, where", linear=True, dg="np.mean(dout, axis, keepdims=keepdims, where=where)")
    extremum = "x, y, axis=None, keepdims=False, initial=None, where=True, part='a'"
    arguments = "x, y, axis, keepdims, initial, where, part"
    d(masked.masked_extremum_adjoint, f"g, {extremum}", result="out", constant="x, y, initial, where",
      linear=True, dg=f"masked_extremum_tangent(dout, {arguments})")
    d(masked.masked_extremum_tangent, f"t, {extremum}", result="out", constant="x, y, initial, where",
      linear=True, dt=f"masked_extremum_adjoint(dout, {arguments})")
    # moving adjoints by positions: each helper's transpose puts back what the other takes out
    edits = array_edits
    d(edits.delete_adjoint, "g, arr, obj, axis=None", result="out", constant="arr, obj", linear=True,
      dg="np.delete(dout, obj, axis)")
    inserted = "arr, obj, values, axis=None, part='arr'"
    d(edits.insert_adjoint, f"g, {inserted}", result="out", constant="arr, obj, values", linear=True,
      dg="insert_adjoint_transpose(dout, arr, obj, values, axis, part)")
    d(edits.insert_adjoint_transpose, f"d, {inserted}", result="out", constant="arr, obj, values", linear=True,
      dd="insert_adjoint(dout, arr, obj, values, axis, part)")
