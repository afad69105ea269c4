"""What a new user passes by mistake gets a specific message, never a traceback naming s2sgrad's generated function
or a silently scaled gradient; what s2sgrad can follow (methods, partials, callable objects, builtins) just works."""
import functools
import importlib.machinery
import importlib.util
import math
import py_compile

import numpy as np
import pytest

import s2sgrad
from s2sgrad import NonScalarOutputError, S2SGradError, SourceUnavailableError


def scaled(x, y=2.0):
    return x * y


def takes_options(x, **options):
    y = x * 2.0
    return y


@pytest.mark.parametrize("call, message", [
    (lambda g: g(1.0, 2.0, 3.0), "scaled() takes from 1 to 2 positional arguments but 3 were given"),
    (lambda g: g(), "scaled() missing 1 required positional argument: 'x'"),
    (lambda g: g(1.0, z=2.0), "scaled() got an unexpected keyword argument 'z'"),
    (lambda g: g(1.0, x=2.0), "scaled() got multiple values for argument 'x'"),
], ids=["too many", "too few", "unknown keyword", "twice"])
def test_wrong_arguments_get_the_function_s_own_type_error(call, message):
    for make in (s2sgrad.grad, s2sgrad.value_and_grad):
        with pytest.raises(TypeError) as info:
            call(make(scaled))
        assert str(info.value) == message


def test_a_keyword_spelled_like_the_seed_is_refused_not_taken_for_it():
    g = s2sgrad.grad(scaled)
    seed = g.source_for(1.0).split("*, ")[1].split("=")[0]         # `dscaled`: the generated seed's name
    assert g(1.0) == 2.0
    with pytest.raises(TypeError, match=rf"^scaled\(\) got an unexpected keyword argument '{seed}'$"):
        g(1.0, **{seed: 5.0})                     # it scaled the gradient to 5.0
    with pytest.raises(TypeError, match="unexpected keyword argument"):
        s2sgrad.value_and_grad(scaled)(1.0, **{seed: 5.0})


def test_a_seed_named_keyword_meant_for_var_keywords_is_refused():
    g = s2sgrad.grad(takes_options)
    assert g(1.0, scale=5.0) == 2.0
    with pytest.raises(S2SGradError, match=r"takes the keyword argument `dy` for the derivative of the result"):
        g(1.0, dy=5.0)                            # it gave 10.0


class Model:
    def __init__(self):
        self.w = 3.0

    def __call__(self, x):
        return x * self.w

    def loss(self, x):
        return x * self.w

    @staticmethod
    def double(x):
        return x * 2.0


def test_a_class_is_refused_naming_its_instance():
    for make in (s2sgrad.grad, s2sgrad.value_and_grad):
        with pytest.raises(NonScalarOutputError, match=r"Model is a class.*pass the instance: \w+\(Model\(\.\.\.\)\)"):
            make(Model)
    assert s2sgrad.grad(float)(1.5) == 1.0        # a conversion with a rule is a function


def test_a_function_without_source_file_says_why(tmp_path):
    source = tmp_path / "compiled_only.py"
    source.write_text("def g(x):\n    return x * 2.0\n")
    compiled = tmp_path / "compiled_only.pyc"
    py_compile.compile(str(source), cfile=str(compiled))
    source.unlink()
    loader = importlib.machinery.SourcelessFileLoader("compiled_only", str(compiled))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader("compiled_only", loader))
    loader.exec_module(module)
    with pytest.raises(SourceUnavailableError, match="the file is not there: a module installed as compiled .pyc"):
        s2sgrad.grad(module.g)
    namespace = {}
    exec("def built(x):\n    return x * 2.0\n", namespace)
    with pytest.raises(SourceUnavailableError, match=r"built with exec\(\)"):
        s2sgrad.grad(namespace["built"])


def generates(x):
    yield x * 2.0


async def waits(x):
    return x * 2.0


def test_generators_and_async_functions_are_refused_by_name():
    with pytest.raises(S2SGradError, match="`yield`"):
        s2sgrad.grad(generates)
    with pytest.raises(SourceUnavailableError, match="not `async def`"):
        s2sgrad.grad(waits)


first = lambda x: x * 2.0; second = lambda x: x * 3.0       # noqa: E702,E731  two lambdas on one line


