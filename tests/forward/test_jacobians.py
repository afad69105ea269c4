"""vjp, jacrev, jacfwd, hessian and grad of grad: shapes by JAX's conventions, numbers by central differences."""
from __future__ import annotations

import math

import numpy as np
import pytest

import s2sgrad
from s2sgrad import NonScalarOutputError

RNG = np.random.default_rng(7)
X = RNG.uniform(-1, 1, 3)
W = RNG.uniform(-1, 1, (2, 3))


def layer(W, x):
    return np.tanh(W @ x) * x[0]


def energy(x):
    return np.sum(np.tanh(x) ** 2) + np.max(x * x) + np.var(x) + x[0] * x[1] ** 3


def seed003(x, y):
    u = x + y
    return u * y


def numeric_jacobian(f, args, position, h=1e-6):
    x = np.asarray(args[position], dtype=float)
    columns = []
    for k in range(x.size):
        step = np.zeros_like(x)
        step.flat[k] = h
        up = list(args)
        down = list(args)
        up[position] = x + step if x.shape else float(x + step)
        down[position] = x - step if x.shape else float(x - step)
        columns.append((np.asarray(f(*up)) - np.asarray(f(*down))) / (2 * h))
    out = np.stack(columns, axis=-1)
    return out.reshape(np.shape(f(*args)) + x.shape)


