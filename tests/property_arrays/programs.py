"""Random NumPy functions, drawn from a seeded `random.Random`, as source text.

Every value the generator writes down has a shape it knows (`Val`), so operands
are combined only where NumPy broadcasts them, reductions and indexing stay in
range, and the final value can be weighted elementwise by a fixed random array
(`np.sum(result * W)`: every element of the result matters). Domains are kept by
construction: logs and square roots of `1 + e * e`, exponentials of `tanh(e)`,
divisions by `1 + e * e`. Kinks (abs, max, clip, where) are left to the random
inputs to avoid; harness.py re-draws points where central differences disagree.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

import numpy as np

from ..property.module_state import ARRAY_EXPORTS, DRAWING

# everyday constructs (Features.everyday) reach module-level objects: tests/property/module_state.py
MODULE_HEADER = ("import math\nimport numpy as np\n\n"
                 f"from tests.property.module_state import {', '.join(ARRAY_EXPORTS)}\n\n\n")


@dataclass
class Features:
    """Constructs the generator may use; a flag is off while the transformer mishandles it (see test_known_bugs)."""

    inplace: bool = True
    loops: bool = True
    row_loops: bool = True
    branches: bool = True
    helpers: bool = True
    nested_defs: bool = True
    containers: bool = True
    bool_mask_reads: bool = True
    int_array_reads: bool = True
    none_index: bool = True
    joins: bool = True
    linalg: bool = True
    # np.std of a constant-in-places array is singular (sqrt at 0): analytic nan vs numeric 0 is no bug
    std: bool = False
    # two `for row in ...` loops over arrays of different row lengths reusing the name `row` (repro
    # test_known_bugs.py::two_row_loops): when off, each row loop gets its own loop variable name
    reuse_row_name: bool = True
    # `y[0:1] = y`: the whole target array as the written value (repro test_known_bugs.py::write_itself)
    write_itself: bool = True
    # `v[[1, 1]]` on the result of a call to a helper: the adjoint scatter drops repeats
    # (repro test_known_bugs.py::repeated_index_of_call_result); when off, index arrays never repeat
    int_index_repeats: bool = True
    # a later statement writing into an array an earlier one created, after views of it were taken
    # (`v = y.reshape(-1); y[1] *= 0.5`: v's gradient misses the write; repro
    # test_known_bugs.py::view_then_scale); when off, in-place blocks write only into a fresh array
    write_after_views: bool = True
    # everyday Python around the arrays: attributes of module-level records (arrays in a SimpleNamespace, a
    # dataclass, a namedtuple), a functools.wraps-decorated helper, comprehensions over rows (in np.stack,
    # np.array, sum), dicts of arrays iterated by items/keys/values
    everyday: bool = False
    # helpers drawing noise shaped like their argument from a module-level RandomState (the harness starts
    # every evaluation from one generator state)
    draws: bool = False
    # the final weighting `np.sum(r * np.array([...]))`: a NumPy constant array, which CuPy refuses to mix
    # with its own; when off, the weights are computed from r itself (the CuPy tests)
    array_literals: bool = True


@dataclass
class Val:
    text: str
    shape: tuple


@dataclass
class Param:
    name: str
    kind: str              # "array", "scalar", "tuple", "dict"
    shapes: tuple          # one shape, or one per container element


@dataclass
class Program:
    name: str
    source: str
    params: list

    @property
    def wrt(self):
        return tuple(p.name for p in self.params)

    @property
    def draws(self) -> bool:
        """Whether the program draws from module_state's random generators."""
        return any(marker in self.source for marker in DRAWING)


def _bshape(a, b):
    try:
        return tuple(np.broadcast_shapes(a, b))
    except ValueError:
        return None


_NAME = re.compile(r"[A-Za-z_]\w*")
MAX_SIZE = 16        # larger intermediate arrays are reduced: small programs check fast


def _fmt(x: float) -> str:
    return repr(round(float(x), 3))