@pytest.mark.parametrize("make, args, expected", [
    (lambda: s2sgrad.grad(first), (1.0,), 2.0),
    (lambda: s2sgrad.grad(second), (1.0,), 3.0),
    (lambda: s2sgrad.grad(Model().loss), (1.0,), 3.0),
    (lambda: s2sgrad.grad(Model.loss, wrt=1), (Model(), 1.0), 3.0),
    (lambda: s2sgrad.grad(Model.double), (1.0,), 2.0),
    (lambda: s2sgrad.grad(Model()), (1.0,), 3.0),
    (lambda: s2sgrad.grad(functools.partial(scaled, y=4.0)), (1.0,), 4.0),
    (lambda: s2sgrad.grad(np.sin), (0.5,), math.cos(0.5)),
    (lambda: s2sgrad.grad(math.exp), (0.5,), math.exp(0.5)),
], ids=["lambda 1", "lambda 2", "bound method", "unbound method", "staticmethod", "callable object", "partial",
        "np.sin", "math.exp"])
def test_callables_of_every_kind_are_differentiated(make, args, expected):
    assert make()(*args) == pytest.approx(expected, rel=1e-12)


def one_parameter(a):
    return a * 2.0


def passes_two(x):
    return one_parameter(x, x)


def passes_a_constant_too(x):
    return one_parameter(x, 3.0)


def passes_an_unknown_keyword(x):
    return one_parameter(b=x)


def passes_nothing(x):
    return one_parameter() + x


HELPER_CALLS = [
    (passes_two, "one_parameter() takes 1 positional argument but 2 were given"),
    (passes_a_constant_too, "one_parameter() takes 1 positional argument but 2 were given"),
    (passes_an_unknown_keyword, "one_parameter() got an unexpected keyword argument 'b'"),
    (passes_nothing, "one_parameter() missing 1 required positional argument: 'a'"),
]


@pytest.mark.parametrize("fn, message", HELPER_CALLS, ids=[c[0].__name__ for c in HELPER_CALLS])
def test_a_helper_called_with_arguments_it_does_not_take_gets_python_s_error(fn, message):
    with pytest.raises(TypeError) as info:          # it was an IndexError from inside s2sgrad, or a WrtError
        s2sgrad.grad(fn)(1.0)
    assert str(info.value).splitlines()[0] == message


def returns_one_number(x):
    return x * 2.0


def returns_a_one_tuple(x):
    out = (x * 2.0,)
    return out


@pytest.mark.parametrize("fn, what", [
    (returns_one_number, "not a float"), (returns_a_one_tuple, "not a tuple of length 1"),
], ids=["number", "one-tuple"])
def test_has_aux_needs_a_pair(fn, what):
    for make in (s2sgrad.grad, s2sgrad.value_and_grad):
        g = make(fn, has_aux=True)
        for call in range(2):           # the second call runs the fast caller made for floats
            with pytest.raises(s2sgrad.WrtError, match=rf"has_aux=True: {fn.__name__} must return a pair "
                                                      rf"\(value, aux\), {what}"):
                g(1.5)                  # it was "'float' object is not subscriptable" from the generated code


@pytest.mark.parametrize("call, message", [
    (lambda: s2sgrad.vjp(returns_one_number, 1.0, 2.0), "returns_one_number(): too many positional arguments"),
    (lambda: s2sgrad.jacfwd(returns_one_number)(), "returns_one_number(): missing a required argument: 'x'"),
    (lambda: s2sgrad.jacrev(returns_one_number)(), "returns_one_number(): missing a required argument: 'x'"),
    (lambda: s2sgrad.hessian(scaled)(), "scaled(): missing a required argument: 'x'"),
], ids=["vjp", "jacfwd", "jacrev", "hessian"])
def test_jacobians_and_vjp_called_with_the_wrong_arguments_say_so(call, message):
    with pytest.raises(TypeError) as info:          # an IndexError from inside s2sgrad, or a WrtError about wrt
        call()
    assert str(info.value) == message


class Pendulum:
    def __init__(self):
        self.length = 2.0

    @s2sgrad.grad(wrt="angle")
    def energy_slope(self, angle):
        return self.length * (1.0 - np.cos(angle))

    @s2sgrad.value_and_grad(wrt="xs")
    def spread(self, *xs):
        return sum(x * x for x in xs) * self.length


def test_grad_on_a_method_binds_to_the_instance():
    pendulum = Pendulum()                     # it said "energy_slope() missing 1 required positional argument"
    assert pendulum.energy_slope(0.5) == pytest.approx(2.0 * math.sin(0.5))
    assert Pendulum.energy_slope(pendulum, 0.5) == pytest.approx(2.0 * math.sin(0.5))
    assert pendulum.spread(1.0, 2.0) == (10.0, (4.0, 8.0))
