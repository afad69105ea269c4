"""Transformation time: grad() plus the first call, each in a new Python process (imports not counted).

Workloads from transform_functions.py: 50 straight lines, ~50 lines with loops, a branch and helper
calls, 200 straight lines. Columns: s2sgrad with the on-disk source cache off (S2SGRAD_NO_CACHE=1), with
it cold (an empty cache folder: the process transforms and writes) and warm (a second process reads
what the first wrote); jax.jit's first call (trace + compile) when JAX is installed. Best of --repeat
processes each. Target (issue 13): grad() + first call of a 50-line function <= 50 ms. Run:

    python benchmarks/bench_transform.py
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
start = time.perf_counter()
{body}
print(time.perf_counter() - start)
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
    options = parser.parse_args()
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
