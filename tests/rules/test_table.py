"""Walk the whole primitive table: every differentiable entry's reverse and forward rules against central differences.

For each entry and each of its sample calls (generated from its facts when it
is elementwise, from samples.py otherwise), in float64 and float32:

- the forward rule's tangent matches the central difference of the primitive
  along a random direction of all its differentiable inputs at once;
- the reverse rule's adjoints pass the dot-product test against that tangent
  (<c, J t> = sum over inputs of <t_i, J_i^T c>);
- adjoints are shaped like their inputs, tangents like the result, and float32
  stays float32.

The rules are evaluated by s2sgrad.rules.apply, which follows the generated
code's conventions (unbroadcast, zeros for inactive operands of linear primitives).
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from s2sgrad.rules import BUILTIN_KEYS, DEFAULT_RULES, SAME_OPERATION, NonDifferentiable, Rule, apply

from .mapping_samples import MAPPING_SAMPLES
from .runtime_samples import RUNTIME_SAMPLES
from .samples import SAME_AS, SAMPLES, _oscillator

SAMPLES = {**SAMPLES, **RUNTIME_SAMPLES, **MAPPING_SAMPLES}

DOMAINS = {"any": (-2.0, 2.0), "pos": (0.5, 2.0), "unit": (-0.9, 0.9), "gt1": (1.2, 3.0), "away": (0.3, 2.0)}
BROADCAST_PATTERNS = [((3, 4), (3, 4)), ((3, 4), (4,)), ((3, 1), (1, 4)), (None, (3,)), ((2, 3), None)]
UNARY_SHAPES = [None, (), (5,), (3, 4)]


class Leaf:
    """A differentiable input to draw: shape None is a Python float."""

    def __init__(self, low, high, shape=None, values=None):
        self.low, self.high, self.shape, self.values = low, high, shape, values

    def draw(self, rng, dtype):
        if self.values is not None:
            return np.asarray(self.values, dtype=dtype)
        if self.shape is None:
            return float(rng.uniform(self.low, self.high))
        x = rng.uniform(self.low, self.high, self.shape)
        if (self.low, self.high) == DOMAINS["away"]:
            x = x * rng.choice([-1.0, 1.0], self.shape)
        return np.asarray(x, dtype=dtype)


class Matrix(Leaf):
    def __init__(self, kind, shape):
        super().__init__(-1.0, 1.0, shape)
        self.kind = kind

    def draw(self, rng, dtype):
        n = self.shape[-1]
        b = rng.uniform(-1, 1, self.shape)
        if self.kind == "spd":
            x = b @ np.swapaxes(b, -1, -2) + n * np.eye(n)
        elif self.kind == "sym":
            q, _ = np.linalg.qr(rng.normal(size=self.shape))
            w = np.arange(1, n + 1) * 1.5
            x = (q * w[..., None, :]) @ np.swapaxes(q, -1, -2)
            x = (x + np.swapaxes(x, -1, -2)) / 2
        else:
            x = b + 2.5 * np.eye(n)
        return np.asarray(x, dtype=dtype)


class Boolean:
    def __init__(self, *shape):
        self.shape = shape


class FreshGenerator:
    """A generator made anew for every call, so every evaluation draws the same noise."""


MAKERS = {
    "A": lambda *s: Leaf(*DOMAINS["any"], s), "P": lambda *s: Leaf(*DOMAINS["pos"], s),
    "HI": lambda *s: Leaf(2.5, 4.0, s), "F": lambda v: Leaf(v, v), "values": lambda v: Leaf(0, 0, values=v),
    "SPD": lambda *s: Matrix("spd", _square(s)), "SYM": lambda *s: Matrix("sym", _square(s)),
    "WC": lambda *s: Matrix("wc", _square(s)), "B": Boolean, "RNG": FreshGenerator, "np": np,
    "_oscillator": _oscillator,
}


def _square(spec):
    *batch, n = spec
    return (*batch, n, n)


def _parse(text):
    return eval(f"(lambda *args, **kwargs: (args, kwargs))({text})", dict(MAKERS))   # noqa: S307 (test data)


def _samples(key, rule):
    """(label, args, kwargs) of maker objects for one entry."""
    base = key[1] if isinstance(key, tuple) and key[0] == "method" else None
    source = SAMPLES.get(key)
    if source is None and base is not None:
        function = getattr(np, base, None)
        source = SAMPLES.get(SAME_AS.get(function, function))
    if source is None:
        source = SAMPLES.get(SAME_AS.get(key))
    if source is not None:
        samples = [(text, *_parse(text)) for text in source]
        if base is not None:         # a method needs an array to be called on
            samples = [s for s in samples if not (isinstance(s[1][0], Leaf) and s[1][0].shape is None)]
        return samples
    if rule.facts.elementwise:
        return _elementwise_samples(key, rule)
    return []


def _elementwise_samples(key, rule):
    """Inputs from the facts alone: the domain, and every broadcasting pattern for several operands."""
    params = [n for n, p in rule.signature.parameters.items()
              if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if not params or not all(n in rule.adjoints or len(params) > 1 for n in params):
        return []
    low, high = DOMAINS[rule.facts.domain]
    shapes = [(s,) for s in UNARY_SHAPES] if len(params) == 1 else BROADCAST_PATTERNS
    if isinstance(key, tuple):           # a method needs an array to be called on
        shapes = [p for p in shapes if p[0] is not None]
    if rule.facts.scalar_result:
        shapes = [(None,) * len(params)]
    out = []
    for pattern in shapes:
        pattern = (pattern + pattern[-1:] * len(params))[:len(params)]
        args = [Leaf(low, high, s) for s in pattern]
        out.append((f"shapes {pattern}", args, {}))
    return out


def _draw(spec, rng, dtype):
    if isinstance(spec, Leaf):
        return spec.draw(rng, dtype)
    if isinstance(spec, Boolean):
        return rng.uniform(-1, 1, spec.shape) > 0
    if isinstance(spec, (list, tuple)):
        return type(spec)(_draw(s, rng, dtype) for s in spec)
    if isinstance(spec, dict):                 # `{**a, **b}`'s operands (rules/mapping_rules.py)
        return {k: _draw(v, rng, dtype) for k, v in spec.items()}
    return spec


def _has_leaf(spec) -> bool:
    if isinstance(spec, Leaf):
        return True
    if isinstance(spec, dict):
        return any(_has_leaf(s) for s in spec.values())
    return isinstance(spec, (list, tuple)) and any(_has_leaf(s) for s in spec)


def _fresh(values, changes=()):
    """A copy of bound values (keeping which were given), with new generators and `changes` applied."""
    out = apply.Bound({k: np.random.default_rng(0) if isinstance(v, FreshGenerator) else v
                       for k, v in {**values, **dict(changes)}.items()})
    out.given = values.given
    return out


def _call(key, rule, values):
    np.random.seed(0)
    return apply._call(apply.primitive_function(key), rule, _fresh(values))


# ---- vector-space helpers over nested results (tuples of arrays, lists of arrays) --------------

def _leaves(x):
    if isinstance(x, dict):                 # dict(pairs): its entries, in the order of its keys
        return [leaf for k in x for leaf in _leaves(x[k])]
    if isinstance(x, (list, tuple)):
        return [leaf for e in x for leaf in _leaves(e)]
    return [x]


def _map(f, *xs):
    if isinstance(xs[0], dict):
        return {k: _map(f, *(x[k] for x in xs)) for k in xs[0]}
    if isinstance(xs[0], (list, tuple)):
        kind = tuple if hasattr(xs[0], "_fields") else type(xs[0])      # a namedtuple result: a plain tuple
        return kind(_map(f, *parts) for parts in zip(*xs))
    return f(*xs)


def _pairs(adjoint, value):
    """(adjoint, value) leaf by leaf, leaving out what carries no derivative (its adjoint is None)."""
    if adjoint is None or _inert(value):
        return []
    if isinstance(value, (list, tuple)) and isinstance(adjoint, (list, tuple)):
        return [pair for a, v in zip(adjoint, value) for pair in _pairs(a, v)]
    if isinstance(value, dict) and isinstance(adjoint, dict):
        assert list(adjoint) == list(value), f"a dict's adjoint has keys {list(adjoint)}, the dict {list(value)}"
        return [pair for k in value for pair in _pairs(adjoint[k], value[k])]
    return [(adjoint, value)]


def _inert(v) -> bool:
    """An item that is no number (np.r_'s directive string, a slice, einsum's labels): no derivative flows into it."""
    return isinstance(v, (str, slice, int)) or v is Ellipsis


def _inner(a, b) -> float:
    """Re sum(a * b): the pairing under which a complex adjoint (dL/dx - i dL/dy) is the plain transpose."""
    return sum(float(np.real(np.sum(_wide(x) * _wide(y))))
               for x, y in zip(_leaves(a), _leaves(b)) if not (_inert(x) or _inert(y) or x is None or y is None))


def _wide(x):
    """x in double precision: complex128 for complex values, float64 otherwise."""
    return np.asarray(x, dtype=np.complex128 if np.iscomplexobj(x) else np.float64)


def _like(x, rng):
    """A random value shaped like x; None for what carries no derivative (labels, slices, strings)."""
    if _inert(x) or (isinstance(x, (list, tuple)) and x and all(_inert(e) for e in x)):
        return None
    if isinstance(x, dict):                 # dict(pairs)'s result: one per entry
        return {k: _like(v, rng) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        kind = tuple if hasattr(x, "_fields") else type(x)      # a namedtuple result: a plain tuple
        return kind(_like(e, rng) for e in x)
    if np.iscomplexobj(x):
        return _complex_like(x, rng)
    return float(rng.normal()) if isinstance(x, float) else np.asarray(rng.normal(size=np.shape(x)), dtype=_dtype(x))


def _shift(v, t, step, wide=True):
    """v + step t, leaf by leaf; what carries no derivative (t None) stays as it is."""
    if t is None or _inert(v):
        return v
    if isinstance(v, (list, tuple)):
        return type(v)(_shift(a, b, step, wide) for a, b in zip(v, t))
    if isinstance(v, dict):
        return {k: _shift(v[k], t[k], step, wide) for k in v}
    if isinstance(v, (float, complex)) or not wide:
        return v + step * t
    return _wide(v) + step * t


def _complex_like(v, rng):
    shape = np.shape(v)
    z = rng.normal(size=shape) + 1j * rng.normal(size=shape)
    return complex(z) if isinstance(v, complex) else np.asarray(z, dtype=np.result_type(v, np.complex64))


def _dtype(v):
    dtype = getattr(v, "dtype", np.dtype(np.float64))
    return dtype if np.issubdtype(dtype, np.floating) else np.dtype(np.float64)


CASES = []
for _key, _rule in DEFAULT_RULES.items():
    if isinstance(_rule, Rule) and _key in BUILTIN_KEYS:      # the shipped table, not rules tests register
        for _label, _args, _kwargs in _samples(_key, _rule) or [(None, None, None)]:
            for _dt in (np.float64, np.float32):
                CASES.append(pytest.param(_key, _args, _kwargs, _dt, id=f"{_rule.name}[{_label}]-{np.dtype(_dt).name}"))


@pytest.mark.parametrize("key, args, kwargs, dtype", CASES)
def test_rule_against_central_differences(key, args, kwargs, dtype):
    rule = DEFAULT_RULES.lookup(key)
    if args is None:
        pytest.fail(f"{rule.name} is differentiable but has no sample call: add one to tests/rules/samples.py")
    rng = np.random.default_rng(0)
    specs = apply.bind(rule, args, kwargs)
    values = apply.Bound({k: _draw(v, rng, dtype) for k, v in specs.items()})
    values.given = specs.given
    active = [p for p in rule.tangents if p in specs and _has_leaf(specs[p])]
    assert active, f"sample of {rule.name} differentiates nothing"
    y = _call(key, rule, values)
    one_call = rule.facts.linear and all(rule.tangents[p] == SAME_OPERATION for p in active)
    if isinstance(y, (tuple, list)) and len(active) > 1 and not one_call:
        # generated code adds the parameters' contributions with `+` unless told: two tuples would be joined
        assert rule.facts.container, f"{rule.name} returns a {type(y).__name__}: declare it a container"
    tangents = {p: _like(values[p], rng) for p in active}
    y_dot = apply.tangent(rule, key, _fresh(values), y, tangents)

    low_precision = dtype == np.float32 or any(_dtype(v) != np.float64 for v in _leaves(y))
    h = 1e-3 if low_precision else 1e-6
    if any(_dtype(v) == np.float16 for v in _leaves(y)):
        assert rule.facts.linear, "finite differences of float16 results only hold for linear rules"
        h = 0.5

    def at(step):
        shifted = {}
        for p in active:
            shifted[p] = _shift(values[p], tangents[p], step)
        return _call(key, rule, _fresh(values, shifted))

    numeric = _map(lambda a, b: (_wide(a) - _wide(b)) / (2 * h), at(h), at(-h))
    rtol = 2e-2 if low_precision else 1e-5
    for got, want in zip(_leaves(y_dot), _leaves(numeric)):
        assert np.shape(got) == np.shape(want), f"{rule.name}: tangent shaped {np.shape(got)}, result {np.shape(want)}"
        scale = max(1.0, float(np.max(np.abs(want), initial=0.0)))
        np.testing.assert_allclose(_wide(got), want, rtol=rtol, atol=rtol * scale,
                                   err_msg=f"forward rule of {rule.name}")

    if not all(p in rule.adjoints for p in active):
        return                  # a helper differentiated in forward mode only (rules/runtime_rules.py)
    cotangent = _like(y, rng)
    adjoints = apply.adjoints(rule, _fresh(values), y, cotangent, active)
    for p in active:
        for a, v in _pairs(adjoints[p], values[p]):
            assert np.shape(a) == np.shape(v), f"{rule.name}: adjoint of {p} shaped {np.shape(a)}, input {np.shape(v)}"
            if all(_dtype(r) == np.float32 for r in _leaves(y)) and _dtype(v) == np.float32 and hasattr(a, "dtype"):
                assert a.dtype == np.float32, f"{rule.name}: adjoint of float32 {p} is {a.dtype}"
    forward = _inner(cotangent, y_dot)
    reverse = sum(_inner(tangents[p], adjoints[p]) for p in active)
    assert math.isclose(forward, reverse, rel_tol=rtol, abs_tol=rtol * max(1.0, abs(forward))), \
        f"{rule.name}: <c, J t> = {forward} but <J^T c, t> = {reverse}"


def test_every_differentiable_entry_has_both_slots():
    missing = [(rule.name, p) for rule in (r for k, r in DEFAULT_RULES.items() if isinstance(r, Rule) and k in BUILTIN_KEYS)
               for p in rule.adjoints if p not in rule.tangents]
    assert not missing, f"entries with a reverse rule but no forward rule: {missing}"


def test_nondifferentiable_entries_say_so():
    entries = [r for _, r in DEFAULT_RULES.items() if isinstance(r, NonDifferentiable)]
    assert entries and all(not r.differentiable for r in entries)
