"""Decorated functions are differentiated as they are called: wrapper included."""
import functools

import pytest

import s2sgrad
from s2sgrad import check_grad, grad, value_and_grad


def doubled(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return 2.0 * func(*args, **kwargs)
    return wrapper


def scaled_by(factor):
    def decorator(func):
        @functools.wraps(func)
        def wrapper(x):
            return factor * func(x)
        return wrapper
    return decorator


def shifted(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        result = func(*args, **kwargs)
        return result + 1.0
    return wrapper


@doubled
def cube(x):
    return x ** 3


@scaled_by(3.0)
def square(x):
    return x * x


@shifted
@doubled
def product(x, y, *, weight):
    return weight * x * y


def test_forwarding_wrapper_is_differentiated():
    assert cube(2.0) == 16.0
    assert value_and_grad(cube)(2.0) == (16.0, 24.0)


def test_wrapper_with_the_same_parameters_and_a_closure():
    assert value_and_grad(square)(2.0) == (12.0, 12.0)


def test_stacked_wrappers_and_keyword_only_parameters():
    value, gradients = value_and_grad(product, wrt=("x", "y"))(2.0, 3.0, weight=0.5)
    assert value == product(2.0, 3.0, weight=0.5) == 7.0
    assert gradients == (3.0, 2.0)


def test_decorated_helper_called_from_a_differentiated_function():
    def loss(x):
        return cube(x) + square(x)

    assert check_grad(loss, 1.5) == pytest.approx(6 * 1.5 ** 2 + 6 * 1.5)


def test_wrapper_that_reads_args_is_refused_at_its_line():
    def first_positive(func):
        @functools.wraps(func)
        def wrapper(*args):
            if args[0] < 0.0:
                return 0.0
            return func(*args)
        return wrapper

    @first_positive
    def f(x):
        return x * x

    with pytest.raises(s2sgrad.UnsupportedConstructError, match=r"(?s)`args` in the decorator's wrapper.*"
                                                                 r"test_decorators.py\", line \d+.*args\[0\]"):
        grad(f)


def test_wrapped_function_with_defaults_behind_args_kwargs_is_refused():
    @doubled
    def f(x, scale=2.0):
        return scale * x

    with pytest.raises(s2sgrad.UnsupportedConstructError, match="default values"):
        grad(f)


def test_lru_cache_is_refused_and_its_wrapped_function_differentiates():
    @functools.lru_cache(maxsize=None)
    def cached(x):
        return x ** 3

    with pytest.raises(s2sgrad.SourceUnavailableError, match=r"lru_cache.*__wrapped__"):
        grad(cached)
    assert grad(cached.__wrapped__)(2.0) == 12.0
