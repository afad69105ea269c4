"""Rules for Python's arithmetic operators (they apply to floats and, elementwise, to arrays).

All but `@` are elementwise, so their forward rules follow from the adjoints (rules/registry.py).
"""
from __future__ import annotations

import gast

from .registry import RuleTable


def register(rules: RuleTable) -> None:
    d = rules.define
    d(gast.Add, "a, b", da="dy", db="dy", elementwise=True, broadcasts=True)
    d(gast.Sub, "a, b", da="dy", db="-dy", elementwise=True, broadcasts=True)
    d(gast.Mult, "a, b", da="dy * b", db="dy * a", elementwise=True, broadcasts=True)
    d(gast.Div, "a, b", da="dy / b", db="-dy * y / b", elementwise=True, broadcasts=True, domain="away")
    # at a == 0 the exponent's derivative is taken as 0, as JAX does, instead of 0 * log(0) = nan; the
    # base's is 0 where b == 0 (a ** 0 is constant), where b * a ** (b - 1) is 0 * inf = nan at a == 0 (the
    # constant term of a polynomial sum(c[k] * x ** k)): the exponent `b - 1 + (b == 0)` is b - 1 except
    # there, and folds to b - 1 for a number b
    d(gast.Pow, "a, b", da="dy * b * a ** (b - 1 + (b == 0))", db="dy * y * log_base(a)",
      scalar={"db": "dy * y * math.log(a) if a > 0 else 0.0"}, elementwise=True, broadcasts=True, domain="pos")
    d(gast.Mod, "a, b", da="dy", db="-dy * (a // b)", elementwise=True, broadcasts=True, domain="pos")
    d(gast.MatMult, "a, b", da="matmul_adjoint_left(dy, a, b)", db="matmul_adjoint_right(dy, a, b)", multilinear=True)
    d(gast.USub, "x", dx="-dy", elementwise=True)
    d(gast.UAdd, "x", dx="dy", elementwise=True)
    # holomorphic (or linear): the rules above hold for complex operands as they are (rules/registry.py)
    rules.declare_complex(gast.Add, gast.Sub, gast.Mult, gast.Div, gast.Pow, gast.MatMult, gast.USub, gast.UAdd)
    rules.nondifferentiable(
        gast.FloorDiv, gast.Not, gast.Invert, gast.BitAnd, gast.BitOr, gast.BitXor,
        gast.LShift, gast.RShift,
        gast.Eq, gast.NotEq, gast.Lt, gast.LtE, gast.Gt, gast.GtE, gast.Is, gast.IsNot, gast.In, gast.NotIn,
        gast.And, gast.Or,
    )
