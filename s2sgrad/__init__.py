"""s2sgrad: source-to-source automatic differentiation for numeric Python.

    from s2sgrad import grad

    @grad(wrt=("a", "b", "c"))
    def J(a, b, c):
        u = b * c
        v = a + u
        return 3 * v

    J(5.0, 3.0, 2.0)        # (3.0, 6.0, 9.0)
    print(J.source)         # the generated gradient, one adjoint per line
"""
from .api import (
    GradientFunction, JitFallbackWarning, check_grad, defjvp, defvjp, grad, hessian, jacfwd, jacrev, jit, jvp,
    jvp_source, nondifferentiable, numeric_grad, show, stop_gradient, value_and_grad, vjp,
)
from .graph import graph
from .errors import (
    GradientCheckError, MissingArrayFunctionError, NaNError, NoDerivativeRuleError, NonScalarOutputError,
    S2SGradError, SourceUnavailableError, UnsupportedConstructError, WrtError,
)

__version__ = "0.1.0"

__all__ = [
    "GradientCheckError", "GradientFunction", "NoDerivativeRuleError", "NonScalarOutputError", "S2SGradError",
    "SourceUnavailableError", "UnsupportedConstructError", "WrtError", "check_grad", "defjvp", "defvjp", "grad", "graph",
    "hessian", "jacfwd", "jacrev", "jit", "JitFallbackWarning", "jvp", "jvp_source", "MissingArrayFunctionError",
    "NaNError", "nondifferentiable",
    "numeric_grad", "show", "stop_gradient", "value_and_grad", "vjp",
]
