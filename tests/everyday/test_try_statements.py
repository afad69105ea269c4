"""`try` statements, `raise`, and handlers, as users write them: every mode (grad, value_and_grad, jvp and
the Hessian against central differences) on both paths, the one where the body runs through and the one
where it raises partway; what cannot be replayed is refused at its line."""
from __future__ import annotations

import math

import numpy as np
import pytest

import s2sgrad
from s2sgrad.errors import UnsupportedConstructError
from s2sgrad.transform import prepare

from .all_modes import all_modes


def log_or_zero(x):
    try:
        y = math.log(x)
    except ValueError:
        y = 0.0
    return y * x + x


def first_statement_completes(x):
    a = x
    try:
        a = a * 3.0                  # runs to the end: its value (and adjoint) stays when the next one raises
        b = math.log(a - 5.0)
    except ValueError:
        b = a * a
    return a + b


def else_and_finally(x):
    calls = []
    try:
        r = math.sqrt(x - 1.0)
    except ValueError:
        r = -x * x
    else:
        r = r * x
    finally:
        calls.append(r)
    return r + len(calls) * x


def several_handlers(x):
    try:
        q = 1.0 / (x - 2.0) if x < 3.0 else math.log(x - 4.0)
    except ZeroDivisionError:
        q = x
    except (ValueError, OverflowError) as error:
        q = x * x * len(type(error).__name__)
    return q * x


def bare_except(x):
    try:
        v = math.acos(x)
    except:         # noqa: E722 (users write it)
        v = x ** 2
    return math.sin(v)


def returns_from_both(x):
    try:
        return math.log(x) * x
    except ValueError:
        return x * x * x


def in_a_loop(x):
    s = 0.0
    for k in range(6):
        try:
            y = x * k                    # completes on every iteration, on the tape
            y = y * math.log(x - 0.5 * k)
        except ValueError:
            y = y + x
        s = s + y
    return s


def skips_in_a_loop(x):
    total = 0.0
    for k in range(5):
        try:
            term = math.sqrt(x - k)
        except ValueError:
            continue
        total = total + term * x
    return total


def stops_a_while_loop(x):
    s = x
    n = 0
    while n < 5:
        n += 1
        try:
            s = s + math.log(s - 2.0)
        except ValueError:
            break
    return s


def nested(x):
    try:
        try:
            v = math.log(x)
        except ValueError:
            v = math.log(-x) * 2.0
        w = math.sqrt(v)
    except ValueError:
        w = v * x
    return w + x


def branches_inside_branches_in_a_loop(x):
    s = 0.0
    for k in range(3):
        try:
            if x > k:
                if x > 2 * k:
                    s = s + x
                s = s + math.log(x - k - 0.5)     # raises after the branch above pushed its entry
            else:
                s = s * x
        except ValueError:
            s = s - x
    return s


def try_inside_try_in_a_loop(x):
    s = 0.0
    for k in range(4):
        try:
            try:
                v = math.log(x - k)
            except ValueError:
                v = math.sqrt(k - x - 1.0)
            s = s + v * x
        except ValueError:
            s = s - x
    return s


def newton_or_fallback(x):
    y = x
    try:
        for _ in range(6):
            y = y - (y * y - x) / (2.0 * y - 3.0)     # raises where 2y = 3
            check = math.log(y)                       # raises once y <= 0, after the step above ran
    except (ZeroDivisionError, ValueError):
        y = -x
    return y * x


def loops_in_a_try_in_a_loop(x):
    s = 0.0
    for k in range(3):
        try:
            for j in range(3):
                s = s + math.sqrt(x - j - k)
        except ValueError:
            s = s * x
    return s


def loop_in_a_branch_of_a_try(x):
    try:
        if x > 1.0:
            for j in range(3):
                x = x * math.log(x + j - 1.5)
        y = x
    except ValueError:
        y = 1.0
    return y


def iterates_until_converged(x):
    y, n = x, 0
    try:
        while abs(y * y - x) > 1e-3 and n < 8:
            n += 1
            if n == 3:
                continue                               # back to the test, which runs again
            y = 0.5 * (y + x / y)
            check = math.log(y - 0.9)                  # raises once the iterate falls below 0.9
    except ValueError:
        y = y * 2.0
    return y * x


