"""The digamma and polygamma functions of a real number, in pure Python: the slopes of math.gamma and
math.lgamma (d/dx log Gamma(x) = digamma(x), d/dx Gamma(x) = Gamma(x) digamma(x)), which must not need SciPy.

psi^(n)(x) is shifted up by its recurrence psi^(n)(x) = psi^(n)(x + 1) - (-1)^n n! / x^(n+1) until x >= 15,
then summed from its asymptotic series, whose terms there fall below 1e-20: about 1e-15 relative error away
from the poles (0, -1, -2, ...), where the functions are infinite and math.gamma refuses its argument.
Negative x below -15 use the reflection formula for n = 0 (digamma), the recurrence otherwise.
"""
from __future__ import annotations

import math

# Bernoulli numbers B_2, B_4, ..., B_20
_BERNOULLI = (1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510, 43867 / 798,
              -174611 / 330)
_SHIFTED_TO = 15.0


def polygamma(n, x):
    """psi^(n)(x), the n-th derivative of digamma, for an integer n >= 0 and a real x off the poles."""
    n = int(n)
    if n < 0:
        raise ValueError(f"polygamma: the order must be a non-negative integer, not {n}")
    x = float(x)
    if x <= 0 and x == math.floor(x):
        return math.nan                       # a pole
    if n == 0 and x < -_SHIFTED_TO:           # reflection: psi(x) = psi(1 - x) - pi / tan(pi x)
        return polygamma(0, 1.0 - x) - math.pi / math.tan(math.pi * x)
    total = 0.0
    sign = -1.0 if n % 2 == 0 else 1.0       # (-1)^(n+1)
    factorial = math.factorial(n)
    while x < _SHIFTED_TO:
        total += sign * factorial / x ** (n + 1)
        x += 1.0
    return total + _asymptotic(n, x)


def digamma(x):
    """psi(x) = d/dx log Gamma(x)."""
    return polygamma(0, x)


def _asymptotic(n: int, x: float) -> float:
    if n == 0:
        series = math.log(x) - 0.5 / x
        power = x * x
        for k, b in enumerate(_BERNOULLI, start=1):
            series -= b / (2 * k * power)
            power *= x * x
        return series
    sign = -1.0 if n % 2 == 0 else 1.0
    series = math.factorial(n - 1) / x ** n + math.factorial(n) / (2 * x ** (n + 1))
    for k, b in enumerate(_BERNOULLI, start=1):
        series += b * math.factorial(2 * k + n - 1) / (math.factorial(2 * k) * x ** (2 * k + n))
    return sign * series


__all__ = ["digamma", "polygamma"]
