"""The compiled code: same results as Python, inspectable source, typed tape, and numba's disk cache."""
import os
import subprocess
import sys
import textwrap

import numpy as np

import s2sgrad

from . import functions
from .compiled_whole import compiled_equals_python


def test_loops_with_an_if_and_a_python_int_count_match_python():
    g = s2sgrad.value_and_grad(functions.euler_with_if, wrt=("k", "c"))
    fast = s2sgrad.jit(g)
    for n in (0, 1, 700):
        value, grads = fast(4.0, 0.3, n)
        expected_value, expected_grads = g(4.0, 0.3, n)
        assert np.allclose([value, *grads], [expected_value, *expected_grads], rtol=1e-7, atol=0)


def test_the_source_is_what_numba_compiles_with_one_typed_stack_per_recorded_name():
    fast = s2sgrad.jit(s2sgrad.grad(functions.euler_with_if, wrt=("k", "c")))
    source = fast.source_for(4.0, 0.3, 10)
    assert "= tape.pop()" not in source and " tape.append(" not in source
    # a counted loop's stacks are arrays of its length, pushed and popped through a counter
    assert "x_tape = numpy.empty(len(range(n)), numpy.float64)" in source
    assert "t1_tape = numpy.empty(len(range(n)), numpy.bool_)" in source
    assert "x_tape[x_top] = x" in source and "x = x_tape[x_top]" in source
    assert "for i in range(n - 1, -1, -1):" in source        # reversed(range(n)), which numba lacks
    assert "# reverse sweep" in source
    assert "STEP = 0.001" in source                           # a module constant, baked in
    fast(4.0, 0.3, 10)
    compiled = next(iter(fast._specializations.values())).dispatcher
    assert compiled.py_func.__code__.co_filename.endswith(".py")
    with open(compiled.py_func.__code__.co_filename, encoding="utf-8") as handle:
        assert handle.read() == source


def test_a_while_loop_keeps_a_typed_list():
    fast = s2sgrad.jit(s2sgrad.grad(functions.accumulate))
    source = fast.source_for(1.5, 7)
    assert "i_tape = []" in source and "i_tape.append(i)" in source and "i = i_tape.pop()" in source
    assert fast(1.5, 7) == s2sgrad.grad(functions.accumulate)(1.5, 7) == 21.0


def test_elementwise_arrays_match_python():
    g = s2sgrad.value_and_grad(functions.chain)
    x = np.linspace(-2.0, 2.0, 101)
    value, grad = s2sgrad.jit(g)(x)
    expected_value, expected_grad = g(x)
    assert np.isclose(value, expected_value, rtol=1e-7) and np.allclose(grad, expected_grad, rtol=1e-7, atol=0)


def test_a_changed_module_constant_gives_new_code(monkeypatch):
    fast = s2sgrad.jit(s2sgrad.grad(functions.euler, wrt="k"))
    before = fast(4.0, 0.3, 50)
    monkeypatch.setattr(functions, "STEP", 0.002)
    after = fast(4.0, 0.3, 50)
    assert after != before
    assert np.isclose(after, s2sgrad.grad(functions.euler, wrt="k")(4.0, 0.3, 50), rtol=1e-7)


_SECOND_PROCESS = textwrap.dedent("""
    import s2sgrad
    from tests.jit import functions
    fast = s2sgrad.jit(s2sgrad.grad(functions.euler, wrt=("k", "c")))
    fast(4.0, 0.3, 100)
    stats = next(iter(fast._specializations.values())).dispatcher.stats
    print(sum(stats.cache_hits.values()), sum(stats.cache_misses.values()))
""")


def test_a_second_process_loads_the_compiled_code_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("S2SGRAD_CACHE_DIR", str(tmp_path))
    fast = s2sgrad.jit(s2sgrad.grad(functions.euler, wrt=("k", "c")))
    fast(4.0, 0.3, 100)                   # compiled here, and saved under the cache root
    stats = next(iter(fast._specializations.values())).dispatcher.stats
    assert sum(stats.cache_misses.values()) == 1
    saved = os.listdir(tmp_path / "numba" / "__pycache__")
    assert any(name.endswith(".nbi") for name in saved)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env = {**os.environ, "PYTHONPATH": root}
    env.pop("NUMBA_CACHE_DIR", None)
    second = subprocess.run([sys.executable, "-c", _SECOND_PROCESS], env=env, cwd=root, capture_output=True,
                            text=True, check=True).stdout.split()
    assert second == ["1", "0"]           # loaded, not compiled again


def test_helper_calls_compile_to_calls_of_the_helpers_compiled_gradients():
    source = compiled_equals_python(functions.two_helpers, 0.7, -0.4, wrt=("x", "y"))
    assert "call_forward" not in source and "call_backward" not in source
    assert "import grad_square_forward" in source
    assert "grad_square_backward(" in source