def cholesky_or_diagonal(x):
    A = np.outer(x, x) + np.eye(3) * x[0]
    try:
        L = np.linalg.cholesky(A)
        v = np.sum(L * L)
    except np.linalg.LinAlgError:
        v = np.sum(np.diag(A) ** 2)
    return v


def validated(x):
    if x < 0.0:
        raise ValueError(f"x must not be negative, got {x}")
    return math.sqrt(x) * x


def reraised(x):
    try:
        v = math.log(x)
    except ValueError:
        raise
    return v * v


def raised_from(x):
    try:
        v = math.log(x)
    except ValueError as error:
        raise RuntimeError("log of a negative number") from error
    return v * x


@pytest.mark.parametrize("f, points", [
    (log_or_zero, (-1.0, 2.0)),
    (first_statement_completes, (1.0, 2.5)),
    (else_and_finally, (0.5, 2.0)),
    (several_handlers, (1.5, 3.5, 5.0)),
    (bare_except, (0.3, 1.5)),
    (returns_from_both, (-1.5, 2.0)),
    (in_a_loop, (0.7, 1.9, 3.1)),
    (skips_in_a_loop, (2.5, 10.0)),
    (stops_a_while_loop, (2.5, 3.0)),
    (nested, (-3.0, -0.5, 0.5, 2.0)),
    (branches_inside_branches_in_a_loop, (0.3, 0.7, 1.2, 2.6)),
    (try_inside_try_in_a_loop, (0.3, 1.2, 2.6, 4.5)),
    (newton_or_fallback, (0.3, 1.2, 2.6, 4.5)),
    (loops_in_a_try_in_a_loop, (0.3, 1.2, 2.6, 4.5)),
    (loop_in_a_branch_of_a_try, (0.3, 1.2, 2.6, 4.5)),
    (iterates_until_converged, (0.3, 1.2, 2.6, 4.5)),
    (validated, (1.5,)),
    (reraised, (2.0,)),
    (raised_from, (2.0,)),
])
def test_both_paths_in_every_mode(f, points):
    for x in points:
        all_modes(f, x)


@pytest.mark.parametrize("x", [np.array([1.0, 2.0, 0.5]), np.array([-1.0, 2.0, 0.5])])
def test_a_library_exception_chooses_the_handler(x):
    all_modes(cholesky_or_diagonal, x)


def test_the_partial_body_keeps_what_completed():
    # log(3x - 5) raises for x = 1, after a = 3x ran: a + b = 3x + 9x^2, whose derivative is 3 + 18x
    value, gradient = s2sgrad.value_and_grad(first_statement_completes)(1.0)
    assert value == first_statement_completes(1.0) == 12.0
    assert gradient == pytest.approx(21.0)


@pytest.mark.parametrize("f, x, kind, text", [
    (validated, -1.0, ValueError, "x must not be negative, got -1.0"),
    (reraised, -1.0, ValueError, "math domain error"),
    (raised_from, -1.0, RuntimeError, "log of a negative number"),
])
def test_an_exception_leaving_the_function_is_raised_as_python_raises_it(f, x, kind, text):
    for transform in (s2sgrad.grad, s2sgrad.hessian):
        with pytest.raises(kind, match=text):
            transform(f)(x)
    with pytest.raises(kind, match=text):
        s2sgrad.jvp(f, (x,), (1.0,))


def test_the_generated_code_tries_each_statement_and_replays_what_ran():
    source = s2sgrad.grad(first_statement_completes).source
    forward, reverse = source.split("# reverse sweep")
    assert "ran = attempt()\n    try:\n        a_1 = a * 3.0\n    except ValueError:\n        ran.failed()" in forward
    assert "ran_1 = attempt(ran)\n    if ran_1:\n        try:" in forward
    assert "error = caught_error(ran_1)" in forward
    assert "if ran_1:" in reverse and "if ran:" in reverse and "try" not in reverse


