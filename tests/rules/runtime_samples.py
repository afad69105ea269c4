"""Sample calls for the runtime helpers' entries (rules/runtime_rules.py), in samples.py's notation.

Their first argument is an adjoint; the others give shapes, so they are plain arrays, never differentiated.
"""
from __future__ import annotations

from s2sgrad.runtime import (
    array_functions, arrays, axis_concatenators, containers, einsum_forms, elementwise, fft, indexing, linalg, namespace,
    quantiles, reductions, running_extrema, sequences, shapes, tangents,
)

RUNTIME_SAMPLES = {
    arrays.unbroadcast: ["A(3, 4), np.zeros(4)", "A(3, 4), np.zeros((3, 1))", "A(2, 3), np.zeros((2, 3))"],
    arrays.unreduce: ["A(3), np.zeros((3, 4)), 1", "F(0.5), np.zeros((2, 3))", "A(3, 1), np.zeros((3, 4)), 1, True"],
    tangents.broadcast_like: ["A(4), np.zeros((3, 4))", "F(0.5), np.zeros(3)"],
    arrays.matrix_transpose: ["A(2, 3, 4)"],
    shapes.transpose_adjoint: ["A(2, 3)", "A(2, 3, 4), (1, 2, 0)"],
    reductions.reverse_cumsum: ["A(2, 5), 1"],
    containers.add_adjoints: ["A(3), A(3)"],
    linalg.det_cofactors: ["A(3, 3)", "A(2, 2, 2)"],
    elementwise.keep_where: ["np.array([True, False, True]), A(3)", "np.array([[True], [False]]), A(2, 3)",
                             "True, F(0.5)", "False, F(0.5)"],
    containers.split_last: ["A(4, 2)"],
    containers.split_off_last: ["A(4, 2)", "[A(2), F(0.5), A(3)]"],
    containers.joined_last: ["[A(3, 2), A(2)], np.zeros((4, 2))", "[[A(2), F(0.5)], A(3)], [np.zeros(2), 0.0, np.zeros(3)]"],
    # Python's `+` and `*`: arithmetic on numbers and arrays, joining and repeating lists and tuples
    sequences.concatenate: ["A(3, 4), A(4)", "F(0.7), F(-0.3)", "[F(0.7), F(-0.3)], [F(1.2)]",
                            "(F(0.7),), (A(2), F(0.4))"],
    sequences.repeat: ["A(3, 4), A(4)", "F(0.7), F(-0.3)", "[F(0.7), F(-0.3)], 3", "2, (F(0.4), A(2))"],
    sequences.concatenation_part: ["A(3, 4), np.zeros(4), np.zeros((3, 4)), 0", "A(3), [0.0], [1.0, 2.0], 1",
                                   "A(3), [0.0], [1.0, 2.0], 0"],
    sequences.repetition_adjoint_left: ["A(3, 4), np.zeros(4), A(3, 4)", "A(6), [0.0, 0.0], 3"],
    sequences.repetition_adjoint_right: ["A(3, 4), A(3, 4), np.zeros((3, 1))", "A(4), 2, [0.0, 0.0]"],
    sequences.concatenation_part_transpose: ["A(4), np.zeros((3, 4)), np.zeros(4), np.zeros((3, 4)), 0",
                                             "A(2), [0.0, 0.0, 0.0], [0.0], [1.0, 2.0], 1"],
    sequences.repetition_transpose: ["A(4), A(3, 4), np.zeros(4), A(3, 4)", "A(2), [0.0] * 6, [0.0, 0.0], 3"],
    sequences.repetition_factor_transpose: ["A(4), A(3, 4), np.zeros(4), A(3, 4)"],
    namespace.copy_of: ["A(3, 2)", "A(4)"],
    namespace.numpy_values_like: ["np.zeros((2, 3)), A(2, 3)", "np.zeros(3), A(3), np.float64", "np.zeros(2), F(0.5)"],
    namespace.in_library_of: ["A(3), np.zeros(3)", "A(2, 2), np.zeros((2, 2))"],
    reductions.extremum_adjoint: ["A(3), np.array([[1.0, 2.0], [3.0, 0.0], [5.0, 5.0]]), np.array([2.0, 3.0, 5.0]), 1",
                                  "F(0.5), np.array([[1.0, 5.0], [5.0, 0.0]]), 5.0"],
    reductions.cumsum_adjoint: ["A(2, 3), np.zeros((2, 3)), 1", "A(6), np.zeros((2, 3))"],
    linalg.trace_adjoint: ["F(0.5), np.zeros((3, 3))", "A(2), np.zeros((3, 2, 4)), 1, 0, 2"],
    linalg.diagonal_adjoint: ["A(3), np.zeros((3, 4))", "A(2, 2), np.zeros((2, 3, 4)), -1, 1, 2"],
    shapes.concatenate_adjoint: ["A(5, 2), [np.zeros((2, 2)), np.zeros((3, 2))]"],
    shapes.stack_adjoint: ["A(2, 3), [np.zeros(3), np.zeros(3)]"],
    fft.fit_length: ["A(2, 5), 3, 1", "A(3, 2), 5, 0", "A(4), 4, 0"],
    fft.fit_length_like: ["A(2, 3), np.zeros((2, 5)), 1", "A(5, 2), np.zeros((3, 2)), 0"],
    fft.real_like_input: ["A(2, 3), np.zeros((2, 3))", "A(3), np.zeros(3, dtype=complex)"],
    shapes.tile_adjoint: ["A(6), np.zeros(3), 2", "A(4, 6), np.zeros((2, 3)), (2, 2)",
                          "A(2, 1, 3), np.zeros(3), (2, 1, 1)"],
    shapes.item_adjoint: ["F(0.5), np.zeros((2, 3)), (4,)", "F(0.5), np.zeros((2, 3)), (1, 2)",
                          "F(0.5), np.zeros((1, 1))"],
    shapes.cast_adjoint: ["A(2, 3), np.zeros((2, 3)), 'float64'"],
    shapes.take_adjoint: ["A(3), np.zeros(5), [0, 2, 2]", "A(2, 3), np.zeros((4, 3)), [1, 1], 0",
                          "A(2), np.zeros(5), [0, 7], None, 'wrap'"],
    quantiles.quantile_adjoint: ["A(3), np.array([[1.0, 2.0, 0.5], [3.0, 0.0, 4.0], [5.0, 6.0, 5.5]]), 0.4, 1",
                                 "A(2, 2, 1), np.array([[1.0, np.nan, 2.0], [3.0, 0.0, 4.0]]), [0.3, 0.5], (1,), True,"
                                 " nan=True"],
    quantiles.quantile_tangent: ["A(3, 3), np.array([[1.0, 2.0, 0.5], [3.0, 0.0, 4.0], [5.0, 6.0, 5.5]]), 0.4, 1",
                                 "A(2, 3), np.array([[1.0, np.nan, 2.0], [3.0, 0.0, 4.0]]), [0.3, 0.5], 1, True,"
                                 " nan=True"],
    shapes.sort_adjoint: ["A(2, 4), np.array([[3.0, 1.0, 2.0, 0.0], [0.5, 2.5, 1.5, 3.5]])",
                          "A(4), np.array([[3.0, 1.0], [2.0, 0.0]]), None"],
    arrays.matmul_adjoint_left: ["A(3, 2), np.zeros((3, 4)), A(4, 2)", "A(3), np.zeros((3, 4)), A(4)",
                                 "A(2, 3, 2), np.zeros((3, 4)), A(2, 4, 2)", "A(4), np.zeros(3), A(3, 4)"],
    arrays.matmul_adjoint_right: ["A(3, 2), A(3, 4), np.zeros((4, 2))", "A(2), A(4), np.zeros((4, 2))",
                                  "A(2, 3, 2), A(3, 4), np.zeros((2, 4, 2))", "A(3), A(3, 4), np.zeros(4)"],
    linalg.dot_adjoint_left: ["A(3, 2), np.zeros((3, 4)), A(4, 2)", "A(3), np.zeros((3, 4)), A(4)",
                              "A(4), np.zeros(3), A(3, 4)", "A(2, 3, 2), np.zeros((2, 3, 4)), A(4, 2)"],
    linalg.dot_adjoint_right: ["A(3, 2), A(3, 4), np.zeros((4, 2))", "A(3), A(3, 4), np.zeros(4)",
                               "A(2, 3, 2), A(2, 3, 4), np.zeros((4, 2))"],
    linalg.kron_adjoint_left: ["A(6, 4), np.zeros((3, 2)), A(2, 2)", "A(6), np.zeros(3), A(2)",
                               "A(2, 6), np.zeros(3), A(2, 2)"],
    linalg.kron_adjoint_right: ["A(6, 4), A(3, 2), np.zeros((2, 2))", "A(6), A(3), np.zeros(2)",
                                "A(2, 6), A(2, 3), np.zeros(2)"],
    # np.einsum's adjoints: in g (operands fixed), and in the operands
    einsum_forms.einsum_call_adjoints: ["A(3, 2), ('ij,jk->ik', np.ones((3, 4)), np.arange(8.0).reshape(4, 2))",
                                        "A(3), ('ii->i', np.arange(9.0).reshape(3, 3))",
                                        "A(3, 2), ('ij,jk->ik', A(3, 4), A(4, 2))",
                                        "A(2), ('ij,jk,k->i', A(2, 3), A(3, 4), A(4))",
                                        "A(3, 2), (A(3, 4), [0, 1], A(4, 2), [1, 2], [0, 2])"],
    reductions.var_adjoint: ["A(3), A(3, 4), 1", "F(0.7), A(5)"],
    running_extrema.running_extremum_adjoint: ["A(5), np.array([1.0, 3.0, 2.0, 3.0, 5.0]), "
                                               "np.array([1.0, 3.0, 3.0, 3.0, 5.0])"],
    running_extrema.running_extremum_tangent: ["A(5), np.array([1.0, 3.0, 2.0, 3.0, 5.0]), "
                                               "np.array([1.0, 3.0, 3.0, 3.0, 5.0])"],
    # a scatter into an adjoint, its gather, and forward mode's own copy of a tangent (derivatives of derivatives)
    indexing.added_at: ["A(5), [0, 2, 2], A(3)", "A(3, 4), 1, A(4)", "[A(2), F(0.5)], 1, F(0.3)"],
    indexing.taken_at: ["A(5), [0, 2, 2], np.zeros(3)", "A(3, 4), 1, np.zeros(4)"],
    tangents.own_tangent: ["A(3, 2)"],
    # a recorded call's record as its arguments (api/recorded_call_forms.py)
    tangents.recorded_arguments: ["(A(3), A(2)), None"],
    tangents.call_arguments: ["(A(3), F(0.5))"],
    tangents.record_adjoint: ["(A(3), A(2))"],
    tangents.adjoint_arguments: ["(A(3), A(2)), (np.zeros(3), np.zeros(2))"],
    tangents.element: ["[A(3), A(2)], 1", "(F(0.5), A(2, 2)), 0"],
    tangents.with_element: ["A(2), [np.zeros(3), np.zeros(2)], 1"],
    # a cast's tangent and adjoint: themselves through a float dtype, zeros through an integer or bool one
    array_functions.through_cast: ["A(2, 3), None", "A(3), 'float32'", "A(3), int", "A(2), bool"],
    # scatters (np.add.at) and their gathers, differentiated again
    shapes.repeat_adjoint: ["A(3, 3), np.zeros((2, 3)), [1, 2], 0", "A(6), np.zeros(3), 2",
                            "A(6), np.zeros(3), [1, 2, 3]", "A(2, 4), np.zeros((2, 2)), [3, 1], 1"],
    shapes.take_along_axis_adjoint: ["A(2, 2), np.zeros((2, 3)), np.array([[0, 2], [1, 1]]), 1",
                                     "A(3), np.zeros((2, 2)), np.array([0, 3, 3]), None"],
    axis_concatenators.axis_concatenator_adjoint: ["A(5), np.r_, (np.zeros(3), np.zeros(2))",
                                                   "A(2, 4), np.c_, (np.zeros((2, 3)), np.zeros(2))"],
    array_functions.partition_adjoint: ["A(5), A(5), 2", "A(2, 3), A(2, 3), 1, 1", "A(4), A(2, 2), 2, None"],
    array_functions.partition_tangent: ["A(5), A(5), 2", "A(2, 3), A(2, 3), 1, 1", "A(2, 2), A(2, 2), 2, None"],
}

