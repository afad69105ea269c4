"""A second process takes the numba-ready module from the disk (jit/ready_cache.py) instead of deriving it
again, and only where nothing it was made from changed; the CPU's features are read without llvmlite."""
import importlib
import inspect
import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import s2sgrad
from s2sgrad.api import jit_gradient
from s2sgrad.codegen import source_cache
from s2sgrad.jit import native, ready_cache, vector_math

pytestmark = pytest.mark.skipif(not native.supported() or native.c_compiler() is None,
                                reason="the kept module is read where native libraries are: x86-64 Linux, cc")

PACKAGE = os.path.dirname(os.path.abspath(s2sgrad.__file__))

_MODULE = '''
import numpy as np

SCALE = 0.5
STEP = 0.01


def chain(x):
    y = np.sin(x) * np.exp(-x * x) * SCALE + np.tanh(x)
    return np.sum(y * y)


def inner(x, v):
    return x * v + STEP


def spring(k, c, x, v):
    return -k * x - c * v + inner(x, v)


def walk(k, c, n):
    x = 1.0
    v = 0.0
    for _ in range(n):
        a = spring(k, c, x, v)
        x = x + STEP * v
        v = v + STEP * a
    return x * x + v * v
'''

# the second process: which modules it derived again (numba_module), what it imported, its results
_SECOND = textwrap.dedent('''
    import json, sys
    import numpy as np
    import s2sgrad
    from s2sgrad.api import jit_gradient
    import ready_functions as r

    derived = []
    numba_module = jit_gradient.numba_module
    def counted(*args, **kwargs):
        derived.append(args[0].name)
        return numba_module(*args, **kwargs)
    jit_gradient.numba_module = counted

    def run(f, wrt, *args):
        value, grads = s2sgrad.jit(s2sgrad.value_and_grad(f, wrt=wrt))(*args)
        python_value, python_grads = s2sgrad.value_and_grad(f, wrt=wrt)(*args)
        flat = lambda v, g: np.hstack([np.ravel(v), *[np.ravel(x) for x in np.atleast_1d(g)]]).tolist()
        return {"compiled": flat(value, grads), "python": flat(python_value, python_grads)}

    out = {"array": run(r.chain, 0, np.linspace(-2.0, 2.0, 257)), "helpers": run(r.walk, ("k", "c"), 4.0, 0.3, 50)}
    out["imported"] = sorted(m for m in ("numba", "llvmlite.binding") if m in sys.modules)
    out["derived"] = derived
    print(json.dumps(out))
''')

X = np.linspace(-2.0, 2.0, 257)


@pytest.fixture(scope="module")
def functions(tmp_path_factory):
    """A module of the user's whose gradients this process compiles once (numba), keeping their modules
    and native libraries under a cache root of their own."""
    folder = tmp_path_factory.mktemp("ready")
    previous = {name: os.environ.get(name) for name in ("S2SGRAD_CACHE_DIR", native.DISABLE_VARIABLE)}
    os.environ["S2SGRAD_CACHE_DIR"] = str(folder / "cache")
    os.environ.pop(native.DISABLE_VARIABLE, None)
    (folder / "ready_functions.py").write_text(_MODULE)
    sys.path.insert(0, str(folder))
    sys.modules.pop("ready_functions", None)
    import ready_functions
    stamp = _package_stamp()
    source_cache._ENVIRONMENT.clear()        # s2sgrad's files as they are now, as the second process sees them
    s2sgrad.jit(s2sgrad.value_and_grad(ready_functions.chain, wrt=0))(X)
    s2sgrad.jit(s2sgrad.value_and_grad(ready_functions.walk, wrt=("k", "c")))(4.0, 0.3, 50)
    yield folder, ready_functions, stamp
    sys.path.remove(str(folder))
    sys.modules.pop("ready_functions", None)
    for name, value in previous.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def _package_stamp():
    """The newest time a file of s2sgrad's was written (the key holds them all: source_cache._environment)."""
    return max(os.stat(os.path.join(d, n)).st_mtime_ns for d, _, names in os.walk(PACKAGE) for n in names
               if n.endswith(".py"))


