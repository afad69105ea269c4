"""jit/ranks.py: which names are float64 arrays (rank, layout) and which are numbers, decided from the
arguments without numba; what it cannot decide it leaves out, so fusion leaves that statement alone."""
import ast
import builtins
import textwrap

import numpy as np
import pytest

import s2sgrad
from s2sgrad.jit.ranks import module_kinds, variable_kinds

from .compiled_whole import compiled_equals_python

NUMBER = ("number",)
HELPERS = {"unbroadcast": "unbroadcast", "unreduce": "unreduce", "zeros_like": "zeros_like"}
GLOBALS = {"np": np, "DT": 0.001, "FLAG": True, "TABLE": np.ones(3)}


def kinds(source, **arguments):
    fn = ast.parse(textwrap.dedent(source)).body[0]
    return variable_kinds(fn, arguments, lambda name: GLOBALS.get(name, getattr(builtins, name, None)), HELPERS)


def test_the_chain_forward_and_reverse():
    found = kinds("""
        def grad_chain(x, dchain):
            t1 = np.sin(x)
            t2 = -x
            t3 = t2 * x
            y = t1 + np.exp(t3)
            t7 = y * y
            chain = np.sum(t7)
            dt7 = unreduce(dchain, t7)
            dy = 2 * unbroadcast(dt7 * y, y)
            dx = dy * (1 - t1 * t1)
            dx = dx + unbroadcast(dy * t2, x)
            return chain, dx
        """, x=np.linspace(0.0, 1.0, 5), dchain=1.0)
    vector = ("array", 1, "C")
    assert {name: found[name] for name in ("x", "t1", "t2", "t3", "y", "t7", "dt7", "dy", "dx")} \
        == dict.fromkeys(("x", "t1", "t2", "t3", "y", "t7", "dt7", "dy", "dx"), vector)
    assert found["chain"] == NUMBER and found["dchain"] == NUMBER


def test_a_reduction_is_a_number_and_a_number_broadcasts_against_arrays():
    found = kinds("""
        def f(m, v, a):
            s = np.sum(m)
            t = s * v
            u = m + v
            w = a / 3
            z = DT * m
            k = np.sum(v) ** 2
            return u
        """, m=np.ones((3, 4)), v=np.ones(4), a=2)
    assert found["s"] == NUMBER and found["w"] == NUMBER and found["k"] == NUMBER
    assert found["t"] == ("array", 1, "C")
    assert found["u"] == ("array", 2, "C") and found["z"] == ("array", 2, "C")    # broadcasting: the larger rank


def test_the_helpers_ranks():
    found = kinds("""
        def f(m, v, a, g):
            da = unbroadcast(g, a)
            dv = unbroadcast(m, v)
            dm = unbroadcast(m, m)
            dn = unbroadcast(a, m)
            full = unreduce(a, m)
            zero = zeros_like(v)
            zero_number = zeros_like(a)
            wrong = unbroadcast(v, m)
            return da
        """, m=np.ones((3, 4), order="F"), v=np.ones(4), a=1.5, g=np.ones(4))
    assert found["da"] == NUMBER and found["dn"] == NUMBER and found["zero_number"] == NUMBER
    assert found["dv"] == ("array", 1, "C")                      # leading axes summed away
    assert found["dm"] == ("array", 2, "F")                      # `m` itself
    assert found["full"] == ("array", 2, "C") and found["zero"] == ("array", 1, "C")
    assert "wrong" not in found                                 # fewer axes than the reference: numba refuses it


def test_layouts_follow_numba():
    found = kinds("""
        def f(fortran, c, strided):
            a = fortran * 2.0
            b = fortran + c
            d = np.exp(strided)
            return a
        """, fortran=np.ones((3, 4), order="F"), c=np.ones((3, 4)), strided=np.ones(10)[::2])
    assert found["fortran"] == ("array", 2, "F") and found["a"] == ("array", 2, "F")
    assert found["b"] == ("array", 2, "C")          # a C input makes the result C
    assert found["strided"] == ("array", 1, "A") and found["d"] == ("array", 1, "C")


