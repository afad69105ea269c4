"""Two dozen small functions as a new user writes them (dicts with string keys, tuples, early returns in
helpers, enumerate(zip(...)), sorted and min with a key, any/all, ternaries in comprehensions, nested
helpers with defaults, keyword-only arguments, functools.partial, math.fsum, ...), in both modes; and
what stays out of reach, refused at its line with a hint that works."""
import functools
import itertools
import math
import operator

import numpy as np
import pytest

from s2sgrad import grad, jvp
from s2sgrad.errors import UnsupportedConstructError

from .derivatives import both_modes


# 1 dict with string keys
def f01(x, y):
    params = {"a": x, "b": y}
    return params["a"] ** 2 * params["b"] + params.get("c", 1.0)


# 2 list/tuple code
def f02(x, y):
    pts = [(x, y), (y, x), (x * y, 1.0)]
    return sum(p[0] * p[1] for p in pts)


# 3 early return in a helper


def clip_helper(v, lo):
    if v < lo:
        return lo
    return v * v


def f03(x, y):
    return clip_helper(x, 0.0) + clip_helper(y, 0.0)


# 4 enumerate(zip(...))
def f04(x, y):
    a = [x, y, x * y]
    b = [1.0, 2.0, 3.0]
    total = 0.0
    for i, (u, v) in enumerate(zip(a, b)):
        total = total + i * u * v
    return total


# 5 sorted with key lambda
def f05(x, y):
    items = [("a", x), ("b", y), ("c", x + y)]
    ranked = sorted(items, key=lambda kv: kv[1])
    return ranked[0][1] * 2.0 + ranked[-1][1]


# 6 min with key
def f06(x, y):
    pairs = [(x, 1.0), (y, 2.0)]
    best = min(pairs, key=lambda p: p[0] ** 2)
    return best[0] * best[1]


# 7 any/all
def f07(x, y):
    vals = [x, y]
    if all(v > 0 for v in vals) and not any(v > 10 for v in vals):
        return x * y
    return x + y


# 8 ternary in comprehension
def f08(x, y):
    return sum(v if v > 0 else -v for v in [x, y, x - y])


# 9 nested helper with default
def f09(x, y):
    def scale(v, k=2.0):
        return v * k
    return scale(x) + scale(y, 3.0)


# 10 keyword-only arguments
def kw_helper(a, *, power=2, weight=1.0):
    return weight * a ** power


def f10(x, y):
    return kw_helper(x, power=3) + kw_helper(y, weight=x)


# 11 functools.partial
def poly(a, b, c):
    return a * b + c


def f11(x, y):
    p = functools.partial(poly, b=2.0)
    return p(x, c=y)


# 12 math.fsum
def f12(x, y):
    return math.fsum([x * x, y, 1.0])


# 13 itertools.accumulate
def f13(x, y):
    return list(itertools.accumulate([x, y, x * y]))[-1]


# 14 dict items loop with string keys
def f14(x, y):
    weights = {"w1": x, "w2": y}
    return sum(v ** 2 for k, v in weights.items() if k.startswith("w"))


# 15 while loop with counter
def f15(x, y):
    s, n = 0.0, 0
    while n < 3:
        s = s + x ** n * y
        n += 1
    return s


# 16 list append and reversed
def f16(x, y):
    out = []
    for v in [x, y]:
        out.append(v * 2.0)
    return sum(v * (i + 1) for i, v in enumerate(reversed(out)))


# 17 tuple unpack return from helper


def stats(a, b):
    return a + b, a * b


def f17(x, y):
    s, p = stats(x, y)
    return s * p


# 18 string formatting ignored / f-string key
def f18(x, y):
    d = {}
    for i, v in enumerate([x, y]):
        d[f"k{i}"] = v * v
    return d["k0"] + d["k1"]


# 19 max of list with default and abs
def f19(x, y):
    return max([abs(x), abs(y)], default=0.0) + min(x, y)


# 20 numpy mixed with lists
def f20(x, y):
    arr = np.array([x, y, x * y])
    return float(np.sum(arr ** 2)) + np.max(arr)


# 21 word counts (dict update in place)
def f21(x, y):
    counts = {}
    for w, v in [("a", x), ("b", y), ("a", y)]:
        counts[w] = counts.get(w, 0.0) + v
    return counts["a"] * counts["b"]


# 22 zip over dict keys/values, sum of products
def f22(x, y):
    d = {"p": x, "q": y}
    return sum(a * b for a, b in zip(d.values(), [2.0, 3.0]))


# 23 lambda stored in dict
def f23(x, y):
    ops = {"sq": lambda t: t * t, "lin": lambda t: 3.0 * t}
    return ops["sq"](x) + ops["lin"](y)


