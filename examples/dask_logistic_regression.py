"""Logistic regression on a design matrix larger than the cluster's memory: s2sgrad's gradient on Dask.

The data are generated lazily, chunk by chunk (dask.array.random), and never held whole: every step
hands the gradient code the lazy Dask arrays, which builds a task graph (computing nothing), and then
the `dask.distributed` cluster computes the loss and the gradient in one pass over the chunks, with a
progress bar. Only the weights (one number per feature) come back to this process.

Afterwards the same number of steps runs on a subset small enough for NumPy, once on Dask (through the
cluster) and once on NumPy arrays, and the script checks that both reach the same weights.

    python examples/dask_logistic_regression.py                  # 10 million x 20 (1.6 GB), 2 workers x 600 MB
    python examples/dask_logistic_regression.py --rows 20000 --chunk-rows 5000 --steps 2 --threads   # a quick look
    python examples/dask_logistic_regression.py --cupy           # the NumPy check also on a GPU (CuPy)

Needs `pip install s2sgrad[dask]` (and `s2sgrad[cupy]` with a CUDA GPU for --cupy).
"""
import argparse
import time

import dask
import dask.array as da
import numpy as np
from dask.distributed import Client, LocalCluster, progress

from s2sgrad import value_and_grad


def loss(w, b, X, y):
    """Mean cross-entropy of sigmoid(X @ w + b) against labels y in {0, 1}, as log(1 + e^z) - y z."""
    z = X @ w + b
    return np.mean(np.logaddexp(0.0, z) - y * z)


def make_data(rows, features, chunk_rows, seed=0):
    """A lazy design matrix and labels: each chunk is drawn only when a computation needs it."""
    rng = da.random.default_rng(seed)
    X = rng.normal(size=(rows, features), chunks=(chunk_rows, features))
    true_w = np.linspace(-1.0, 1.0, features)
    noise = rng.normal(scale=0.5, size=rows, chunks=chunk_rows)
    y = (X @ true_w + 0.25 + noise > 0).astype(np.float64)
    return X, y


def train(step, X, y, steps, learning_rate, compute, report=None):
    """Gradient descent from w = 0, b = 0; `compute` turns the step's lazy results into values."""
    w, b = np.zeros(X.shape[1]), 0.0
    for i in range(steps):
        value, (dw, db) = step(w, b, X, y)          # lazy: a task graph, nothing computed yet
        value, dw, db = compute(value, dw, db)
        if report is not None:
            report(i, float(value))
        w, b = w - learning_rate * dw, b - learning_rate * float(db)
    return w, b


def on_cluster(client, show_progress):
    def compute(*lazy):
        futures = client.compute(list(lazy))
        if show_progress:
            progress(futures)
            print()
        return client.gather(futures)
    return compute


def peak_worker_memory(client) -> int:
    """The largest resident memory any worker reached (bytes), as its memory monitor saw it."""
    def peak(dask_worker):
        monitor = getattr(dask_worker, "monitor", None)
        return int(max(monitor.range_query(start=0)["memory"], default=0)) if monitor is not None else 0
    return max(client.run(peak).values(), default=0)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--features", type=int, default=20)
    parser.add_argument("--chunk-rows", type=int, default=250_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory-limit", default="600MB", help="per worker")
    parser.add_argument("--threads", action="store_true", help="workers as threads of this process (quick start)")
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--learning-rate", type=float, default=1.0)
    parser.add_argument("--check-rows", type=int, default=20_000, help="subset trained on NumPy and on Dask")
    parser.add_argument("--check-steps", type=int, default=20)
    parser.add_argument("--no-progress", action="store_true")
    parser.add_argument("--cupy", action="store_true", help="also run the check on CuPy arrays (GPU)")
    args = parser.parse_args(argv)

    step = value_and_grad(loss, wrt=("w", "b"))
    X, y = make_data(args.rows, args.features, args.chunk_rows)
    print(f"design matrix {X.shape}, {X.nbytes / 1e9:.2f} GB in {X.numblocks[0]} chunks; "
          f"{args.workers} workers x {args.memory_limit}")
    print(step.source_for(np.zeros(args.features), 0.0, X, y))

    cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, memory_limit=args.memory_limit,
                           processes=not args.threads, dashboard_address=None)
    with cluster, Client(cluster) as client:
        limit = sum(w["memory_limit"] for w in client.scheduler_info()["workers"].values())
        print(f"data {X.nbytes / 1e9:.2f} GB, workers' combined memory limit {limit / 1e9:.2f} GB")
        started = time.perf_counter()
        w, b = train(step, X, y, args.steps, args.learning_rate, on_cluster(client, not args.no_progress),
                     report=lambda i, value: print(f"step {i}: loss {value:.6f}"))
        seconds = time.perf_counter() - started
        print(f"full data: {args.steps} steps in {seconds:.1f} s; w = {np.round(w, 3)}, b = {b:.3f}")
        print(f"peak worker memory {peak_worker_memory(client) / 1e6:.0f} MB")

        # the check: a subset small enough for NumPy, trained on Dask (lazily, on the cluster) and on NumPy
        X_small, y_small = X[:args.check_rows], y[:args.check_rows]
        w_dask, b_dask = train(step, X_small, y_small, args.check_steps, args.learning_rate,
                               on_cluster(client, False))
        X_numpy, y_numpy = dask.compute(X_small, y_small)
    w_numpy, b_numpy = train(step, X_numpy, y_numpy, args.check_steps, args.learning_rate,
                             lambda *values: values)
    difference = max(np.max(np.abs(w_dask - w_numpy)), abs(b_dask - b_numpy))
    print(f"subset of {args.check_rows} rows, {args.check_steps} steps: Dask and NumPy weights differ by "
          f"{difference:.1e}")
    assert np.allclose(w_dask, w_numpy, rtol=1e-10, atol=1e-12) and np.isclose(b_dask, b_numpy, rtol=1e-10)

    if args.cupy:
        import cupy
        w_gpu, b_gpu = train(step, cupy.asarray(X_numpy), cupy.asarray(y_numpy), args.check_steps,
                             args.learning_rate, lambda *values: values)
        w_gpu = cupy.asnumpy(w_gpu)
        print(f"CuPy: weights differ from NumPy's by {np.max(np.abs(w_gpu - w_numpy)):.1e}")
        assert np.allclose(w_gpu, w_numpy, rtol=1e-10, atol=1e-12)
    print("same weights on Dask and on NumPy")


if __name__ == "__main__":
    main()
