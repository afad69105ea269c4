"""Second derivatives of functions that write into arrays in place, forward mode over their generated gradient
(`hessian`, `jvp(grad(f))`), each against central differences of the gradient.

The gradient's code writes where the user's code may not: its reverse sweep restores the forward sweep's
arrays in place, under the names it pops them by from the tape, and reads views taken before a write once the
write is undone. Differentiated again, those writes are followed as written (ssa/inplace.py), and a restored
array's tangent is the very one the forward sweep wrote into (forward/emitter.py): `views_on_the_tape` below
got a wrong Hessian when the popped array's tangent was a copy. The user's own unsafe writes are still refused,
where the user wrote them."""
import numpy as np
import pytest

from s2sgrad import grad, hessian, jacrev, jvp
from s2sgrad.errors import UnsupportedConstructError

from .differences import central


def stencil(u):
    for _ in range(3):
        v = np.zeros_like(u)
        v[1:-1] = u[1:-1] + 0.1 * (u[2:] - 2 * u[1:-1] + u[:-2])
        v[0] = v[1]
        v[-1] = v[-2]
        u = v.copy()
    return np.sum(u ** 2)


def repeated_scatter(x):
    y = np.zeros(3)
    y[[0, 0, 1]] += x
    return np.sum(y ** 2)


def strided_square(x):
    y = x[::-1].copy()
    y[::2] = y[::2] ** 2
    return np.sum(y * np.arange(len(y)))


def list_of_copies(x):
    v = [x] * 3
    v[1] = v[1] * 2
    return sum(v) * x


def heat_2d(u0, alpha):
    u = u0
    for _ in range(3):
        un = u.copy()
        un[1:-1, 1:-1] = u[1:-1, 1:-1] + alpha * (u[2:, 1:-1] + u[:-2, 1:-1] + u[1:-1, 2:] + u[1:-1, :-2]
                                                  - 4 * u[1:-1, 1:-1])
        u = un
    return u[2, 2] + np.mean(u ** 2)


def wave(c, u0):
    n = len(u0)
    u_prev = u0.copy()
    u = u0.copy()
    for _ in range(4):
        u_next = np.empty(n)
        u_next[0] = 0.0
        u_next[-1] = 0.0
        for i in range(1, n - 1):
            u_next[i] = 2 * u[i] - u_prev[i] + c ** 2 * (u[i + 1] - 2 * u[i] + u[i - 1])
        u_prev, u = u, u_next
    return float(np.dot(u, u))


def elimination_determinant(A):
    M = A.copy()
    n = M.shape[0]
    det = 1.0
    for k in range(n):
        det *= M[k, k]
        for i in range(k + 1, n):
            f = M[i, k] / M[k, k]
            M[i, k:] = M[i, k:] - f * M[k, k:]
    return det


def swap_rows(A):
    B = A.copy()
    B[[0, 1]] = B[[1, 0]]
    return np.sum(B ** 2 * np.arange(6.0).reshape(3, 2))


def row_updates(A):
    B = A.copy()
    for i in range(1, B.shape[0]):
        B[i] = B[i] - 0.5 * B[i - 1] ** 2
    return np.sum(B ** 2)


def views_on_the_tape(x):
    """`w` views `a` and goes on the tape with it; the reverse sweep restores `a[1]` before it reads `w`."""
    s = 0.0
    for k in range(2):
        a = x * (k + 1.0)
        w = a[1:]
        r = a.reshape(-1)
        s = s + np.sum(w ** 3) + np.sum(r[:2] ** 3)
        a[1] = s * a[0]
        s = s + np.sum(a ** 2)
    return s


def constant_rows_written(x):
    """`a` carries no derivative but is written and restored beside one that does."""
    s = 0.0
    for k in range(2):
        a = np.ones(3) * k
        b = x * (k + 1.0)
        a[1] = 3.0
        b[0] = s + b[2] ** 2
        s = s + np.sum(a * b ** 2)
    return s


def writes_in_branches(x):
    """A view read before the writes, which each iteration makes in one branch or the other."""
    a = x * 1.5
    s = 0.0
    for k in range(3):
        w = a[:2]
        s = s + np.sum(w ** 3 * a[1])
        if x[k] > 0:
            a[k] = a[k] * x[k] + s
        else:
            a[(k + 1) % 3] = np.sin(a[k])
    return s + np.sum(a ** 2)


def orthonormal_columns(A):
    """Gram-Schmidt in place, column by column."""
    M = A.copy()
    for j in range(M.shape[1]):
        c = M[:, j]
        M[:, j] = c / np.sqrt(np.sum(c ** 2))
        for k in range(j + 1, M.shape[1]):
            M[:, k] = M[:, k] - np.sum(M[:, j] * M[:, k]) * M[:, j]
    return np.sum(M * A)


def diffuse(u):
    v = u.copy()
    v[1:-1] = v[1:-1] + 0.2 * (u[2:] - 2 * u[1:-1] + u[:-2])
    return v * 0.9


def calls_a_writing_helper(u):
    """The helper's gradient is called in its recording form, which forward mode differentiates too."""
    return np.sum(diffuse(diffuse(u)) ** 3)


def diffuse_in_place(u):
    v = u.copy()
    v[1:-1] = v[1:-1] + 0.2 * (u[2:] - 2 * u[1:-1] + u[:-2])
    return v


def calls_a_helper_returning_what_it_wrote(u):
    return np.sum(diffuse_in_place(u) ** 3)


