"""The object `grad` returns: an ordinary callable that also shows its generated code."""
from __future__ import annotations

import functools
import inspect
import numbers

import numpy as np

from ..errors import NonScalarOutputError, WrtError
from ..transform import build_gradient, prepare

_SCALAR_TYPES = (int, float, np.floating, np.integer)


class GradientFunction:
    """Calls the generated gradient of `fun`; `.source` and `.ssa_source` show the code.

    The generated code is specialized on which arguments are Python or NumPy
    scalars (where no broadcasting can happen, adjoints need no reduction):
    `.source` is the general version, `.source_for(*args)` the one a call with
    those arguments runs.
    """

    def __init__(self, fun, wrt=0, *, with_value: bool = False):
        self.fun = fun
        self.with_value = with_value
        self._prepared = prepare(fun)
        self._signature = inspect.signature(fun)
        self.wrt, self._single = _normalize_wrt(self._signature, wrt, fun)
        self._positional = [
            p.name for p in self._signature.parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
        self._programs: dict = {}
        self._general = self._program((frozenset(), frozenset()))
        functools.update_wrapper(self, fun)

    # ---- calling ------------------------------------------------------
    def __call__(self, *args, **kwargs):
        program = self._program(self._scalar_params(args, kwargs))
        self._refuse_integer_arrays(args, kwargs)
        try:
            value, grads = program.function(*args, **kwargs)
        except Exception as exc:
            self._diagnose(exc, args, kwargs)
            raise
        _check_scalar(value, self.fun)
        grads = grads[0] if self._single else grads
        return (value, grads) if self.with_value else grads

    def _scalar_params(self, args, kwargs) -> tuple[frozenset, frozenset]:
        """(parameters holding numbers, parameters holding 1-D sequences of numbers)."""
        scalars, sequences = [], []
        for name, value in [*zip(self._positional, args), *kwargs.items()]:
            if isinstance(value, _SCALAR_TYPES):
                scalars.append(name)
            elif _is_sequence_of_numbers(value):
                sequences.append(name)
        return frozenset(scalars), frozenset(sequences)

    def _program(self, kinds: tuple[frozenset, frozenset]):
        program = self._programs.get(kinds)
        if program is None:
            program = self._programs[kinds] = build_gradient(self._prepared, self.wrt, *kinds)
        return program

    def _refuse_integer_arrays(self, args, kwargs) -> None:
        """Gradients exist for real inputs; an integer array would silently get float adjoints of rounding."""
        for name, value in [*zip(self._positional, args), *kwargs.items()]:
            if name in self.wrt and isinstance(value, np.ndarray) and value.dtype.kind in "biu":
                raise WrtError(
                    f"cannot differentiate {self.fun.__qualname__} with respect to `{name}`: it is an integer "
                    f"array (dtype {value.dtype}). Pass floats, e.g. {name}.astype(float)."
                )

    def _diagnose(self, exc, args, kwargs) -> None:
        """Turn a failure inside the generated code into the user's own error when it is one."""
        try:
            value = self.fun(*args, **kwargs)
        except Exception:
            return                      # the function itself fails on these arguments: that error stands
        _check_scalar(value, self.fun, cause=exc)

    # ---- inspection ---------------------------------------------------
    @property
    def source(self) -> str:
        """The generated gradient function, valid for arguments of any kind."""
        return self._general.source

    @property
    def ssa_source(self) -> str:
        """The user's function in single-assignment form (one operation per line)."""
        return self._prepared.ssa_source

    def source_for(self, *args, **kwargs) -> str:
        """The generated code a call with these arguments runs."""
        return self._program(self._scalar_params(args, kwargs)).source

    @property
    def generated_function(self):
        """The general generated function: `(args..., *, d<out>=1.0) -> (value, gradients)`."""
        return self._general.function

    def __repr__(self) -> str:
        kind = "value_and_grad" if self.with_value else "grad"
        wrt = self.wrt[0] if self._single else self.wrt
        return f"<{kind} of {self.fun.__qualname__} with respect to {wrt!r}; print(.source) shows the code>"

    def __str__(self) -> str:
        return self.source

    def _repr_html_(self) -> str:
        """Jupyter shows the generated code, syntax-highlighted."""
        from ..graph.notebook import highlight_html
        return f"<p><code>{_html_escape(repr(self))}</code></p>" + highlight_html(self.source)


def _html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _is_sequence_of_numbers(value) -> bool:
    if isinstance(value, np.ndarray):
        return value.ndim == 1 and value.dtype.kind in "fiu"
    # set(map(type, ...)) runs at C speed; a list of a million floats takes milliseconds
    return isinstance(value, (list, tuple)) and bool(value) and set(map(type, value)) <= {float, int}


def _check_scalar(value, fun, cause=None) -> None:
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return
    if isinstance(value, np.ndarray) and value.shape == () and np.isrealobj(value):
        return
    shape = getattr(value, "shape", None)
    described = f"an array of shape {shape}" if shape is not None else f"a {type(value).__name__}"
    raise NonScalarOutputError(
        f"grad needs {fun.__qualname__} to return a real scalar, but it returned {described}. "
        "Reduce it to one number (e.g. a sum or a mean) before returning it."
    ) from cause


def _normalize_wrt(signature: inspect.Signature, wrt, fun) -> tuple[tuple[str, ...], bool]:
    params = list(signature.parameters.values())
    positional = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    single = not isinstance(wrt, (tuple, list))
    names = []
    for item in ([wrt] if single else list(wrt)):
        if isinstance(item, bool) or not isinstance(item, (int, str)):
            raise WrtError(f"wrt must be a parameter index or name (or a tuple of them), not {item!r}")
        if isinstance(item, int):
            if not -len(positional) <= item < len(positional):
                raise WrtError(f"wrt={item}: {fun.__qualname__} has {len(positional)} positional parameters "
                               f"({', '.join(positional)})")
            item = positional[item]
        param = signature.parameters.get(item)
        if param is None:
            raise WrtError(f"wrt={item!r}: {fun.__qualname__} has no parameter named {item!r} "
                           f"(its parameters: {', '.join(signature.parameters)})")
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            raise WrtError(f"wrt={item!r}: cannot differentiate with respect to *{item} or **{item}; "
                           "give the values their own parameters")
        names.append(item)
    if len(set(names)) != len(names):
        raise WrtError(f"wrt={wrt!r} names a parameter twice")
    return tuple(names), single
