"""Functions the generated code calls.

They are small, pure Python over NumPy functions (so other NumPy-protocol
arrays such as CuPy or Dask dispatch through them), hold no global state, and
are written so s2sgrad can differentiate them in turn (higher-order
derivatives). `HELPERS` is the namespace rule templates may refer to.
"""
from .arrays import matmul_adjoint_left, matmul_adjoint_right, unbroadcast, zeros_like
from .indexing import add_at

HELPERS = {
    "unbroadcast": unbroadcast,
    "zeros_like": zeros_like,
    "matmul_adjoint_left": matmul_adjoint_left,
    "matmul_adjoint_right": matmul_adjoint_right,
    "add_at": add_at,
}

__all__ = ["HELPERS", *HELPERS]
