"""Transformation time: grad() plus the first call, each in a new Python process (imports not counted;
CPU time of the process, so that other work on a shared machine counts less).

Workloads from transform_functions.py: 50 straight lines, ~50 lines with loops, a branch and helper
calls, 200 straight lines. Columns: s2sgrad with the on-disk source cache off (S2SGRAD_NO_CACHE=1), with
it cold (an empty cache folder: the process transforms and writes) and warm (a second process reads
what the first wrote: generated code, compiled code and the summaries of the functions' preparations, so
the function is not read again); jax.jit's first call (trace + compile) when JAX is installed. Best of
--repeat processes each. Target (issue 13): grad() + first call of a 50-line function <= 50 ms. Run:

    python benchmarks/bench_transform.py

`--warm-process` times the same in one process that has transformed other functions before
(transformations kept in memory forgotten before each timing). `--terms 300,1200,5000` instead times value_and_grad of `x[0]*w[0] + x[1]*w[1] + ...` written out as
one expression of that many terms (issue 11), cache off, one new process per size, to show how the
transformation scales with the length of an expression.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

WORKLOADS = {
    "50 lines, straight": ("straight_line_50", "(0.1, 0.2, 0.3)", (0, 1, 2)),
    "~50 lines, loops + helpers": ("with_loops_and_helpers", "(0.3, 0.4, 20)", (0, 1)),
    "200 lines, straight": ("straight_line_200", "(0.1, 0.2, 0.3)", (0, 1, 2)),
}

_CHILD = """
import os, sys, time
sys.path[:0] = [{here!r}, {root!r}]
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"
import math
import numpy
import transform_functions
{imports}
fn = transform_functions.{name}
args = {args}
start = time.process_time()
{body}
print(time.process_time() - start)
"""

_S2SGRAD = ("import s2sgrad", "g = s2sgrad.grad(fn, wrt={wrt}); g(*args)")
_JAX = ("import jax, jax.numpy as jnp\njax.config.update('jax_enable_x64', True)\n"
        "transform_functions.math = jnp",   # the same code on JAX's functions
        "g = jax.jit(jax.grad(fn, argnums={wrt})); jax.block_until_ready(g(*args))")


def child_time(name, args, wrt, which, env) -> float:
    imports, body = which
    if which is _JAX and "n" in args:
        return float("nan")
    code = _CHILD.format(here=HERE, root=ROOT, imports=imports, name=name, args=args,
                         body=body.format(wrt=wrt))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    return float(out.stdout.strip().splitlines()[-1])


_TERMS_CHILD = """
import importlib.util, os, sys, tempfile, time
sys.path[:0] = [{root!r}]
n = {n}
folder = tempfile.mkdtemp(prefix="s2sgrad-bench-terms-")
path = os.path.join(folder, "long_sum.py")
with open(path, "w") as out:
    out.write("def dot(x, w):\\n    return " + " + ".join(f"x[{{i}}] * w[{{i}}]" for i in range(n)) + "\\n")
sys.setrecursionlimit(max(sys.getrecursionlimit(), 20 * n))      # Python itself needs it to compile the file
spec = importlib.util.spec_from_file_location("long_sum", path)
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
sys.setrecursionlimit(1000)
import numpy as np
import s2sgrad
x = np.linspace(-1.0, 1.0, n)
start = time.process_time()
value, (dx, dw) = s2sgrad.value_and_grad(module.dot, wrt=(0, 1))(x, np.full(n, 2.0))
print(time.process_time() - start)
assert abs(value - 2.0 * x.sum()) < 1e-9 and np.allclose(dw, x)
"""


_WARM_PROCESS_CHILD = """
import os, sys, time
sys.path[:0] = [{here!r}, {root!r}]
import math
import transform_functions
import s2sgrad
from s2sgrad.api import callee_gradients
from s2sgrad.transform import PREPARED

