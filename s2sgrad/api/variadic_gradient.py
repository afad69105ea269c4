"""`grad` of a function whose differentiated inputs arrive through `*args` or `**kwargs`.

    def norm2(*xs):
        return sum(x * x for x in xs)

    grad(norm2)(1.0, 2.0)               # 2.0: wrt=0 is the first argument as passed (JAX's argnums)
    grad(norm2, wrt=(0, 1))(1.0, 2.0)   # (2.0, 4.0)
    grad(norm2, wrt="xs")(1.0, 2.0)     # (2.0, 4.0): naming `*xs` means every value passed there, as a tuple
    grad(scaled, wrt="opts")(x, scale=3.0)   # {'scale': x}: naming `**opts` gives a dict by keyword

How many values a call passes is known only when it is made, so each call
shape (the number of positional arguments, the keywords) is one gradient of
the function bound to that shape (source/variadic.py), made on the first call
with that shape; errors a plain `grad` reports when it is applied are reported
at that first call.
"""
from __future__ import annotations

import functools
import types

from ..errors import WrtError
from ..source.variadic import bound_names, call_shape, is_variadic
from .any_callable import as_python_function
from .gradient_function import GradientFunction


def reaches_variadic(fun, wrt) -> bool:
    """Whether `wrt` names inputs that only a call's shape places: positions past the named positional
    parameters (or counted from the end), or the `*args`/`**kwargs` parameter itself."""
    try:
        target = as_python_function(fun)
    except Exception:           # not a function at all: GradientFunction says why
        return False
    if not is_variadic(target):
        return False
    code = target.__code__
    n_named = code.co_argcount + code.co_kwonlyargcount
    spread = set(code.co_varnames[n_named:n_named + 2]) & _spread_names(code)
    named = set(code.co_varnames[:n_named])
    items = wrt if isinstance(wrt, (tuple, list)) else [wrt]
    # a name that is no parameter, with **kwargs there: VariadicGradient explains how to name keywords
    return any((isinstance(i, int) and not isinstance(i, bool) and (i < 0 or i >= code.co_argcount))
               or (isinstance(i, str) and (i in spread or (i not in named and code.co_flags & 0x08)))
               for i in items)


def _spread_names(code) -> set:
    n_named = code.co_argcount + code.co_kwonlyargcount
    names = list(code.co_varnames[n_named:n_named + 2])
    star = names.pop(0) if code.co_flags & 0x04 else None
    double_star = names.pop(0) if code.co_flags & 0x08 else None
    return {n for n in (star, double_star) if n}


