"""Issue 13's compiled backend: s2sgrad.jit against jax.jit and a hand-written NumPy gradient.

    python benchmarks/bench_jit.py

Side by side in one run, one thread (XLA and BLAS pinned to one), float64:
steady-state time per gradient call (best of repeated batches) on a scalar
loop of 1,000 Euler steps, the same with an `if`, and an elementwise chain
over 10^6 floats; then the first call (grad + jit + compile) in a fresh
process with an empty cache, and in a second process with that cache warm
(the native library the first kept: no numba import, jit/native.py), best of
three such processes, split into jit(), the first call and a second call.

    python benchmarks/bench_jit.py --first-calls

only the first-call tables (cold and warm, no steady state).
Targets: steady state <= jax.jit's; first call <= 1 s; <= 50 ms warm.

    python benchmarks/bench_jit.py --fusion

pins the process to one core and times the elementwise chain in turns: the
Python version, the compiled module without fusion, with fusion, and jax.jit;
then each transcendental function as NumPy computes it and as a numba loop of
math.<f> does (what bounds the fused loop).

    python benchmarks/bench_jit.py --first-call

splits the first call in a fresh process with an empty cache: numba's typing
and target contexts, s2sgrad's own part (the rewrite and its typing passes),
numba's compile (the rest), and keeping the native library (emit and link).

    python benchmarks/bench_jit.py --transforms

times the other transformations jit compiles against their Python versions,
side by side: jit(jvp) and jit(hessian) of the Euler loop, and value_and_grad
of the Euler loop whose step calls a helper (compiled helper calls).
"""
from __future__ import annotations

import os

os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import timeit  # noqa: E402

import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path[:0] = [HERE, ROOT]
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [ROOT, os.environ.get("PYTHONPATH")]))

import jit_workloads as w  # noqa: E402

import s2sgrad  # noqa: E402

N_STEPS = 1000
N_ELEMENTS = 10 ** 6


def best(fn, number):
    return min(timeit.repeat(fn, number=number, repeat=7)) / number


def jax_versions():
    try:
        import jax
        import jax.numpy as jnp
    except ImportError:
        return None
    jax.config.update("jax_enable_x64", True)

    def euler(k, c, n):
        def step(_, state):
            x, v = state
            a = -k * x - c * v
            return x + w.DT * v, v + w.DT * a
        x, v = jax.lax.fori_loop(0, n, step, (1.0, 0.0))
        return x * x + v * v

    def euler_if(k, c, n):
        def step(_, state):
            x, v = state
            a = jnp.where(x > 0, -k * x, -2.0 * k * x) - c * v
            return x + w.DT * v, v + w.DT * a
        x, v = jax.lax.fori_loop(0, n, step, (1.0, 0.0))
        return x * x + v * v

    def chain(x):
        y = jnp.sin(x) * jnp.exp(-x * x) + jnp.tanh(x)
        return jnp.sum(y * y)

    loops = {name: jax.jit(jax.value_and_grad(f, argnums=(0, 1)), static_argnums=2)
             for name, f in (("euler", euler), ("euler_if", euler_if))}
    loops["chain"] = jax.jit(jax.value_and_grad(chain))
    return loops


def steady_state():
    x = np.linspace(-2.0, 2.0, N_ELEMENTS)
    cases = [
        ("scalar loop, 1,000 Euler steps", "euler", w.euler, ("k", "c"), (4.0, 0.3, N_STEPS), w.euler_by_hand, 200),
        ("the same with an if", "euler_if", w.euler_if, ("k", "c"), (4.0, 0.3, N_STEPS), w.euler_if_by_hand, 200),
        ("elementwise chain, 10^6 floats", "chain", w.chain, 0, (x,), w.chain_by_hand, 3),
    ]
    jaxed = jax_versions()
    rows = []
    for label, key, f, wrt, args, by_hand, number in cases:
        fast = s2sgrad.jit(s2sgrad.value_and_grad(f, wrt=wrt))
        python = s2sgrad.value_and_grad(f, wrt=wrt)
        ours, theirs = fast(*args), by_hand(*args)
        assert np.allclose(np.hstack([ours[0], *np.atleast_1d(ours[1])]),
                           np.hstack([theirs[0], *np.atleast_1d(theirs[1])]), rtol=1e-7)
        row = {"case": label, "hand": best(lambda: by_hand(*args), number),
               "s2sgrad": best(lambda: python(*args), number), "s2sgrad.jit": best(lambda: fast(*args), number)}
        if jaxed is not None:
            j = jaxed[key]
            jax_args = args if key == "chain" else args
            jax_value = j(*jax_args)
            np.asarray(jax_value[0]).item()
            row["jax.jit"] = best(lambda: _block(j(*jax_args)), number)
        rows.append(row)
    return rows


