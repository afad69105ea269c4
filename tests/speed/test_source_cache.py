"""The on-disk cache of generated code (codegen/source_cache.py): what it reuses and what invalidates it."""
import json
import math
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import s2sgrad
from s2sgrad.codegen import source_cache
from s2sgrad.rules import RuleTable
from s2sgrad.transform import PREPARED, prepare

from . import cache_functions as f

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty cache folder of this test's own; transformations kept in memory forgotten."""
    monkeypatch.setenv("S2SGRAD_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("S2SGRAD_NO_CACHE", raising=False)
    PREPARED.clear()
    yield tmp_path / "source"
    PREPARED.clear()


def entries(folder):
    return sorted(p for p in folder.glob("*.json")) if folder.exists() else []


def fresh_gradient(fn, *args, **options):
    """grad(fn) as a new process would make it: nothing kept in memory."""
    PREPARED.clear()
    g = s2sgrad.grad(fn, **options)
    return g, g(*args)


def test_a_second_transformation_reads_what_the_first_wrote(cache, monkeypatch):
    _, first = fresh_gradient(f.polynomial, 0.5, 1.5, wrt=(0, 1))
    written = entries(cache)
    assert len(written) == 1                            # the program for two floats (the general one: on demand)
    built = []
    original = source_cache.store
    monkeypatch.setattr(source_cache, "store", lambda *a: built.append(a) or original(*a))
    g, second = fresh_gradient(f.polynomial, 0.5, 1.5, wrt=(0, 1))
    assert built == []                                  # nothing generated afresh
    assert second == first
    assert g.source_for(0.5, 1.5) in {json.loads(path.read_text())["text"] for path in written}
    assert built == []
    g.source                                            # the general program, generated once asked for
    assert len(built) == 1 and len(entries(cache)) == 2


def test_each_specialization_has_its_own_entry(cache):
    fresh_gradient(f.polynomial, 0.5, 1.5, wrt=(0, 1))
    fresh_gradient(f.polynomial, 0.5, 1.5, wrt=0)
    assert len(entries(cache)) == 1 + 1
    fresh_gradient(f.on_arrays, np.ones(3), np.eye(3))
    fresh_gradient(f.on_arrays, np.ones(2), np.ones((5, 2)))      # other shapes, the same kinds
    assert len(entries(cache)) == 1 + 1 + 1


def test_a_changed_rule_invalidates_the_entry(cache):
    rules = RuleTable(dict(s2sgrad.rules.DEFAULT_RULES.namespace))
    rules.add_entries(dict(s2sgrad.rules.DEFAULT_RULES.items()))
    key = source_cache.key_for(prepare(f.polynomial, rules), ("x",))
    assert source_cache.key_for(prepare(f.polynomial, rules), ("x",)) == key
    rules.define(math.sin, "x", dx="dy * math.cos(x) * 1.0", elementwise=True)      # the same derivative, changed text
    PREPARED.clear()
    assert source_cache.key_for(prepare(f.polynomial, rules), ("x",)) != key
    other = source_cache.key_for(prepare(f.polynomial, rules), ("x",))
    rules.define(np.i0, "x", dx="dy * 0.0")                                       # a rule this function does not use
    PREPARED.clear()
    assert source_cache.key_for(prepare(f.polynomial, rules), ("x",)) != other


def test_the_specialization_is_part_of_the_key(cache):
    prepared = prepare(f.polynomial)
    keys = {source_cache.key_for(prepared, spec) for spec in [(("x",), ["x"]), (("x",), []), (("x", "y"), [])]}
    assert len(keys) == 3


def test_a_changed_source_is_not_served_the_old_code(cache, tmp_path, monkeypatch):
    module = tmp_path / "edited_module.py"
    module.write_text("def f(x):\n    return x * x\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import importlib
    import edited_module
    assert fresh_gradient(edited_module.f, 3.0)[1] == 6.0
    module.write_text("def f(x):\n    return x * x * x\n")
    os.utime(module, (0, 1_000_000_000))                 # a different modification time even on a coarse clock
    importlib.reload(edited_module)
    assert fresh_gradient(edited_module.f, 3.0)[1] == 27.0
    sys.modules.pop("edited_module", None)


def test_a_corrupt_or_foreign_entry_is_ignored_and_rewritten(cache):
    _, expected = fresh_gradient(f.polynomial, 0.5, 1.5, wrt=(0, 1))
    for number, path in enumerate(entries(cache)):
        if number == 0:
            path.write_text("{ not json")
        else:
            data = json.loads(path.read_text())
            data["key"] = "another key"
            path.write_text(json.dumps(data))
    assert fresh_gradient(f.polynomial, 0.5, 1.5, wrt=(0, 1))[1] == expected
    assert all(json.loads(p.read_text())["key"] == p.stem for p in entries(cache))


def test_a_reference_that_no_longer_imports_is_a_miss(cache):
    _, expected = fresh_gradient(f.polynomial, 0.5, 1.5, wrt=(0, 1))
    for path in entries(cache):
        data = json.loads(path.read_text())
        data["bindings"] = {name: ["s2sgrad.no_such_module", "x"] for name in data["bindings"]} or {"np": ["nope", ""]}
        path.write_text(json.dumps(data))
    assert fresh_gradient(f.polynomial, 0.5, 1.5, wrt=(0, 1))[1] == expected


def test_a_bound_name_the_user_means_otherwise_is_a_miss(cache):
    prepared = prepare(f.polynomial)
    key = source_cache.key_for(prepared, ("clash",))
    source_cache.store(key, "def g(x):\n    return (x, (1.0,))\n", "g", "dy", {"math": math})
    assert source_cache.load(key, {"math"}, {"math": np}) is None       # the user's `math` is another object
    assert source_cache.load(key, {"math"}, {"math": math}).objects == {"math": math}


def test_undescribable_objects_are_not_cached(cache):
    prepared = prepare(f.polynomial)
    key = source_cache.key_for(prepared, ("lambda",))
    source_cache.store(key, "text", "g", "dy", {"helper": lambda x: x})
    assert entries(cache) == []


def test_the_cache_can_be_turned_off(cache, monkeypatch):
    monkeypatch.setenv("S2SGRAD_NO_CACHE", "1")
    fresh_gradient(f.polynomial, 0.5, 1.5, wrt=(0, 1))
    assert entries(cache) == []


def test_a_new_process_reuses_the_entries(cache):
    script = textwrap.dedent("""
        import sys
        from s2sgrad.codegen import source_cache
        stored = []
        original = source_cache.store
        source_cache.store = lambda *a: stored.append(a) or original(*a)
        import s2sgrad
        from tests.speed import cache_functions as f
        g = s2sgrad.grad(f.on_arrays)
        import numpy as np
        value = float(np.sum(g(np.ones(3), np.eye(3))))
        print(len(stored), value)
    """)
    env = {**os.environ, "S2SGRAD_CACHE_DIR": str(cache.parent), "PYTHONPATH": ROOT}
    runs = [subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True)
            for _ in range(2)]
    assert all(run.returncode == 0 for run in runs), runs[0].stderr + runs[1].stderr
    (written, first), (rewritten, second) = (run.stdout.split() for run in runs)
    assert (written, rewritten) == ("1", "0")          # the second process generated nothing
    assert first == second
