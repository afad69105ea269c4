"""The compiled backend's tests run only where numba is installed; numba's cache goes to a fresh folder."""
import os

import pytest

pytest.importorskip("numba", reason="s2sgrad.jit needs numba (pip install 's2sgrad[jit]')")


@pytest.fixture(autouse=True, scope="session")
def _cache_root(tmp_path_factory):
    """Compiled code cached by an earlier run must not decide what these tests see."""
    previous = {name: os.environ.get(name) for name in ("S2SGRAD_CACHE_DIR", "S2SGRAD_NO_NATIVE")}
    os.environ["S2SGRAD_CACHE_DIR"] = str(tmp_path_factory.mktemp("s2sgrad-cache"))
    # what numba compiles, not a native library kept by an earlier test (test_warm_start.py turns them on)
    os.environ["S2SGRAD_NO_NATIVE"] = "1"
    yield
    for name, value in previous.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