s2sgrad.grad(transform_functions._smooth_step)(0.5)     # the process's one-time costs, paid before timing
fn, args, wrt = transform_functions.{name}, {args}, {wrt}
s2sgrad.grad(fn, wrt=wrt)(*args)           # and, with the cache on, its entries written
best = float("inf")
for _ in range({repeat}):
    PREPARED.clear()                       # forget the transformations kept in memory, helpers' too
    for value in vars(callee_gradients).values():
        if isinstance(value, callee_gradients.CalleeGradients):
            value._gradients.clear()
    start = time.process_time()
    s2sgrad.grad(fn, wrt=wrt)(*args)
    best = min(best, time.process_time() - start)
print(best)
"""


def warm_process_time(name, args, wrt, env, repeat) -> float:
    code = _WARM_PROCESS_CHILD.format(here=HERE, root=ROOT, name=name, args=args, wrt=wrt, repeat=repeat)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    return float(out.stdout.strip().splitlines()[-1])


def terms_time(n: int) -> float:
    env = {**os.environ, "S2SGRAD_NO_CACHE": "1"}
    out = subprocess.run([sys.executable, "-c", _TERMS_CHILD.format(root=ROOT, n=n)], env=env,
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    return float(out.stdout.strip().splitlines()[-1])


def has_jax() -> bool:
    try:
        import jax  # noqa: F401
    except ImportError:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-jax", action="store_true")
    parser.add_argument("--terms", help="comma-separated expression lengths: time those instead")
    parser.add_argument("--warm-process", action="store_true",
                        help="time grad() + first call in one process that has transformed before")
    options = parser.parse_args()
    if options.warm_process:
        print(f"{'workload':28} {'no cache':>10} {'warm cache':>11}")
        for label, (name, args, wrt) in WORKLOADS.items():
            folder = tempfile.mkdtemp(prefix="s2sgrad-bench-cache-")
            try:
                env = {**os.environ, "S2SGRAD_CACHE_DIR": folder}
                off = warm_process_time(name, args, wrt, {**env, "S2SGRAD_NO_CACHE": "1"}, 5 * options.repeat)
                warm = warm_process_time(name, args, wrt, env, 5 * options.repeat)
            finally:
                shutil.rmtree(folder, ignore_errors=True)
            print(f"{label:28} {off * 1e3:8.1f}ms {warm * 1e3:9.1f}ms")
        print("each: grad(f) + the first call, CPU time, in a process that has transformed before, best of",
              5 * options.repeat)
        return
    if options.terms:
        print(f"{'terms':>8} {'CPU s':>8} {'ms per term':>12}")
        for n in (int(t) for t in options.terms.split(",")):
            seconds = min(terms_time(n) for _ in range(options.repeat))
            print(f"{n:8d} {seconds:8.2f} {seconds / n * 1e3:12.2f}")
        print("each: value_and_grad(f) + the first call, cache off, in a new process, best of", options.repeat)
        return
    jax_too = has_jax() and not options.no_jax
    print(f"{'workload':28} {'no cache':>10} {'cold':>10} {'warm':>10}" + (f" {'jax.jit 1st':>12}" if jax_too else ""))
    for label, (name, args, wrt) in WORKLOADS.items():
        off, cold, warm, jax_first = [], [], [], []
        for _ in range(options.repeat):
            folder = tempfile.mkdtemp(prefix="s2sgrad-bench-cache-")
            try:
                env = {**os.environ, "S2SGRAD_CACHE_DIR": folder}
                off.append(child_time(name, args, wrt, _S2SGRAD, {**env, "S2SGRAD_NO_CACHE": "1"}))
                cold.append(child_time(name, args, wrt, _S2SGRAD, env))
                warm.append(child_time(name, args, wrt, _S2SGRAD, env))
            finally:
                shutil.rmtree(folder, ignore_errors=True)
            if jax_too:
                jax_first.append(child_time(name, args, wrt, _JAX, dict(os.environ)))
        line = f"{label:28} {min(off) * 1e3:8.1f}ms {min(cold) * 1e3:8.1f}ms {min(warm) * 1e3:8.1f}ms"
        if jax_too:
            line += f" {min(jax_first) * 1e3:10.0f}ms" if jax_first[0] == jax_first[0] else f" {'(python loop)':>12}"
        print(line)
    print("each: grad(f) + the first call, in a new process, best of", options.repeat)
    print("target: 50 lines <= 50 ms")


if __name__ == "__main__":
    main()
