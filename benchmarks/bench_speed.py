"""Issue 13's table: gradient time as a ratio to a hand-written NumPy gradient, every contender side by side.

Contenders: s2sgrad (`value_and_grad(f)(...)`), its generated code called directly, autograd, JAX eager,
jax.jit (steady state; its first call, trace + compile, in a column of its own) and PyTorch, each where
installed. One thread everywhere (the variables below are set before NumPy, JAX or PyTorch load).
Times are CPU seconds per call (time.process_time), the best of rounds taken in turns, so that load
on a shared machine slows every contender alike. The numba backend has its own file, bench_jit.py.
Run:

    python benchmarks/bench_speed.py            # --quick: fewer rounds
    python benchmarks/bench_speed.py --quick --only seed000,euler_oscillator,euler_one_sided   # some rows
"""
from __future__ import annotations

import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_variable] = "1"
os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")

import importlib.util  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import timeit  # noqa: E402

import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(1, os.path.dirname(HERE))       # this checkout's s2sgrad, installed or not

import loops  # noqa: E402
import numpy_models  # noqa: E402
import peer_models  # noqa: E402

import s2sgrad  # noqa: E402


def optional(name):
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def models_with(np_module, name):
    """numpy_models.py loaded again with `np` bound to another library's NumPy (autograd's, JAX's)."""
    spec = importlib.util.spec_from_file_location(name, os.path.join(HERE, "numpy_models.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.np = np_module
    return module


def workloads():
    """(label, name, loss, by_hand, args, number of leading arguments differentiated, kind)."""
    rng = np.random.default_rng(0)
    yield "seed-000 scalar 3*(a+b*c)", "seed000", loops.seed000, loops.seed000_by_hand, (1.5, 2.0, 3.0), 3, "scalar"
    yield "scalar loop, 1,000 Euler steps", "euler_oscillator", loops.euler_oscillator, \
        loops.euler_oscillator_by_hand, (4.0, 0.3, 1000), 2, "scalar"
    yield "scalar loop with if, 1,000 steps", "euler_one_sided", loops.euler_one_sided, \
        loops.euler_one_sided_by_hand, (4.0, 0.3, 1000), 2, "scalar"
    X = rng.normal(size=(1000, 100))
    y = (X @ rng.normal(size=100) > 0).astype(float)
    yield "logistic regression 1000x100", "logistic_loss", numpy_models.logistic_loss, numpy_models.logistic_by_hand, \
        (0.01 * rng.normal(size=100), 0.1, X, y), 2, "array"
    W, U, b = 0.1 * rng.normal(size=(64, 64)), 0.1 * rng.normal(size=(32, 64)), np.zeros(64)
    yield "tanh RNN, 50 steps (64 units)", "rnn_loss", numpy_models.rnn_loss, numpy_models.rnn_by_hand, \
        (W, U, b, rng.normal(size=(50, 16, 32))), 3, "array"
    yield "elementwise chain, 1e6 floats", "chain", numpy_models.chain, numpy_models.chain_by_hand, \
        (rng.normal(size=1_000_000),), 1, "array"
    X = rng.normal(size=(256, 784))
    Y = np.eye(10)[rng.integers(0, 10, 256)]
    yield "MLP 784-256-10, batch 256", "mlp_loss", numpy_models.mlp_loss, numpy_models.mlp_by_hand, \
        (0.05 * rng.normal(size=(784, 256)), np.zeros(256), 0.05 * rng.normal(size=(256, 10)), np.zeros(10), X, Y), \
        4, "array"


def best_times(fns, rounds, seconds=0.05):
    """The best CPU time per call of each function, measured in turns (round robin)."""
    timers = [timeit.Timer(fn, timer=time.process_time) for fn in fns]
    numbers = []
    for timer in timers:
        once = max(timer.timeit(number=1), 1e-7)
        numbers.append(max(1, int(seconds / once)))
    best = [float("inf")] * len(fns)
    for _ in range(rounds):
        for i, (timer, number) in enumerate(zip(timers, numbers)):
            best[i] = min(best[i], timer.timeit(number=number) / number)
    return best


def close(ours, theirs):
    value, grads = ours
    hand_value, hand_grads = theirs
    assert np.isclose(float(value), float(hand_value), rtol=1e-9)
    for a, b in zip(grads, hand_grads):
        np.testing.assert_allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), rtol=1e-6, atol=1e-9)


