"""Methods that change `self` on objects the differentiated function builds (s2sgrad/ssa/local_objects.py):
every mode against central differences, Hessians included; what would let another value see the object, and
an object the function did not build changing itself, are refused at their line."""
from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

import s2sgrad
from s2sgrad.errors import UnsupportedConstructError

from .all_modes import all_modes


class Accumulator:
    def __init__(self):
        self.total = 0.0
        self.count = 0

    def add(self, v):
        self.total += v
        self.count += 1

    def mean(self):
        return self.total / self.count


class Scaler:
    scale = 2.0             # a class attribute the instance shadows once it changes it

    def bump(self, v):
        if v > 1.0:
            self.scale = self.scale * v
        else:
            self.scale = self.scale + math.sin(v)


@dataclasses.dataclass
class Oscillator:
    pos: float
    vel: float

    def step(self, dt):
        self.vel = self.vel - self.pos * dt
        self.pos = self.pos + self.vel * dt


class Layer:
    def __init__(self, w):
        self.w = w
        self.calls = 0

    def forward(self, x):
        self.calls += 1
        return self.w * x


class Squared(Layer):
    def forward(self, x):
        y = super().forward(x)
        return y * y


class Adam:
    """An optimizer's state, changed by each step."""

    def __init__(self, lr, beta=0.9):
        self.lr = lr
        self.beta = beta
        self.m = 0.0

    def step(self, p, g):
        self.m = self.beta * self.m + (1.0 - self.beta) * g
        return p - self.lr * self.m


def accumulates(x):
    acc = Accumulator()
    acc.add(x)
    acc.add(x * x)
    return acc.mean() + acc.total


def shadows_a_class_attribute(x):
    s = Scaler()
    s.bump(x)
    s.bump(x * 0.5)
    return s.scale


def steps_in_a_loop(x):
    o = Oscillator(x, 0.0)
    for _ in range(10):
        o.step(0.1)
    o.pos += 1.0
    return o.pos * o.vel


def counts_calls_through_super(x):
    m = Squared(x)
    y = m.forward(x) + m.forward(2.0)
    return y * m.calls


def optimizes(x):
    opt = Adam(0.1)
    p = x
    for _ in range(3):
        g = 2.0 * p * x
        p = opt.step(p, g)
    return p * opt.m


def fields_written_directly(x):
    acc = Accumulator()
    acc.total = x * 3.0
    acc.total += math.exp(x)
    acc.count = 2
    return acc.mean() * sum([acc.total * k for k in range(3)])


def built_in_each_iteration(x):
    s = 0.0
    for k in range(3):
        acc = Accumulator()
        acc.add(x * k)
        acc.add(x)
        s = s + acc.mean()
    return s


def over_an_array(x):
    acc = Accumulator()
    for row in x:
        acc.add(np.sum(row * row))
    return acc.mean()


@pytest.mark.parametrize("f", [accumulates, shadows_a_class_attribute, steps_in_a_loop, counts_calls_through_super,
                               optimizes, fields_written_directly, built_in_each_iteration])
@pytest.mark.parametrize("x", [0.7, 1.6])
def test_in_every_mode(f, x):
    all_modes(f, x)


def test_over_an_array():
    all_modes(over_an_array, np.array([0.5, -1.0, 2.0]).reshape(3, 1) * np.array([1.0, 0.5]), hessian=False)


def test_the_fields_are_variables_of_the_function():
    from s2sgrad.transform import prepare
    assert prepare(accumulates).ssa_source == (
        "def accumulates(x):\n"
        "    acc_total = 0.0\n"
        "    acc_count = 0\n"
        "    v = x\n"
        "    acc_total_1 = acc_total + v\n"
        "    acc_count_1 = acc_count + 1\n"
        "    v_1 = x * x\n"
        "    acc_total_2 = acc_total_1 + v_1\n"
        "    acc_count_2 = acc_count_1 + 1\n"
        "    mean_value = acc_total_2 / acc_count_2\n"
        "    accumulates = mean_value + acc_total_2\n"
        "    return accumulates\n")


def helper(a):
    return a.total


class ReturnsItself(Accumulator):
    def chained(self, v):
        self.add(v)
        return self


class ReturnsEarly(Accumulator):
    def capped(self, v):
        if v > 10.0:
            return 10.0
        self.add(v)
        return v


@dataclasses.dataclass(frozen=True)
class Frozen:
    a: float

    def change(self):
        self.a = 1.0


def passed_on(x):
    acc = Accumulator()
    acc.add(x)
    return helper(acc)


def stored_in_a_list(x):
    acc = Accumulator()
    acc.add(x)
    items = [acc]
    return items[0].total


def returned_by_its_method(x):
    acc = ReturnsItself()
    other = acc.chained(x)
    return other.total


def returns_before_its_end(x):
    acc = ReturnsEarly()
    acc.capped(x)
    return acc.total


def called_in_a_conditional_expression(x):
    acc = Accumulator()
    y = x if x > 0 else acc.add(x)
    return acc.total + y


def read_in_a_lambda(x):
    acc = Accumulator()
    acc.add(x)
    get = lambda: acc.total     # noqa: E731
    return get()


def changes_an_object_passed_in(acc, x):
    acc.add(x)
    return acc.total


def changes_a_frozen_dataclass(x):
    f = Frozen(x)
    f.change()
    return f.a


@pytest.mark.parametrize("f, what, line", [
    (passed_on, "an object of class Accumulator that the function builds and changes, passed on", 3),
    (stored_in_a_list, "passed on, stored or returned", 3),
    (returned_by_its_method, "returned by its own method (as `self`)", 2),
    (returns_before_its_end, "which returns before its end", 2),
    (called_in_a_conditional_expression, "inside `... if ... else ...`", 2),
    (read_in_a_lambda, "read inside a nested function or a lambda", 3),
    (changes_a_frozen_dataclass, "changing `f`, a frozen dataclass Frozen", 1),
])
def test_what_would_let_another_value_see_the_object_is_refused_at_its_line(f, what, line):
    with pytest.raises(UnsupportedConstructError) as error:
        s2sgrad.grad(f)(1.0)
    assert what in str(error.value)
    assert error.value.location.filename == __file__
    assert error.value.location.lineno == f.__code__.co_firstlineno + line


def test_an_object_the_function_did_not_build_changing_itself_is_refused():
    with pytest.raises(UnsupportedConstructError) as error:
        s2sgrad.grad(changes_an_object_passed_in, wrt=1)(Accumulator(), 1.0)
    message = str(error.value)
    assert "the call `acc.add(...)` used as a statement" in message
    assert "objects of your classes that it builds itself" in message
    assert error.value.location.lineno == changes_an_object_passed_in.__code__.co_firstlineno + 1