def _block(result):
    value, grads = result
    value.block_until_ready()
    return result


_FIRST_CALL = """
import json, os, sys, time
start = time.perf_counter()
sys.path.insert(0, {here!r})
import numpy as np
import jit_workloads as w
import s2sgrad
imported = time.perf_counter()
if {cold!r}:
    import numba                   # the cold process's numba import, timed apart
args = {args}
numba_imported = time.perf_counter()
cpu = time.process_time()
fast = s2sgrad.jit(s2sgrad.value_and_grad(w.{name}, wrt={wrt!r}))
wrapped = time.perf_counter()
fast(*args)
done = time.perf_counter()
cpu_done = time.process_time()
fast(*args)
again = time.perf_counter()
spec = next(iter(fast._specializations.values()))
print(json.dumps({{"import s2sgrad": imported - start, "import numba": numba_imported - imported,
                  "jit()": wrapped - numba_imported, "first call": done - wrapped, "second call": again - done,
                  "grad + jit + first call": done - numba_imported, "cpu": cpu_done - cpu,
                  "numba imported": "numba" in sys.modules, "native": spec.native is not None}}))
"""


def first_calls(warm_runs: int = 3):
    """grad + jit + first call, in a fresh process with an empty cache, then in `warm_runs` more processes
    with that cache warm (each loads the native library kept by the first, without importing numba); the
    best of those by wall time."""
    rows = []
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "S2SGRAD_CACHE_DIR": cache}
        env.pop("NUMBA_CACHE_DIR", None)
        for name, wrt, args in (("euler", ("k", "c"), "(4.0, 0.3, 1000)"),
                                ("euler_if", ("k", "c"), "(4.0, 0.3, 1000)"),
                                ("chain", 0, "(np.linspace(-2.0, 2.0, 10 ** 6),)")):
            cold, *warm = (json.loads(subprocess.run(
                [sys.executable, "-c", _FIRST_CALL.format(here=HERE, name=name, wrt=wrt, args=args, cold=cold)],
                env=env, check=True, capture_output=True, text=True).stdout)
                for cold in (True, *[False] * warm_runs))
            rows.append((name, cold, min(warm, key=lambda run: run["grad + jit + first call"])))
    return rows


def jax_first_calls():
    try:
        import jax  # noqa: F401
    except ImportError:
        return None
    script = """
import json, os, sys, time
sys.path.insert(0, {here!r})
import numpy as np
import bench_jit
versions = bench_jit.jax_versions()
out = {{}}
for key, args in (("euler", (4.0, 0.3, 1000)), ("euler_if", (4.0, 0.3, 1000)),
                  ("chain", (np.linspace(-2.0, 2.0, 10 ** 6),))):
    start = time.perf_counter()
    bench_jit._block(versions[key](*args))
    out[key] = time.perf_counter() - start
print(json.dumps(out))
""".format(here=HERE)
    return json.loads(subprocess.run([sys.executable, "-c", script], check=True, capture_output=True,
                                     text=True).stdout)


