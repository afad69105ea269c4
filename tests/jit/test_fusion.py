"""Runs of elementwise array statements compile to one loop over the elements: same results as the
Python version, whatever the shapes; other shapes run the statements one by one."""
import warnings

import numpy as np
import pytest

import s2sgrad

from . import fusion_functions as f

RNG = np.random.default_rng(7)


def check(function, *args, fused=True, python_may_answer=False):
    """jit(value_and_grad(function)) equals the Python version; `python_may_answer`: a shape the compiled
    helpers do not follow (unbroadcast of a stretched axis) hands the call to Python, with a warning."""
    g = s2sgrad.value_and_grad(function, wrt=tuple(range(len(args))))
    fast = s2sgrad.jit(g)
    source = fast.source_for(*args)
    assert ("in one loop over the elements" in source) == fused, source
    with warnings.catch_warnings():
        warnings.simplefilter("ignore" if python_may_answer else "error", s2sgrad.JitFallbackWarning)
        value, grads = fast(*args)
    with np.errstate(all="ignore"):
        expected_value, expected_grads = g(*args)
    np.testing.assert_allclose(value, expected_value, rtol=1e-7)
    for got, expected in zip(grads, expected_grads):
        assert np.shape(got) == np.shape(expected)
        np.testing.assert_allclose(got, expected, rtol=1e-7, atol=0)
    return source


def test_the_forward_and_reverse_sweeps_of_a_chain_are_one_loop_with_its_sum():
    source = check(f.chain, np.linspace(-2.0, 2.0, 1001))
    assert source.count("for i in range(start, stop):") == 1     # blocks of elements (for the sum)
    assert "chain_terms[i - start] = t7_i" in source   # the sum's terms, added in order after each block
    assert "chain += chain_terms[k]" in source
    assert "dx_flat[i] = dx_i" in source             # the one array the rest of the function reads
    assert "t1_flat" not in source and "y_flat" not in source
    assert "lines 6-7 of fusion_functions.py" in source
    assert "x_i = x[i]" in source and "t1_i = vector_sin(x_i)" in source


def test_two_inputs_fuse_behind_a_shape_check_and_broadcast_unfused():
    x, w = RNG.normal(size=50), RNG.normal(size=50)
    source = check(f.two_inputs, x, w)
    assert "if x.shape == w.shape:" in source and "else:" in source
    # the same ranks with shapes that broadcast: the check fails and the statements run one by one
    check(f.two_inputs, x[:1].copy(), w, python_may_answer=True)
    check(f.two_inputs, x, w[:1].copy(), python_may_answer=True)


def test_two_dimensional_arrays_and_strided_views():
    x, w = RNG.normal(size=(6, 5)), RNG.normal(size=(6, 5))
    source = check(f.two_inputs, x, w)
    assert "x.reshape(size)" in source
    check(f.chain, np.linspace(-1.0, 1.0, 40)[::3])                    # a strided vector: indexed directly
    check(f.two_inputs, x.T, w.T, fused=False)                        # Fortran order: no flat view, unfused


def test_a_row_broadcast_over_a_matrix_is_not_fused():
    x, b = RNG.normal(size=(4, 3)), RNG.normal(size=3)
    # ranks differ: the statements of x's shape fuse, the broadcast and its adjoint stay whole-array lines
    source = check(f.row_offsets, x, b)
    assert "\n    z = t2 + b\n" in source and "\n    db = unbroadcast(dz, b)\n" in source
    # equal ranks, a stretched axis: the shape check sends the call to the statements one by one
    check(f.row_offsets, x, b[None, :].copy(), python_may_answer=True)


def test_a_sum_read_by_later_statements_ends_its_run():
    source = check(f.sum_in_the_middle, np.linspace(-0.3, 1.0, 33))
    assert source.count("in one loop over the elements") >= 2


@pytest.mark.parametrize("n", [0, 1])
def test_empty_and_single_element_arrays(n):
    check(f.chain, np.linspace(-1.0, 1.0, n))


def test_numbers_divide_as_python_inside_a_fused_loop():
    x = np.linspace(0.1, 1.0, 9)
    source = check(f.scaled, x, 2.0, 4.0)
    assert "np.divide(x_i, a)" in source and "    t2 = a / b\n    size = x.size" in source   # hoisted
    assert "dt2_terms[i - start] = dt3_i * t1_i" in source     # a number's adjoint, summed over the elements
    g = s2sgrad.value_and_grad(f.scaled, wrt=(0, 1, 2))
    with pytest.raises(ZeroDivisionError):
        g(x, 2.0, 0.0)
    with pytest.raises(ZeroDivisionError), warnings.catch_warnings():
        warnings.simplefilter("ignore", s2sgrad.JitFallbackWarning)
        s2sgrad.jit(g)(x, 2.0, 0.0)


def test_a_fused_module_numba_refuses_compiles_the_statements_one_by_one(monkeypatch):
    from s2sgrad.jit import fusion
    loop = fusion._Fuser.loop

    def refused(self, run, rest):
        nodes = loop(self, run, rest)
        return [fusion._parse("refused = object()"), *nodes] if nodes is not run else nodes
    monkeypatch.setattr(fusion._Fuser, "loop", refused)
    from s2sgrad.jit import compiler
    given, load = [], compiler.load_module_file
    monkeypatch.setattr(compiler, "load_module_file", lambda source, label: (given.append(source.text),
                                                                             load(source, label))[1])
    x = np.linspace(-1.0, 2.0, 17)
    g = s2sgrad.value_and_grad(f.two_inputs, wrt=(0, 1))
    fast = s2sgrad.jit(g)
    shown = fast.source_for(x, x + 1.0)              # what numba compiled: the unfused module
    assert "refused = object()" in given[0] and shown == given[-1]
    assert "refused = object()" not in shown and "in one loop over the elements" not in shown
    with warnings.catch_warnings():
        warnings.simplefilter("error", s2sgrad.JitFallbackWarning)
        value, grads = fast(x, x + 1.0)
    spec = next(iter(fast._specializations.values()))
    assert spec.dispatcher is not None and spec.source == shown
    expected_value, expected_grads = g(x, x + 1.0)
    np.testing.assert_allclose(value, expected_value, rtol=1e-7)
    np.testing.assert_allclose(grads[0], expected_grads[0], rtol=1e-7, atol=0)
