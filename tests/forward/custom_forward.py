"""A user's own primitive with both slots registered (test_jvp.py)."""
import numpy as np

import s2sgrad


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def softplus(x):
    return np.logaddexp(0.0, x)


s2sgrad.defvjp(softplus, "x", dx="dy * sigmoid(x)")
s2sgrad.defjvp(softplus, "x", x="x_dot * sigmoid(x)")


def loss(x):
    return softplus(x) * 2.0


@s2sgrad.defjvp("x", x="x_dot * (1.0 - y * y)")
@s2sgrad.defvjp("x", dx="dy * (1.0 - y * y)")
def my_tanh(x):
    return np.tanh(x)


@s2sgrad.defvjp("a, b", da="dy * b", db="dy * a", jvp={"a": "a_dot * b", "b": "a * b_dot"})
def product(a, b):
    return a * b


def uses_decorated_rules(x):
    return product(my_tanh(x), x)


@s2sgrad.defvjp("a, b", da="dy[0] * b + dy[1]", db="dy[0] * a + dy[1]",
                jvp={"a": "(a_dot * b, a_dot)", "b": "(a * b_dot, b_dot)"})
def product_and_sum(a, b):
    return a * b, a + b


def uses_a_tuple_valued_rule(x, y):
    p, s = product_and_sum(x, y)
    return p + s * s
