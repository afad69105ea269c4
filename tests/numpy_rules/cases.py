"""The NumPy rule table's test cases, as data.

Each case is the body of a function (an expression, or statements that
assign `out`) and the inputs to call it with. `module_source` writes every
case as a function

    def f12(x, b, W):
        out = np.maximum(x, b)
        return np.sum(out * W)

whose fixed random weights W make every element of `out` matter with a
different weight. Inputs are drawn away from kinks and singularities.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

import numpy as np


# ---- inputs -------------------------------------------------------------------------

@dataclass(frozen=True)
class Arg:
    """How to make one input: `kind` names the domain, `shape` its shape (() is a 0-d array)."""

    kind: str
    shape: tuple = ()
    value: object = None

    @property
    def differentiable(self) -> bool:
        return self.kind not in ("const",)

    def make(self, rng, dtype=np.float64):
        if self.kind == "float":
            return float(self.value)
        if self.kind == "const":
            return self.value
        if self.kind == "values":
            return np.asarray(self.value, dtype=dtype)
        n = self.shape
        if self.kind == "any":
            x = rng.uniform(-2, 2, n)
        elif self.kind == "pos":
            x = rng.uniform(0.5, 2, n)
        elif self.kind == "unit":
            x = rng.uniform(-0.9, 0.9, n)
        elif self.kind == "gt1":
            x = rng.uniform(1.2, 3, n)
        elif self.kind == "away":                 # |x| in [0.3, 2], either sign
            x = rng.uniform(0.3, 2, n) * rng.choice([-1.0, 1.0], n)
        elif self.kind == "spd":                  # symmetric positive definite (..., k, k)
            b = rng.uniform(-1, 1, n)
            x = b @ np.swapaxes(b, -1, -2) + n[-1] * np.eye(n[-1])
        elif self.kind == "sym":                  # symmetric with well separated eigenvalues
            q, _ = np.linalg.qr(rng.normal(size=n))
            w = np.arange(1, n[-1] + 1) * 1.5 + rng.uniform(0, 0.5, n[:-2] + (n[-1],))
            x = (q * np.expand_dims(w, -2)) @ np.swapaxes(q, -1, -2)
            x = (x + np.swapaxes(x, -1, -2)) / 2
        elif self.kind == "wellcond":             # square matrices with no small singular values
            x = rng.uniform(-1, 1, n) + 2.5 * np.eye(n[-1])
        else:
            raise ValueError(self.kind)
        return np.asarray(x, dtype=dtype)


def A(*shape):
    return Arg("any", shape)


def P(*shape):
    return Arg("pos", shape)


def U(*shape):
    return Arg("unit", shape)


def Away(*shape):
    return Arg("away", shape)


def F(value):
    return Arg("float", value=value)


def K(value):
    return Arg("const", value=value)


def V(values):
    return Arg("values", value=values)


def SPD(*shape):
    return Arg("spd", shape)


def SYM(*shape):
    return Arg("sym", shape)


def WC(*shape):
    return Arg("wellcond", shape)


@dataclass
class Case:
    id: str
    body: str
    args: dict
    wrt: tuple = field(default=())
    float32: bool = True            # also run with float32 inputs, expecting float32 gradients

    def __post_init__(self):
        if not self.wrt:
            self.wrt = tuple(name for name, arg in self.args.items() if arg.differentiable)

    def statements(self) -> str:
        body = textwrap.dedent(self.body).strip()
        if "\n" in body or body.startswith("out =") or "out = " in body:
            return body
        return f"out = {body}"

    def inputs(self, seed: int, dtype=np.float64) -> dict:
        rng = np.random.default_rng(seed)
        return {name: arg.make(rng, dtype) for name, arg in self.args.items()}


CASES: list[Case] = []


def case(id, body, wrt=(), float32=True, **args):
    CASES.append(Case(id, body, args, tuple(wrt), float32))


# ---- elementwise unary ----------------------------------------------------------------

SHAPES = {"float": None, "0d": (), "vec": (5,), "mat": (3, 4), "3d": (2, 3, 2)}
UNARY = [
    ("negative", "any"), ("positive", "any"), ("abs", "away"), ("absolute", "away"), ("fabs", "away"),
    ("exp", "any"), ("exp2", "any"), ("expm1", "any"), ("log", "pos"), ("log2", "pos"), ("log10", "pos"),
    ("log1p", "pos"), ("sqrt", "pos"), ("cbrt", "away"), ("square", "any"), ("reciprocal", "away"),
    ("sin", "any"), ("cos", "any"), ("tan", "unit"), ("arcsin", "unit"), ("arccos", "unit"), ("arctan", "any"),
    ("sinh", "any"), ("cosh", "any"), ("tanh", "any"), ("arcsinh", "any"), ("arccosh", "gt1"),
    ("arctanh", "unit"), ("deg2rad", "any"), ("rad2deg", "unit"), ("radians", "any"), ("degrees", "unit"),
    ("sinc", "any"), ("real", "any"), ("conj", "any"), ("conjugate", "any"),
]
FLOAT_OF = {"any": 0.7, "pos": 1.3, "unit": 0.4, "away": -0.8, "gt1": 1.7}
for fn, domain in UNARY:
    for label, shape in SHAPES.items():
        x = F(FLOAT_OF[domain]) if shape is None else Arg(domain, shape)
        case(f"{fn}-{label}", f"np.{fn}(x)", x=x)
case("sinc-at-zero", "np.sinc(x)", x=V([0.0, 0.5, -1.5]))
# sign, imag: constant pieces, so only the other path carries a derivative
case("sign", "np.sign(x) * x", x=Away(3, 4))
case("imag", "np.imag(x) + x * 2", x=A(3, 4))

# ---- elementwise binary, with broadcasting -------------------------------------------

PATTERNS = {
    "same": ((3, 4), (3, 4)), "row": ((3, 4), (4,)), "outer": ((3, 1), (1, 4)), "mid": ((2, 3, 4), (3, 1)),
    "scalar-left": (None, (3,)), "scalar-right": ((4,), None), "0d": ((), (2, 3)), "both3d": ((2, 1, 4), (3, 1)),
}
BINARY = [
    ("add", "any", "any"), ("subtract", "any", "any"), ("multiply", "any", "any"), ("divide", "any", "away"),
    ("true_divide", "any", "away"), ("power", "pos", "any"), ("float_power", "pos", "any"),
    ("maximum", "any", "any"), ("minimum", "any", "any"), ("fmax", "any", "any"), ("fmin", "any", "any"),
    ("arctan2", "away", "away"), ("hypot", "away", "any"), ("logaddexp", "any", "any"),
    ("logaddexp2", "any", "any"), ("mod", "pos", "pos"), ("remainder", "pos", "pos"), ("fmod", "pos", "pos"),
]
for fn, left, right in BINARY:
    for label, (sa, sb) in PATTERNS.items():
        a = F(FLOAT_OF[left] + 0.05) if sa is None else Arg(left, sa)
        b = F(FLOAT_OF[right] - 0.15) if sb is None else Arg(right, sb)
        case(f"{fn}-{label}", f"np.{fn}(a, b)", a=a, b=b)
for label, (sa, sb) in PATTERNS.items():
    a = F(0.65) if sa is None else A(*sa)
    b = F(-0.3) if sb is None else A(*sb)
    case(f"operators-{label}", "(a + b) * a - b / (1.5 + a * a) + (b * b + 1.0) ** a", a=a, b=b)
case("copysign", "np.copysign(a, b)", a=Away(3, 4), b=Away(4,))
case("where-same", "np.where(c > 0, a, b)", a=A(3, 4), b=A(3, 4), c=A(3, 4), wrt=("a", "b"))
case("where-broadcast", "np.where(c > 0, a, b)", a=A(3, 1), b=A(4,), c=A(3, 4), wrt=("a", "b"))
case("where-scalar", "np.where(c > 0, a, b)", a=F(0.3), b=A(3, 4), c=A(3, 4), wrt=("a", "b"))
case("where-cond-broadcast", "np.where(c > 0, a, b)", a=A(2, 3, 4), b=A(2, 3, 4), c=A(4,), wrt=("a", "b"))
case("clip", "np.clip(a, -0.5, 0.7)", a=A(3, 4))
case("clip-arrays", "np.clip(a, lo, hi)", a=A(3, 4), lo=U(4,), hi=P(3, 1))
case("clip-low-only", "np.clip(a, lo, None)", a=A(3, 4), lo=U(3, 1))
case("clip-high-only", "np.clip(a, None, 0.5)", a=A(2, 5))
case("clip-scalar-bounds", "np.clip(a, lo, hi)", a=A(3, 4), lo=F(-0.55), hi=F(0.45))

# ---- reductions ---------------------------------------------------------------------

AXES = {"all": "", "0": ", axis=0", "neg": ", axis=-1", "tuple": ", axis=(0, 2)", "tuple-neg": ", axis=(-1, -2)",
        "keep": ", axis=1, keepdims=True", "all-keep": ", keepdims=True"}
for fn in ("sum", "mean", "prod", "max", "min", "amax", "amin", "var", "std"):
    for label, axis in AXES.items():
        case(f"{fn}-{label}", f"np.{fn}(x{axis})", x=P(2, 3, 4) if fn == "prod" else A(2, 3, 4))
for fn in ("var", "std"):
    case(f"{fn}-ddof", f"np.{fn}(x, axis=0, ddof=1)", x=A(4, 3))
    case(f"{fn}-ddof-all", f"np.{fn}(x, ddof=1)", x=A(3, 4))
case("sum-vec", "np.sum(x)", x=A(5))
case("sum-list-of-floats", "np.sum([a, b * 2.0, a * b])", a=F(0.3), b=F(-1.2))
case("mean-vec-axis0", "np.mean(x, axis=0)", x=A(6))
case("prod-with-zero", "np.prod(x, axis=1)", x=V([[0.0, 2.0, 3.0], [1.5, 0.0, 0.0], [2.0, -1.0, 0.5]]))
case("prod-1d", "np.prod(x)", x=P(5))
for fn in ("cumsum", "cumprod"):
    for label, axis in {"flat": "", "0": ", axis=0", "neg": ", axis=-1"}.items():
        case(f"{fn}-{label}", f"np.{fn}(x{axis})", x=P(2, 3, 4) if fn == "cumprod" else A(2, 3, 4))
    case(f"{fn}-vec", f"np.{fn}(x)", x=P(6))
NORMS = {
    "vec-default": ("A(5)", ""), "vec-2": ("A(5)", ", ord=2"), "vec-1": ("Away(5)", ", 1"),
    "vec-inf": ("A(5)", ", np.inf"), "vec-neginf": ("Away(5)", ", -np.inf"), "vec-3": ("Away(5)", ", 3"),
    "vec-half": ("Away(4)", ", 0.5"), "flat-3d": ("A(2, 3, 4)", ""), "mat-default": ("A(3, 4)", ""),
    "mat-fro": ("A(3, 4)", ", 'fro'"), "mat-nuc": ("A(3, 4)", ", 'nuc'"), "mat-2": ("A(3, 4)", ", 2"),
    "mat-neg2": ("A(4, 3)", ", -2"), "mat-1": ("Away(3, 4)", ", 1"), "mat-neg1": ("Away(3, 4)", ", -1"),
    "mat-inf": ("Away(3, 4)", ", np.inf"), "mat-neginf": ("Away(3, 4)", ", -np.inf"),
    "axis1": ("A(3, 4)", ", axis=1"), "axis-neg-keep": ("A(3, 4)", ", axis=-2, keepdims=True"),
    "axis1-ord1": ("Away(3, 4)", ", ord=1, axis=1"), "axis-inf": ("A(3, 4)", ", ord=np.inf, axis=0"),
    "batch-fro": ("A(2, 3, 4)", ", axis=(1, 2)"), "batch-2": ("A(2, 3, 4)", ", ord=2, axis=(2, 1)"),
    "batch-nuc-keep": ("A(3, 2, 4)", ", ord='nuc', axis=(0, 2), keepdims=True"),
    "batch-1": ("Away(2, 3, 4)", ", ord=1, axis=(1, 2)"), "batch-inf": ("Away(2, 3, 4)", ", ord=np.inf, axis=(0, 2)"),
}
for label, (arg, options) in NORMS.items():
    case(f"norm-{label}", f"np.linalg.norm(x{options})", x=eval(arg))
case("diff", "np.diff(x)", x=A(3, 5))
case("diff-n2-axis0", "np.diff(x, n=2, axis=0)", x=A(5, 3))

# ---- linear algebra -----------------------------------------------------------------

PRODUCTS = {
    "vec-vec": ((3,), (3,)), "mat-vec": ((2, 3), (3,)), "vec-mat": ((3,), (3, 4)), "mat-mat": ((2, 3), (3, 4)),
    "stack-mat": ((5, 2, 3), (3, 4)), "mat-stack": ((2, 3), (5, 3, 4)), "stack-stack": ((5, 2, 3), (5, 3, 4)),
    "broadcast-stacks": ((5, 1, 2, 3), (4, 3, 2)), "vec-stack": ((3,), (5, 3, 4)), "stack-vec": ((5, 2, 3), (3,)),
}
for label, (sa, sb) in PRODUCTS.items():
    case(f"matmul-{label}", "np.matmul(a, b)", a=A(*sa), b=A(*sb))
    case(f"matmul-operator-{label}", "a @ b", a=A(*sa), b=A(*sb))
DOTS = {
    "vec-vec": ((3,), (3,)), "mat-vec": ((2, 3), (3,)), "vec-mat": ((3,), (3, 4)), "mat-mat": ((2, 3), (3, 4)),
    "3d-vec": ((2, 3, 4), (4,)), "3d-mat": ((2, 3, 4), (4, 5)), "3d-3d": ((2, 3, 4), (3, 4, 2)),
    "vec-3d": ((4,), (2, 4, 3)), "0d-mat": ((), (2, 3)), "mat-0d": ((2, 3), ()),
}
for label, (sa, sb) in DOTS.items():
    case(f"dot-{label}", "np.dot(a, b)", a=A(*sa), b=A(*sb))
case("dot-float", "np.dot(a, b)", a=F(1.5), b=A(3))
case("dot-method", "a.dot(b)", a=A(2, 3), b=A(3, 4))
INNERS = {"vec": ((3,), (3,)), "mat-vec": ((2, 3), (3,)), "mat-mat": ((2, 3), (4, 3)),
          "3d-mat": ((2, 3, 4), (5, 4)), "0d": ((), (2, 3))}
for label, (sa, sb) in INNERS.items():
    case(f"inner-{label}", "np.inner(a, b)", a=A(*sa), b=A(*sb))
case("vdot", "np.vdot(a, b)", a=A(2, 3), b=A(3, 2))
case("outer-vec", "np.outer(a, b)", a=A(3), b=A(4))
case("outer-flattens", "np.outer(a, b)", a=A(2, 3), b=A(4))
TENSORDOTS = {
    "default": ((2, 3, 4), (3, 4, 5), ""), "one": ((2, 3), (3, 4), ", axes=1"), "zero": ((2, 3), (4,), ", axes=0"),
    "pairs": ((3, 4, 5), (4, 3, 2), ", axes=([1, 0], [0, 1])"), "single": ((3, 4), (2, 5, 3), ", axes=([0], [2])"),
    "ints": ((3, 4), (4, 2), ", axes=(1, 0)"), "full": ((3, 4), (3, 4), ", axes=2"),
}
for label, (sa, sb, axes) in TENSORDOTS.items():
    case(f"tensordot-{label}", f"np.tensordot(a, b{axes})", a=A(*sa), b=A(*sb))
EINSUMS = {
    "matmul": ("'ij,jk->ik'", ((2, 3), (3, 4))), "implicit": ("'ij,jk'", ((2, 3), (3, 4))),
    "dot": ("'i,i->'", ((4,), (4,))), "frobenius": ("'ij,ij->'", ((2, 3), (2, 3))),
    "colsum": ("'ij->j'", ((3, 4),)), "rowsum": ("'ij->i'", ((3, 4),)), "trace": ("'ii->'", ((3, 3),)),
    "diag": ("'ii->i'", ((3, 3),)), "batch": ("'bij,bjk->bik'", ((2, 3, 4), (2, 4, 5))),
    "ellipsis": ("'...ij,...jk->...ik'", ((2, 3, 4), (2, 4, 2))), "three": ("'ij,j,k->ik'", ((2, 3), (3,), (4,))),
    "outer": ("'i,j->ij'", ((3,), (4,))), "permute": ("'ijk->kji'", ((2, 3, 4),)),
    "spaces": ("'ij, jk -> ki'", ((2, 3), (3, 4))), "sum-only-left": ("'ij,k->k'", ((2, 3), (4,))),
}
for label, (spec, shapes) in EINSUMS.items():
    names = "abc"[:len(shapes)]
    case(f"einsum-{label}", f"np.einsum({spec}, {', '.join(names)})", **{n: A(*s) for n, s in zip(names, shapes)})
case("einsum-optimize", "np.einsum('ij,jk,kl->il', a, b, c, optimize=True)", a=A(2, 3), b=A(3, 4), c=A(4, 2))
case("trace", "np.trace(x)", x=A(3, 3))
case("trace-offset", "np.trace(x, 1)", x=A(3, 4))
case("trace-negative-offset", "np.trace(x, offset=-1)", x=A(4, 3))
case("trace-axes", "np.trace(x, axis1=1, axis2=2)", x=A(2, 3, 3))
case("trace-axes-reversed", "np.trace(x, 0, 2, 0)", x=A(3, 2, 4))
case("trace-method", "x.trace()", x=A(3, 3))
case("diag-build", "np.diag(v)", v=A(4))
case("diag-build-offset", "np.diag(v, 1)", v=A(3))
case("diag-take", "np.diag(x)", x=A(3, 3))
case("diag-take-rect-offset", "np.diag(x, k=1)", x=A(3, 4))
case("diag-take-negative", "np.diag(x, -1)", x=A(4, 3))
case("diagonal", "np.diagonal(x, 1)", x=A(3, 4))
case("diagonal-axes", "np.diagonal(x, 0, 1, 2)", x=A(2, 3, 3))
case("diagonal-method", "x.diagonal()", x=A(3, 4))
for fn in ("triu", "tril"):
    case(f"{fn}", f"np.{fn}(x)", x=A(3, 4))
    case(f"{fn}-k1", f"np.{fn}(x, 1)", x=A(4, 3))
    case(f"{fn}-k-neg", f"np.{fn}(x, k=-1)", x=A(3, 3))
    case(f"{fn}-batch", f"np.{fn}(x)", x=A(2, 3, 3))
KRONS = {"mat": ((2, 3), (2, 2)), "vec": ((3,), (2,)), "mat-vec": ((2, 3), (2,)), "3d": ((2, 1, 2), (3, 2))}
for label, (sa, sb) in KRONS.items():
    case(f"kron-{label}", "np.kron(a, b)", a=A(*sa), b=A(*sb))
case("inv", "np.linalg.inv(a)", a=WC(3, 3))
case("inv-batch", "np.linalg.inv(a)", a=WC(2, 3, 3))
case("det", "np.linalg.det(a)", a=WC(3, 3))
case("det-batch", "np.linalg.det(a)", a=WC(2, 3, 3))
case("slogdet", "sign, logdet = np.linalg.slogdet(a)\nout = logdet", a=WC(3, 3))
case("slogdet-sign-times", "sign, logdet = np.linalg.slogdet(a)\nout = sign * logdet", a=WC(3, 3))
case("slogdet-index", "np.linalg.slogdet(a)[1]", a=WC(2, 3, 3))
case("solve-vec", "np.linalg.solve(a, b)", a=WC(3, 3), b=A(3))
case("solve-mat", "np.linalg.solve(a, b)", a=WC(3, 3), b=A(3, 2))
case("solve-batch", "np.linalg.solve(a, b)", a=WC(2, 3, 3), b=A(2, 3, 2))
case("solve-batch-vec", "np.linalg.solve(a, b)", a=WC(2, 3, 3), b=A(3))
case("solve-broadcast-b", "np.linalg.solve(a, b)", a=WC(3, 3), b=A(2, 3, 2))
case("cholesky", "np.linalg.cholesky(a)", a=SPD(3, 3))
case("cholesky-batch", "np.linalg.cholesky(a)", a=SPD(2, 3, 3))
case("cholesky-upper", "np.linalg.cholesky(a, upper=True)", a=SPD(3, 3))
case("cholesky-of-gram", "np.linalg.cholesky(b @ b.T + 3.0 * np.eye(3))", b=A(3, 3))
case("eigh-values", "w, v = np.linalg.eigh(a)\nout = w", a=SYM(3, 3))
case("eigh-vectors", "w, v = np.linalg.eigh(a)\nout = v * v", a=SYM(3, 3))
case("eigh-both", "w, v = np.linalg.eigh(a)\nout = w * (v * v)", a=SYM(4, 4))
case("eigh-batch", "w, v = np.linalg.eigh(a)\nout = w[..., None] * v ** 2", a=SYM(2, 3, 3))
case("eigh-upper", "w, v = np.linalg.eigh(a, UPLO='U')\nout = w * (v * v)", a=SYM(3, 3))
case("eigvalsh", "np.linalg.eigvalsh(a)", a=SYM(3, 3))
case("pinv-square", "np.linalg.pinv(a)", a=WC(3, 3))
case("pinv-tall", "np.linalg.pinv(a)", a=A(4, 3))
case("pinv-wide", "np.linalg.pinv(a)", a=A(2, 4))

# ---- shapes, joining, selecting -----------------------------------------------------

SHAPE_CASES = {
    "reshape": "np.reshape(x, (6, 4))", "reshape-minus-one": "np.reshape(x, -1)",
    "reshape-order-f": "np.reshape(x, (4, 6), order='F')", "reshape-keyword": "np.reshape(x, shape=(3, 8))",
    "ravel": "np.ravel(x)", "ravel-f": "np.ravel(x, order='F')",
    "transpose": "np.transpose(x)", "transpose-axes": "np.transpose(x, (1, 0, 2))",
    "transpose-axes-keyword": "np.transpose(x, axes=[2, 0, 1])", "swapaxes": "np.swapaxes(x, 0, 2)",
    "moveaxis": "np.moveaxis(x, 0, -1)", "moveaxis-many": "np.moveaxis(x, [0, 1], [1, 2])",
    "expand-dims": "np.expand_dims(x, 1)", "expand-dims-tuple": "np.expand_dims(x, (0, 4))",
    "flip-all": "np.flip(x)", "flip-0": "np.flip(x, 0)", "flip-axes": "np.flip(x, axis=(0, 2))",
    "roll-flat": "np.roll(x, 5)", "roll-axis": "np.roll(x, -1, axis=1)", "roll-axes": "np.roll(x, (1, -2), axis=(0, 2))",
    "tile-int": "np.tile(x, 2)", "tile-tuple": "np.tile(x, (2, 1, 3))", "tile-longer": "np.tile(x, (2, 1, 1, 2))",
    "repeat-flat": "np.repeat(x, 2)", "repeat-axis": "np.repeat(x, 3, axis=1)",
    "repeat-counts": "np.repeat(x, [2, 0, 1], axis=1)", "repeat-neg-axis": "np.repeat(x, 2, axis=-1)",
    "sort-last": "np.sort(x)", "sort-0": "np.sort(x, axis=0)", "sort-flat": "np.sort(x, axis=None)",
    "take-flat": "np.take(x, [0, 5, 5, 23])", "take-axis": "np.take(x, [2, 0, 2], axis=1)",
    "take-wrap": "np.take(x, [-1, 7], axis=2, mode='wrap')", "take-clip": "np.take(x, [0, 9], axis=0, mode='clip')",
    "take-along-axis": "np.take_along_axis(x, np.argsort(x, axis=1), axis=1)",
    "take-along-axis-repeats": "np.take_along_axis(x, np.zeros((2, 2, 4), dtype=int), axis=1)",
    "pad-int": "np.pad(x, 1)", "pad-pairs": "np.pad(x, ((1, 0), (2, 1), (0, 3)))",
    "pad-constant-value": "np.pad(x, (1, 2), constant_values=0.5)", "pad-edge": "np.pad(x, 2, mode='edge')",
    "pad-reflect": "np.pad(x, ((1, 1), (2, 1), (0, 2)), mode='reflect')", "pad-symmetric": "np.pad(x, 2, mode='symmetric')",
    "pad-wrap": "np.pad(x, (1, 3), mode='wrap')", "broadcast-to": "np.broadcast_to(x[:, :1, :], (5, 2, 3, 4))",
    "atleast-3d": "np.atleast_3d(x[0, 0])", "rot90": "np.rot90(x)", "rot90-k": "np.rot90(x, 3, axes=(1, 2))",
    "fliplr": "np.fliplr(x)", "flipud": "np.flipud(x)", "copy": "np.copy(x)", "asarray": "np.asarray(x)",
    "array-of-array": "np.array(x)",
}
for label, body in SHAPE_CASES.items():
    case(label, body, x=A(2, 3, 4))
case("squeeze", "np.squeeze(x)", x=A(1, 3, 1, 4))
case("squeeze-axis", "np.squeeze(x, axis=0)", x=A(1, 3, 1))
case("broadcast-to-from-vec", "np.broadcast_to(x, (3, 4))", x=A(4))
case("broadcast-arrays", "p, q = np.broadcast_arrays(a, b)\nout = p * q + p", a=A(3, 1), b=A(4))
case("pad-constant-wrt-value", "np.pad(x, 1, constant_values=c)", x=A(2, 3), c=F(0.3))
case("concatenate-0", "np.concatenate([a, b])", a=A(2, 3), b=A(4, 3))
case("concatenate-1", "np.concatenate((a, b, c), axis=1)", a=A(2, 3), b=A(2, 1), c=A(2, 2))
case("concatenate-neg", "np.concatenate([a, a, b], axis=-1)", a=A(2, 3), b=A(2, 1))
case("concatenate-flat", "np.concatenate([a, b], axis=None)", a=A(2, 3), b=A(4))
case("stack-0", "np.stack([a, b])", a=A(2, 3), b=A(2, 3))
case("stack-last", "np.stack([a, b, a], axis=-1)", a=A(2, 3), b=A(2, 3))
case("stack-floats", "np.stack([a, b * a])", a=F(0.4), b=F(1.2))
case("hstack-vec", "np.hstack([a, b])", a=A(3), b=A(2))
case("hstack-mat", "np.hstack((a, b))", a=A(2, 3), b=A(2, 1))
case("vstack-vec", "np.vstack([a, b])", a=A(3), b=A(3))
case("vstack-mat", "np.vstack([a, b])", a=A(2, 3), b=A(1, 3))
case("vstack-mixed", "np.vstack([a, b])", a=A(3), b=A(2, 3))
case("split-equal", "p, q = np.split(x, 2)\nout = p * 2.0 - q * q", x=A(4, 3))
case("split-indices", "p, q, r = np.split(x, [1, 3], axis=1)\nout = np.sum(p) + np.sum(r * r)", x=A(2, 5))
case("split-unused-piece", "p, q = np.split(x, 2, axis=1)\nout = p", x=A(2, 4))
case("array-split", "p, q, r = np.array_split(x, 3)\nout = np.sum(p * p) + np.sum(q) * np.sum(r)", x=A(7))
case("array-from-floats", "np.array([a, b, a * b])", a=F(0.5), b=F(-1.5))
case("array-nested", "np.array([[a, b], [b * b, 2.0]])", a=F(0.5), b=F(-1.5))
case("array-from-arrays", "np.array([x, x * 2.0, y])", x=A(3), y=A(3))
case("array-from-0d", "np.array([a, b])", a=A(), b=A())

# ---- methods and attributes ---------------------------------------------------------

METHODS = {
    "sum": "x.sum()", "sum-axis": "x.sum(axis=1)", "sum-keepdims": "x.sum(0, keepdims=True)",
    "mean": "x.mean()", "mean-axis": "x.mean(-1)", "max": "x.max()", "max-axis": "x.max(axis=0)",
    "min": "x.min()", "min-axis": "x.min(1)", "prod": "x.prod()", "prod-axis": "x.prod(axis=2)",
    "var": "x.var()", "std-ddof": "x.std(ddof=1)", "cumsum": "x.cumsum(axis=0)", "cumprod": "x.cumprod()",
    "reshape-ints": "x.reshape(6, 4)", "reshape-tuple": "x.reshape((4, -1))", "reshape-f": "x.reshape(4, 6, order='F')",
    "T": "x.T", "transpose": "x.transpose()", "transpose-ints": "x.transpose(2, 0, 1)",
    "transpose-tuple": "x.transpose((1, 2, 0))", "flatten": "x.flatten()", "ravel": "x.ravel()",
    "copy": "x.copy()", "astype-float": "x.astype(np.float64)", "astype-same": "x.astype(x.dtype)",
    "astype-int": "x.astype(int) * x", "swapaxes": "x.swapaxes(0, 1)", "repeat": "x.repeat(2, axis=0)",
    "take": "x.take([1, 0], axis=2)", "clip": "x.clip(-0.5, 0.5)", "conj": "x.conj()", "real": "x.real",
    "imag": "x.imag + x", "shape": "x * x.shape[0]", "ndim": "x / x.ndim", "size": "x.sum() / x.size",
    "dtype": "np.asarray(x, dtype=x.dtype) * 2.0", "item": "x[:1, :1, :1].item() * x",
    "ravel-sum": "x.ravel().sum() * x.max()",
}
for label, body in METHODS.items():
    x = P(2, 3, 4) if label.startswith(("prod", "cumprod")) else A(2, 3, 4)
    case(f"method-{label}", body, x=x)
case("method-squeeze", "x.squeeze()", x=A(1, 3, 1))
case("method-dot-vec", "x.dot(v)", x=A(3, 4), v=A(4))
case("mT", "x.mT", x=A(2, 3, 4))

# ---- constants: no derivative flows through them ------------------------------------

CONSTANT_CASES = {
    "argmax": "x * np.argmax(x)", "argmin": "x * np.argmin(x, axis=0)", "argsort": "x * np.argsort(x)",
    "floor": "np.floor(x) * x", "ceil": "np.ceil(x) * x", "round": "np.round(x) * x",
    "around": "np.around(x, 1) * x", "rint": "np.rint(x) * x", "trunc": "np.trunc(x) * x",
    "greater": "x * np.greater(x, 0.1)", "less-equal": "x * np.less_equal(x, 0.1)", "equal": "x * np.equal(x, x)",
    "isnan": "np.where(np.isnan(x), 0.0, x)", "isfinite": "np.where(np.isfinite(x), x * x, 0.0)",
    "shape": "x * np.shape(x)[0]", "size": "x / np.size(x)", "ndim": "x * np.ndim(x)",
    "zeros": "x + np.zeros(x.shape)", "ones": "x * np.ones((3, 4))", "empty": "x * 2.0 + 0.0 * np.empty(4)",
    "full": "x * np.full((3, 4), 2.0)", "arange": "x * np.arange(4)", "linspace": "x * np.linspace(0, 1, 4)",
    "eye": "x @ np.eye(4)", "identity": "np.identity(3) @ x", "zeros-like": "x + np.zeros_like(x)",
    "ones-like": "x * np.ones_like(x)", "empty-like": "x + 0.0 * np.empty_like(x)",
    "rng-normal": "x + np.random.default_rng(0).normal(size=x.shape)",
    "random-seeded": "x * np.random.RandomState(1).rand(3, 4)",
    "logical": "x * np.logical_and(x > 0, x < 1)", "all-any": "x * np.all(x < 5) * np.any(x > 0)",
}
for label, body in CONSTANT_CASES.items():
    case(f"constant-{label}", body, x=Away(3, 4))
case("full-fill-value", "np.full((3, 4), a) * x", a=F(0.7), x=A(3, 4))
case("full-like-fill-value", "np.full_like(x, a) * x", a=F(0.7), x=A(3, 4))
case("random-normal-reparameterized", "np.random.seed(3)\nout = np.random.normal(loc, scale, size=(3, 4))",
     loc=A(4), scale=P(3, 1))
case("generator-normal", "rng = np.random.default_rng(0)\nout = rng.normal(loc, scale)", loc=A(3, 4), scale=P(4))
case("generator-uniform", "rng = np.random.default_rng(0)\nout = rng.uniform(low, high, size=(2, 3))",
     low=A(3), high=F(3.0))
case("random-uniform", "np.random.seed(0)\nout = np.random.uniform(low, high)", low=A(3), high=P(3))


def module_source() -> str:
    """Every case as a function f<i>(inputs..., W) returning sum(out * W)."""
    lines = ["import numpy as np", ""]
    for i, c in enumerate(CASES):
        params = ", ".join([*c.args, "W"])
        lines.append(f"def f{i}({params}):")
        lines.extend("    " + line for line in c.statements().splitlines())
        lines.append("    return np.sum(out * W)")
        lines.append("")
    return "\n".join(lines)


def forward_value(c: Case, inputs: dict):
    """`out` computed by plain NumPy (to shape the weights W)."""
    namespace = {"np": np, **inputs}
    exec(c.statements(), namespace)
    return namespace["out"]