def _literal(rng: random.Random, shape: tuple) -> str:
    values = np.array([rng.uniform(-1.5, 1.5) for _ in range(int(np.prod(shape, dtype=int)))]).reshape(shape)
    if shape == ():
        return _fmt(values)
    return "np.array(" + repr(np.round(values, 3).tolist()) + ")"


UNARY = [
    "np.sin({a})", "np.cos({a})", "np.tanh({a})", "np.exp(np.tanh({a}))", "np.log(1 + {a} * {a})",
    "np.sqrt(1 + {a} ** 2)", "np.square({a})", "({a} ** 2)", "(-{a})", "np.arctan({a})",
    "(1.0 / (1 + {a} * {a}))", "np.abs({a})", "np.log1p({a} ** 2)", "np.expm1(np.tanh({a}))",
    "np.sinh(np.tanh({a}))", "np.cosh(np.tanh({a}))", "({a} * 0.5)", "(2.0 - {a})", "np.negative({a})",
    "np.arcsinh({a})", "np.hypot({a}, 1.0)", "np.clip({a}, -0.6, 0.7)", "np.maximum({a}, 0.1)",
    "np.minimum({a}, -0.2)", "np.where({a} > 0.2, {a}, 0.3 * {a})", "({a} / (1.5 + np.sin({a})))",
]
BINARY = [
    "({a} + {b})", "({a} - {b})", "({a} * {b})", "({a} / (1 + {b} * {b}))", "np.maximum({a}, {b})",
    "np.minimum({a}, {b})", "np.where({a} > {b}, {a}, {b} * 0.5)", "np.add({a}, {b})",
    "np.multiply({a}, {b})", "np.arctan2({a}, 1.5 + np.cos({b}))", "(np.clip({a}, -0.5, 0.5) * {b})",
    "({a} * np.tanh({b}))",
]