def test_dtypes_only_float64_arrays_are_arrays():
    found = kinds("""
        def f(k, x):
            a = k * 1.5
            b = k + 1
            c = np.sin(k)
            d = b * x
            e = x > 0.0
            return a
        """, k=np.arange(4), x=np.ones(4))
    assert "k" not in found and "b" not in found and "e" not in found     # int and bool arrays
    assert found["a"] == ("array", 1, "C") and found["c"] == ("array", 1, "C") and found["d"] == ("array", 1, "C")


def test_what_the_walk_cannot_decide_is_left_out():
    found = kinds("""
        def f(x, n, zero_d, flag, k):
            a = x[1.5]
            b = a * x
            c, d = x, 2.0
            e = np.sum(x, axis=0)
            g = TABLE * x
            i = x @ x
            j = np.maximum.reduce(x)
            l = zero_d * 2.0
            m = 1.0 if flag else x
            o = x[k]
            q = [1.0, 2] + x
            r = np.array([n, 2.5])
            s = np.zeros(x.shape, np.int64)
            t = x.reshape([3])
            return b
        """, x=np.ones(3), n=4, zero_d=np.array(2.0), flag=True, k=np.arange(2))
    for name in "abcdegijlmoqrst":
        assert name not in found, name
    assert "zero_d" not in found and "flag" not in found and found["n"] == NUMBER


def test_subscripts_shapes_and_array_functions():
    found = kinds("""
        def f(m, v, n, flag):
            row = m[n]
            corner = m[0, -1]
            tail = v[1:]
            column = m[:, 0]
            element = v[n - 1]
            shape = m.shape
            rows = shape[0]
            z = np.zeros(shape)
            o = np.ones(n)
            a = np.array([1.0, 2.5, DT])
            r = v.reshape(2, 2)
            s = np.reshape(m, (12,))
            t = m.T
            c = m.T.copy()
            size = m.size + len(v)
            h = flag * v
            p = flag * 2.0
            i = int(n) if flag else 0
            return row
        """, m=np.ones((3, 4)), v=np.ones(4), n=2, flag=True)
    assert found["row"] == ("array", 1, "C")               # ints on the left keep a C array C
    assert found["tail"] == ("array", 1, "A") and found["column"] == ("array", 1, "A")
    assert found["corner"] == NUMBER and found["element"] == NUMBER and found["rows"] == NUMBER
    assert found["z"] == ("array", 2, "C") and found["o"] == ("array", 1, "C") and found["a"] == ("array", 1, "C")
    assert found["r"] == ("array", 2, "C") and found["s"] == ("array", 1, "C")
    assert found["t"] == ("array", 2, "F") and found["c"] == ("array", 2, "C")
    assert found["size"] == NUMBER and found["p"] == NUMBER and found["h"] == ("array", 1, "C")
    assert "shape" not in found and "i" not in found


def test_names_assigned_differently_are_left_out_and_loops_reach_a_fixpoint():
    found = kinds("""
        def f(x, n):
            h = 1.0
            b = 1.0
            q = x
            r = 0
            r = 2.5
            for i in range(n):
                a = b * 2.0
                b = x
                h = h * x
                q = np.tanh(q)
            while n > 0:
                t = x
                t = np.sum(x)
            return h
        """, x=np.ones(3), n=4)
    assert "h" not in found                   # a number, then an array
    assert "a" not in found and "b" not in found    # b is a number on the first pass and an array after
    assert "t" not in found
    assert found["q"] == ("array", 1, "C")    # the loop keeps its kind
    assert found["r"] == NUMBER and found["i"] == NUMBER


