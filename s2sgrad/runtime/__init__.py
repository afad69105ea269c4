"""Functions the generated code calls.

They are small, pure Python over NumPy functions (so other NumPy-protocol
arrays such as CuPy or Dask dispatch through them), hold no global state, and
are written so s2sgrad can differentiate them in turn (higher-order
derivatives). `HELPERS` is the namespace rule templates may refer to. The
helpers of SciPy's entries (scipy_linalg, scipy_signal, distributions) import
SciPy at their top and are not imported here: rules/scipy_rules.py adds them
to its own entries' namespace once the user's program has imported SciPy.
"""
from . import (
    array_edits, array_functions, axis_concatenators, complex_values, decompositions, eigen, einsum_forms, fft,
    finite_differences, odes, linalg, masked_reductions, namespace, nan_reductions, polynomials, quantiles,
    reductions, running_extrema, sequences, shapes, signals, special, tangents,
)
from .arrays import matmul_adjoint_left, matmul_adjoint_right, matrix_transpose, unbroadcast, unreduce, zeros_like
from .elementwise import inside_clip, keep_where, log_base, sinc_derivative
from .calls import call_backward, call_forward, call_jvp, call_vjp
from .nan_checks import stop_at_nan
from .containers import add_adjoints, joined_last, split_last, split_off_last
from .indexing import add_at, added_at, last_writes, taken_at

HELPERS = {
    "unbroadcast": unbroadcast,
    "unreduce": unreduce,
    "zeros_like": zeros_like,
    "matrix_transpose": matrix_transpose,
    "matmul_adjoint_left": matmul_adjoint_left,
    "matmul_adjoint_right": matmul_adjoint_right,
    "add_at": add_at,
    "added_at": added_at,
    "taken_at": taken_at,
    "last_writes": last_writes,
    "add_adjoints": add_adjoints,
    "split_last": split_last,
    "split_off_last": split_off_last,
    "joined_last": joined_last,
    "call_vjp": call_vjp,
    "call_forward": call_forward,
    "call_backward": call_backward,
    "stop_at_nan": stop_at_nan,
    "call_jvp": call_jvp,
    "inside_clip": inside_clip,
    "keep_where": keep_where,
    "sinc_derivative": sinc_derivative,
    "log_base": log_base,
    **{name: getattr(reductions, name) for name in reductions.__all__},
    **{name: getattr(linalg, name) for name in linalg.__all__},
    **{name: getattr(shapes, name) for name in shapes.__all__},
    **{name: getattr(tangents, name) for name in tangents.__all__},
    **{name: getattr(special, name) for name in special.__all__},
    **{name: getattr(module, name) for module in (
        array_functions, axis_concatenators, complex_values, eigen, einsum_forms, fft,
        finite_differences, odes, signals, nan_reductions, quantiles, decompositions, namespace, sequences,
        running_extrema, masked_reductions, array_edits, polynomials)
       for name in module.__all__},
}

__all__ = ["HELPERS", *HELPERS]
