"""Stage 7: the thin public API on top of the pipeline.

Importing it registers the factory through which the generated code's
call_vjp differentiates called functions (callee_gradients.py).
"""
from . import callee_gradients  # noqa: F401  (registers call_vjp's gradient factory)
from . import recorded_call_forms  # noqa: F401  (registers the forms of the runtime's recorded-call derivatives)
from .check import check_grad, numeric_grad
from .custom_rules import defjvp, defvjp, nondifferentiable, stop_gradient
from .forward_mode import jvp, jvp_source
from .jacobians import hessian, jacfwd, jacrev, vjp
from .jit import JitFallbackWarning, jit
from .gradient_function import GradientFunction
from .show import show
from .transforms import grad, value_and_grad

__all__ = ["GradientFunction", "JitFallbackWarning", "check_grad", "defjvp", "defvjp", "grad", "hessian", "jacfwd",
           "jacrev", "jit", "jvp", "jvp_source", "nondifferentiable", "numeric_grad", "show", "stop_gradient",
           "value_and_grad", "vjp"]