def test_other_bindings_are_left_out():
    found = kinds("""
        def f(x):
            y = x * 2.0
            for y in x:
                pass
            with open(x) as z:
                z = x * 1.0
            w = x * 1.0
            v = (w := x * 3.0)
            return y
        """, x=np.ones(3))
    assert "y" not in found and "z" not in found and "w" not in found
    assert "v" not in found                     # `:=` is not followed: nor what it gives


# ---- end to end: fused code equals the Python version where ranks decide, and stays unfused where not ----


def scaled_by_a_slice(x):
    head = x[0]                               # a subscript: not decided, so it and what reads it stay unfused
    y = np.tanh(x) * np.exp(x) + x * x
    return np.sum(y * y) + head * np.sum(x * head)


def mean_broadcast(m, v):
    s = np.sum(m * m)                         # a number, broadcast against the matrix below
    z = np.sin(m) * s + v
    return np.sum(z * np.cos(z))


def test_a_subscript_does_not_fuse_and_the_rest_does():
    source = compiled_equals_python(scaled_by_a_slice, np.linspace(-1.0, 1.5, 31), atol=0)
    assert "in one loop over the elements" in source
    assert "\n    head = x[0]\n" in source


def test_a_sum_and_a_row_broadcast_against_a_matrix():
    rng = np.random.default_rng(3)
    source = compiled_equals_python(mean_broadcast, rng.normal(size=(5, 4)), rng.normal(size=4), atol=0)
    assert "in one loop over the elements" in source


def test_fusion_does_not_run_numba_typing(monkeypatch):
    """Ranks come from the walk: numba's type inference is not run to decide them (it cost a third of a
    second of the chain's first call)."""
    from s2sgrad.jit import compiler

    def refuse(*args, **kwargs):
        raise AssertionError("numba's typing ran to decide what fuses")
    monkeypatch.setattr(compiler, "_typemap", refuse)
    g = s2sgrad.value_and_grad(mean_broadcast, wrt=(0, 1))
    m, v = np.ones((3, 2)), np.ones(2)
    assert "in one loop over the elements" in s2sgrad.jit(g).source_for(m, v)


@pytest.mark.parametrize("case", ["chain", "two_inputs", "row_offsets", "sum_in_the_middle", "scaled"])
def test_every_decided_kind_is_what_numba_types(case):
    """On the fusion tests' functions (a matrix in Fortran order, a strided vector, an int among the
    numbers), each name the walk decides has the kind numba's typing of the unfused module gives it."""
    import numba
    from numba.core import types as nb

    from s2sgrad.jit import compiler
    from s2sgrad.jit.numba_source import numba_ready

    from . import fusion_functions as f
    rng = np.random.default_rng(5)
    args = {"chain": (np.linspace(-1.0, 1.0, 9),), "two_inputs": (rng.normal(size=(3, 4)),) * 2,
            "row_offsets": (np.asfortranarray(rng.normal(size=(4, 3))), rng.normal(size=3)),
            "sum_in_the_middle": (rng.normal(size=6)[::2],), "scaled": (rng.normal(size=5), 2.0, 3)}[case]
    g = s2sgrad.value_and_grad(getattr(f, case), wrt=tuple(range(len(args))))
    program = g._program_for(args, {})
    source = numba_ready(program.source, g._function(program))
    ordered = (*args, 1.0)                                    # the seed comes last
    decided = module_kinds(source.text, source.name, source.parameters, ordered)
    namespace = {}
    exec(compile(source.text, "<unfused>", "exec"), namespace)
    assert any(kind[0] == "array" for kind in decided.values())
    typemap = compiler._typemap(namespace[source.name], tuple(numba.typeof(a) for a in ordered))
    assert typemap
    for name, kind in decided.items():
        typed = {t for n, t in typemap.items() if n == name or n.startswith(name + ".")}
        assert typed, name
        for t in typed:
            if kind == NUMBER:
                assert isinstance(t, (nb.Integer, nb.Float)), (name, t)
            else:
                assert isinstance(t, nb.Array) and t.dtype == nb.float64 and (t.ndim, t.layout) == kind[1:], \
                    (name, t)
