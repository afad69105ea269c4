"""Rules for the `math` module: scalar functions of floats, elementwise by nature.

`domain` says where a function is smooth, for the table's generated checks.
"""
from __future__ import annotations

import math

from ..runtime import gamma_derivatives
from .registry import RuleTable


def register(rules: RuleTable) -> None:
    def d(fn, params, domain="any", namespace=None, **adjoints):
        rules.define(fn, params, elementwise=True, scalar_result=True, domain=domain, namespace=namespace, **adjoints)

    d(math.sin, "x", dx="dy * math.cos(x)")
    d(math.cos, "x", dx="-dy * math.sin(x)")
    d(math.tan, "x", domain="unit", dx="dy / math.cos(x) ** 2")
    d(math.asin, "x", domain="unit", dx="dy / math.sqrt(1 - x * x)")
    d(math.acos, "x", domain="unit", dx="-dy / math.sqrt(1 - x * x)")
    d(math.atan, "x", dx="dy / (1 + x * x)")
    d(math.atan2, "a, b", domain="away", da="dy * b / (a * a + b * b)", db="-dy * a / (a * a + b * b)")
    d(math.sinh, "x", dx="dy * math.cosh(x)")
    d(math.cosh, "x", dx="dy * math.sinh(x)")
    d(math.tanh, "x", dx="dy * (1 - y * y)")
    d(math.asinh, "x", dx="dy / math.sqrt(x * x + 1)")
    d(math.acosh, "x", domain="gt1", dx="dy / math.sqrt(x * x - 1)")
    d(math.atanh, "x", domain="unit", dx="dy / (1 - x * x)")
    d(math.exp, "x", dx="dy * y")
    d(math.expm1, "x", dx="dy * (y + 1)")
    d(math.log, "x, base=None", domain="pos", dx="dy / x if base is None else dy / (x * math.log(base))",
      dbase="-dy * y / (base * math.log(base))")
    d(math.log2, "x", domain="pos", dx="dy / (x * math.log(2))")
    d(math.log10, "x", domain="pos", dx="dy / (x * math.log(10))")
    d(math.log1p, "x", domain="pos", dx="dy / (1 + x)")
    d(math.sqrt, "x", domain="pos", dx="dy / (2 * y)")
    d(math.pow, "a, b", domain="pos", da="dy * b * math.pow(a, b - 1 + (b == 0))",        # as `**`
      db="dy * y * math.log(a) if a > 0 else 0.0")
    # at (0, 0) the slope a / y is 0 / 0: taken as 0, as np.linalg.norm's (`y + (y == 0)` is y elsewhere)
    d(math.hypot, "a, b", domain="away", da="dy * a / (y + (y == 0))", db="dy * b / (y + (y == 0))")
    d(math.erf, "x", dx="dy * 2 / math.sqrt(math.pi) * math.exp(-x * x)")
    d(math.erfc, "x", dx="-dy * 2 / math.sqrt(math.pi) * math.exp(-x * x)")
    d(math.fabs, "x", domain="away", dx="dy if x >= 0 else -dy")
    d(math.degrees, "x", dx="dy * (180 / math.pi)")
    d(math.radians, "x", dx="dy * (math.pi / 180)")
    d(math.copysign, "a, b", domain="away", constant="b", da="dy if (a >= 0) == (b >= 0) else -dy")
    d(math.fmod, "a, b", domain="pos", da="dy", db="-dy * math.trunc(a / b)")
    if hasattr(math, "cbrt"):           # Python 3.11
        d(math.cbrt, "x", domain="away", dx="dy / (3 * y * y)")
        d(math.exp2, "x", dx="dy * y * math.log(2)")
    # Gamma and log|Gamma|: their slopes are digamma, in pure Python for numbers (runtime/gamma_derivatives.py,
    # not array helpers: kept out of runtime.HELPERS), whose own entries give every higher derivative; the
    # order n of polygamma is an integer
    slopes = {"digamma": gamma_derivatives.digamma, "polygamma": gamma_derivatives.polygamma}
    d(math.gamma, "x", domain="pos", namespace=slopes, dx="dy * y * digamma(x)")
    d(math.lgamma, "x", domain="pos", namespace=slopes, dx="dy * digamma(x)")
    d(gamma_derivatives.digamma, "x", domain="pos", namespace=slopes, dx="dy * polygamma(1, x)")
    rules.define(gamma_derivatives.polygamma, "n, x", scalar_result=True, constant="n", namespace=slopes,
                 dx="dy * polygamma(n + 1, x)", jvp={"x": "x_dot * polygamma(n + 1, x)"})
    rules.nondifferentiable(
        math.floor, math.ceil, math.trunc, math.isnan, math.isinf, math.isfinite, math.isclose,
        math.factorial, math.comb, math.perm, math.gcd, math.lcm, math.isqrt,
    )
