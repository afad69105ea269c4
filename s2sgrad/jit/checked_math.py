"""`math` for compiled code, with Python's errors: the module numba-ready source imports as `math`.

numba's math functions return nan or inf where Python's raise: math.sqrt(-1)
is nan, not a ValueError; math.exp(1000) is inf, not an OverflowError;
math.floor(inf) is a stray integer. A nan or inf that later meets a comparison
or an int() could turn into a finite, wrong answer. Each function here calls
numba's and applies CPython's own rule (Modules/mathmodule.c, math_1/math_2):
a nan from inputs that are not nan, or an infinity from finite inputs, is an
error. The compiled gradient then stops, and the caller runs the Python version,
which raises the user's error at the user's line.
"""
from __future__ import annotations

import math as _math

from numba import njit

e, pi, tau, inf, nan = _math.e, _math.pi, _math.tau, _math.inf, _math.nan


@njit(cache=True)
def _check1(result, x):
    if result != result and x == x:
        raise ValueError("math domain error")
    if (result == _math.inf or result == -_math.inf) and abs(x) < _math.inf:
        raise OverflowError("math range error")
    return result


@njit(cache=True)
def _check2(result, x, y):
    if result != result and x == x and y == y:
        raise ValueError("math domain error")
    if (result == _math.inf or result == -_math.inf) and abs(x) < _math.inf and abs(y) < _math.inf:
        raise OverflowError("math range error")
    return result


def _one(function):
    @njit(cache=True)
    def checked(x):
        return _check1(function(x), x)
    return checked


def _two(function):
    @njit(cache=True)
    def checked(x, y):
        return _check2(function(x, y), x, y)
    return checked


def _integral(function):
    """floor, ceil, trunc: Python raises on nan and inf instead of returning a stray integer."""
    @njit(cache=True)
    def checked(x):
        if not abs(x) < _math.inf:
            raise ValueError("cannot convert float NaN or infinity to integer")
        return function(x)
    return checked


sqrt, exp, expm1, log, log2, log10, log1p = map(_one, (
    _math.sqrt, _math.exp, _math.expm1, _math.log, _math.log2, _math.log10, _math.log1p))
sin, cos, tan, asin, acos, atan = map(_one, (_math.sin, _math.cos, _math.tan, _math.asin, _math.acos, _math.atan))
sinh, cosh, tanh, asinh, acosh, atanh = map(_one, (
    _math.sinh, _math.cosh, _math.tanh, _math.asinh, _math.acosh, _math.atanh))
erf, erfc, gamma, lgamma, fabs, degrees, radians = map(_one, (
    _math.erf, _math.erfc, _math.gamma, _math.lgamma, _math.fabs, _math.degrees, _math.radians))
pow, atan2, hypot, fmod, copysign = map(_two, (_math.pow, _math.atan2, _math.hypot, _math.fmod, _math.copysign))
floor, ceil, trunc = map(_integral, (_math.floor, _math.ceil, _math.trunc))


@njit(cache=True)
def isnan(x):
    return _math.isnan(x)


@njit(cache=True)
def isinf(x):
    return _math.isinf(x)


@njit(cache=True)
def isfinite(x):
    return _math.isfinite(x)