class VariadicGradient:
    """The gradient of a function with `*args`/`**kwargs`, one bound gradient per call shape."""

    def __init__(self, fun, wrt, *, with_value=False, has_aux=False, debug_nans=False):
        self.fun = fun
        self.target = as_python_function(fun)
        self.with_value, self.has_aux = with_value, has_aux
        self._options = dict(with_value=with_value, has_aux=has_aux, debug_nans=debug_nans)
        self._single = not isinstance(wrt, (tuple, list))
        self._requested = [wrt] if self._single else list(wrt)
        code = self.target.__code__
        self._named = set(code.co_varnames[:code.co_argcount + code.co_kwonlyargcount]) | _spread_names(code)
        for item in self._requested:
            if isinstance(item, bool) or not isinstance(item, (int, str)):
                raise WrtError(f"wrt must be a parameter index or name (or a tuple of them), not {item!r}")
            if isinstance(item, str) and item not in self._named:
                raise WrtError(
                    f"wrt={item!r}: {self.target.__qualname__} has no parameter named {item!r} (its parameters: "
                    f"{', '.join(sorted(self._named))}); a keyword argument that lands in `**` is differentiated "
                    f"by naming the `**` parameter, which gives a dict by keyword")
        self._by_shape: dict = {}
        try:
            functools.update_wrapper(self, fun)
        except AttributeError:
            functools.update_wrapper(self, self.target)

    def __call__(self, *args, **kwargs):
        gradient, groups = self._for(args, kwargs)
        result = gradient(*args, **gradient.bound.renamed(kwargs))
        if self.with_value:
            value, grads = result
            return value, self._regroup(grads, groups)
        if self.has_aux:
            grads, aux = result
            return self._regroup(grads, groups), aux
        return self._regroup(result, groups)

    def record(self, *args):
        """(value, CallRecord) of a call with these arguments (vjp and jacrev: api/jacobians.py)."""
        gradient, _ = self._for(args, {})
        return gradient.record(*args)

    def public_gradients(self, grads, args) -> tuple:
        """A record's gradients for these arguments, grouped as wrt asked for them."""
        gradient, groups = self._for(args, {})
        return self._regroup(gradient.public_gradients(grads, args), groups)

    def bound_for(self, args):
        """The gradient bound to this call's shape, and how its flat results regroup into what wrt asked
        for: forward mode over this gradient (jvp, hessian) differentiates the bound one."""
        gradient, groups = self._for(args, {})
        return gradient, lambda grads: self._regroup(grads, groups)

    def source_for(self, *args, **kwargs) -> str:
        """The generated code a call with these arguments runs."""
        gradient, _ = self._for(args, kwargs)
        return gradient.source_for(*args, **gradient.bound.renamed(kwargs))

    def _for(self, args, kwargs):
        shape = call_shape(self.target, len(args), kwargs)
        entry = self._by_shape.get(shape)
        if entry is None:
            entry = self._by_shape[shape] = self._build(shape, len(args))
        return entry

    def _build(self, shape, n_args):
        """The bound gradient for this shape and how its flat gradients regroup into what wrt asked for:
        one value per position or named parameter, a tuple for `*args`, a dict for `**kwargs`."""
        names = bound_names(self.target, shape)
        code = self.target.__code__
        positional = list(code.co_varnames[:code.co_argcount]) + list(names.positional)
        flat, groups = [], []
        for item in self._requested:
            if isinstance(item, int):
                index = item + n_args if item < 0 else item
                if not 0 <= index < n_args:
                    raise WrtError(f"wrt={item}: the call passes {n_args} positional arguments to "
                                   f"{self.target.__qualname__} (wrt counts positional arguments as passed)")
                groups.append(("one", len(flat)))
                flat.append(positional[index])
            elif item == names.star:
                groups.append(("tuple", list(range(len(flat), len(flat) + len(names.positional)))))
                flat.extend(names.positional)
            elif item == names.double_star:
                groups.append(("dict", {k: len(flat) + i for i, k in enumerate(names.keywords)}))
                flat.extend(names.keywords.values())
            else:
                groups.append(("one", len(flat)))
                flat.append(item)
        if not flat:
            raise WrtError(f"wrt={self._requested[0] if self._single else tuple(self._requested)!r}: the call "
                           f"passes no values there, so {self.target.__qualname__} has nothing to differentiate")
        gradient = GradientFunction(self.fun, tuple(flat), call_shape=shape, **self._options)
        return gradient, groups

    def _regroup(self, grads, groups):
        out = []
        for kind, where in groups:
            if kind == "one":
                out.append(grads[where])
            elif kind == "tuple":
                out.append(tuple(grads[i] for i in where))
            else:
                out.append({k: grads[i] for k, i in where.items()})
        return out[0] if self._single else tuple(out)

    def __get__(self, obj, objtype=None):
        """`@grad` on a method: bound to the instance it is read from, as a function would be."""
        return self if obj is None else types.MethodType(self, obj)

    def __repr__(self) -> str:
        kind = "value_and_grad" if self.with_value else "grad"
        wrt = self._requested[0] if self._single else tuple(self._requested)
        return (f"<{kind} of {self.target.__qualname__} with respect to {wrt!r}, made for each call's number of "
                "arguments; .source_for(*args) shows the code>")