@pytest.mark.parametrize("jacobian", [s2sgrad.jacrev, s2sgrad.jacfwd], ids=["jacrev", "jacfwd"])
def test_jacobians_are_shaped_out_by_in_and_match_central_differences(jacobian):
    J_W, J_x = jacobian(layer, wrt=(0, 1))(W, X)
    assert J_W.shape == (2, 2, 3) and J_x.shape == (2, 3)
    np.testing.assert_allclose(J_W, numeric_jacobian(layer, (W, X), 0), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(J_x, numeric_jacobian(layer, (W, X), 1), rtol=1e-6, atol=1e-8)
    single = jacobian(layer, wrt=1)(W, X)
    np.testing.assert_allclose(single, J_x)


def test_jacrev_and_jacfwd_agree_and_keep_float32():
    W32, x32 = W.astype(np.float32), X.astype(np.float32)
    forward = s2sgrad.jacfwd(layer, wrt=1)(W32, x32)
    reverse = s2sgrad.jacrev(layer, wrt=1)(W32, x32)
    assert forward.dtype == np.float32 and reverse.dtype == np.float32
    np.testing.assert_allclose(forward, reverse, rtol=1e-5, atol=1e-6)


def test_hessian_is_symmetric_and_matches_differences_of_the_gradient():
    H = s2sgrad.hessian(energy)(X)
    assert H.shape == (3, 3)
    np.testing.assert_allclose(H, H.T, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(H, numeric_jacobian(s2sgrad.grad(energy), (X,), 0), rtol=1e-5, atol=1e-7)


def test_hessian_of_the_seed_function_and_of_several_arguments():
    ((hxx, hxy), (hyx, hyy)) = s2sgrad.hessian(seed003, wrt=(0, 1))(3.0, 2.0)
    assert (hxx, hxy, hyx, hyy) == (0.0, 1.0, 1.0, 2.0)        # f = xy + y^2


def test_grad_of_grad_is_the_second_derivative_and_prints_its_code():
    def f(t):
        return t ** 3 * math.exp(t)
    second = s2sgrad.grad(s2sgrad.grad(f))
    expected = (6 * 0.5 + 6 * 0.25 + 0.125) * math.exp(0.5)
    assert second(0.5) == pytest.approx(expected, rel=1e-12)
    value, derivative = s2sgrad.value_and_grad(s2sgrad.grad(f))(0.5)
    assert derivative == pytest.approx(expected, rel=1e-12)
    assert value == pytest.approx(s2sgrad.grad(f)(0.5))
    source = second.source_for(0.5)
    assert "_dot" in source and "d" in source


def test_grad_of_a_vector_gradient_points_to_hessian():
    with pytest.raises(NonScalarOutputError, match="hessian"):
        s2sgrad.grad(s2sgrad.grad(energy))(X)


def test_hessian_vector_product_is_jvp_of_grad():
    v = RNG.uniform(-1, 1, 3)
    gradient = s2sgrad.grad(energy)
    _, hvp = s2sgrad.jvp(gradient.generated_for(X), (X,), (v,))
    np.testing.assert_allclose(hvp[1][0], s2sgrad.hessian(energy)(X) @ v, rtol=1e-10)


def test_vjp_of_vector_and_tuple_valued_functions():
    value, vjp_fn = s2sgrad.vjp(layer, W, X)
    np.testing.assert_allclose(value, layer(W, X))
    c = RNG.uniform(-1, 1, 2)
    dW, dx = vjp_fn(c)
    np.testing.assert_allclose(dx, c @ numeric_jacobian(layer, (W, X), 1), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(dW, np.tensordot(c, numeric_jacobian(layer, (W, X), 0), 1), rtol=1e-6, atol=1e-8)

    def pair(x, n):
        return x * 2.0, x * x
    _, pair_vjp = s2sgrad.vjp(pair, 1.5, 3)
    assert pair_vjp((1.0, 1.0)) == (5.0, None)


def test_jacrev_of_a_tuple_valued_function_matches_jacfwd():
    def parts(x, y):
        return x * 2.0 * y, np.sum(np.sin(x)) * y, y * y
    x = RNG.uniform(-1, 1, 3)
    for argnums in (0, (0, 1)):
        by_reverse = s2sgrad.jacrev(parts, argnums=argnums)(x, 1.5)
        by_forward = s2sgrad.jacfwd(parts, argnums=argnums)(x, 1.5)
        assert len(by_reverse) == 3
        for reverse_part, forward_part in zip(by_reverse, by_forward):
            for r, f in zip(*((p,) if argnums == 0 else p for p in (reverse_part, forward_part))):
                np.testing.assert_allclose(r, f, rtol=1e-12)
    np.testing.assert_allclose(s2sgrad.jacrev(parts)(x, 1.5)[1], 1.5 * np.cos(x))



def test_jacobians_of_containers_have_jax_structure_and_agree_across_modes():
    """Containers in and out (JAX's pytrees): the result's structure holding the argument's, one Jacobian
    per pair of leaves shaped out.shape + in.shape, None where a leaf holds no floats."""
    def model(params, x):
        return {"fit": params["w"] * np.tanh(params["b"] * x), "size": np.sum(params["b"] ** 2), "n": params["n"]}
    params = {"w": 1.5, "b": RNG.uniform(-1, 1, 3), "n": 2}
    x = RNG.uniform(-1, 1, 3)
    by_reverse = s2sgrad.jacrev(model, argnums=(0, 1))(params, x)
    by_forward = s2sgrad.jacfwd(model, argnums=(0, 1))(params, x)
    assert by_reverse["n"] is None and by_forward["n"] is None
    for out in ("fit", "size"):
        assert by_reverse[out][0]["n"] is None
        for r, f in ((by_reverse[out][0]["w"], by_forward[out][0]["w"]),
                     (by_reverse[out][0]["b"], by_forward[out][0]["b"]), (by_reverse[out][1], by_forward[out][1])):
            np.testing.assert_allclose(r, f, rtol=1e-12, atol=1e-15)
    t = np.tanh(params["b"] * x)
    np.testing.assert_allclose(by_reverse["fit"][0]["b"], np.diag(params["w"] * (1 - t * t) * x))
    np.testing.assert_allclose(by_reverse["size"][0]["b"], 2 * params["b"])
    assert np.shape(by_reverse["fit"][0]["w"]) == (3,) and np.shape(by_reverse["fit"][1]) == (3, 3)

    def energy(p):
        return p["w"] ** 2 * np.sum(p["b"] ** 3)
    h = s2sgrad.hessian(energy)({"w": 1.5, "b": np.ones(2)})      # a dict of dicts, as jax.hessian gives
    assert h["w"]["w"] == pytest.approx(4.0)
    np.testing.assert_allclose(h["w"]["b"], [9.0, 9.0])
    np.testing.assert_allclose(h["b"]["w"], [9.0, 9.0])
    np.testing.assert_allclose(h["b"]["b"], np.diag([13.5, 13.5]))
    with pytest.raises(s2sgrad.WrtError, match="not floats"):
        s2sgrad.jacfwd(lambda t: t[0] * 1.0)((1, 2))


def test_vjp_checks_the_cotangent_against_the_result():
    """A cotangent of another shape would broadcast into a wrong gradient: it is refused, naming where;
    None for a leaf is a zero, as JAX's zeros for a leaf of integers."""
    def scaled(p):
        return {"a": p["x"] * 2.0, "n": p["n"]}
    _, pullback = s2sgrad.vjp(scaled, {"x": np.ones(2), "n": 3})
    np.testing.assert_allclose(pullback({"a": np.array([1.0, 3.0]), "n": None})[0]["x"], [2.0, 6.0])
    with pytest.raises(s2sgrad.WrtError, match="not a dict of 1"):
        pullback({"a": np.ones(2)})
    with pytest.raises(s2sgrad.WrtError, match=r"at the result\['a'\] has shape \(3,\)"):
        pullback({"a": np.ones(3), "n": None})
    _, pullback = s2sgrad.vjp(lambda x: x * 2.0, np.ones(3))
    with pytest.raises(s2sgrad.WrtError, match=r"has shape \(\), the result \(3,\)"):
        pullback(1.0)


def test_argnums_is_wrt():
    assert s2sgrad.grad(seed003, argnums=(0, 1))(3.0, 2.0) == s2sgrad.grad(seed003, wrt=(0, 1))(3.0, 2.0) == (2.0, 7.0)


def test_grad_of_a_non_scalar_function_points_to_jacrev():
    with pytest.raises(NonScalarOutputError, match="jacrev"):
        s2sgrad.grad(layer, wrt=1)(W, X)


def test_second_derivative_through_a_loop_and_its_tape():
    def f(x, n):
        s = 0.0
        for i in range(n):
            s = s + math.sin(x * s + i) * x
        return s
    second = s2sgrad.grad(s2sgrad.grad(f))
    first = s2sgrad.grad(f)
    h = 1e-5
    assert second(0.7, 3) == pytest.approx((first(0.7 + h, 3) - first(0.7 - h, 3)) / (2 * h), rel=1e-7)
    assert "tape_dot.pop()" in second.source_for(0.7, 3)


from ..control_flow.test_control_flow import CASES as FLOW_CASES  # noqa: E402

SCALAR_FLOW = [pytest.param(f, args, id=f"{f.__name__}{args}") for f, arg_sets, wrt in FLOW_CASES
               for args in arg_sets if wrt == (0,) and isinstance(args[0], float)]


@pytest.mark.parametrize("f, args", SCALAR_FLOW)
def test_second_derivatives_of_control_flow_programs(f, args):
    first = s2sgrad.grad(f)
    try:
        second = s2sgrad.grad(first)(*args)
    except s2sgrad.UnsupportedConstructError as exc:
        assert "line" in str(exc)
        pytest.skip(f"refused with a located error: {exc.construct}")
    h = 1e-5
    up, down = (args[0] + h, *args[1:]), (args[0] - h, *args[1:])
    assert second == pytest.approx((first(*up) - first(*down)) / (2 * h), rel=1e-5, abs=1e-6)


def test_hessian_of_a_vector_valued_function_is_refused_not_summed():
    with pytest.raises(NonScalarOutputError, match="jacrev"):
        s2sgrad.hessian(layer, wrt=1)(W, X)
    with pytest.raises(NonScalarOutputError):
        s2sgrad.jacfwd(s2sgrad.grad(layer, wrt=1), wrt=1)(W, X)


def test_jvp_of_a_gradient_function_and_wrt_by_name():
    def J(a, b, c):
        return 3 * (a + b * c)
    assert s2sgrad.jvp(s2sgrad.grad(J, wrt=(0, 1, 2)), (5.0, 3.0, 2.0), (0.0, 1.0, 0.0)) == \
        ((3.0, 6.0, 9.0), (0.0, 0.0, 3.0))
    assert s2sgrad.hessian(J, wrt=("b", "c"))(5.0, 3.0, 2.0) == ((0.0, 3.0), (3.0, 0.0))


def test_hessian_through_a_runtime_helper_followed_by_its_source():
    # np.prod's adjoint calls product_of_others, which has no rule: forward mode follows its NumPy code
    def product(x):
        return np.prod(x)
    x = np.array([1.0, 2.0, 0.0])
    expected = np.array([[0.0, 0.0, 2.0], [0.0, 0.0, 1.0], [2.0, 1.0, 0.0]])   # d2/dxi dxj: prod of the rest
    np.testing.assert_allclose(s2sgrad.hessian(product)(x), expected)


def test_vjp_and_jacobians_of_a_function_taking_star_args():
    """Positions in *args: vjp and jacrev refused them ('f has 0 positional parameters'), as grad did not."""
    def scaled_norms(a, *xs):
        return a * np.sum(np.stack(xs) ** 2)
    x1, x2 = np.array([1.0, 2.0]), np.array([0.5, 0.3])
    value, pullback = s2sgrad.vjp(scaled_norms, 1.5, x1, x2)
    assert value == pytest.approx(1.5 * 5.34)
    da, dx1, dx2 = pullback(2.0)
    assert da == pytest.approx(2 * 5.34)
    np.testing.assert_allclose(dx1, 2 * 2 * 1.5 * x1)
    np.testing.assert_allclose(dx2, 2 * 2 * 1.5 * x2)

    def spread(*v):
        return np.array(v) * v[0]
    for by_reverse, by_forward in zip(s2sgrad.jacrev(spread, argnums=(0, 1))(2.0, 3.0),
                                      s2sgrad.jacfwd(spread, argnums=(0, 1))(2.0, 3.0)):
        np.testing.assert_allclose(by_reverse, by_forward)
    np.testing.assert_allclose(s2sgrad.jacrev(spread)(2.0, 3.0), [4.0, 3.0])
