"""A loop peeled on numba's retry (jit/peel.py) is what `.source_for` shows and what a second process loads
from the native library the first kept, as for every other module; a loop left by a `break` peels too, and
one that cannot falls back with a warning naming the construct and the user's line."""
import json
import os
import re
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest

import s2sgrad
from s2sgrad.codegen import source_cache
from s2sgrad.jit import compiler, native

from .compiled_whole import compiled_equals_python

X = np.linspace(0.5, 2.0, 4)
W = np.array([0.3, -0.2, 0.7])
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

_MODULE = '''
import numpy as np


def weighted_sum(x, w, n):
    acc = 0.0
    for i in range(n):
        acc = acc + x[i] * w
    return np.sum(acc * acc)
'''


@pytest.fixture
def peeled_module(tmp_path, monkeypatch):
    (tmp_path / "peeled_functions.py").write_text(_MODULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop("peeled_functions", None)
    import peeled_functions
    yield peeled_functions
    sys.modules.pop("peeled_functions", None)


def test_source_for_shows_the_peeled_module_numba_compiled(peeled_module, monkeypatch):
    given = []
    load = compiler.load_module_file
    monkeypatch.setattr(compiler, "load_module_file", lambda source, label: (given.append(source.text),
                                                                             load(source, label))[1])
    g = s2sgrad.value_and_grad(peeled_module.weighted_sum, wrt=(0, 1))
    fast = s2sgrad.jit(g)
    shown = fast.source_for(X, W, 4)                     # before any call: numba's retry decides the text
    assert len(given) == 2 and shown == given[-1] != given[0]
    assert "nonempty_range(range(n))" in shown and "for i in range(1, n):" in shown
    value, grads = fast(X, W, 4)
    assert len(given) == 2 and fast.source_for(X, W, 4) == shown
    # the shown text, compiled here by numba alone, gives the Python version's results
    import numba
    spec, = fast._specializations.values()
    namespace = {"__name__": "shown"}
    exec(compile(shown, "<shown>", "exec"), namespace)
    name = next(line.split()[1].split("(")[0] for line in shown.splitlines() if line.startswith("def "))
    own_value, own_grads = numba.njit(namespace[name].py_func if hasattr(namespace[name], "py_func")
                                      else namespace[name])(*spec.bind((X, W, 4), {}))
    expected_value, expected_grads = g(X, W, 4)
    for got in ((value, grads), (own_value, own_grads)):
        np.testing.assert_allclose(got[0], expected_value, rtol=1e-7)
        for a, b in zip(got[1], expected_grads):
            np.testing.assert_allclose(a, b, rtol=1e-7, atol=1e-12)


_SECOND = textwrap.dedent('''
    import json, sys
    import numpy as np
    import s2sgrad
    import peeled_functions as p

    x, w = np.linspace(0.5, 2.0, 4), np.array([0.3, -0.2, 0.7])
    fast = s2sgrad.jit(s2sgrad.value_and_grad(p.weighted_sum, wrt=(0, 1)))
    value, grads = fast(x, w, 4)
    spec, = fast._specializations.values()
    loaded, numba = spec.native is not None, "numba" in sys.modules
    python_value, python_grads = s2sgrad.value_and_grad(p.weighted_sum, wrt=(0, 1))(x, w, 4)
    flat = lambda v, g: np.hstack([np.ravel(v), *[np.ravel(a) for a in g]]).tolist()
    print(json.dumps({"native": loaded, "numba": numba, "peeled": "nonempty_range" in spec.source,
                      "compiled": flat(value, grads), "python": flat(python_value, python_grads)}))
''')


@pytest.mark.skipif(not native.supported() or native.c_compiler() is None,
                    reason="native libraries are kept on x86-64 Linux, with a C compiler to link them")
def test_a_second_process_loads_the_peeled_library_without_numba(peeled_module, tmp_path, monkeypatch):
    monkeypatch.setenv("S2SGRAD_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv(native.DISABLE_VARIABLE, raising=False)
    monkeypatch.setattr(native, "_LOADED", {})
    # s2sgrad's files as they are now, as the second process reads them (this process read them when it
    # started: a file edited since would give the second process other keys)
    monkeypatch.setattr(source_cache, "_ENVIRONMENT", [])
    native._jit_files.cache_clear()
    fast = s2sgrad.jit(s2sgrad.value_and_grad(peeled_module.weighted_sum, wrt=(0, 1)))
    fast(X, W, 4)                                        # numba compiles, peeled on its retry, and keeps it
    spec, = fast._specializations.values()
    assert spec.native is None and "nonempty_range" in spec.source
    assert [n for n in os.listdir(tmp_path / "cache" / "native") if n.endswith(".so")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), ROOT])}
    done = subprocess.run([sys.executable, "-c", _SECOND], env=env, cwd=str(tmp_path), capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["native"] and not out["numba"] and out["peeled"]
    np.testing.assert_allclose(out["compiled"], out["python"], rtol=1e-7, atol=1e-12)


def breaks_after(x, w, n):
    acc = 0.0
    for i in range(n):
        acc = acc + x[i] * w
        if x[i] > 1.0:
            break
    return np.sum(acc * acc)


def skips_some(x, w, n):
    acc = 0.0
    for i in range(n):
        if x[i] < 0:
            continue
        acc = acc + x[i] * w
    return np.sum(acc * acc)


def in_a_while(x, w, n):
    acc = 0.0
    i = 0
    while i < n:
        acc = acc + x[i] * w
        i += 1
    return np.sum(acc * acc)


@pytest.mark.parametrize("x, n", [
    (np.array([0.5, -1.0, 2.0, 0.3, 0.1]), 5),       # leaves the loop in its third iteration
    (np.array([0.5, -1.0, 0.2, 0.3, 0.1]), 5),       # runs to the end
    (np.array([1.5, -1.0, 2.0, 0.3, 0.1]), 5),       # leaves it in the first: the rest does not run
    (np.array([0.5, -1.0, 2.0, 0.3, 0.1]), 1),
])
def test_a_loop_left_by_break_peels(x, n):
    source = compiled_equals_python(breaks_after, x, W, n)
    assert "nonempty_range(range(n))" in source
    assert re.search(r"if not stop\w*:\n\s+for i in range\(1, n\):", source), source
    assert "n_iter - 1" in source                     # the reverse loop over the iterations after the first


def _fallback_message(function, *args):
    g = s2sgrad.value_and_grad(function, wrt=(0, 1))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value, grads = s2sgrad.jit(g)(*args)
    expected_value, expected_grads = g(*args)
    np.testing.assert_allclose(value, expected_value, rtol=1e-7)
    for got, expected in zip(grads, expected_grads):
        np.testing.assert_allclose(got, expected, rtol=1e-7, atol=1e-12)
    messages = [str(w.message) for w in caught if issubclass(w.category, s2sgrad.JitFallbackWarning)]
    assert len(messages) == 1, messages
    return messages[0]


def test_a_first_iteration_that_may_leave_the_name_a_number_falls_back_naming_it():
    message = _fallback_message(skips_some, np.array([0.5, -1.0, 2.0, 0.3]), W, 4)
    assert "may still leave it a number" in message and "a `continue`" in message
    line = skips_some.__code__.co_firstlineno + 5
    assert f"line {line}" in message and "acc = acc + x[i] * w" in message


def test_a_while_loop_is_not_peeled_and_says_so():
    message = _fallback_message(in_a_while, np.array([0.5, -1.0, 2.0, 0.3]), W, 4)
    assert "it is a `while` loop" in message and "in_a_while" in message


def test_forward_over_reverse_through_a_peeled_loop_compiles():
    # the tangent code of the gradient: the value and its tangent (`acc`, `acc_dot`) change kind together,
    # both tapes keep the first iteration's records aside, and its reverse loop runs over `t8 = t7[::-1]`
    g = s2sgrad.grad(weighted_sum_here, wrt=(0, 1))
    primals, tangents = (X, W, 4), (np.linspace(-1.0, 1.0, 4), np.ones(3), None)
    with warnings.catch_warnings():
        warnings.simplefilter("error", s2sgrad.JitFallbackWarning)
        fast = s2sgrad.jit(s2sgrad.jvp)
        got = fast(g, primals, tangents)
        hessian = s2sgrad.jit(s2sgrad.hessian(weighted_sum_here, wrt=(0, 1)))(X, W, 3)
    assert "nonempty_range(range(n))" in fast.source_for(g, primals, tangents)
    expected = s2sgrad.jvp(g, primals, tangents)
    for a, b in zip((*got[0], *got[1]), (*expected[0], *expected[1])):
        np.testing.assert_allclose(a, b, rtol=1e-7, atol=1e-12)
    expected_hessian = s2sgrad.hessian(weighted_sum_here, wrt=(0, 1))(X, W, 3)
    for a, b in zip(np.asarray(hessian, dtype=object).ravel(), np.asarray(expected_hessian, dtype=object).ravel()):
        np.testing.assert_allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), rtol=1e-7, atol=1e-12)


def weighted_sum_here(x, w, n):
    acc = 0.0
    for i in range(n):
        acc = acc + x[i] * w
    return np.sum(acc * acc)