# ---- the masked reductions' helpers (rules/numpy_helper_rules.py) ----------------------------------------------
from s2sgrad.runtime import masked_reductions  # noqa: E402

_ROWS = "np.array([[1.0, 2.0], [3.0, 0.0], [5.0, 5.0]])"
_TAKEN = "np.array([[True, True], [False, True], [True, True]])"
# max over axis 1 with initial 2.5: rows 0 and 1 take initial, row 2 ties its two elements
_MAXIMA = f"{_ROWS}, np.array([2.5, 2.5, 5.0]), 1, False, 2.5, {_TAKEN}"
RUNTIME_SAMPLES.update({
    masked_reductions.masked_unreduce: ["A(3), np.zeros((3, 4)), 1, False, np.array([True, False, True, True])",
                                        "F(0.5), np.zeros((2, 3)), None, False, np.array([[True, False, True], "
                                        "[False, True, True]])"],
    masked_reductions.masked_mean_adjoint: ["A(3), np.zeros((3, 4)), 1, False, np.array([True, False, True, True])",
                                            "A(1, 3), np.zeros((2, 3)), 0, True, np.array([[True, False, True], "
                                            "[True, True, True]])"],
    masked_reductions.masked_extremum_adjoint: [f"A(3), {_MAXIMA}", f"A(3), {_MAXIMA}, 'initial'"],
    masked_reductions.masked_extremum_tangent: [f"A(3, 2), {_MAXIMA}", f"F(0.5), {_MAXIMA}, 'initial'"],
})

# ---- moving adjoints by positions (np.insert, np.delete: rules/numpy_helper_rules.py) ------------------------------
from s2sgrad.runtime import array_edits  # noqa: E402

RUNTIME_SAMPLES.update({
    array_edits.delete_adjoint: ["A(4), np.zeros(6), [1, 3]", "A(3, 2), np.zeros((3, 4)), [0, 2], 1"],
    array_edits.insert_adjoint: ["A(7), np.zeros(5), [1, 3], np.zeros(2)", "A(4, 4), np.zeros((3, 4)), 1, np.zeros(4), 0",
                                 "A(8), np.zeros(5), [1, 3, 3], np.zeros(3), None, 'values'",
                                 "A(3, 6), np.zeros((3, 4)), [0, 2], np.zeros((3, 1)), 1, 'values'"],
    array_edits.insert_adjoint_transpose: ["A(5), np.zeros(5), [1, 3], np.zeros(2)",
                                           "A(2), np.zeros(5), [1, 3], np.zeros(2), None, 'values'",
                                           "A(3, 1), np.zeros((3, 4)), [0, 2], np.zeros((3, 1)), 1, 'values'"],
})
