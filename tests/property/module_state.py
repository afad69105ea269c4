"""What the everyday random programs read from outside themselves (programs.py EVERYDAY).

The generated modules import these names, so the programs reach them as module-level globals,
the way user code reaches a module's random generator, its settings object or its decorated
helpers:
- random generators (a legacy `RandomState` and a `default_rng` Generator) that helpers draw
  from: a gradient must be taken at the draws of the value it comes with;
- a call counter (`TICKS`, an itertools.count) that counted helpers advance: a gradient call must
  run each helper exactly as often as one plain call does;
- records of constants read by attribute (a SimpleNamespace, a frozen dataclass, a namedtuple)
  and a dict of weights iterated by key;
- helpers behind `functools.wraps` decorators that scale, count, log or cache.

`reseed()` puts both generators back to one fixed state and `effects()` reads where the
generators and the counter stand; the harness calls them around every evaluation, so central
differences see the same draws as the gradient, and one gradient call can be compared with one
plain call.
"""
from __future__ import annotations

import collections
import dataclasses
import functools
import itertools
import logging
import math
import pickle
import types

import numpy as np

SEED = 20261130
RS = np.random.RandomState(SEED)
RNG = np.random.default_rng(SEED)
_RNG_START = RNG.bit_generator.state
TICKS = itertools.count()
LOGGER = logging.getLogger("s2sgrad.property")
CACHE: dict = {}

Limits = collections.namedtuple("Limits", "first second")


@dataclasses.dataclass(frozen=True)
class Settings:
    rate: float = 0.3
    width: float = 2.0


NS = types.SimpleNamespace(scale=1.5, shift=-0.25, weights=(0.5, -1.25))
# arrays for the NumPy programs (tests/property_arrays), one per length they use
ARRAYS = types.SimpleNamespace(w2=np.array([0.5, -1.25]), w3=np.array([1.5, -0.5, 0.75]),
                               w4=np.array([-0.25, 1.0, 0.5, -1.5]), scale=0.75)
SETTINGS = Settings()
LIMITS = Limits(first=0.8, second=-1.1)
WEIGHTS = {"u": 0.5, "v": -1.5, "w": 2.0}


# ---- decorators ---------------------------------------------------------------------------
def scale_by(factor):
    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            return factor * fn(*args, **kwargs)
        return wrapper
    return decorate


def counted(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        next(TICKS)
        return fn(*args, **kwargs)
    return wrapper


def logged(fn):
    @functools.wraps(fn)
    def wrapper(u, v):
        LOGGER.debug("calling %s", fn.__name__)
        return fn(u, v)
    return wrapper


def cached(fn):
    """A memo in a module-level dict: s2sgrad refuses the write into it (a located error)."""
    @functools.wraps(fn)
    def wrapper(u):
        if u not in CACHE:
            CACHE[u] = fn(u)
        return CACHE[u]
    return wrapper


# ---- helpers the programs call -----------------------------------------------------------------
@scale_by(2.0)
def twice(u, v):
    return u * math.tanh(v)


@counted
@scale_by(0.5)
def counted_square(u):
    return u * u + math.sin(u)


@logged
def logged_mix(u, v):
    return u * v + math.cos(v)


@cached
def cached_cube(u):
    return u ** 3


@scale_by(0.5)
def smooth(u):
    return np.tanh(u) + 0.5 * u


def noisy_like(a):
    """a plus noise of a's shape (a reparameterized sample)."""
    return a + 0.1 * RS.standard_normal(np.shape(a))


def noisy(u):
    return u + 0.25 * RS.randn()


def jitter(u, v):
    return u * (1.0 + 0.1 * RNG.standard_normal()) + v * RNG.uniform(-0.5, 0.5)


@counted
def noisy_counted(u):
    return u * math.exp(0.1 * RS.standard_normal())


# ---- the harness's side ----------------------------------------------------------------------
def reseed() -> None:
    RS.seed(SEED)
    RNG.bit_generator.state = _RNG_START


def ticks() -> int:
    """How many counted calls ran so far (read from the counter's repr, which does not advance it)."""
    return int(repr(TICKS)[len("count("):-1])


def effects() -> tuple:
    """Where the random generators stand (their whole state) and the counter's value."""
    return pickle.dumps(RS.get_state()), pickle.dumps(RNG.bit_generator.state), ticks()


# every name a generated module imports
EXPORTS = ("RS", "RNG", "TICKS", "NS", "SETTINGS", "LIMITS", "WEIGHTS", "twice", "counted_square",
           "logged_mix", "cached_cube", "noisy", "jitter", "noisy_counted")
ARRAY_EXPORTS = ("ARRAYS", "SETTINGS", "LIMITS", "smooth", "noisy_like")
DRAWING = ("noisy(", "jitter(", "noisy_counted(", "noisy_like(", "RS.", "RNG.")
COUNTING = ("counted_square(", "noisy_counted(", "TICKS")
