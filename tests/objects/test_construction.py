"""Objects built inside the differentiated function from a class whose __init__ only stores each parameter
under its own name: built like a dataclass (each field's adjoint goes back to its argument), with their
methods and callable fields followed in both modes. Any other __init__ is refused, naming its statement."""
import numpy as np
import pytest

from s2sgrad import S2SGradError, UnsupportedConstructError, grad, jvp

from .test_refusals import Square       # a class with a property: built inside here, passed in there


class Affine:
    def __init__(self, w, b=0.25):
        """Stores its parameters: nothing else."""
        self.w = w
        self.b = b

    def __call__(self, x):
        return np.tanh(self.w @ x + self.b)

    def energy(self):
        return np.sum(self.w ** 2) + self.b


class Pair:
    def __init__(self, first, second, scale):
        self.first = first
        self.second = second
        self.scale = scale

    def __call__(self, x):
        return self.second(self.first(x)) * self.scale


class Converts:
    def __init__(self, w):
        self.w = np.asarray(w, dtype=float)


def built_and_called(w, x):
    layer = Affine(w * 2.0)                  # b left at its default
    return np.sum(layer(x) ** 2) + layer.energy()


def nested_and_called(w1, w2, x):
    model = Pair(Affine(w1, b=0.1), Affine(w2), scale=1.5)
    return np.sum(model(x)) + model.first.energy() * model.scale


def _central(f, args, i, h=1e-6):
    args = list(args)
    base = np.asarray(args[i], dtype=float)
    out = np.zeros_like(base)
    for index in np.ndindex(base.shape):
        step = np.zeros_like(base)
        step[index] = h
        up = args[:i] + [base + step] + args[i + 1:]
        down = args[:i] + [base - step] + args[i + 1:]
        out[index] = (f(*up) - f(*down)) / (2 * h)
    return out


@pytest.mark.parametrize("f, shapes", [
    (built_and_called, [(2, 2), (2,)]),
    (nested_and_called, [(3, 2), (2, 3), (2,)]),
], ids=["built_and_called", "nested_and_called"])
def test_an_object_built_inside_is_differentiated_in_both_modes(f, shapes):
    rng = np.random.default_rng(11)
    args = [rng.standard_normal(s) for s in shapes]
    grads = grad(f, wrt=tuple(range(len(args))))(*args)
    tangents = [rng.standard_normal(s) for s in shapes]
    for i, g in enumerate(grads):
        np.testing.assert_allclose(g, _central(f, args, i), rtol=1e-6, atol=1e-9)
    value, derivative = jvp(f, tuple(args), tuple(tangents))
    assert value == pytest.approx(f(*args))
    assert derivative == pytest.approx(sum(float(np.sum(g * t)) for g, t in zip(grads, tangents)), rel=1e-9)


def builds_a_converting_class(w, x):
    return np.sum(Converts(w).w * x)


def test_an_init_that_computes_is_refused_naming_its_statement():
    with pytest.raises(UnsupportedConstructError, match="constructing a `Converts`") as info:
        grad(builds_a_converting_class)
    message = str(info.value)
    assert "self.w = np.asarray(w, dtype=float)" in message and "test_construction.py" in message


def builds_and_reads_a_property(side, x):
    return Square(side).area * x


def test_a_property_of_an_object_built_inside_is_refused_in_both_modes():
    with pytest.raises(S2SGradError, match="`Square.area` is a property"):
        grad(builds_and_reads_a_property)(1.5, 2.0)
    with pytest.raises(UnsupportedConstructError, match="whose class defines properties"):
        jvp(builds_and_reads_a_property, (1.5, 2.0), (1.0, 0.0))