def peers(name, loss, args, count, kind, rng):
    """{column: (callable, seconds of its first call or None)} for the installed peers."""
    found = {}
    autograd = optional("autograd")
    if autograd is not None:
        import autograd.numpy as anp
        ag_model = loss if kind == "scalar" else getattr(models_with(anp, "numpy_models_autograd"), name)
        packed = autograd.value_and_grad(lambda params, *rest: ag_model(*params, *rest))
        found["autograd"] = (lambda: packed(tuple(args[:count]), *args[count:]), None)
    jax = optional("jax")
    if jax is not None:
        jax.config.update("jax_enable_x64", True)
        import jax.numpy as jnp
        jax_model = peer_models.jax_loops(jnp).get(name) if kind == "scalar" and name != "seed000" else \
            loss if kind == "scalar" else getattr(models_with(jnp, "numpy_models_jax"), name)
        jargs = tuple(jnp.asarray(a) if isinstance(a, np.ndarray) else a for a in args)
        argnums = tuple(range(count))
        eager = jax.value_and_grad(jax_model, argnums=argnums)
        static = (2,) if kind == "scalar" and name != "seed000" else ()
        jitted = jax.jit(jax.value_and_grad(jax_model, argnums=argnums), static_argnums=static)
        start = time.process_time()
        jax.block_until_ready(jitted(*jargs))
        compile_time = time.process_time() - start
        found["jax"] = (lambda: jax.block_until_ready(eager(*jargs)), None)
        found["jax.jit"] = (lambda: jax.block_until_ready(jitted(*jargs)), compile_time)
    torch = optional("torch")
    if torch is not None:
        torch.set_num_threads(1)
        model = peer_models.torch_models(torch)[name]

        def run_torch():
            leaves = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in args[:count]]
            rest = [torch.from_numpy(a) if isinstance(a, np.ndarray) else a for a in args[count:]]
            out = model(*leaves, *rest)
            return out, torch.autograd.grad(out, leaves)
        found["torch"] = (run_torch, None)
    return found


def main() -> None:
    rounds = 3 if "--quick" in sys.argv else 10
    rng = np.random.default_rng(1)
    columns = ["by hand", "s2sgrad", "gen code", "autograd", "jax", "jax.jit", "torch"]
    rows = []
    only = sys.argv[sys.argv.index("--only") + 1].split(",") if "--only" in sys.argv else None
    for label, name, loss, by_hand, args, count, kind in workloads():
        if only is not None and name not in only:
            continue
        ours = s2sgrad.value_and_grad(loss, wrt=tuple(range(count)))
        close(ours(*args), by_hand(*args))
        generated = ours.generated_for(*args)
        contenders = {"by hand": (lambda: by_hand(*args), None), "s2sgrad": (lambda: ours(*args), None),
                      "gen code": (lambda: generated(*args), None)}
        contenders.update(peers(name, loss, args, count, kind, rng))
        times = dict(zip(contenders, best_times([fn for fn, _ in contenders.values()], rounds)))
        compile_time = contenders.get("jax.jit", (None, None))[1]
        rows.append((label, times, compile_time))
        print(f"  measured {label}", file=sys.stderr)
    present = [c for c in columns if any(c in times for _, times, _ in rows)]
    print(f"{'workload':34} {'by hand':>10} " + " ".join(f"{c + ' /hand':>14}" for c in present[1:])
          + f" {'jax.jit 1st call':>17}")
    for label, times, compile_time in rows:
        hand = times["by hand"]
        cells = [f"{times[c] / hand:14.2f}" if c in times else f"{'-':>14}" for c in present[1:]]
        first = f"{compile_time:16.3f}s" if compile_time is not None else f"{'-':>17}"
        print(f"{label:34} {_seconds(hand):>10} " + " ".join(cells) + f" {first}")
    print("ratios: CPU time per call / the hand-written gradient's (lower is faster); one thread each")
    print("targets without jit: array workloads and scalar loops <= 1.1x hand, seed-000 <= 3x hand")


def _seconds(t: float) -> str:
    return f"{t * 1e9:.0f}ns" if t < 1e-6 else f"{t * 1e6:.1f}us" if t < 1e-3 else f"{t * 1e3:.2f}ms"


if __name__ == "__main__":
    main()
