"""The compiled backend's tests run only where numba is installed; numba's cache goes to a fresh folder."""
import os

import pytest

pytest.importorskip("numba", reason="s2sgrad.jit needs numba (pip install 's2sgrad[jit]')")


@pytest.fixture(autouse=True, scope="session")
def _cache_root(tmp_path_factory):
    """Compiled code cached by an earlier run must not decide what these tests see."""
    previous = os.environ.get("S2SGRAD_CACHE_DIR")
    os.environ["S2SGRAD_CACHE_DIR"] = str(tmp_path_factory.mktemp("s2sgrad-cache"))
    yield
    if previous is None:
        os.environ.pop("S2SGRAD_CACHE_DIR", None)
    else:
        os.environ["S2SGRAD_CACHE_DIR"] = previous