class ProgramGenerator:
    def __init__(self, rng: random.Random, features: Features):
        self.rng = rng
        self.f = features

    # ---- program --------------------------------------------------------------------
    def program(self, name: str) -> Program:
        rng = self.rng
        self.M, self.N = rng.sample([2, 3, 4], 2)
        self.name = name
        self.lines: list[str] = []
        self.pre: list[str] = []          # module-level helpers written before the function
        self.env: dict[str, tuple] = {}   # readable locals -> shape
        self.owned: set[str] = set()      # arrays the function created: in-place assignment allowed
        self.active: set[str] = set()     # names that depend on a parameter
        self.counter = 0
        params = self._params()
        self.params = params
        n_statements = rng.randint(2, 4)
        for _ in range(n_statements):
            self._statement(indent=1)
        result = self._pick_result()
        w = _literal(rng, result.shape) if self.f.array_literals else \
            f"np.cos({result.text} * {_fmt(rng.uniform(0.5, 1.5))} + {_fmt(rng.uniform(-1.0, 1.0))})"
        ret = f"np.sum({result.text} * {w})" if result.shape != () else f"({result.text}) * {_fmt(rng.uniform(0.5, 1.5))}"
        # a second term keeps an earlier value in play (its adjoint must survive later statements)
        extra = [n for n in self.env if n not in {p.name for p in params}]
        if extra and rng.random() < 0.5:
            other = rng.choice(extra)
            ret += f" + 0.5 * np.sum(np.tanh({other}))"
        self.lines.append(f"    return {ret}")
        sig = ", ".join(p.name for p in params)
        source = "\n".join(self.pre + [f"def {name}({sig}):"] + self.lines) + "\n"
        return Program(name, source, params)

    def _params(self):
        rng, M, N = self.rng, self.M, self.N
        pool = [("x", "array", (N,)), ("A", "array", (M, N)), ("u", "array", (M,)), ("s", "scalar", ()),
                ("B", "array", rng.choice([(M, 1), (1, N), (N, M)]))]
        if self.f.containers:
            pool += [("pair", "tuple", ((N,), (M, N))), ("params", "dict", ((N,), ()))]
        k = rng.randint(1, 3)
        chosen = rng.sample(pool, k)
        if not any(kind != "scalar" for _, kind, _ in chosen):
            chosen.append(pool[0] if pool[0] not in chosen else pool[1])
        params = []
        for pname, kind, shapes in chosen:
            params.append(Param(pname, kind, shapes))
            self.active.add(pname)
            if kind in ("array", "scalar"):
                self.env[pname] = shapes
            elif kind == "tuple":
                if rng.random() < 0.5:
                    self.lines.append(f"    p0, p1 = {pname}")
                    self.env["p0"], self.env["p1"] = shapes
                    self.active |= {"p0", "p1"}
                else:
                    self.env[f"{pname}[0]"], self.env[f"{pname}[-1]"] = shapes
            else:
                self.env[f'{pname}["w"]'], self.env[f'{pname}["b"]'] = shapes
        return params

    def _new(self, prefix="v"):
        self.counter += 1
        return f"{prefix}{self.counter}"

    def is_active(self, text: str) -> bool:
        return any(n in self.active for n in _NAME.findall(text))

    def _define(self, name: str, shape: tuple, text: str):
        self.env[name] = shape
        if self.is_active(text):
            self.active.add(name)

    def _pick_result(self) -> Val:
        # the last local that depends on a parameter (else a parameter itself)
        locals_ = [n for n in self.env if n not in {p.name for p in self.params} and "[" not in n
                   and n in self.active]
        name = locals_[-1] if locals_ else self.rng.choice([n for n in self.env if self.is_active(n)])
        return Val(name, self.env[name])

    # ---- expressions ----------------------------------------------------------------
    def leaf(self) -> Val:
        rng = self.rng
        if rng.random() < 0.1:
            return Val(f"({_fmt(rng.uniform(-1.5, 1.5))})", ())
        name = rng.choice(list(self.env))
        return Val(name, self.env[name])

    def expr(self, depth: int) -> Val:
        v = self._expr(depth)
        if int(np.prod(v.shape, dtype=int)) > MAX_SIZE:
            v = Val(f"np.mean({v.text}, axis=0)", v.shape[1:])
            if int(np.prod(v.shape, dtype=int)) > MAX_SIZE:
                v = Val(f"np.mean({v.text})", ())
        return v

    def _expr(self, depth: int) -> Val:
        rng = self.rng
        if depth <= 0:
            return self.leaf()
        kind = rng.choices(["unary", "binary", "reduce", "linalg", "shape", "index", "join", "leaf"],
                           [3, 4, 2, 1.2 if self.f.linalg else 0, 1.2, 2, 0.6 if self.f.joins else 0, 1])[0]
        if kind == "unary":
            a = self.expr(depth - 1)
            return Val(rng.choice(UNARY).format(a=a.text), a.shape)
        if kind == "binary":
            a = self.expr(depth - 1)
            b = self.expr(depth - 1)
            shape = _bshape(a.shape, b.shape)
            if shape is None:
                b = self.coerce(b, a.shape)
                shape = _bshape(a.shape, b.shape)
            return Val(rng.choice(BINARY).format(a=a.text, b=b.text), shape)
        if kind == "reduce":
            return self.reduce(self.expr(depth - 1))
        if kind == "linalg":
            return self.linalg(depth)
        if kind == "shape":
            return self.reshape(self.expr(depth - 1))
        if kind == "index":
            return self.index(self.expr(depth - 1))
        if kind == "join":
            return self.join(depth)
        return self.leaf()

    def reduce(self, a: Val) -> Val:
        rng = self.rng
        fn = rng.choice(["sum", "mean", "max", "min", "prod", "var", "std"] if self.f.std else ["sum", "mean", "max", "min", "prod", "var"])
        inner = f"np.tanh({a.text})" if fn == "prod" else a.text
        if fn == "std":
            inner = f"(1.0 + {a.text} * 0.1)"      # keeps std away from 0
        if a.shape == () or rng.random() < 0.3:
            text = f"{inner}.{fn}()" if rng.random() < 0.3 and a.shape != () else f"np.{fn}({inner})"
            if fn == "std":
                return Val(f"np.std(np.stack([{inner}, {inner} * 2.0]))", ())
            return Val(text, ())
        axis = rng.randrange(len(a.shape))
        if rng.random() < 0.3:
            axis -= len(a.shape)
        keep = rng.random() < 0.4
        shape = list(a.shape)
        if keep:
            shape[axis] = 1
        else:
            del shape[axis]
        extra = ", keepdims=True" if keep else ""
        if rng.random() < 0.25:
            text = f"({inner}).{fn}(axis={axis}{extra})"
        else:
            text = f"np.{fn}({inner}, axis={axis}{extra})"
        return Val(text, tuple(shape))

    def coerce(self, v: Val, target: tuple) -> Val:
        """v rewritten into something that broadcasts against target."""
        rng = self.rng
        size = int(np.prod(v.shape, dtype=int))
        if v.shape != () and size == int(np.prod(target, dtype=int)) and rng.random() < 0.5:
            return Val(f"np.reshape({v.text}, {target!r})", target)
        if (len(v.shape) == 1 and len(target) == 2 and v.shape[0] == target[0] and self.f.none_index
                and rng.random() < 0.6):
            return Val(f"{v.text}[:, None]", (v.shape[0], 1))
        if len(v.shape) == 2 and v.shape[::-1] == target:
            return Val(f"{v.text}.T", target)
        return Val(f"np.{rng.choice(['sum', 'mean', 'max'])}({v.text})", ())

    def linalg(self, depth: int) -> Val:
        rng = self.rng
        a = self.expr(depth - 1)
        b = self.expr(depth - 1)
        if len(a.shape) >= 1 and len(b.shape) >= 1 and a.shape[-1] == b.shape[0] and len(a.shape) + len(b.shape) <= 4:
            shape = a.shape[:-1] + b.shape[1:]
            op = rng.choice(["({a} @ {b})", "np.dot({a}, {b})", "np.matmul({a}, {b})"])
            if len(a.shape) == 1 and len(b.shape) == 1 and rng.random() < 0.5:
                op = "{a}.dot({b})"
            return Val(op.format(a=a.text, b=b.text), shape)
        if len(a.shape) == 2 and len(b.shape) >= 1 and a.shape[0] == b.shape[0] and len(b.shape) <= 2:
            return Val(f"({a.text}.T @ {b.text})", a.shape[1:] + b.shape[1:])
        if len(a.shape) == 1 and len(b.shape) == 1:
            return Val(f"np.outer({a.text}, {b.text})", (a.shape[0], b.shape[0]))
        return Val(f"np.outer({a.text}, {b.text})",
                   (int(np.prod(a.shape, dtype=int)), int(np.prod(b.shape, dtype=int))))

    def reshape(self, a: Val) -> Val:
        rng = self.rng
        if a.shape == ():
            return Val(f"np.reshape({a.text}, (1,))", (1,))
        if len(a.shape) == 2:
            choice = rng.choice(["T", "transpose", "ravel", "reshape", "flatten", "swap"])
            if choice == "T":
                return Val(f"{a.text}.T", a.shape[::-1])
            if choice == "transpose":
                return Val(f"np.transpose({a.text})", a.shape[::-1])
            if choice == "ravel":
                return Val(f"np.ravel({a.text})", (a.shape[0] * a.shape[1],))
            if choice == "flatten":
                return Val(f"{a.text}.flatten()", (a.shape[0] * a.shape[1],))
            if choice == "swap":
                return Val(f"np.swapaxes({a.text}, 0, 1)", a.shape[::-1])
            return Val(f"{a.text}.reshape(-1)", (a.shape[0] * a.shape[1],))
        n = a.shape[0]
        choice = rng.choice(["col", "row", "2d", "flip", "cumsum", "expand"])
        if choice == "col":
            return Val(f"{a.text}.reshape({n}, 1)", (n, 1))
        if choice == "row":
            return Val(f"np.reshape({a.text}, (1, -1))", (1, n))
        if choice == "2d" and n == 4:
            return Val(f"np.reshape({a.text}, (2, 2))", (2, 2))
        if choice == "flip":
            return Val(f"np.flip({a.text})", a.shape)
        if choice == "cumsum":
            return Val(f"np.cumsum({a.text})", a.shape)
        return Val(f"np.expand_dims({a.text}, 0)", (1, n))

    def index(self, a: Val) -> Val:
        rng = self.rng
        if a.shape == ():
            return a
        n0 = a.shape[0]
        options = ["int", "slice", "neg", "step"]
        if len(a.shape) == 2:
            options += ["col", "rowslice", "elem"]
        if self.f.bool_mask_reads:
            options += ["mask"]
        if self.f.int_array_reads:
            options += ["intarr"]
        choice = rng.choice(options)
        t = a.text
        if choice == "int":
            return Val(f"{t}[{rng.randrange(n0)}]", a.shape[1:])
        if choice == "neg":
            return Val(f"{t}[-{rng.randint(1, n0)}]", a.shape[1:])
        if choice == "slice":
            if n0 < 2:
                return Val(f"{t}[0]", a.shape[1:])
            lo = rng.randint(0, n0 - 2)
            hi = rng.choice([None, rng.randint(lo + 1, n0)])
            if hi is None:
                return Val(f"{t}[{lo}:]", (n0 - lo,) + a.shape[1:])
            return Val(f"{t}[{lo}:{hi}]", (hi - lo,) + a.shape[1:])
        if choice == "step":
            if rng.random() < 0.5:
                return Val(f"{t}[::-1]", a.shape)
            return Val(f"{t}[::2]", ((n0 + 1) // 2,) + a.shape[1:])
        if choice == "col":
            j = rng.randrange(a.shape[1])
            return Val(f"{t}[:, {j}]", (n0,))
        if choice == "rowslice":
            return Val(f"{t}[:, 1:]", (n0, a.shape[1] - 1))
        if choice == "elem":
            return Val(f"{t}[{rng.randrange(n0)}, -1]", ())
        if choice == "mask":
            # boolean masks give data-dependent shapes: reduce the selection straight away (sum of none is 0)
            return Val(f"np.sum({t}[{t} > {_fmt(rng.uniform(-0.5, 0.5))}])", ())
        idx = [rng.randrange(n0) for _ in range(rng.randint(1, 4))]      # repeats on purpose
        if not self.f.int_index_repeats:
            idx = sorted(set(idx))
        if rng.random() < 0.5:
            return Val(f"{t}[{idx!r}]", (len(idx),) + a.shape[1:])
        return Val(f"{t}[np.array({idx!r})]", (len(idx),) + a.shape[1:])

    def join(self, depth: int) -> Val:
        rng = self.rng
        a = self.expr(depth - 1)
        if a.shape == ():
            a = Val(f"np.reshape({a.text}, (1,))", (1,))
        b = self.expr(depth - 1)
        if b.shape != a.shape:
            b = Val(f"({b.text}) * np.ones({a.shape!r})" if _bshape(a.shape, b.shape) == a.shape
                    else f"np.full({a.shape!r}, {self.coerce(b, ()).text})", a.shape)
        if rng.random() < 0.5:
            axis = rng.randrange(len(a.shape))
            shape = list(a.shape)
            shape[axis] *= 2
            fn = "np.concatenate([{a}, {b}], axis={axis})" if rng.random() < 0.7 else "np.concatenate(({a}, {b}), {axis})"
            return Val(fn.format(a=a.text, b=b.text, axis=axis), tuple(shape))
        axis = rng.randrange(len(a.shape) + 1)
        shape = list(a.shape)
        shape.insert(axis, 2)
        return Val(f"np.stack([{a.text}, {b.text}], axis={axis})", tuple(shape))

    # ---- statements ------------------------------------------------------------------
    def _emit(self, indent: int, line: str):
        self.lines.append("    " * indent + line)

    def _statement(self, indent: int):
        rng = self.rng
        f = self.f
        kinds = ["assign"] * 4
        if f.inplace:
            kinds += ["inplace"] * 3
        if f.loops:
            kinds += ["loop"] * 2
        if f.row_loops:
            kinds += ["rows"]
        if f.branches:
            kinds += ["branch"]
        if f.helpers:
            kinds += ["helper"]
        if f.nested_defs:
            kinds += ["nested"]
        if f.everyday:
            kinds += ["everyday"] * 2
        before = len(self.lines)
        getattr(self, "_s_" + rng.choice(kinds))(indent)
        # names this statement defined or wrote into depend on a parameter if anything it read does
        text = "\n".join(self.lines[before:])
        if self.is_active(text):
            for line in self.lines[before:]:
                target = line.strip().split("=")[0]
                for n in _NAME.findall(target):
                    if n in self.env:
                        self.active.add(n)

    def _s_assign(self, indent: int):
        v = self.expr(self.rng.randint(1, 3))
        name = self._new()
        self._emit(indent, f"{name} = {v.text}")
        self.env[name] = v.shape

    def _owned_array(self, indent: int) -> str:
        """Create an array the function owns, in one of the ways users write it."""
        rng = self.rng
        arrays = [(n, s) for n, s in self.env.items() if s != ()]
        name = self._new("y")
        src_name, shape = rng.choice(arrays) if arrays else ("x", (self.N,))
        how = rng.choice(["zeros", "mul", "copy", "zeros_like", "ones", "expr"])
        if how == "zeros":
            self._emit(indent, f"{name} = np.zeros({shape!r})")
        elif how == "ones":
            self._emit(indent, f"{name} = np.ones({shape!r})")
        elif how == "mul":
            self._emit(indent, f"{name} = {src_name} * 1.0")
        elif how == "copy":
            self._emit(indent, f"{name} = {src_name}.copy()")
        elif how == "zeros_like":
            self._emit(indent, f"{name} = np.zeros_like({src_name})")
        else:
            self._emit(indent, f"{name} = np.tanh({src_name}) + 0.5")
        self.env[name] = shape
        self.owned.add(name)
        return name

    def _value_for(self, shape: tuple, depth: int = 2) -> str:
        v = self.expr(depth)
        if _bshape(v.shape, shape) != shape:
            v = self.coerce(v, shape)
            if _bshape(v.shape, shape) != shape:
                v = Val(f"np.sum({v.text})", ())
        return v.text

    def _target(self, name: str, shape: tuple):
        """(subscript text, shape of the selected part) for an in-place write into name."""
        rng = self.rng
        n0 = shape[0]
        opts = ["int", "neg", "tail", "head"]
        if len(shape) == 2:
            opts += ["col", "elem"]
        if self.f.int_array_reads:
            opts += ["intarr"]
        c = rng.choice(opts)
        if c == "int":
            return f"{rng.randrange(n0)}", shape[1:]
        if c == "neg":
            return "-1", shape[1:]
        if c == "tail":
            return "1:", (n0 - 1,) + shape[1:]
        if c == "head":
            return ":-1", (n0 - 1,) + shape[1:]
        if c == "col":
            return f":, {rng.randrange(shape[1])}", (n0,)
        if c == "elem":
            return f"{rng.randrange(n0)}, {rng.randrange(shape[1])}", ()
        idx = sorted(rng.sample(range(n0), rng.randint(1, n0)))       # distinct: a write with repeats is ambiguous
        return f"{idx!r}", (len(idx),) + shape[1:]

    def _s_inplace(self, indent: int):
        rng = self.rng
        owned = [n for n in self.owned if n in self.env]
        reuse = owned and rng.random() < 0.5 and self.f.write_after_views
        name = rng.choice(owned) if reuse else self._owned_array(indent)
        shape = self.env[name]
        for _ in range(rng.randint(1, 3)):
            c = rng.choice(["set", "aug", "aug", "mask_zero", "mask_scale", "loop"])
            if c in ("set", "aug"):
                sub, sshape = self._target(name, shape)
                op = "=" if c == "set" else rng.choice(["+=", "-=", "*="])
                val = self._value_for(sshape)
                if val == name and not self.f.write_itself:
                    val = f"np.tanh({name})"
                self._emit(indent, f"{name}[{sub}] {op} {val}")
            elif c == "mask_zero":
                self._emit(indent, f"{name}[{name} > {_fmt(rng.uniform(0, 0.8))}] = 0")
            elif c == "mask_scale":
                other = self._value_for(shape, 1)
                self._emit(indent, f"{name}[{name} < {_fmt(rng.uniform(-0.5, 0.5))}] *= 0.5")
                self._emit(indent, f"{name} = {name} + 0.1 * {other}")
            else:
                i = rng.choice(["i", "k"])
                n0 = shape[0]
                self._emit(indent, f"for {i} in range(1, {n0}):")
                row = shape[1:]
                src = self._value_for(row, 1)
                body = rng.choice([
                    f"{name}[{i}] = 0.5 * {name}[{i} - 1] + np.tanh({src})",
                    f"{name}[{i}] += {name}[{i} - 1] * 0.3",
                    f"{name}[{i}] = np.sin({name}[{i} - 1]) * {src}",
                    f"{name}[{i} - 1] -= 0.2 * {name}[{i}]",
                ])
                self._emit(indent + 1, body)

    def _s_loop(self, indent: int):
        rng = self.rng
        acc = self._new("acc")
        arrays = [(n, s) for n, s in self.env.items() if s != ()]
        if arrays and rng.random() < 0.6:
            src, shape = rng.choice(arrays)
            n0 = shape[0]
            init = rng.choice(["0.0", f"np.zeros({shape[1:]!r})"]) if shape[1:] else "0.0"
            self._emit(indent, f"{acc} = {init}")
            self._emit(indent, f"for i in range({n0}):")
            extra = self._value_for(shape[1:], 1)
            body = rng.choice([
                f"{acc} = {acc} + np.tanh({src}[i]) * {extra}",
                f"{acc} = {acc} * 0.5 + {src}[i] ** 2",
                f"{acc} += np.sin({src}[i] + {acc})",
                f"{acc} = {acc} + {src}[i] * (i + 1)",
            ])
            self._emit(indent + 1, body)
            self.env[acc] = shape[1:]
            return
        v = self.expr(2)
        self._emit(indent, f"{acc} = {v.text}")
        self._emit(indent, f"for j in range({rng.randint(1, 3)}):")
        step = self._value_for(v.shape, 1)
        self._emit(indent + 1, rng.choice([
            f"{acc} = np.tanh({acc}) * {step}",
            f"{acc} = {acc} + 0.5 * np.sin({acc} * {step})",
            f"{acc} = 0.9 * {acc} + 0.1 * {step}",
        ]))
        self.env[acc] = v.shape

    def _s_rows(self, indent: int):
        rng = self.rng
        mats = [(n, s) for n, s in self.env.items() if len(s) == 2]
        if not mats:
            return self._s_assign(indent)
        src, shape = rng.choice(mats)
        acc = self._new("acc")
        owned_out = rng.random() < 0.4 and self.f.inplace
        if owned_out:
            self._emit(indent, f"{acc} = np.zeros({shape!r})")
            row = "row" if self.f.reuse_row_name else f"row{self.counter}"
            self._emit(indent, f"for i, {row} in enumerate({src}):")
            self._emit(indent + 1, f"{acc}[i] = np.tanh({row}) * (i + 1)")
            self.env[acc] = shape
            self.owned.add(acc)
            return
        row = "row" if self.f.reuse_row_name else f"row{self.counter}"
        self._emit(indent, f"{acc} = np.zeros({shape[1:]!r})")
        self._emit(indent, f"for {row} in {src}:")
        self._emit(indent + 1, rng.choice([
            f"{acc} = {acc} + np.tanh({row})",
            f"{acc} = {acc} * 0.5 + {row} * {row}",
            f"{acc} += np.sin({row}) * {acc} + {row}",
        ]))
        self.env[acc] = shape[1:]

    def _s_branch(self, indent: int):
        rng = self.rng
        cond = self.reduce(self.expr(1))
        if cond.shape != ():
            cond = Val(f"np.sum({cond.text})", ())
        name = self._new()
        v1 = self.expr(2)
        self._emit(indent, f"if {cond.text} > {_fmt(rng.uniform(-0.5, 0.5))}:")
        self._emit(indent + 1, f"{name} = {v1.text}")
        self._emit(indent, "else:")
        other = self._value_for(v1.shape, 1)
        if v1.shape != ():       # both branches give the same shape (the else value may broadcast)
            other = f"({other}) * np.ones({v1.shape!r})"
        self._emit(indent + 1, f"{name} = {other} * 0.5")
        self.env[name] = v1.shape

    def _s_helper(self, indent: int):
        rng = self.rng
        h = f"_{self.name}_h{self.counter}"
        body = rng.choice([
            "return np.tanh(a) * b + a",
            "c = a * b\n    return np.sin(c) + 0.5 * a",
            "return np.log(1 + a * a) - b * 0.25",
            "if np.sum(b) > 0:\n        return a * b\n    return a - b",
        ])
        self.pre.append(f"def {h}(a, b):\n    {body}\n\n")
        a = self.expr(1)
        b = Val(self._value_for(a.shape, 1), a.shape)
        name = self._new()
        self._emit(indent, f"{name} = {h}({a.text}, {b.text})")
        self.env[name] = a.shape

    def _s_nested(self, indent: int):
        rng = self.rng
        captured = [p.name for p in self.params if p.kind in ("array", "scalar")]
        if not captured:
            return self._s_assign(indent)
        cap = rng.choice(captured)
        fn = self._new("inner")
        self._emit(indent, f"def {fn}(t):")
        self._emit(indent + 1, f"return t * np.sum(np.tanh({cap})) + np.cos(t)")
        a = self.expr(1)
        name = self._new()
        self._emit(indent, f"{name} = {fn}({a.text})")
        self.env[name] = a.shape

    def _s_everyday(self, indent: int):
        rng = self.rng
        kinds = ["record", "decorated", "rows", "dict"] + (["draw"] if self.f.draws else [])
        kind = rng.choice(kinds)
        name = self._new()
        if kind == "record":
            a = self.expr(rng.randint(1, 2))
            if a.shape == ():
                factor = rng.choice(["ARRAYS.scale", "SETTINGS.rate", "LIMITS.first"])
            else:
                factor = f"ARRAYS.w{a.shape[-1]}"
            self._emit(indent, f"{name} = {a.text} * {factor}")
            self.env[name] = a.shape
        elif kind == "decorated":
            a = self.expr(rng.randint(1, 2))
            self._emit(indent, f"{name} = smooth({a.text})")
            self.env[name] = a.shape
        elif kind == "draw":
            a = self.expr(rng.randint(1, 2))
            self._emit(indent, f"{name} = noisy_like({a.text})")
            self.env[name] = a.shape
        elif kind == "rows":
            mats = [(n, s) for n, s in self.env.items() if len(s) == 2]
            if not mats:
                return self._s_assign(indent)
            src, (m, n) = rng.choice(mats)
            text, shape = rng.choice([
                (f"np.stack([np.tanh(r) * {_fmt(rng.uniform(0.5, 1.5))} for r in {src}])", (m, n)),
                (f"np.array([np.sum(r * r) for r in {src}])", (m,)),
                (f"sum(np.sin(r) for r in {src})", (n,)),
                (f"np.sum([r * (i + 1) for i, r in enumerate({src})], axis=0)", (n,)),
            ])
            self._emit(indent, f"{name} = {text}")
            self.env[name] = shape
        else:
            parts = self._new("parts")
            values = [self.expr(1) for _ in range(rng.randint(1, 3))]
            entries = ", ".join(f"'k{i}': {v.text}" for i, v in enumerate(values))
            self._emit(indent, f"{parts} = {{{entries}}}")
            self._emit(indent, f"{name} = 0.0")
            form = rng.choice(["items", "keys", "values", "in"])
            header = {"items": f"for key, val in {parts}.items():", "keys": f"for key in {parts}.keys():",
                      "values": f"for val in {parts}.values():", "in": f"for key in {parts}:"}[form]
            value = "val" if form in ("items", "values") else f"{parts}[key]"
            self._emit(indent, header)
            self._emit(indent + 1, f"{name} = {name} + np.sum(np.tanh({value}))")
            self.env[name] = ()
