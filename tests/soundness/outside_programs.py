"""Random functions that read values from outside themselves in broadcasting arithmetic, as source text.

Each program holds a few objects at module level or in a factory's closure (a
SimpleNamespace with array and number attributes, a dict, a list, a matrix),
and the differentiated function reads them inline (`x * cfg.W`, `B.T + x`,
`R[:, 1:2] * x`, `table["w"]`) with inputs of shapes that broadcast against
them: numbers, vectors, matrices, rows and columns. Whether a gradient is
reduced to its input's shape depends on knowing the outside value's shape,
which the transformer cannot know; central differences (tests/property_arrays
harness) tell whether it got the gradient right.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

from ..property_arrays.programs import Param, Program

PREAMBLE = "import types\n\n"          # the harness's module header imports math and numpy
COMBINE = [
    "({a} * {o})", "({a} + {o})", "({o} - {a})", "({a} / (1.5 + {o} * {o}))", "np.multiply({o}, {a})",
    "np.add({a}, {o})", "({a} * np.tanh({o}))", "(np.sin({a}) * {o})", "({o} * {a} * {o})",
    "np.where({o} > 0, {a}, 0.5 * {a})", "np.maximum({a} * {o}, {a} - 2.0)",
]
ACTIVE_PAIR = ["({a} * {b})", "({a} + {b})", "({a} - np.tanh({b}))"]


@dataclass
class Read:
    text: str              # how the function reads it: cfg.W, R[:, 1], B.T
    shape: tuple


def _array(rng: random.Random, shape: tuple) -> str:
    values = np.round([rng.uniform(-1.5, 1.5) for _ in range(int(np.prod(shape, dtype=int)))], 3)
    return "np.array(" + repr(np.reshape(values, shape).tolist()) + ")"


def _number(rng: random.Random) -> str:
    return repr(round(rng.uniform(0.3, 1.5) * rng.choice([-1, 1]), 3))


class OutsideProgramGenerator:
    def __init__(self, rng: random.Random):
        self.rng = rng

    def program(self, name: str) -> Program:
        rng = self.rng
        self.M, self.N = rng.sample([2, 3, 4], 2)
        shapes = [(), (self.N,), (self.M, self.N), (self.M, 1), (1, self.N)]
        params = [Param(p, "scalar" if s == () else "array", s)
                  for p, s in zip("xyz", rng.sample(shapes, rng.randint(1, 3)))]
        module_lines, closure_lines, reads = self._objects(name)
        values = [(p.name, p.shapes) for p in params]
        body = []
        for k in range(rng.randint(2, 4)):
            # every parameter enters a statement; later ones may also combine earlier values
            active = values[k] if k < len(params) else rng.choice(values)
            text, shape = self._statement(active, values, reads)
            value = f"v{k}"
            body.append(f"{value} = {text}")
            values.append((value, shape))
        terms = []
        for value, shape in values[len(params):]:
            weight = _array(rng, shape) if shape != () else _number(rng)
            terms.append(f"np.sum({value} * {weight})" if shape != () else f"{value} * {weight}")
        body.append("return " + " + ".join(terms))
        signature = f"def {name}({', '.join(p.name for p in params)}):"
        if closure_lines:
            inner = [signature] + ["    " + line for line in body]
            source = module_lines + [f"def make_{name}():"] + ["    " + line for line in closure_lines] \
                + ["    " + line for line in inner] + [f"    return {name}", "", "", f"{name} = make_{name}()"]
        else:
            source = module_lines + [signature] + ["    " + line for line in body]
        return Program(name, PREAMBLE + "\n".join(source) + "\n", params)

    # ---- the outside objects and the ways to read them -----------------------------------------
    def _objects(self, name: str):
        """(module-level lines, closure lines, reads); each object sits in one place or the other."""
        rng, M, N = self.rng, self.M, self.N
        module_lines, closure_lines, reads = [], [], []
        kinds = rng.sample(["namespace", "dict", "list", "transposed", "matrix"], rng.randint(2, 4))
        for kind in kinds:
            in_closure = rng.random() < 0.5
            holder = f"{kind[:3]}_{name}" if not in_closure else kind[:3]
            shape = rng.choice([(N,), (M, N), (M, 1), (1, N)])
            if kind == "namespace":
                text = (f"{holder} = types.SimpleNamespace(W={_array(rng, shape)}, s={_number(rng)}, "
                        f"inner=types.SimpleNamespace(V={_array(rng, (N,))}))")
                reads += [Read(f"{holder}.W", shape), Read(f"{holder}.s", ()), Read(f"{holder}.inner.V", (N,)),
                          Read(f"{holder}.W.T", shape[::-1])]
            elif kind == "dict":
                text = f"{holder} = {{'w': {_array(rng, shape)}, 'b': {_number(rng)}}}"
                reads += [Read(f"{holder}['w']", shape), Read(f"{holder}['b']", ())]
            elif kind == "list":
                text = f"{holder} = [{_array(rng, shape)}, {_number(rng)}, {_array(rng, (M, N))}]"
                reads += [Read(f"{holder}[0]", shape), Read(f"{holder}[1]", ()), Read(f"{holder}[-1]", (M, N)),
                          Read(f"{holder}[2][1]", (N,))]
            elif kind == "transposed":
                text = f"{holder} = {_array(rng, (N, M))}"
                reads += [Read(f"{holder}.T", (M, N)), Read(f"{holder}[:, 0]", (N,))]
            else:
                text = f"{holder} = {_array(rng, (M, N))}"
                reads += [Read(f"{holder}[1]", (N,)), Read(f"{holder}[:, 0]", (M,)),
                          Read(f"{holder}[:, 1:2]", (M, 1)), Read(f"{holder}[0:1]", (1, N)),
                          Read(f"{holder}[0, 1]", ()), Read(f"{holder}.T.T", (M, N))]
            (closure_lines if in_closure else module_lines).append(text)
        if module_lines:
            module_lines += ["", ""]
        reads.append(Read("math.pi", ()))
        return module_lines, closure_lines, reads

    def _statement(self, active, values, reads):
        """An expression combining an active value with an outside read (or another active value)."""
        rng = self.rng
        a_text, a_shape = active
        if len(values) > 1 and rng.random() < 0.2:
            pairs = [(t, s) for t, s in values if t != a_text and _fits(a_shape, s)]
            if pairs:
                b_text, b_shape = rng.choice(pairs)
                return rng.choice(ACTIVE_PAIR).format(a=a_text, b=b_text), _broadcast(a_shape, b_shape)
        candidates = [r for r in reads if _fits(a_shape, r.shape)]
        arrays = [r for r in candidates if r.shape != ()]
        read = rng.choice(arrays if arrays and rng.random() < 0.8 else candidates)     # mostly arrays
        text = rng.choice(COMBINE).format(a=a_text, o=read.text)
        return text, _broadcast(a_shape, read.shape)


def _broadcast(a: tuple, b: tuple) -> tuple:
    return tuple(np.broadcast_shapes(a, b))


def _fits(a: tuple, b: tuple) -> bool:
    try:
        return int(np.prod(_broadcast(a, b), dtype=int)) <= 16
    except ValueError:
        return False
