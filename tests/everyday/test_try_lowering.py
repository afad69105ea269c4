"""Unit tests of the `try` lowering (s2sgrad/ssa/try_statements.py), its printing (codegen/try_blocks.py)
and the attempts the generated code keeps (runtime/attempts.py)."""
from __future__ import annotations

import math

import gast

from s2sgrad.codegen.printer import unparse
from s2sgrad.codegen.try_blocks import MARK, fold_try_blocks
from s2sgrad.runtime import attempts       # not imported by name: the lowering would find them bound here
from s2sgrad.source import read_function
from s2sgrad.ssa.try_statements import lower_try_statements
from s2sgrad.transform import prepare


def one_statement(x):
    try:
        y = math.log(x)
    except ValueError as e:     # noqa: F841 (users bind it and leave it unused)
        y = 0.0
    return y


def two_statements_and_clauses(x):
    try:
        a = x * 3.0
        b = math.log(a)
    except ZeroDivisionError:
        b = x
    except ValueError:
        raise
    else:
        b = b * 2.0
    finally:
        x = x + 1.0
    return a + b + x


def two_handlers(x):
    try:
        a = x * 3.0
        b = math.log(a)
    except ZeroDivisionError:
        b = x
    except ValueError:
        b = -x
    return a + b


def only_finally(x):
    try:
        y = x * 2.0
    finally:
        z = y + 1.0
    return z


def test_an_attempt_is_true_until_its_statement_raises():
    first = attempts.attempt()
    assert first and attempts.caught_error(first) is None
    second = attempts.attempt(first)
    try:
        math.log(-1.0)
    except ValueError:
        second.failed()
    assert first and not second
    assert isinstance(attempts.caught_error(second), ValueError)
    third = attempts.attempt(second)             # the statement after one that raised never ran
    assert not third and attempts.caught_error(third) is attempts.caught_error(second)


def test_failed_as_a_function_keeps_the_exception_it_is_given():
    tried, error = attempts.attempt(), KeyError("k")
    attempts.failed(tried, error)
    assert not tried and attempts.caught_error(tried) is error


def test_each_statement_of_the_body_becomes_a_branch_on_its_marked_attempt():
    src = read_function(two_statements_and_clauses)
    helpers = lower_try_statements(src)
    assert helpers == {"attempt": attempts.attempt, "caught_error": attempts.caught_error}
    body = src.tree.body
    assert not any(isinstance(n, gast.Try) for n in gast.walk(src.tree))
    made = [s for s in body if getattr(s, MARK, None) is not None]
    assert [gast.unparse(s).strip() for s in made] == ["ran = attempt()", "ran_1 = attempt(ran)"]
    assert [getattr(s, MARK).first for s in made] == [True, False]
    assert getattr(made[0], MARK).catches is None       # with a `finally`, every exception is caught
    branches = [s for s in body if isinstance(s, gast.If)][:2]
    assert [gast.unparse(b.test).strip() for b in branches] == ["ran", "ran_1"]
    assert [gast.unparse(b.body[0]).strip() for b in branches] == ["a = x * 3.0", "b = math.log(a)"]
    assert gast.unparse(body[-3]).strip() == "x = x + 1.0"         # `finally` after the handlers, on every path
    assert gast.unparse(body[-2]).strip() == "if unhandled is not None:\n    raise unhandled"
    src = read_function(two_handlers)
    lower_try_statements(src)
    made = [s for s in src.tree.body if getattr(s, MARK, None) is not None]
    assert gast.unparse(getattr(made[0], MARK).catches).strip() == "(ZeroDivisionError, ValueError)"


def test_the_handlers_are_chosen_in_order_and_a_bare_raise_raises_the_caught_error():
    # with a `finally`, an exception no handler takes is kept, the `finally` runs, then it is raised again
    assert prepare(two_statements_and_clauses).ssa_source == (
        "def two_statements_and_clauses(x):\n"
        "    ran = attempt()\n"
        "    try:\n"
        "        a = x * 3.0\n"
        "    except:\n"
        "        ran.failed()\n"
        "        a = None\n"
        "    ran_1 = attempt(ran)\n"
        "    if ran_1:\n"
        "        try:\n"
        "            b = math.log(a)\n"
        "        except:\n"
        "            ran_1.failed()\n"
        "            b = None\n"
        "    else:\n"
        "        b = None\n"
        "    error = caught_error(ran_1)\n"
        "    unhandled = None\n"
        "    t1 = error is None\n"
        "    if t1:\n"
        "        b_2 = b * 2.0\n"
        "        unhandled_1 = unhandled\n"
        "    else:\n"
        "        t2 = isinstance(error, ZeroDivisionError)\n"
        "        if t2:\n"
        "            b_2 = x\n"
        "            unhandled_1 = unhandled\n"
        "        else:\n"
        "            t3 = isinstance(error, ValueError)\n"
        "            if t3:\n"
        "                raise error\n"
        "                unhandled_1 = unhandled\n"
        "            else:\n"
        "                unhandled_1 = error\n"
        "            b_2 = b\n"
        "    x_1 = x + 1.0\n"
        "    t4 = unhandled_1 is not None\n"
        "    if t4:\n"
        "        raise unhandled_1\n"
        "    t5 = a + b_2\n"
        "    two_statements_and_clauses = t5 + x_1\n"
        "    return two_statements_and_clauses\n")


def test_except_as_binds_the_caught_error():
    ssa = prepare(one_statement).ssa_source
    assert "    error = caught_error(ran)\n    t1 = error is not None\n    if t1:\n        e = error\n" in ssa


def test_a_try_without_handlers_runs_its_finally_before_raising_again():
    src = read_function(only_finally)
    lower_try_statements(src)
    assert gast.unparse(src.tree).strip().split("\n")[1:] == [
        "    ran = attempt()", "    if ran:", "        y = x * 2.0", "    error = caught_error(ran)",
        "    unhandled = None", "    if error is not None:", "        unhandled = error", "    z = y + 1.0",
        "    if unhandled is not None:", "        raise unhandled", "    return z"]


def test_the_printer_writes_a_branch_on_a_marked_attempt_as_a_try_with_its_other_branch_in_the_handler():
    src = read_function(two_handlers)
    lower_try_statements(src)
    made, second = src.tree.body[2], src.tree.body[3]
    second.orelse = [gast.parse("b = None").body[0]]
    printed = unparse(fold_try_blocks([made, second]))
    assert printed == (
        "ran_1 = attempt(ran)\n"
        "if ran_1:\n"
        "    try:\n"
        "        b = math.log(a)\n"
        "    except (ZeroDivisionError, ValueError):\n"
        "        ran_1.failed()\n"
        "        b = None\n"
        "else:\n"
        "    b = None")
    assert isinstance(second, gast.If) and second.orelse      # the input is left as it was
    reverse = unparse(fold_try_blocks([second]))              # code that does not make the attempt: a plain if
    assert reverse.startswith("if ran_1:\n    b = math.log(a)")
