"""Functions with comprehensions and generator expressions, written as users write them."""
import math

import numpy as np


def weighted_positive_sum(w, xs):
    return sum(w * x for x in xs if x > 0)


def elementwise_products(a, b):
    return np.sum(np.array([ai * bi for ai, bi in zip(a, b)]))


def nested_table(w):
    table = [[w * i + j for j in range(3)] for i in range(2)]
    return sum(sum(row) for row in table)


def best_score(w, X):
    return max(np.dot(row, w) for row in X)


def squared_distances(points, center):
    return sum([np.sum((p - center) ** 2) for p in points])


def enumerate_weights(x, coefficients):
    return sum(c * x ** k for k, c in enumerate(coefficients))


def over_pairs(x, y):
    return sum([a * b for a in x for b in y if a > b])


def comprehension_keeps_its_variable(x):
    k = x * 2.0
    ys = [x * k for k in range(3)]
    return sum(ys) + k            # k is still the function's own k, as in Python 3


def shadowing_nested(x):
    # the inner comprehension has its own `v`: it reads the outer row's elements
    return sum([sum([v * v for v in v]) for v in [[x, 2.0 * x], [3.0 * x]]])


def list_of_arrays(W, x):
    layers = [np.tanh(w * x) for w in W]
    return np.sum(sum(layers))


def softmax_cross_entropy(logits, target):
    exps = [np.exp(z) for z in logits]
    total = sum(exps)
    probabilities = [e / total for e in exps]
    return -np.log(probabilities[target])


def inside_a_loop(w, xs):
    total = 0.0
    for step in range(3):
        total = total + sum([w * step * x for x in xs])
    return total


def any_and_sorted(x, ys):
    values = sorted(x * y for y in ys)
    if any(v > 10.0 for v in values):
        return values[0]
    return values[-1] * values[0]


def over_array_rows(X, w):
    return sum(float(np.dot(row, w)) ** 2 for row in X)


def conditional_element(xs):
    return sum([x * x if x > 0 else -x for x in xs])


def exact_series(x):
    return math.fsum(x ** k / math.factorial(k) for k in range(6)) + math.prod(1.0 + x / k for k in range(1, 4))
