"""A numerically stable softplus with a hand-written derivative, and functions using it."""
import math

import numpy as np

import s2sgrad


def sigmoid(x):
    return np.exp(-np.logaddexp(0.0, -x))      # 1 / (1 + e^-x) without overflow


def softplus(x):
    # log(1 + e^x) without overflow; its automatic derivative would go through logaddexp's rule,
    # the registered one is the textbook sigmoid
    return np.logaddexp(0.0, x)


s2sgrad.defvjp(softplus, "x", dx="dy * sigmoid(x)")


def uses_softplus(x):
    return np.sum(softplus(x * 3.0))


def uses_stop_gradient(x):
    scale = s2sgrad.stop_gradient(x * x)
    return scale * x


def noisy(x):
    return math.floor(x * 10) / 10


s2sgrad.nondifferentiable(noisy)


def uses_nondifferentiable(x):
    return noisy(x) * x