rng = np.random.default_rng(7)
CASES = [
    (stencil, (np.sin(np.linspace(0, 3, 6)),), 0),
    (repeated_scatter, (np.array([0.3, -1.2, 0.7]),), 0),
    (strided_square, (np.array([0.3, -1.2, 0.7, 1.1, 0.4]),), 0),
    (list_of_copies, (1.3,), 0),
    (heat_2d, (rng.random((4, 4)), 0.1), 0),
    (heat_2d, (rng.random((4, 4)), 0.1), 1),
    (wave, (0.5, np.sin(np.linspace(0, 3, 5))), 0),
    (wave, (0.5, np.sin(np.linspace(0, 3, 5))), 1),
    (elimination_determinant, (rng.normal(size=(3, 3)) + 3 * np.eye(3),), 0),
    (swap_rows, (rng.normal(size=(3, 2)),), 0),
    (row_updates, (rng.normal(size=(3, 2)),), 0),
    (views_on_the_tape, (np.array([0.3, -0.5, 0.8]),), 0),
    (constant_rows_written, (np.array([0.3, -0.5, 0.8]),), 0),
    (calls_a_writing_helper, (np.array([0.3, -0.5, 0.8, 0.1]),), 0),
    (writes_in_branches, (np.array([0.3, -0.5, 0.8]),), 0),
    (orthonormal_columns, (rng.normal(size=(3, 3)),), 0),
]
IDS = [f"{f.__name__}-wrt{i}" for f, _, i in CASES]


def reference(f, args, i):
    """d(grad f)/d(args[i]) by central differences, shaped gradient.shape + args[i].shape."""
    x = np.asarray(args[i], dtype=float)

    def gradient(v):
        moved = list(args)
        moved[i] = v.reshape(x.shape) if x.ndim else v
        return grad(f, wrt=i)(*moved)

    flat = central(gradient, x if x.ndim == 0 else x.ravel())
    return flat.reshape(x.shape + x.shape) if x.ndim else flat


@pytest.mark.parametrize("f, args, i", CASES, ids=IDS)
def test_hessian(f, args, i):
    np.testing.assert_allclose(hessian(f, wrt=i)(*args), reference(f, args, i), rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("f, args, i", CASES, ids=IDS)
def test_forward_over_the_gradient(f, args, i):
    x = np.asarray(args[i], dtype=float)
    direction = np.random.default_rng(3).normal(size=x.shape)
    tangents = tuple((direction if x.ndim else float(direction)) if j == i else
                     (np.zeros_like(a) if np.ndim(a) else 0.0) for j, a in enumerate(args))
    gradient, moved = jvp(grad(f, wrt=i), args, tangents)
    np.testing.assert_allclose(gradient, grad(f, wrt=i)(*args), rtol=1e-12)
    expected = np.tensordot(reference(f, args, i), direction, axes=x.ndim)
    np.testing.assert_allclose(moved, expected, rtol=1e-5, atol=1e-7)


def reads_a_view_after_a_write(x):
    a = x * 2.0
    w = a[1:]
    a[1] = 5.0
    return np.sum(w ** 2)


def writes_into_its_input(x):
    x[0] = 1.0
    return np.sum(x ** 2)


def nested_def_reads_a_view_after_a_write(x):
    def inner(y):
        a = y * 2.0
        w = a[1:]
        a[1] = 5.0
        return np.sum(w ** 2)
    return inner(x) + np.sum(x)


@pytest.mark.parametrize("f, what, line", [
    (reads_a_view_after_a_write, "reading `w`, which may share memory with `a`", 4),
    (writes_into_its_input, "the in-place assignment to `x[0]`: `x` is the caller's input array", 1),
])
def test_unsafe_writes_are_still_refused_where_the_user_wrote_them(f, what, line):
    x = np.array([0.3, -0.5, 0.8])
    first = f.__code__.co_firstlineno
    for second_order in (lambda: hessian(f)(x.copy()), lambda: jvp(grad(f), (x.copy(),), (x.copy(),))):
        with pytest.raises(UnsupportedConstructError) as caught:
            second_order()
        assert what in str(caught.value)
        assert caught.value.location.filename == __file__
        assert caught.value.location.lineno == first + line


def test_a_nested_def_in_the_generated_code_keeps_the_checks():
    """The gradient's file defines the user's nested def verbatim: its stale read is refused, as grad refuses it,
    and never differentiated as if s2sgrad had written it."""
    x = np.array([0.3, -0.5, 0.8])
    for derivative in (grad, hessian):
        with pytest.raises(UnsupportedConstructError, match="reading `w`, which may share memory with `a`"):
            derivative(nested_def_reads_a_view_after_a_write)(x)


def test_a_helper_whose_gradient_writes_into_its_seed_takes_a_hessian():
    """A helper returning the array it wrote into: its gradient zeroes the written part of its seed in place,
    so it works on a copy of the seed (the caller's adjoint), which forward mode over it follows."""
    u = np.array([0.3, -0.5, 0.8, 0.1])
    gradient = grad(calls_a_helper_returning_what_it_wrote)
    np.testing.assert_allclose(gradient(u), central(calls_a_helper_returning_what_it_wrote, u), rtol=1e-6)
    np.testing.assert_allclose(hessian(calls_a_helper_returning_what_it_wrote)(u), central(gradient, u),
                               rtol=1e-5, atol=1e-7)


def test_reverse_mode_over_such_a_gradient_is_refused():
    """Reverse mode over the gradient's writes is not followed (jacrev(grad(f)) gave a wrong matrix for
    list_of_copies when it was): it stops with a located error that points to forward mode."""
    with pytest.raises(UnsupportedConstructError, match="forward mode over it is"):
        jacrev(grad(strided_square))(np.array([0.3, -1.2, 0.7, 1.1, 0.4]))
    with pytest.raises(UnsupportedConstructError):
        jacrev(grad(list_of_copies))(1.3)
