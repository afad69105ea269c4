"""Unit tests of what the object lowerings read from a class (s2sgrad/analysis/class_fields.py,
analysis/plain_init.py) and of which objects s2sgrad/ssa/local_objects.py writes out."""
from __future__ import annotations

import dataclasses
import inspect

from s2sgrad.analysis.class_fields import (
    fields_set_on_every_path, instance_fields, is_class_value, is_plain_class, method_of, writes_self,
)
from s2sgrad.analysis.plain_init import stored_parameters
from s2sgrad.transform import prepare


class Accumulator:
    unit = 1.0

    def __init__(self):
        self.total = 0.0
        if self.unit > 0:
            self.count = 0

    def add(self, v):
        self.total += v * self.unit

    def add_twice(self, v):
        self.add(v)
        self.add(v)

    def mean(self):
        return self.total / self.count


class Child(Accumulator):
    def add(self, v):
        super().add(v)
        self.last = v


class Pair:
    def __init__(self, a, b):
        self.a = a
        self.b = b

    def product(self):
        return self.a * self.b


class PairWithSuper(Pair):
    def __init__(self, a, b, c):
        super().__init__(a, b)
        self.c = c


class Slotted:
    __slots__ = ("a",)


class Items(list):
    pass


@dataclasses.dataclass(frozen=True)
class Frozen:
    a: float


def keeps_a_record(x):
    p = Pair(x, 2.0)
    return p.product()


def writes_one_out(x):
    acc = Accumulator()
    acc.add_twice(x)
    return acc.total


def test_the_fields_a_class_keeps():
    assert instance_fields(Accumulator) == {"total", "count"}
    assert instance_fields(Child) == {"total", "count", "last"}
    assert fields_set_on_every_path(Accumulator) == {"total"}          # count is set under an `if`


def test_which_methods_change_self():
    assert writes_self(Accumulator.add, Accumulator, set())
    assert writes_self(Accumulator.add_twice, Accumulator, set())       # through the method it calls on self
    assert not writes_self(Accumulator.mean, Accumulator, set())
    assert writes_self(Child.add, Child, set())


def test_which_classes_keep_their_state_in_fields():
    assert is_plain_class(Accumulator) and is_plain_class(Pair)
    assert not is_plain_class(Slotted) and not is_plain_class(Items) and not is_plain_class(Frozen)
    assert is_class_value(Accumulator, "unit") and not is_class_value(Accumulator, "add")
    assert method_of(Child, "mean") is Accumulator.mean


def test_a_constructor_that_passes_its_parameters_on_with_super_is_a_records():
    empty = inspect.Parameter.empty
    assert stored_parameters(PairWithSuper) == ({"a": empty, "b": empty, "c": empty}, "")
    assert stored_parameters(Accumulator)[0] is None                    # it keeps constants: not a record's


def test_an_object_the_function_does_not_change_stays_an_object():
    assert "    p = Pair(x, 2.0)\n" in prepare(keeps_a_record).ssa_source


def test_an_object_the_function_changes_is_written_out_method_by_method():
    # a field set under an `if` exists as None until then; the class attribute is read from the class; each
    # call's parameter is a variable of its own
    assert prepare(writes_one_out).ssa_source == (
        "def writes_one_out(x):\n"
        "    acc_count = None\n"
        "    acc_total = 0.0\n"
        "    t1 = Accumulator.unit > 0\n"
        "    if t1:\n"
        "        acc_count_1 = 0\n"
        "    else:\n"
        "        acc_count_1 = acc_count\n"
        "    v = x\n"
        "    v_1 = v\n"
        "    t2 = v_1 * Accumulator.unit\n"
        "    acc_total_1 = acc_total + t2\n"
        "    v_2 = v\n"
        "    t3 = v_2 * Accumulator.unit\n"
        "    acc_total_2 = acc_total_1 + t3\n"
        "    return acc_total_2\n")