def with_inside(x):
    try:
        with np.errstate(all="ignore"):
            y = np.log(x)
    except ValueError:
        y = x
    return y


def while_else_inside(x):
    try:
        while x < 10.0:
            x = x * 2.0
        else:
            x = x + 1.0
    except ValueError:
        pass
    return x


def returns_before_finally(x):
    try:
        return math.log(x)
    except ValueError:
        return x
    finally:
        print("done")


def handler_type_in_a_variable(x):
    kind = ValueError
    try:
        y = math.log(x)
    except kind:
        y = x
    return y


def nested_try_with_two_handlers_in_a_loop(x):
    s = 0.0
    for k in range(3):
        try:
            try:
                v = math.log(x - k)
            except ValueError:
                v = 0.0
            except ZeroDivisionError:
                v = 1.0
            s = s + v
        except ValueError:
            s = s - x
    return s


def bare_raise_outside_a_handler(x):
    if x < 0:
        raise
    return x


@pytest.mark.parametrize("f, what, line", [
    (with_inside, "a `with` block inside a `try` body", 2),
    (while_else_inside, "a `while ... else` loop inside a `try` body", 2),
    (returns_before_finally, "`return` inside a `try` statement that has a `finally` clause", 2),
    (handler_type_in_a_variable, "whose exception type is read from `kind`", 4),
    (nested_try_with_two_handlers_in_a_loop, "a `try` inside a `try` body whose handlers or statements hold", 6),
    (bare_raise_outside_a_handler, "a bare `raise` outside an `except` clause", 2),
])
def test_what_cannot_be_replayed_is_refused_at_its_line(f, what, line):
    with pytest.raises(UnsupportedConstructError) as error:
        s2sgrad.grad(f)(2.0)
    assert what in str(error.value)
    assert error.value.location.filename == __file__
    assert error.value.location.lineno == f.__code__.co_firstlineno + line
    assert error.value.hint


def sqrt_or_minus_one(x):
    try:
        y = math.sqrt(x)
    except ZeroDivisionError:
        y = -1.0
    return y


def test_a_handler_never_catches_what_only_a_tangent_raises():
    # sqrt(0) runs, its tangent x_dot / (2 * 0) does not: forward mode fails as the gradient does, where
    # catching it would have run the handler and given -1.0 for f(0) = 0.0
    assert sqrt_or_minus_one(0.0) == 0.0
    with pytest.raises(ZeroDivisionError):
        s2sgrad.jvp(sqrt_or_minus_one, (0.0,), (1.0,))
    with pytest.raises(ZeroDivisionError):
        s2sgrad.grad(sqrt_or_minus_one)(0.0)
    source = s2sgrad.jvp_source(sqrt_or_minus_one, 0.0)
    assert "    try:\n        y = math.sqrt(x)\n    except ZeroDivisionError:" in source
    assert "    else:\n        y_dot = x_dot / (2 * y)\n" in source
    all_modes(sqrt_or_minus_one, 2.0)


def cleans_up(x):
    try:
        y = math.sqrt(x)
    finally:
        print("cleaned up")
    return y * x


def finally_after_handlers(x):
    seen = []
    try:
        y = math.log(x)
    except ZeroDivisionError:
        y = 0.0
    finally:
        seen.append(1)
        print("cleaned up")
    return y * len(seen)


@pytest.mark.parametrize("f", [cleans_up, finally_after_handlers])
def test_finally_runs_before_an_exception_no_handler_takes_leaves(f, capsys):
    all_modes(f, 2.0)
    generated = s2sgrad.grad(f).generated_for(-1.0)
    capsys.readouterr()
    with pytest.raises(ValueError, match="math domain error"):
        generated(-1.0)
    assert capsys.readouterr().out == "cleaned up\n"            # the finally ran, then the ValueError left
    with pytest.raises(ValueError, match="math domain error"):
        s2sgrad.grad(f)(-1.0)
    ssa = prepare(f).ssa_source
    assert "    except:\n        ran.failed()" in ssa
    assert ssa.index("print('cleaned up')") < ssa.index("raise unhandled")