def fusion_side_by_side(turns: int = 5) -> None:
    """The chain, in turns, one core: what fusing its elementwise runs into one loop changes."""
    import math

    import numba

    from s2sgrad.jit.compiler import in_memory
    from s2sgrad.jit.numba_source import numba_ready
    x = np.linspace(-2.0, 2.0, N_ELEMENTS)
    g = s2sgrad.value_and_grad(w.chain)
    fused = s2sgrad.jit(g)
    fused(x)
    program = g._program_for((x,), {})
    unfused = numba.njit(in_memory(numba_ready(program.source, g._function(program))))
    unfused(x, 1.0)
    cases = {"s2sgrad (Python)": lambda: g(x), "s2sgrad.jit unfused": lambda: unfused(x, 1.0),
             "s2sgrad.jit fused": lambda: fused(x)}
    versions = jax_versions()
    if versions is not None:
        _block(versions["chain"](x))
        cases["jax.jit"] = lambda: _block(versions["chain"](x))
    times = {name: [] for name in cases}
    for _ in range(turns):
        for name, fn in cases.items():
            times[name].append(min(timeit.repeat(fn, number=3, repeat=3)) / 3)
    reference = min(times.get("jax.jit", times["s2sgrad.jit fused"]))
    print(f"elementwise chain, 10^6 floats, one core, best of {turns} turns (ms, ratio to jax.jit)")
    for name in cases:
        print(f"{name:24}{min(times[name]) * 1e3:9.1f}{min(times[name]) / reference:8.2f}")
    print("\nwhat bounds the fused loop: 10^6 floats (ms)")
    for name in ("sin", "exp", "tanh", "cos"):
        namespace = {"np": np, "math": math}
        exec(f"def loop(x):\n    out = np.empty(x.size)\n    for i in range(x.size):\n"
             f"        out[i] = math.{name}(x[i])\n    return out\n", namespace)
        loop = numba.njit(namespace["loop"])
        loop(x)
        numpy_time = best(lambda: getattr(np, name)(x), 5)
        numba_time = best(lambda: loop(x), 5)
        print(f"{name:6} NumPy {numpy_time * 1e3:6.1f}   numba loop of math.{name} {numba_time * 1e3:6.1f}"
              f"   ratio {numba_time / numpy_time:4.1f}")


_BREAKDOWN = """
import importlib, json, sys, time
sys.path.insert(0, {here!r})
import numpy as np
import jit_workloads as w
import s2sgrad
from numba.core.registry import cpu_target
jit_gradient = importlib.import_module("s2sgrad.api.jit_gradient")
compiler = importlib.import_module("s2sgrad.jit.compiler")
native = importlib.import_module("s2sgrad.jit.native")
spent = {{"ours": 0.0, "typing": 0.0, "native": 0.0}}

def timed(key, fn):
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[key] += time.perf_counter() - start
    return wrapper

compiler.stack_dtypes = timed("typing", compiler.stack_dtypes)
jit_gradient.numba_module = timed("ours", jit_gradient.numba_module)
native.save = timed("native", native.save)
start = time.perf_counter()
cpu_target.typing_context.refresh()
cpu_target.target_context.refresh()
contexts = time.perf_counter() - start
fast = s2sgrad.jit(s2sgrad.value_and_grad(w.{name}, wrt={wrt!r}))
start = time.perf_counter()
fast(*{args})
total = time.perf_counter() - start
print(json.dumps({{"contexts": contexts, "ours": spent["ours"], "typing": spent["typing"],
                  "native": spent["native"], "compile": total - spent["ours"] - spent["native"]}}))
"""


def first_call_breakdown() -> None:
    print("first call, fresh process, empty cache (seconds)")
    print(f"{'case':12}{'numba contexts':>16}{'ours':>8}{'of which typing':>17}{'numba compile':>15}"
          f"{'keep native':>13}")
    for name, wrt, args in (("euler", ("k", "c"), "(4.0, 0.3, 1000)"), ("euler_if", ("k", "c"), "(4.0, 0.3, 1000)"),
                            ("chain", 0, "(np.linspace(-2.0, 2.0, 10 ** 6),)")):
        with tempfile.TemporaryDirectory() as cache:
            env = {**os.environ, "S2SGRAD_CACHE_DIR": cache}
            env.pop("NUMBA_CACHE_DIR", None)
            script = _BREAKDOWN.format(here=HERE, name=name, wrt=wrt, args=args)
            row = json.loads(subprocess.run([sys.executable, "-c", script], env=env, check=True,
                                            capture_output=True, text=True).stdout)
        print(f"{name:12}{row['contexts']:16.2f}{row['ours']:8.2f}{row['typing']:17.2f}{row['compile']:15.2f}"
              f"{row['native']:13.2f}")


