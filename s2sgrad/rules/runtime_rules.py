"""Rules for the runtime helpers that generated code calls, so generated code can be differentiated again.

A gradient function's own code calls `unbroadcast`, `unreduce`,
`matmul_adjoint_left`, ...; forward mode over that code (a Hessian is the
jacobian of a gradient, forward over reverse) needs their tangents. Almost
all of them are linear in the adjoint they take and use their other
arguments for shapes only (`constant=`), so their facts give the forward
slot. Reverse slots are given where the transpose is one line; a second
reverse pass through a helper without one stops with an error naming it.
"""
from __future__ import annotations

from ..runtime import (
    array_functions, attempts, arrays, axis_concatenators, containers, einsum_forms, elementwise, fft, indexing, linalg,
    namespace, quantiles, reductions, running_extrema, sequences, shapes, super_calls, tangents,
)
from .registry import RuleTable


def register(rules: RuleTable) -> None:
    d = rules.define
    # helpers linear in the adjoint g, whose transpose is one line
    d(arrays.unbroadcast, "g, x", constant="x", linear=True, dg="broadcast_like(dy, g)")
    d(arrays.unreduce, "g, x, axis=None, keepdims=False", constant="x", linear=True,
      dg="np.sum(dy) if axis is None else np.sum(dy, axis=axis, keepdims=keepdims)")
    d(tangents.broadcast_like, "t, y", result="out", constant="y", linear=True, dt="unbroadcast(dout, t)")
    d(arrays.matrix_transpose, "x", linear=True, dx="matrix_transpose(dy)")
    d(shapes.transpose_adjoint, "g, axes=()", linear=True, dg="transpose_adjoint(dy, np.argsort(axes)) if axes else np.transpose(dy)")
    d(reductions.reverse_cumsum, "g, axis", linear=True, dg="np.cumsum(dy, axis=axis)")
    d(containers.add_adjoints, "a, b", linear=True, da="dy", db="dy")
    # sums over broadcast axes, broadcasts, transposes, additions: the same for complex adjoints
    rules.declare_complex(arrays.unbroadcast, tangents.broadcast_like, arrays.matrix_transpose,
                          shapes.transpose_adjoint, reductions.reverse_cumsum, containers.add_adjoints)
    # the copy an in-place write saves (ssa/inplace.py): np.copy in any array library
    d(namespace.copy_of, "value", linear=True, dvalue="dy")
    rules.declare_memory("new", namespace.copy_of)
    rules.declare_complex(namespace.copy_of)
    d(containers.split_last, "g", linear=True, forward_only="g")
    rules.declare_containers(containers.split_last)
    # its pure form, which code being differentiated calls (ssa/normalize.py), and that form's transpose
    d(containers.split_off_last, "g", result="out", linear=True, dg="joined_last(dout, g)")
    d(containers.joined_last, "adjoint, like", result="out", constant="like", linear=True,
      dadjoint="split_off_last(dout)")
    rules.declare_containers(containers.split_off_last, containers.joined_last)
    # Python's `+` and `*` where an operand may be a list or tuple (analysis/sequence_arithmetic.py)
    d(sequences.concatenate, "a, b", linear=True, da="concatenation_part(dy, a, b, 0)",
      db="concatenation_part(dy, a, b, 1)")
    d(sequences.repeat, "a, b", multilinear=True, da="repetition_adjoint_left(dy, a, b)",
      db="repetition_adjoint_right(dy, a, b)")
    d(sequences.concatenation_part, "g, a, b, side", constant="a, b, side", linear=True,
      dg="concatenation_part_transpose(dy, g, a, b, side)")
    d(sequences.repetition_adjoint_left, "g, a, b", constant="a", multilinear=True,
      dg="repetition_transpose(dy, g, a, b)", db="repetition_factor_transpose(dy, g, a, b)")
    d(sequences.repetition_adjoint_right, "g, a, b", constant="b", multilinear=True,
      dg="repetition_transpose(dy, g, b, a)", da="repetition_factor_transpose(dy, g, b, a)")
    # and theirs: the adjoints they transpose (reverse over reverse over reverse)
    d(sequences.concatenation_part_transpose, "d, g, a, b, side", constant="g, a, b, side", linear=True,
      dd="entries_like(concatenation_part(dy, a, b, side), d)")
    d(sequences.repetition_transpose, "d, g, operand, other", constant="g, operand", multilinear=True,
      dd="entries_like(repetition_adjoint_left(dy, operand, other), d)",
      dother="repetition_factor_transpose(d, dy, operand, other)")
    d(sequences.repetition_factor_transpose, "d, g, operand, other", constant="operand, other", multilinear=True,
      dd="repetition_factor_part(dy, g, d, operand, other)",
      dg="repetition_factor_part(dy, d, g, operand, other)")
    # reading one entry of a generated function's result, and its transpose (derivatives of derivatives)
    d(tangents.element, "value, index", constant="index", linear=True, dvalue="with_element(dy, value, index)")
    d(tangents.with_element, "g, like, index", result="out", constant="like, index", linear=True,
      dg="element(dout, index)")
    # forward mode's own copy of a tangent that is written into (y_dot[i] = v_dot): a new array, so a third
    # derivative may write into its tangent too
    d(tangents.own_tangent, "t", result="out", linear=True, dt="dout")
    rules.declare_memory("new", tangents.own_tangent)
    # the scatter of an adjoint (dx[index] += g) as a new value, differentiated again: dx passes through, g's
    # transpose is the gather of the same positions
    d(indexing.added_at, "dx, index, g", result="out", constant="index", linear=True, ddx="dout",
      dg="taken_at(dout, index, g)")
    rules.declare_memory("new", indexing.added_at)
    # the positions np.fill_diagonal writes, read as an index (ssa/array_fills.py): integers, no derivative
    rules.nondifferentiable(indexing.diagonal_positions)
    # a `try` statement's attempts and the exception they caught (ssa/try_statements.py): flags, no derivative
    rules.nondifferentiable(attempts.attempt, attempts.caught_error, attempts.failed)
    # the check before a call `super()` resolved when the method was transformed (ssa/super_calls.py)
    rules.nondifferentiable(super_calls.check_super)
    d(indexing.taken_at, "adjoint, index, g", result="out", constant="index, g", linear=True,
      dadjoint="added_at(zeros_like(adjoint), index, dout)")
    # a recorded call's record as its arguments, in the Python forms of a second derivative's calls to your
    # functions (api/recorded_call_forms.py): reading the arguments out and putting their adjoints back are
    # each other's transposes, as element and with_element are
    d(tangents.recorded_arguments, "arguments, call", result="out", constant="call", linear=True,
      darguments="adjoint_arguments(dout, arguments)")
    d(tangents.call_arguments, "record", result="out", linear=True, drecord="record_adjoint(dout)")
    d(tangents.record_adjoint, "direct", result="out", linear=True, ddirect="adjoint_arguments(dout, direct)")
    d(tangents.adjoint_arguments, "adjoint, like", result="out", constant="like", linear=True,
      dadjoint="record_adjoint(dout)")
    rules.declare_containers(tangents.recorded_arguments, tangents.call_arguments, tangents.adjoint_arguments)
    # a quantile's weights depend on x only through its order: each helper is the other's transpose
    quantile = "x, q, axis=None, keepdims=False, method='linear', overwrite_input=False, nan=False"
    d(quantiles.quantile_adjoint, f"g, {quantile}", result="out", constant="x, q", linear=True,
      dg="quantile_tangent(dout, x, q, axis, keepdims, method, overwrite_input, nan)")
    d(quantiles.quantile_tangent, f"x_dot, {quantile}", result="out", constant="x, q", linear=True,
      dx_dot="quantile_adjoint(dout, x, q, axis, keepdims, method, overwrite_input, nan)")
    # a running extremum's positions depend on x only through its order: each helper is the other's transpose
    d(running_extrema.running_extremum_adjoint, "g, x, y, axis=0", result="out", constant="x, y", linear=True,
      dg="running_extremum_tangent(dout, x, y, axis)")
    d(running_extrema.running_extremum_tangent, "x_dot, x, y, axis=0", result="out", constant="x, y", linear=True,
      dx_dot="running_extremum_adjoint(dout, x, y, axis)")
    # helpers linear in g whose transpose is the operation they are the adjoint of (reverse over reverse)
    d(reductions.extremum_adjoint, "g, x, y, axis=None, keepdims=False", result="out", constant="x, y", linear=True,
      dg="extremum_tangent(dout, x, y, axis, keepdims)")
    d(reductions.cumsum_adjoint, "g, x, axis=None", result="out", constant="x", linear=True,
      dg="np.cumsum(dout, axis=axis)")
    d(linalg.trace_adjoint, "g, a, offset=0, axis1=0, axis2=1", result="out", constant="a", linear=True,
      dg="np.trace(dout, offset, axis1, axis2)")
    d(linalg.diagonal_adjoint, "g, a, offset=0, axis1=0, axis2=1", result="out", constant="a", linear=True,
      dg="np.diagonal(dout, offset, axis1, axis2)")
    # np.fft's adjoints crop or zero-pad a (complex) adjoint to the input's length, and back
    d(fft.fit_length, "g, length, axis", result="out", constant="length, axis", linear=True,
      dg="fit_length_like(dout, g, axis)")
    d(fft.fit_length_like, "d, g, axis", result="out", constant="g, axis", linear=True,
      dd="fit_length_like(dout, d, axis)")
    # ... and give a real input's adjoint the real part (the plain transpose of taking it is the identity)
    d(fft.real_like_input, "g, x", result="out", constant="x", linear=True, dg="dout")
    rules.declare_complex(fft.fit_length, fft.fit_length_like, fft.real_like_input)
    d(shapes.tile_adjoint, "g, a, reps", result="out", constant="a, reps", linear=True, dg="np.tile(dout, reps)")
    d(shapes.item_adjoint, "g, x, index=()", result="out", constant="x, index", linear=True,
      dg="item_of(dout, index)")
    d(shapes.concatenate_adjoint, "g, arrays, axis=0", constant="arrays", linear=True,
      dg="np.concatenate(dy, axis=axis)")
    d(shapes.stack_adjoint, "g, arrays, axis=0", constant="arrays", linear=True, dg="np.stack(dy, axis=axis)")
    d(shapes.cast_adjoint, "g, x, dtype", result="out", constant="x", linear=True,
      dg="cast_adjoint(dout, g, dtype)")
    d(array_functions.through_cast, "t, dtype", result="out", linear=True, dt="through_cast(dout, dtype)")
    # a value's dtype, which helpers read to build arrays of its kind: no derivative
    rules.nondifferentiable(namespace.dtype_of, namespace.mask_like, shapes.take_positions)
    # a constant a helper made with NumPy (an eye, an arange) as an array of x's library: a copy in value
    d(namespace.numpy_values_like, "x, value, dtype=None", result="out", constant="x, dtype", linear=True,
      dvalue="dout")
    d(namespace.in_library_of, "value, x", result="out", constant="x", linear=True, dvalue="dout")
    rules.declare_complex(namespace.numpy_values_like, namespace.in_library_of)
    d(shapes.take_adjoint, "g, a, indices, axis=None, mode='raise'", result="out", constant="a, indices",
      linear=True, dg="np.take(dout, numpy_values_like(dout, take_positions(indices, dout, axis, mode)), axis=axis)")     # CuPy: no mode=
    d(shapes.sort_adjoint, "g, a, axis=-1", result="out", constant="a", linear=True, dg="sort_tangent(dout, a, axis)")
    # scatters with np.add.at, whose write no derivative follows: their own entries, each the transpose of a gather
    d(shapes.repeat_adjoint, "g, a, repeats, axis=None", result="out", constant="a, repeats", linear=True,
      dg="np.repeat(dout, repeats, axis)")
    d(shapes.take_along_axis_adjoint, "g, arr, indices, axis", result="out", constant="arr, indices", linear=True,
      dg="np.take_along_axis(dout, indices, axis)")
    d(axis_concatenators.axis_concatenator_adjoint, "g, concatenator, items", result="out",
      constant="concatenator, items", linear=True, dg="axis_concatenator_tangent(concatenator, items, dout)")
    rules.declare_containers(axis_concatenators.axis_concatenator_adjoint)
    # a partition's positions depend on a only through its order: each helper is the other's transpose
    d(array_functions.partition_adjoint, "g, a, kth, axis=-1", result="out", constant="a, kth", linear=True,
      dg="partition_tangent(dout, a, kth, axis)")
    d(array_functions.partition_tangent, "a_dot, a, kth, axis=-1", result="out", constant="a, kth", linear=True,
      da_dot="partition_adjoint(dout, a, kth, axis)")
    # the adjoints of products, linear in g and in the other factor: the adjoint of `a` in a @ b is the
    # transpose of a -> a @ b, so its own transpose in g is that product, and in b the adjoint of b
    d(arrays.matmul_adjoint_left, "g, a, b", result="out", constant="a", multilinear=True,
      dg="np.matmul(dout, b)", db="matmul_adjoint_right(g, dout, b)")
    d(arrays.matmul_adjoint_right, "g, a, b", result="out", constant="b", multilinear=True,
      dg="np.matmul(a, dout)", da="matmul_adjoint_left(g, a, dout)")
    d(linalg.dot_adjoint_left, "g, a, b", result="out", constant="a", multilinear=True,
      dg="np.dot(dout, b)", db="dot_adjoint_right(g, dout, b)")
    d(linalg.dot_adjoint_right, "g, a, b", result="out", constant="b", multilinear=True,
      dg="np.dot(a, dout)", da="dot_adjoint_left(g, a, dout)")
    d(linalg.kron_adjoint_left, "g, a, b", result="out", constant="a", multilinear=True,
      dg="np.kron(dout, b)", db="kron_adjoint_right(g, dout, b)")
    d(linalg.kron_adjoint_right, "g, a, b", result="out", constant="b", multilinear=True,
      dg="np.kron(a, dout)", da="kron_adjoint_left(g, a, dout)")
    # np.einsum's adjoints: linear in g, and each in every operand but its own (which gives its shape only)
    d(einsum_forms.einsum_call_adjoints, "g, args, optimize=False", result="out", constant="optimize",
      dg="einsum_call_transpose(dout, args, optimize)",
      jvp={"g": "einsum_call_adjoints(g_dot, args, optimize)",
           "args": "einsum_call_adjoints_tangent(g, args, args_dot, optimize)"})
    rules.declare_containers(einsum_forms.einsum_call_adjoints)
    d(reductions.var_adjoint, "g, x, axis=None, ddof=0, keepdims=False", multilinear=True,
      dg="var_adjoint_transpose_g(dy, x, axis, ddof, keepdims)",
      dx="var_adjoint_transpose_x(dy, g, x, axis, ddof, keepdims)")
    # the adjoint of a selection: linear in g, the mask only chooses
    d(elementwise.keep_where, "mask, g", constant="mask", linear=True, dg="keep_where(mask, dy)")
    # det's adjoint (the cofactor matrix); its tangent for Hessians of det
    d(linalg.det_cofactors, "a", result="c", jvp={"a": "det_cofactors_tangent(a_dot, a, c)"})
    rules.nondifferentiable(containers.order_key)      # max/min's key values: compared only
    rules.nondifferentiable(arrays.zeros_like, arrays.adjoint_dtype, elementwise.inside_clip,   # masks and shapes
                            tangents.unit_tangent, tangents.require_scalar, namespace.element_count)
