"""A keyword named like the generated code's seed is refused under jit as it is without: `jit(grad(h))(1.0,
dh=5.0)` took 5.0 for the derivative of h's result and returned 5.0 times the gradient."""
import warnings

import pytest

import s2sgrad

from . import functions

pytest.importorskip("numba")


def test_a_keyword_named_like_the_seed_is_refused_under_jit():
    g = s2sgrad.jit(s2sgrad.grad(functions.scaled, wrt=(0, 1)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", s2sgrad.JitFallbackWarning)
        assert g(2.0, 3.0) == pytest.approx((3.0, 2.0))
        with pytest.raises(TypeError, match="unexpected keyword argument 'dscaled'"):
            g(2.0, 3.0, dscaled=5.0)
        assert g(2.0, w=3.0) == pytest.approx((3.0, 2.0))     # the parameters themselves by keyword still work