def transforms_side_by_side() -> None:
    """jit of jvp, hessian and of a function calling a helper, against the same Python transformation."""
    import warnings
    args = (4.0, 0.3, N_STEPS)
    fast_jvp = s2sgrad.jit(s2sgrad.jvp)
    hessian = s2sgrad.hessian(w.euler, wrt=(0, 1))
    fast_hessian = s2sgrad.jit(hessian)
    helper = s2sgrad.value_and_grad(w.euler_with_helper, wrt=("k", "c"))
    fast_helper = s2sgrad.jit(helper)
    cases = [
        ("jvp, Euler loop", lambda: s2sgrad.jvp(w.euler, args, (1.0, 0.0, 0)),
         lambda: fast_jvp(w.euler, args, (1.0, 0.0, 0))),
        ("hessian, Euler loop (2x2)", lambda: hessian(*args), lambda: fast_hessian(*args)),
        ("value_and_grad, step in a helper", lambda: helper(*args), lambda: fast_helper(*args)),
    ]
    print("jit of the other transformations, microseconds per call (1,000 Euler steps)")
    print(f"{'case':36}{'Python':>12}{'s2sgrad.jit':>14}{'Python / jit':>14}")
    for label, python, compiled in cases:
        with warnings.catch_warnings():
            warnings.simplefilter("error", s2sgrad.JitFallbackWarning)     # each must run compiled
            expected, got = python(), compiled()
        assert np.allclose(np.hstack([np.ravel(np.asarray(e, dtype=float)) for e in _leaves(expected)]),
                           np.hstack([np.ravel(np.asarray(e, dtype=float)) for e in _leaves(got)]), rtol=1e-7)
        slow, quick = best(python, 5), best(compiled, 50)
        print(f"{label:36}{slow * 1e6:12.1f}{quick * 1e6:14.1f}{slow / quick:14.0f}")


def _leaves(tree):
    if isinstance(tree, (tuple, list)):
        return [leaf for item in tree for leaf in _leaves(item)]
    return [tree]


def main() -> None:
    if "--first-call" in sys.argv:
        first_call_breakdown()
        return
    if "--first-calls" in sys.argv:
        print_first_calls()
        return
    if "--transforms" in sys.argv:
        transforms_side_by_side()
        return
    if "--fusion" in sys.argv:
        if hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        fusion_side_by_side()
        return
    rows = steady_state()
    print_table(rows)
    print_first_calls()


def print_table(rows) -> None:
    names = [k for k in ("hand", "s2sgrad", "s2sgrad.jit", "jax.jit") if k in rows[0]]
    print("steady state, microseconds per gradient call (ratio to the hand-written NumPy gradient)")
    print(f"{'case':34}" + "".join(f"{n:>22}" for n in names) + f"{'jit / jax.jit':>16}")
    for row in rows:
        cells = "".join(f"{row[n] * 1e6:12.1f} ({row[n] / row['hand']:6.3f}x)" for n in names)
        ratio = f"{row['s2sgrad.jit'] / row['jax.jit']:16.2f}" if "jax.jit" in row else ""
        print(f"{row['case']:34}{cells}{ratio}")


def print_first_calls() -> None:
    print("\nfirst call in a new process (seconds): grad + s2sgrad.jit + compile + run; numba's import apart;")
    print("warm: a later process, the cache kept by the first (a native library: numba is not imported)")
    jax_first = jax_first_calls()
    print(f"{'case':12}{'import s2sgrad':>16}{'import numba':>14}{'cold cache':>12}{'warm cache':>12}"
          f"{'warm imports numba':>20}{'jax.jit first':>15}")
    rows = first_calls()
    for name, cold, warm in rows:
        jax_cell = f"{jax_first[name]:15.3f}" if jax_first else ""
        print(f"{name:12}{warm['import s2sgrad']:16.3f}{cold['import numba']:14.3f}"
              f"{cold['grad + jit + first call']:12.3f}{warm['grad + jit + first call']:12.3f}"
              f"{str(warm['numba imported']):>20}{jax_cell}")
    print("\nthe warm process (best of 3 new processes), milliseconds: grad + jit(), its first call, a second call "
          "(the gradient's own work), and the CPU time of the first two")
    print(f"{'case':12}{'jit()':>10}{'first call':>12}{'second call':>13}{'total':>10}{'total CPU':>11}")
    for name, _, warm in rows:
        print(f"{name:12}{warm['jit()'] * 1e3:10.1f}{warm['first call'] * 1e3:12.1f}"
              f"{warm['second call'] * 1e3:13.1f}{warm['grad + jit + first call'] * 1e3:10.1f}"
              f"{warm['cpu'] * 1e3:11.1f}")
    print("targets: s2sgrad.jit <= jax.jit in steady state; first call <= 1 s; <= 0.05 s with a warm cache")


if __name__ == "__main__":
    main()
