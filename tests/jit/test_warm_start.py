"""A second process runs the compiled gradient from the native library an earlier one kept, without numba,
and only where everything the machine code depends on is the same (jit/native.py)."""
import importlib
import json
import math
import os
import random
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest

import s2sgrad
from s2sgrad.jit import native
from tests.property.harness import draw_call, load_programs
from tests.property.programs import Features, ProgramGenerator

pytestmark = pytest.mark.skipif(not native.supported() or native.c_compiler() is None,
                                reason="native libraries are kept on x86-64 Linux, with a C compiler to link them")

FEATURES = Features(control_flow=True, breaks=True, continues=True, early_returns=True)
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

_MODULE = '''
import math

import numpy as np

STEP = 0.01


def damped(k, c, n):
    x = 1.0
    v = 0.0
    for _ in range(n):
        if x > 0:
            a = -k * x - c * v
        else:
            a = -2.0 * k * x - c * v
        x = x + STEP * v
        v = v + STEP * a
    return x * x + v * v


def chain(x):
    y = np.sin(x) * np.exp(-x * x) + np.tanh(x)
    return np.sum(y * y)


def root(x):
    return math.sqrt(x) * x
'''

# run in a second process: whether each call ran from a native library, whether numba was imported by
# then, and the compiled results beside the Python version's
_SECOND = textwrap.dedent('''
    import json, sys
    import numpy as np
    import s2sgrad
    import warm_functions as w

    def run(f, wrt, *args):
        fast = s2sgrad.jit(s2sgrad.value_and_grad(f, wrt=wrt))
        value, grads = fast(*args)
        spec = next(iter(fast._specializations.values()))
        numba = "numba" in sys.modules
        python_value, python_grads = s2sgrad.value_and_grad(f, wrt=wrt)(*args)
        flat = lambda v, g: np.hstack([np.ravel(v), *[np.ravel(x) for x in g]]).tolist()
        return {"native": spec.native is not None, "numba": numba,
                "compiled": flat(value, grads if isinstance(grads, tuple) else (grads,)),
                "python": flat(python_value, python_grads if isinstance(python_grads, tuple) else (python_grads,))}

    x = np.linspace(-2.0, 2.0, 257)
    print(json.dumps({"loop": run(w.damped, ("k", "c"), 4.0, 0.3, 300), "array": run(w.chain, 0, x)}))
''')


