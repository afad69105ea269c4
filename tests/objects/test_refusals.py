"""What the gradient of a model cannot follow stops with an error that says what to write instead."""
import copy

import pytest

from s2sgrad import S2SGradError, grad, jvp


class Scale:
    def __init__(self, w):
        self.w = w

    def go(self, x):
        return self.w * x


class Holder:
    def __init__(self, w):
        self.w = w
        self.part = Scale(2.0 * w)
        self.bound_elsewhere = Scale(3.0).go          # bound to an object the holder does not hold
        self.bound_here = self.part.go                 # bound to the holder's own field
        self.reads_self = lambda x: self.w * x         # reads the holder through its closure


def call_bound_elsewhere(h, x):
    return h.bound_elsewhere(x) * h.w


def call_reads_self(h, x):
    return h.reads_self(x)


def call_bound_here(h, x):
    return h.bound_here(x) * h.w


def test_a_method_bound_to_an_object_outside_the_model_is_refused():
    with pytest.raises(S2SGradError, match="store the object itself in a field"):
        grad(call_bound_elsewhere)(Holder(1.5), 0.7)


def test_a_function_reading_the_model_through_its_closure_is_refused():
    """Its derivative with respect to h.w would be lost silently: refused where it is called."""
    with pytest.raises(S2SGradError, match="closure"):
        grad(call_reads_self)(Holder(1.5), 0.7)
    with pytest.raises(S2SGradError, match="closure"):
        jvp(call_reads_self, (Holder(1.5), 0.7), (copy.deepcopy(Holder(1.0)), 0.0))


def test_a_method_bound_to_one_of_the_models_fields_sends_its_gradient_to_that_field():
    h = Holder(1.5)
    g = grad(call_bound_here)(h, 0.7)
    # f = part.w * x * w: d/dpart.w = x * w, d/dw = part.w * x
    assert g.part.w == pytest.approx(0.7 * 1.5) and g.w == pytest.approx(3.0 * 0.7)


def test_a_tangent_holding_the_primals_own_bound_method_is_refused():
    """copy.copy keeps h.bound_here bound to h.part itself: its 'tangent' would be the primal's values."""
    h = Holder(1.5)
    tangent = copy.copy(h)
    tangent.w, tangent.part = 1.0, Scale(1.0)
    with pytest.raises(S2SGradError, match="bind the method to the object's tangent"):
        jvp(call_bound_here, (h, 0.7), (tangent, 0.0))
    moved = copy.deepcopy(tangent)         # deepcopy binds the copied method to the copied field
    moved.bound_here = moved.part.go
    _, derivative = jvp(call_bound_here, (h, 0.7), (moved, 0.0))
    assert derivative == pytest.approx(1.0 * 0.7 * 1.5 + 3.0 * 0.7 * 1.0)


class Square:
    def __init__(self, side):
        self.side = side

    @property
    def area(self):
        return self.side ** 2


def reads_a_property(s, x):
    return s.area * x


def test_a_property_read_on_a_moving_object_is_refused_in_both_modes():
    """Its derivative would be lost in reverse mode and, for a nonlinear property, wrong in forward mode."""
    with pytest.raises(S2SGradError, match="`Square.area` is a property"):
        grad(reads_a_property)(Square(1.5), 2.0)
    with pytest.raises(S2SGradError, match="`Square.area` is a property"):
        jvp(reads_a_property, (Square(1.5), 2.0), (Square(1.0), 0.0))
    assert jvp(reads_a_property, (Square(1.5), 2.0), (None, 1.0)) == (4.5, 2.25)     # the object as data
