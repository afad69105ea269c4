"""Nested functions and lambdas with default values (test_nested_defaults.py); s2sgrad reads their source."""


def lambda_default(x, y):
    return (lambda a, b=y: a * b)(x)


def default_after_reassignment(x, y):
    y = y * 2
    def scaled(a, b=y):
        return a * b
    return scaled(x) + y


def keyword_only_default(x, y):
    def scaled(a, *, b=y * y):
        return a * b
    return scaled(x) + scaled(x, b=1.0)


def loop_index_defaults(x):
    powers = [lambda t, k=k: t ** k for k in range(4)]
    return sum(p(x) for p in powers)


POWERS = [lambda t, k=k: t ** k for k in range(4)]


def sum_of_powers(x, y):
    return sum(p(x) for p in POWERS) * y
