"""Summaries of preparations on disk (codegen/summary_cache.py): a gradient whose code is in the source cache
is made without reading, normalizing or lowering the function again, and a summary whose guards no longer
hold (a name rebound, the file or a callee edited, another rule table) is a miss, never stale code."""
import importlib
import math
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import s2sgrad
from s2sgrad import transform
from s2sgrad.api import callee_gradients
from s2sgrad.rules import RuleTable
from s2sgrad.transform import PREPARED

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty cache folder of this test's own; the functions prepared from their code, as (name, whether
    its closure was lifted: a helper's gradient lifts it, the analysis of its caller does not)."""
    monkeypatch.setenv("S2SGRAD_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("S2SGRAD_NO_CACHE", raising=False)
    monkeypatch.syspath_prepend(str(tmp_path))
    prepared = []
    original = transform._prepare_uncached
    monkeypatch.setattr(transform, "_prepare_uncached", lambda fn, rules, lift, *a: prepared.append((fn.__name__, lift)) or original(fn, rules, lift, *a))
    forget()
    yield prepared
    forget()


def forget():
    """As a new process: no transformation kept in memory, the callees' gradients neither."""
    PREPARED.clear()
    for value in vars(callee_gradients).values():
        if isinstance(value, callee_gradients.CalleeGradients):
            value._gradients.clear()


def names(prepared) -> list:
    return sorted({name for name, _ in prepared})


def write_module(folder, name, text, load=True):
    path = folder / f"{name}.py"
    path.write_text(textwrap.dedent(text))
    stamp = getattr(write_module, "stamp", 1_000_000_000) + 1_000_000_000
    write_module.stamp = stamp
    os.utime(path, ns=(stamp, stamp))          # a new modification time even on a coarse clock
    sys.modules.pop(name, None)
    importlib.invalidate_caches()
    return importlib.import_module(name) if load else None


MODEL = """
    import math

    def helper(u):
        return math.tanh(u) * u

    def model(x, y):
        s = x * y
        for i in range(3):
            s = helper(s) + y
        return math.sin(s) * x
"""


def test_a_hit_prepares_nothing_and_gives_the_same_gradients(cache, tmp_path):
    module = write_module(tmp_path, "summary_model", MODEL)
    first = s2sgrad.grad(module.model, wrt=(0, 1))(0.3, 0.7)
    assert names(cache) == ["helper", "model"]
    forget()
    cache.clear()
    g = s2sgrad.grad(module.model, wrt=(0, 1))
    assert g(0.3, 0.7) == first and cache == []         # the function and its helper: neither read again
    assert g(np.float64(0.3), 0.7) == first and cache == []     # another kind of call: the same scalar code
    assert "def model(x, y):" in g.ssa_source and names(cache) == ["model"]     # what needs the code reads it


def test_a_hit_reads_the_function_for_what_the_summary_does_not_say(cache, tmp_path):
    module = write_module(tmp_path, "summary_other_wrt", MODEL)
    s2sgrad.grad(module.model)(0.3, 0.7)
    forget()
    cache.clear()
    g = s2sgrad.grad(module.model, wrt=1)               # checked for wrt=0 only: prepared again
    h = 1e-6
    expected = (module.model(0.3, 0.7 + h) - module.model(0.3, 0.7 - h)) / (2 * h)
    assert g(0.3, 0.7) == pytest.approx(expected, rel=1e-6) and "model" in names(cache)


def test_a_rebound_name_misses(cache, tmp_path):
    module = write_module(tmp_path, "summary_rebound", """
        import math
        act = math.sin

        def f(x):
            return act(x) * 2.0
    """)
    assert s2sgrad.grad(module.f)(0.5) == 2.0 * math.cos(0.5)
    forget()
    cache.clear()
    module.act = math.cos                                 # what an earlier process resolved `act` to no longer holds
    assert s2sgrad.grad(module.f)(0.5) == -2.0 * math.sin(0.5)
    assert names(cache) == ["f"]


def test_an_edited_file_misses(cache, tmp_path):
    module = write_module(tmp_path, "summary_edited", "def f(x):\n    return x * x\n")
    stale = module.f
    assert s2sgrad.grad(module.f)(3.0) == 6.0
    forget()
    module = write_module(tmp_path, "summary_edited", "def f(x):\n    return x * x * x\n")
    assert s2sgrad.grad(module.f)(3.0) == 27.0
    forget()
    with pytest.raises(s2sgrad.SourceUnavailableError, match="has changed since"):
        s2sgrad.grad(stale)           # the function of the old text, its file rewritten: read, and refused


def test_another_rule_table_misses(cache, tmp_path):
    module = write_module(tmp_path, "summary_rules", "import math\n\ndef f(x):\n    return math.sin(x) * x\n")
    rules = RuleTable(dict(s2sgrad.rules.DEFAULT_RULES.namespace))
    rules.add_entries(dict(s2sgrad.rules.DEFAULT_RULES.items()))
    prepared = transform.prepare(module.f, rules)
    prepared.check(("x",))
    prepared.remember()
    forget()
    assert transform._from_summary(module.f, rules, False, None) is not None
    rules.define(math.sin, "x", dx="dy * math.cos(x) * 1.0", elementwise=True)      # the same derivative, changed text
    assert transform._from_summary(module.f, rules, False, None) is None


def test_a_function_resolving_a_name_to_a_closure_has_no_summary(cache, tmp_path):
    module = write_module(tmp_path, "summary_closure", """
        import math

        def make(scale):
            def act(u):
                return math.sin(u) * scale
            def f(x):
                return act(x) + x
            return f
    """)
    assert s2sgrad.grad(module.make(2.0))(0.5) == pytest.approx(2.0 * math.cos(0.5) + 1.0)
    forget()
    cache.clear()
    # f resolves `act` to a function no other process can import by name: prepared again; act itself reads
    # `scale` as a parameter (lifted), so its summary serves every closure make() returns
    assert s2sgrad.grad(module.make(3.0))(0.5) == pytest.approx(3.0 * math.cos(0.5) + 1.0)
    assert ("f", False) in cache and ("act", True) not in cache


def test_a_new_process_with_an_edited_callee_misses(tmp_path):
    """The callee's module edited between two processes: the name resolves to an object of other code."""
    write_module(tmp_path, "summary_callee", "import math\n\ndef helper(u):\n    return math.sin(u)\n", load=False)
    write_module(tmp_path, "summary_caller", "import summary_callee\n\ndef f(x):\n"
                                             "    return summary_callee.helper(x) * 2.0\n", load=False)
    script = textwrap.dedent("""
        import s2sgrad
        from s2sgrad import transform
        prepared = []
        original = transform._prepare_uncached
        transform._prepare_uncached = lambda fn, *a: prepared.append(fn.__name__) or original(fn, *a)
        import summary_caller
        print(repr(s2sgrad.grad(summary_caller.f)(0.5)), sorted(set(prepared)))
    """)
    env = {**os.environ, "S2SGRAD_CACHE_DIR": str(tmp_path / "cache"),
           "PYTHONPATH": os.pathsep.join([str(tmp_path), ROOT])}
    env.pop("S2SGRAD_NO_CACHE", None)

    def run():
        out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        value, prepared = out.stdout.split(" ", 1)
        return float(value), prepared.strip()

    assert run() == (2.0 * math.cos(0.5), "['f', 'helper']")
    assert run() == (2.0 * math.cos(0.5), "[]")           # both from their summaries
    write_module(tmp_path, "summary_callee", "import math\n\ndef helper(u):\n    return math.sin(u) * u\n", load=False)
    assert run() == (2.0 * (math.cos(0.5) * 0.5 + math.sin(0.5)), "['f', 'helper']")
