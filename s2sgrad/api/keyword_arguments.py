"""Keyword arguments given to a Jacobian, a Hessian, vjp or grad of a derivative: passed through to the
function and not differentiated, as in JAX (`hessian(f)(x, k=3.0)` is the Hessian in x of f with k=3.0).

The keywords are bound with functools.partial into the innermost user function
(grad already follows partials), and the transformation is made again for that
partial: a gradient function over it, a Jacobian over that. One form is kept
per set of keyword values, so a later call with the same values finds its code
already made (a new partial each call would generate it again): numbers and
strings are compared by type and repr, other values (arrays) by identity, kept
alive by the cache so that identity cannot be reused.
"""
from __future__ import annotations

import functools

from ..errors import WrtError

_KEPT = 32
_partials: dict = {}


def with_keywords(fun, kwargs: dict):
    """fun with these keyword arguments bound: the same partial object for the same function and values."""
    key = (id(fun), keywords_key(kwargs))
    found = _partials.get(key)
    if found is None:
        _make_room(_partials)
        found = _partials[key] = (fun, functools.partial(fun, **kwargs))
    return found[1]


def keywords_bound(fun, kwargs: dict, rebind):
    """`fun` with the keywords bound into what it differentiates: a plain function becomes a partial, a
    gradient function the same gradient of that partial, a derivative made by `rebind` its own form."""
    from .gradient_function import GradientFunction        # the api modules import this one
    if type(fun) is GradientFunction and fun._call_shape is None and not fun._lift_closure:
        return GradientFunction(keywords_bound(fun.fun, kwargs, rebind), fun._requested_wrt,
                                with_value=fun.with_value, has_aux=fun.has_aux, debug_nans=fun.debug_nans)
    bound = rebind(fun, kwargs)
    if bound is not None:
        return bound
    if getattr(fun, "_s2sgrad_gradient", False):
        raise WrtError(f"{getattr(fun, '__name__', type(fun).__name__)} cannot pass keyword arguments on to the "
                       "function it differentiates; bind them to that function with functools.partial first")
    return with_keywords(fun, kwargs)


class KeywordForms:
    """A transformation's forms for keyword arguments, made by make(kwargs) and kept per set of values."""

    def __init__(self, make):
        self.make = make
        self._made: dict = {}

    def __call__(self, kwargs: dict):
        key = keywords_key(kwargs)
        found = self._made.get(key)
        if found is None:
            _make_room(self._made)
            found = self._made[key] = (kwargs, self.make(kwargs))     # kwargs kept: identities stay taken
        return found[1]


def keywords_key(kwargs: dict):
    return tuple(sorted((name, _value_key(value)) for name, value in kwargs.items()))


def _value_key(value):
    if value is None or isinstance(value, (bool, int, float, complex, str, bytes)):
        return (type(value), repr(value))          # repr: -0.0 is not 0.0, 1 is not True
    return ("object", id(value))


def _make_room(cache: dict) -> None:
    if len(cache) >= _KEPT:                        # the oldest goes first
        del cache[next(iter(cache))]
