"""Whole programs on CuPy: the random NumPy programs, writes into arrays, and every transformation.

Each runs on NumPy values and on the same values on the GPU; the CuPy results must equal NumPy's and
stay CuPy arrays. The random programs weigh their result without a NumPy constant array (CuPy refuses to
mix one with its own). A program whose forward alone does not run on CuPy (a NumPy function CuPy lacks,
np.array of a list of CuPy values, an accumulator started with np.zeros) is skipped; programs are drawn
until CHECKED of them ran, and the test fails if DRAWN programs do not give that many.
"""
import random
import warnings

import numpy as np
import pytest

import s2sgrad

from ..property_arrays.harness import draw_args, load_module, rejection
from ..property_arrays.programs import Features, ProgramGenerator
from .gpu import assert_same_on_gpu, cp, to_gpu, to_host
from .write_programs import masked_matrix, masked_rows, masked_sum, rows_and_columns, writes_in_a_loop, writes_of_each_kind

# programs are drawn until CHECKED of them run on CuPy (at most DRAWN): many start an accumulator with
# np.zeros / np.ones, a NumPy array CuPy refuses to add its own to, and can only be skipped
CHECKED, DRAWN = 12, 60
# array_literals off: the programs' final weights are computed from their result, not a NumPy constant
# array (np.array([...]) * a CuPy array is refused by CuPy: such a program could only be skipped)
BATCHES = [Features(array_literals=False), Features(inplace=False, array_literals=False),
           Features(branches=False, array_literals=False)]


def _forward_runs(fn, args) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            fn(*args)
    except Exception:
        return False
    return True


@pytest.mark.parametrize("batch", range(len(BATCHES)))
def test_random_programs_on_cupy(batch, tmp_path):
    generator = ProgramGenerator(random.Random(f"cupy-arrays/{batch}"), BATCHES[batch])
    programs = [generator.program(f"c{batch}_{k}") for k in range(DRAWN)]
    module = load_module(tmp_path, f"cupy_arrays_{batch}", programs)
    checked, failures = 0, []
    for program in programs:
        if checked == CHECKED:
            break
        fn = getattr(module, program.name)
        args = draw_args(program, random.Random(f"cupy-arrays/{batch}/{program.name}"))
        if rejection(program, fn, args) is not None:
            continue
        on_gpu = [to_gpu(a) for a in args]
        if not _forward_runs(fn, on_gpu):
            continue
        gradient = s2sgrad.value_and_grad(fn, wrt=program.wrt)
        want = gradient(*args)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                got = gradient(*on_gpu)
            assert_same_on_gpu(got, want)
        except (AssertionError, s2sgrad.S2SGradError, TypeError, ValueError) as exc:
            failures.append(f"--- {program.name}: {type(exc).__name__}: {str(exc)[:400]}\n{program.source}")
        checked += 1
    assert not failures, f"{len(failures)} of {checked} programs failed on CuPy:\n" + "\n".join(failures)
    assert checked == CHECKED, f"only {checked} of {DRAWN} programs ran on CuPy"


WRITES = [writes_of_each_kind, writes_in_a_loop, rows_and_columns, masked_sum, masked_matrix, masked_rows]


@pytest.mark.parametrize("fn", WRITES, ids=lambda f: f.__name__)
def test_writes_and_masks_on_cupy(fn):
    rng = np.random.default_rng(3)
    x = rng.normal(size=(6,)) if fn in (writes_of_each_kind, writes_in_a_loop, masked_sum) else rng.normal(size=(3, 4))
    want = s2sgrad.value_and_grad(fn)(x)
    got = s2sgrad.value_and_grad(fn)(cp.asarray(x))
    assert_same_on_gpu(got, want)
    assert isinstance(x, np.ndarray)


def tanh_layer_loss(W, b, X, y):
    h = np.tanh(X @ W + b)
    r = h.sum(axis=1) - y
    return np.mean(r * r)


def rollout(x, steps):
    for _ in range(steps):
        x = x + 0.1 * np.sin(x) * x
    return np.sum(x ** 2)


def _layer_args():
    rng = np.random.default_rng(7)
    return rng.normal(size=(4, 3)), rng.normal(size=3), rng.normal(size=(8, 4)), rng.normal(size=8)


TRANSFORMS = {
    "grad": lambda W, b, X, y: s2sgrad.grad(tanh_layer_loss, wrt=(0, 1))(W, b, X, y),
    "jvp": lambda W, b, X, y: s2sgrad.jvp(lambda W, b: tanh_layer_loss(W, b, X, y), (W, b), (0.5 * W + 0.25, 0.5 * b)),
    "vjp": lambda W, b, X, y: s2sgrad.vjp(lambda W, b: tanh_layer_loss(W, b, X, y), W, b)[1](1.5),
    "jacfwd": lambda W, b, X, y: s2sgrad.jacfwd(lambda b: np.tanh(X @ W + b))(b),
    "jacrev": lambda W, b, X, y: s2sgrad.jacrev(lambda b: np.tanh(X @ W + b))(b),
    "hessian": lambda W, b, X, y: s2sgrad.hessian(lambda b: tanh_layer_loss(W, b, X, y))(b),
}


@pytest.mark.parametrize("name", sorted(TRANSFORMS))
def test_every_transformation_on_cupy(name):
    args = _layer_args()
    want = TRANSFORMS[name](*args)
    got = TRANSFORMS[name](*to_gpu(args))
    assert_same_on_gpu(got, want)


def test_hessian_of_a_loop_on_cupy():
    x = np.linspace(-1.0, 1.0, 5)
    want = s2sgrad.hessian(rollout)(x, 4)
    got = s2sgrad.hessian(rollout)(cp.asarray(x), 4)
    assert_same_on_gpu(got, want)


def test_jit_falls_back_on_cupy_with_a_warning_and_the_same_gradient():
    pytest.importorskip("numba")
    x = np.linspace(-1.0, 1.0, 7)
    fast = s2sgrad.jit(s2sgrad.value_and_grad(rollout))
    want = fast(x, 3)
    with pytest.warns(UserWarning):
        got = fast(cp.asarray(x), 3)
    assert_same_on_gpu(got, want)
    assert isinstance(to_host(got[1]), np.ndarray)
