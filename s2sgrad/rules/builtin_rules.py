"""Rules for Python builtins used in numeric code."""
from __future__ import annotations

import builtins
import functools
import math

from ..runtime import containers
from .registry import RuleTable

# helpers the iterable rules call (runtime/containers.py)
_ITERABLE_HELPERS = {name: getattr(containers, name) for name in (
    "sum_adjoint", "list_adjoint", "sorted_adjoint", "sorted_tangent", "dict_adjoint", "dict_tangent")}


def register(rules: RuleTable) -> None:
    # max/min of two values send the whole adjoint to the argument they returned
    # (Python returns the first argument on a tie, and so does the rule); other forms of max and min
    # (one iterable, three or more values, key=, default=) become loops before this (ssa/reductions.py).
    # All five act on numbers (abs on arrays elementwise): a tangent is the adjoint with dy replaced by
    # the input's tangent
    rules.define(builtins.max, "a, b", elementwise=True, da="dy if a >= b else 0.0", db="0.0 if a >= b else dy")
    rules.define(builtins.min, "a, b", elementwise=True, da="dy if a <= b else 0.0", db="0.0 if a <= b else dy")
    rules.define(builtins.abs, "x", elementwise=True, dx="abs_adjoint(dy, x, y)", scalar={"dx": "dy if x >= 0 else -dy"},
                 jvp={"x": "abs_tangent(x_dot, x, y)"})
    rules.declare_complex(builtins.abs, result="real")         # |z|: runtime/complex_values.py
    rules.define(builtins.float, "x", elementwise=True, dx="dy")
    # complex(re, im) is re + 1j * im: the adjoints are those of `+` and `*` (holomorphic, as the operators'); a
    # real input's gradient is the real part (api/complex_arguments.py). Not elementwise: its result is no real
    # number, so the kinds analysis must not take it for one (abs's scalar slot compares with 0)
    rules.define(builtins.complex, "real=0, imag=0", linear=True, dreal="dy", dimag="dy * 1j",
                 jvp={"real": "real_dot + 0j", "imag": "imag_dot * 1j"})
    rules.declare_complex(builtins.complex, result="complex")
    rules.define(builtins.pow, "a, b", elementwise=True, da="dy * b * a ** (b - 1 + (b == 0))",     # as `**`
                 db="dy * y * math.log(a) if a > 0 else 0.0")
    # divmod(a, b) is (a // b, a % b): the quotient is piecewise constant, the remainder is a - b * (a // b);
    # `+ 0.0 * y[1]` stretches a number's tangent to the remainder's shape when the other operand is an array
    rules.define(builtins.divmod, "a, b, /", da="unbroadcast(dy[1], a)", db="unbroadcast(-dy[1] * y[0], b)",
                 jvp={"a": "(0.0 * y[0], a_dot + 0.0 * y[1])", "b": "(0.0 * y[0], -b_dot * y[0] + 0.0 * y[1])"})
    rules.declare_containers(builtins.divmod)
    _iterables(rules)
    # sets of keys and indices are data; a set of differentiated values has no order for adjoints to follow
    rules.refuse_derivatives(
        builtins.set, builtins.frozenset, construct="a set comprehension, set literal or set(...) holding values that carry derivatives",
        hint="a set has no order, so no element's derivative can be traced back to where it came from: "
             "keep the values in a list (or sorted(set(...)) of values that carry none, such as indices or keys)")
    rules.nondifferentiable(
        builtins.int, builtins.round, builtins.len, builtins.range, builtins.bool,
        builtins.isinstance, builtins.print, builtins.type, builtins.id, builtins.str, builtins.repr,
        builtins.hash, builtins.callable, builtins.hasattr, builtins.any, builtins.all,
        # a function value; binding a value that carries derivatives into it is refused (transform.py)
        functools.partial,
    )


def _iterables(rules: RuleTable) -> None:
    """Builtins that take a whole list, tuple, array or dict: one adjoint per element.

    (d.keys(), d.values() and d.items() become list(d) and loops reading d[k] before this:
    ssa/dicts.py; a dict comprehension becomes dict() of a list of pairs: ssa/comprehensions.py.)"""
    d = functools.partial(rules.define, namespace=_ITERABLE_HELPERS)
    # sum adds every element (and start) once: each gets dy, reduced to its own shape
    d(builtins.sum, "iterable, /, start=0", linear=True, diterable="sum_adjoint(dy, iterable)",
      dstart="unbroadcast(dy, start)")
    # math.fsum is sum, exactly rounded: the same adjoint
    d(math.fsum, "iterable, /", linear=True, diterable="sum_adjoint(dy, iterable)")
    # math.prod multiplies every element into start: each gets dy times the product of the others
    rules.define(math.prod, "iterable, /, *, start=1",
                 diterable="sequence_product_adjoint(dy, iterable, start)",
                 dstart="sequence_product_start_adjoint(dy, iterable, start)",
                 jvp={"iterable": "sequence_product_tangent(iterable_dot, iterable, start)",
                      "start": "start_dot * math.prod(iterable)"})
    d(builtins.list, "iterable=(), /", linear=True, diterable="list_adjoint(dy, iterable)")
    d(builtins.tuple, "iterable=(), /", linear=True, diterable="list_adjoint(dy, iterable)")
    # dict(pairs): each key's entry is its last pair's value (a selection: linear in the values)
    d(builtins.dict, "iterable=(), /", diterable="dict_adjoint(dy, iterable)",
      jvp={"iterable": "dict_tangent(iterable_dot, iterable)"})
    # a permutation, chosen by the values: linear in them, but not the same operation on the tangents
    d(builtins.sorted, "iterable, /, *, key=None, reverse=False", constant="key",     # a key only orders
      diterable="sorted_adjoint(dy, iterable, key, reverse)",
      jvp={"iterable": "sorted_tangent(iterable_dot, iterable, key, reverse)"})


def register_statistics(rules: RuleTable) -> None:
    """The statistics module's functions are Python that s2sgrad cannot follow (itertools.groupby over types,
    fractions): a derivative reaching one is refused at the user's line, naming NumPy's equivalent."""
    import statistics
    equivalents = {"mean": "np.mean(x)", "fmean": "np.mean(x)", "median": "np.median(x)",
                   "variance": "np.var(x, ddof=1)", "stdev": "np.std(x, ddof=1)", "pvariance": "np.var(x)",
                   "pstdev": "np.std(x)", "geometric_mean": "np.exp(np.mean(np.log(x)))",
                   "harmonic_mean": "len(x) / np.sum(1 / np.asarray(x))"}
    for name, equivalent in equivalents.items():
        function = getattr(statistics, name, None)
        if function is not None:
            rules.refuse_derivatives(
                function, module="statistics", construct=f"statistics.{name} of values that carry derivatives (s2sgrad does not follow "
                                    "the statistics module's code)",
                hint=f"use {equivalent}, which s2sgrad differentiates")