def _entry(f, wrt, args):
    """(the kept module's key, the Python version it was made from, the program, the arguments in the
    compiled function's order) for a call with `args`."""
    g = s2sgrad.value_and_grad(f, wrt=wrt)
    program = g._program_for(args, {})
    function = g._function(program)
    ordered = jit_gradient._binder(inspect.signature(function), tuple(inspect.signature(function).parameters))(
        args, {})
    return ready_cache.key(program, ordered), function, program, ordered


def test_a_second_process_reads_the_kept_modules_and_agrees_with_python(functions):
    folder, _, stamp = functions
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(folder), os.path.dirname(PACKAGE)])}
    done = subprocess.run([sys.executable, "-c", _SECOND], env=env, cwd=str(folder), capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    if out["derived"] and _package_stamp() != stamp:
        pytest.skip("s2sgrad's own files were edited while the test ran (they are in the key)")
    assert out["derived"] == []
    assert out["imported"] == []                  # neither numba nor llvmlite (the CPU's features: cpuinfo)
    for case in ("array", "helpers"):
        assert np.allclose(out[case]["compiled"], out[case]["python"], rtol=1e-7, atol=0), case


def test_a_corrupt_stale_or_misplaced_entry_is_derived_again(functions):
    _, r, _ = functions
    key, function, program, ordered = _entry(r.chain, 0, (X,))
    path = ready_cache._path(key)
    kept = json.loads(path.read_text())
    assert ready_cache.load(key, function).text == kept["source"]["text"]
    for broken in ("{", json.dumps({**kept, "format": 0}), json.dumps({**kept, "guards": "nonsense"}),
                   json.dumps({**kept, "source": {**kept["source"], "stacks": ["untagged"]}})):
        path.write_text(broken)
        assert ready_cache.load(key, function) is None
    # copied under another key
    other = ready_cache._path("0" * 64)
    other.write_text(json.dumps({**kept, "key": key}))
    assert ready_cache.load("0" * 64, function) is None
    # derived again, and kept again, when read through the call path
    source = jit_gradient.ready_module(program, function, ordered)
    assert source.text == kept["source"]["text"] and ready_cache.load(key, function).text == kept["source"]["text"]
    # a value baked into the text changed: the entry is stale, and the compiled result follows the new value
    r.SCALE = 0.75
    try:
        assert ready_cache.load(key, function) is None
        fast, python = s2sgrad.jit(s2sgrad.value_and_grad(r.chain, wrt=0)), s2sgrad.value_and_grad(r.chain, wrt=0)
        (value, grad), (python_value, python_grad) = fast(X), python(X)
        assert np.isclose(value, python_value, rtol=1e-7) and np.allclose(grad, python_grad, rtol=1e-7)
        assert "SCALE = 0.75" in fast.source_for(X)
    finally:
        r.SCALE = 0.5


def test_an_edited_helper_two_calls_down_misses(functions):
    folder, r, _ = functions
    args = (4.0, 0.3, 50)
    key, function, _, _ = _entry(r.walk, ("k", "c"), args)
    before = ready_cache.load(key, function)
    assert before is not None
    (folder / "ready_functions.py").write_text(_MODULE.replace("return x * v + STEP", "return x * v - STEP"))
    edited = importlib.reload(r)
    try:
        # walk's and spring's code read the same: only inner's compiled gradient, which walk's text imports, moved
        key_after, function_after, program, ordered = _entry(edited.walk, ("k", "c"), args)
        assert ready_cache.load(key_after, function_after) is None
        source = jit_gradient.ready_module(program, function_after, ordered)
        assert source.text != before.text
        assert ready_cache.load(key_after, function_after).text == source.text       # kept anew
    finally:
        (folder / "ready_functions.py").write_text(_MODULE)
        importlib.reload(edited)


def test_the_cpu_features_read_from_the_kernel_are_llvm_s():
    flags = vector_math.cpuinfo_flags()
    if flags is None:
        pytest.skip("no /proc/cpuinfo")
    from_kernel = {feature: feature.replace(".", "_") in flags for feature in vector_math.FEATURES}
    assert from_kernel == vector_math.llvm_cpu_features()
