"""Stage 7: the thin public API on top of the pipeline."""
from .check import check_grad, numeric_grad
from .gradient_function import GradientFunction
from .show import show
from .transforms import grad, value_and_grad

__all__ = ["GradientFunction", "check_grad", "grad", "numeric_grad", "show", "value_and_grad"]
