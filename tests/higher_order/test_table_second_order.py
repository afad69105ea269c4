"""Every table entry at second order: forward mode over its generated gradient (a Hessian-vector product,
what s2sgrad.hessian computes) against central differences of the gradient.

The first-order table test (tests/rules/test_table.py) checks each rule's two slots; a second derivative
differentiates the adjoint expressions and the runtime helpers they call, which that test never does. Each
entry is called from a small generated module (its sample's differentiated arguments as parameters, the rest
as module constants, the result contracted with a fixed cotangent) and must give the right product or stop
with a located error, never a wrong value or a crash inside s2sgrad.
"""
from __future__ import annotations

import importlib.util
import sys

import gast
import numpy as np
import pytest

import s2sgrad
from s2sgrad.errors import S2SGradError, TransformError
from s2sgrad.rules import BUILTIN_KEYS, DEFAULT_RULES, Rule, apply

from ..rules import test_table as table

_SYMBOLS = {gast.Add: "+", gast.Sub: "-", gast.Mult: "*", gast.Div: "/", gast.Pow: "**", gast.MatMult: "@",
            gast.Mod: "%", gast.FloorDiv: "//", gast.USub: "-", gast.UAdd: "+"}


def _entries():
    for key, rule in DEFAULT_RULES.items():
        if isinstance(rule, Rule) and key in BUILTIN_KEYS and table._samples(key, rule):
            yield pytest.param(key, id=rule.name)


def _call_text(key, rule, given, active, constants) -> str | None:
    """The entry's call in Python, differentiated arguments as `p_<name>`, the others as `K_<name>`."""
    arguments, positional = [], True
    for name, p in rule.signature.parameters.items():
        if name not in given:
            positional = positional and p.kind is p.VAR_POSITIONAL
            continue
        text = f"p_{name}" if name in active else f"K_{name}"
        if name not in active:
            constants[text] = given[name]
        if p.kind is p.VAR_POSITIONAL:
            text = f"*{text}"
        elif p.kind is p.VAR_KEYWORD:
            text = f"**{text}"
        elif p.kind is p.KEYWORD_ONLY or not positional:
            text = f"{name}={text}"
        arguments.append(text)
    if key in _SYMBOLS:
        symbol = _SYMBOLS[key]
        return f"{symbol}{arguments[0]}" if len(arguments) == 1 else f"{arguments[0]} {symbol} {arguments[1]}"
    if isinstance(key, tuple) and key[0] == "method":
        return f"{arguments[0]}.{key[1]}({', '.join(arguments[1:])})"
    if callable(key):
        constants["ENTRY"] = key
        return f"ENTRY({', '.join(arguments)})"
    return None                     # an attribute or np.r_-style indexing: no call to write


def _leaves(value, text="y"):
    if isinstance(value, (tuple, list)):
        return [leaf for i, part in enumerate(value) for leaf in _leaves(part, f"{text}[{i}]")]
    return [(text, value)]


def _contracted(key, rule, values, tmp_path):
    """(f, its primals) where f(*primals) = <cotangent, entry(...)> over the differentiated arguments, or None
    where the sample differentiates nothing a Hessian-vector product can seed (lists, complex results)."""
    given = {name: values[name] for name in getattr(values, "given", tuple(values))}
    active = [p for p in rule.tangents if p in given and isinstance(values[p], (float, np.ndarray))
              and np.asarray(values[p]).dtype.kind == "f"]
    if not active:
        return None
    constants = {"np": np}
    call = _call_text(key, rule, given, active, constants)
    if call is None:
        return None
    np.random.seed(0)
    parts = _leaves(table._call(key, rule, table._fresh(values)))
    if any(isinstance(v, dict) or np.asarray(v).dtype.kind != "f" for _, v in parts):
        return None
    rng = np.random.default_rng(1)
    terms = []
    for i, (text, part) in enumerate(parts):
        constants[f"C{i}"] = rng.uniform(-1, 1, np.shape(part)) if np.shape(part) else float(rng.uniform(-1, 1))
        terms.append(f"np.sum(C{i} * {text})")
    path = tmp_path / f"entry_{abs(hash(rule.name))}.py"
    path.write_text(f"def f({', '.join('p_' + a for a in active)}):\n"
                    f"    y = {call}\n"
                    f"    return {' + '.join(terms)}\n")
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    module.__dict__.update(constants)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module.f, [values[a] for a in active]


@pytest.mark.parametrize("key", list(_entries()))
def test_hessian_vector_product_of_every_entry(key, tmp_path):
    rule = DEFAULT_RULES.lookup(key)
    _, args, kwargs = table._samples(key, rule)[0]
    specs = apply.bind(rule, args, kwargs)
    draws = np.random.default_rng(0)
    values = apply.Bound({k: table._draw(v, draws, np.float64) for k, v in specs.items()})
    values.given = specs.given
    contracted = _contracted(key, rule, values, tmp_path)
    if contracted is None:
        pytest.skip("no float argument or result a Hessian-vector product seeds")
    f, primals = contracted
    rng = np.random.default_rng(2)
    tangents = [rng.uniform(-1, 1, np.shape(p)) if np.shape(p) else float(rng.uniform(-1, 1)) for p in primals]
    try:
        gradient = s2sgrad.grad(f, argnums=tuple(range(len(primals))))
        np.random.seed(0)
        _, product = s2sgrad.jvp(gradient, tuple(primals), tuple(tangents))
    except TransformError:
        raise                                   # a crash inside s2sgrad: never acceptable
    except S2SGradError as error:
        assert "line" in str(error), f"{rule.name}: refused without a location: {error}"
        return
    h = 1e-6
    np.random.seed(0)
    up = gradient(*[p + h * t for p, t in zip(primals, tangents)])
    np.random.seed(0)
    down = gradient(*[p - h * t for p, t in zip(primals, tangents)])
    for got, u, d in zip(product, up, down):
        want = (np.asarray(u) - np.asarray(d)) / (2 * h)
        assert np.shape(got) == np.shape(want), f"{rule.name}: product shaped {np.shape(got)}, gradient {np.shape(want)}"
        scale = max(1.0, float(np.max(np.abs(want), initial=0.0)))
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4 * scale, err_msg=f"second derivative of {rule.name}")