@pytest.fixture
def warm_functions(tmp_path, monkeypatch):
    """A module of the user's, importable by a second process, with its gradients compiled here (and so
    kept as native libraries under a fresh cache root)."""
    monkeypatch.setenv("S2SGRAD_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv(native.DISABLE_VARIABLE, raising=False)
    (tmp_path / "warm_functions.py").write_text(_MODULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(native, "_LOADED", {})        # what an earlier test loaded in this process
    sys.modules.pop("warm_functions", None)
    import warm_functions
    yield warm_functions
    sys.modules.pop("warm_functions", None)


def _run(f, wrt, *args):
    """(whether the call ran from a native library, compiled results, Python's results), flattened."""
    fast = s2sgrad.jit(s2sgrad.value_and_grad(f, wrt=wrt))
    value, grads = fast(*args)
    python_value, python_grads = s2sgrad.value_and_grad(f, wrt=wrt)(*args)
    flat = lambda v, g: np.hstack([np.ravel(v), *[np.ravel(x) for x in np.atleast_1d(g)]])   # noqa: E731
    spec = next(iter(fast._specializations.values()))
    return spec.native is not None, flat(value, grads), flat(python_value, python_grads)


X = np.linspace(-2.0, 2.0, 257)


def test_a_second_process_runs_the_kept_library_without_importing_numba(warm_functions, tmp_path):
    assert not _run(warm_functions.damped, ("k", "c"), 4.0, 0.3, 300)[0]      # compiled by numba here
    assert not _run(warm_functions.chain, 0, X)[0]
    kept = [name for name in os.listdir(tmp_path / "cache" / "native") if name.endswith(".so")]
    assert len(kept) == 2
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), ROOT])}
    done = subprocess.run([sys.executable, "-c", _SECOND], env=env, cwd=str(tmp_path), capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    for case in ("loop", "array"):
        assert out[case]["native"] and not out[case]["numba"], case
        assert np.allclose(out[case]["compiled"], out[case]["python"], rtol=1e-7, atol=0), case


def test_other_argument_types_a_changed_source_or_rule_miss(warm_functions, tmp_path):
    chain, damped = warm_functions.chain, warm_functions.damped
    for f, wrt, args in ((damped, ("k", "c"), (4.0, 0.3, 300)), (chain, 0, (X,))):
        assert not _run(f, wrt, *args)[0]
        assert _run(f, wrt, *args)[0]                   # the same again: from the library numba's compile kept
    # a read-only array: numba compiles another specialization for it, so the library is not for it
    loaded, compiled, python = _run(chain, 0, np.frombuffer(X.tobytes()))
    assert not loaded and np.allclose(compiled, python, rtol=1e-7, atol=0)
    # a rule of the table changed (np.tanh's adjoint written another way): other generated text
    rules = s2sgrad.rules.DEFAULT_RULES
    kept = rules.lookup(np.tanh)
    s2sgrad.defvjp(np.tanh, "x", dx="dy * (1.0 - y * y) * 1.0")
    try:
        loaded, compiled, python = _run(chain, 0, X)
    finally:
        rules.add_entries({np.tanh: kept})
    assert not loaded and np.allclose(compiled, python, rtol=1e-7, atol=0)
    # the function's source changed (its module constant): other generated text
    (tmp_path / "warm_functions.py").write_text(_MODULE.replace("STEP = 0.01", "STEP = 0.02"))
    changed = importlib.reload(warm_functions)
    loaded, compiled, python = _run(changed.damped, ("k", "c"), 4.0, 0.3, 300)
    assert not loaded and np.allclose(compiled, python, rtol=1e-7, atol=0)


def test_a_library_under_another_key_or_from_another_numba_is_not_loaded(warm_functions, tmp_path, monkeypatch):
    _run(warm_functions.damped, ("k", "c"), 4.0, 0.3, 300)
    _run(warm_functions.chain, 0, X)
    folder = tmp_path / "cache" / "native"
    keys = sorted(name[:-3] for name in os.listdir(folder) if name.endswith(".so"))
    assert all(native.load(k) is not None for k in keys)
    native._LOADED.clear()
    # a record whose key is not its file's name (a copied or renamed entry)
    record = json.loads((folder / f"{keys[0]}.json").read_text())
    (folder / f"{keys[1]}.json").write_text(json.dumps(record))
    assert native.load(keys[1]) is None
    # another numba, llvmlite, Python or CPU: another key for the same text and types
    text, types = "text", ("float64",)
    before = native.key(text, types)
    monkeypatch.setattr(native, "_platform", lambda: "numba 0.0.0")
    assert native.key(text, types) != before


def test_a_call_the_library_cannot_answer_goes_through_numba_as_before(warm_functions):
    g = s2sgrad.grad(warm_functions.root)
    s2sgrad.jit(g)(2.0)                          # compiled by numba, and kept
    fast = s2sgrad.jit(s2sgrad.grad(warm_functions.root))
    assert fast(3.0) == g(3.0)
    spec = next(iter(fast._specializations.values()))
    assert spec.native is not None               # this process loaded the kept library
    with pytest.raises(ValueError, match="math domain error"):
        fast(-1.0)                               # checked_math raises in the library: numba's path, then Python's
    assert spec.native is None
    assert fast(4.0) == g(4.0) == pytest.approx(1.5 * math.sqrt(4.0))


def test_random_programs_loaded_from_their_libraries_equal_the_python_version(tmp_path, monkeypatch):
    monkeypatch.setenv("S2SGRAD_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv(native.DISABLE_VARIABLE, raising=False)
    monkeypatch.setattr(native, "_LOADED", {})
    generator = ProgramGenerator(random.Random("jit/native/0"), FEATURES, statements=(2, 5), leaf_probability=0.3)
    programs = [generator.program(f"native_{k}") for k in range(4)]
    plain, _ = load_programs(tmp_path, "native_programs", programs)
    loaded = 0
    for program in programs:
        g = s2sgrad.value_and_grad(getattr(plain, program.name), wrt=program.wrt)
        call = draw_call(program, random.Random(program.name))
        try:
            with np.errstate(all="ignore"):
                expected = g(*call.args, **call.kwargs)
        except (ArithmeticError, ValueError):
            continue
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore", s2sgrad.JitFallbackWarning)
            s2sgrad.jit(g)(*call.args, **call.kwargs)            # numba compiles, and keeps a library
            again = s2sgrad.jit(s2sgrad.value_and_grad(getattr(plain, program.name), wrt=program.wrt))
            got = again(*call.args, **call.kwargs)               # the same kind of call: the library
        spec = next(iter(again._specializations.values()))
        loaded += spec.native is not None
        assert np.allclose(np.hstack([got[0], *np.atleast_1d(got[1])]),
                           np.hstack([expected[0], *np.atleast_1d(expected[1])]),
                           rtol=1e-7, atol=1e-12, equal_nan=True), program.source
    assert loaded >= 2, f"only {loaded} programs ran from their native libraries"


def test_machine_types_tell_apart_what_numba_compiles_apart():
    x = np.linspace(0.0, 1.0, 6)
    described = native.machine_types((1.0, 2, np.float64(1.0), x, x.reshape(2, 3), x.reshape(2, 3).T, x[::2]))
    assert described[:3] == ("float64", "int64", "float64")
    assert [d.split(",")[1:3] for d in described[3:]] == [["1", "C"], ["2", "C"], ["2", "F"], ["1", "A"]]
    assert native.machine_types((2 ** 64,)) is None and native.machine_types(([1.0],)) is None