# 24 nested list comprehension / matrix
def f24(x, y):
    m = [[x, y], [y, x]]
    return sum(m[i][j] * (i + j + 1) for i in range(2) for j in range(2))


# a second round
def g01(x, y):   # dict(zip(keys, values))
    d = dict(zip(["a", "b"], [x, y]))
    return d["a"] * d["b"]


def g02(x, y):   # max of dict by value
    d = {"a": x, "b": y}
    best = max(d, key=lambda k: d[k])
    return d[best] * 2.0


def g03(x, y):   # sorted items by value
    d = {"a": x, "b": y * y}
    items = sorted(d.items(), key=lambda kv: kv[1])
    return items[-1][1] - items[0][1]


def g04(x, y):   # functools.reduce
    return functools.reduce(operator.mul, [x, y, 2.0])


def g08(x, y):   # string keys built in loop via comprehension
    names = ["w" + str(i) for i in range(2)]
    params = {n: v for n, v in zip(names, [x, y])}
    return sum(params[n] ** 2 for n in names)


def g09(x, y):   # nested helper with default from closure
    scale = 2.0 * y
    def f(t, s=3.0):
        return t * s + scale
    return f(x) + f(x, 1.0)


def g11(x, y):   # enumerate with start
    return sum(i * v for i, v in enumerate([x, y], start=1))


def g15(x, y):   # kwargs helper with defaults
    return kwh(x) + kwh(x, scale=y)


def kwh(v, **opts):
    return v * opts.get("scale", 1.0)


def g16(x, y):   # star helper with inactive + active
    return starh("sum", x, y) + starh("prod", x, y)


def starh(mode, *vals):
    if mode == "sum":
        return sum(vals)
    out = 1.0
    for v in vals:
        out = out * v
    return out


def g19(x, y):   # list of dicts
    rows = [{"v": x, "w": 1.0}, {"v": y, "w": 2.0}]
    return sum(r["v"] * r["w"] for r in rows)


WORKING = [f01, f02, f03, f04, f05, f06, f07, f08, f09, f10, f11, f12, f14, f15, f16, f17, f18, f19, f20, f21, f22,
           f23, f24, g01, g02, g03, g08, g09, g11, g15, g16, g19]


@pytest.mark.parametrize("f", WORKING, ids=lambda f: f.__name__)
def test_everyday_functions_in_both_modes(f):
    both_modes(f, 0.7, 1.3, wrt=(0, 1))


# the hints of the refusals below, followed
def f13_as_hinted(x, y):
    return np.cumsum(np.array([x, y, x * y]))[-1]


def f18_as_hinted(x, y):
    d = {f"k{i}": v * v for i, v in enumerate([x, y])}
    return d["k0"] + d["k1"]


def g04_as_hinted(x, y):
    values = [x, y, 2.0]
    acc = values[0]
    for v in values[1:]:
        acc = acc * v
    return acc


def f21_as_hinted(x, y):
    pairs = [("a", x), ("b", y), ("a", y)]
    counts = {k: sum(v for j, v in pairs if j == k) for k in ["a", "b"]}
    return counts["a"] * counts["b"]


@pytest.mark.parametrize("f, hinted, construct", [
    (f13, f13_as_hinted, "itertools.accumulate"),
    (g04, g04_as_hinted, "functools.reduce"),
], ids=lambda v: getattr(v, "__name__", ""))
def test_out_of_reach_is_refused_at_its_line_and_the_hint_works(f, hinted, construct):
    for run in (lambda: grad(f)(0.7, 1.3), lambda: jvp(f, (0.7, 1.3), (1.0, 0.0))):
        with pytest.raises(UnsupportedConstructError) as info:
            run()
        assert construct in str(info.value) and "test_new_user_functions.py" in str(info.value)
    assert hinted(0.7, 1.3) == pytest.approx(f(0.7, 1.3))
    both_modes(hinted, 0.7, 1.3, wrt=(0, 1))


# d[key] = ... in a loop (f18, f21) is rebound to a new dict (ssa/container_writes.py); writing the dict
# in one expression, as their old refusal hinted, gives the same values
@pytest.mark.parametrize("f, rewritten", [(f18, f18_as_hinted), (f21, f21_as_hinted)],
                         ids=lambda v: getattr(v, "__name__", ""))
def test_dict_writes_agree_with_the_dict_built_in_one_expression(f, rewritten):
    assert f(0.7, 1.3) == pytest.approx(rewritten(0.7, 1.3))
    np.testing.assert_allclose(grad(f, wrt=(0, 1))(0.7, 1.3), grad(rewritten, wrt=(0, 1))(0.7, 1.3), rtol=1e-12)
