"""The workloads of bench_speed.py written for PyTorch and JAX, where their own idiom differs from NumPy's.

JAX runs numpy_models.py itself (loaded with np = jax.numpy) except where tracing needs another form:
jax.jit cannot branch on a traced value, so the one-sided spring uses jnp.where. PyTorch gets each
model written with torch functions.
"""


def jax_loops(jnp):
    def euler_oscillator(k, c, n):
        x, v, dt = 1.0, 0.0, 0.001
        for _ in range(n):
            a = -k * x - c * v
            x, v = x + dt * v, v + dt * a
        return x * x + v * v

    def euler_one_sided(k, c, n):
        x, v, dt = 1.0, 0.0, 0.001
        for _ in range(n):
            a = -k * x - c * v
            a = a - jnp.where(x > 0.0, 0.5 * x, 0.0)
            x, v = x + dt * v, v + dt * a
        return x * x + v * v

    return {"euler_oscillator": euler_oscillator, "euler_one_sided": euler_one_sided}


def torch_models(torch):
    def seed000(a, b, c):
        return 3 * (a + b * c)

    def euler_oscillator(k, c, n):
        x, v, dt = 1.0, 0.0, 0.001
        for _ in range(n):
            a = -k * x - c * v
            x, v = x + dt * v, v + dt * a
        return x * x + v * v

    def euler_one_sided(k, c, n):
        x, v, dt = torch.tensor(1.0, dtype=torch.float64), torch.tensor(0.0, dtype=torch.float64), 0.001
        for _ in range(n):
            a = -k * x - c * v
            if x > 0.0:
                a = a - 0.5 * x
            x, v = x + dt * v, v + dt * a
        return x * x + v * v

    def logistic_loss(w, b, X, y):
        z = X @ w + b
        return torch.mean(torch.logaddexp(torch.zeros_like(z), z) - y * z)

    def mlp_loss(W1, b1, W2, b2, X, Y):
        h = torch.tanh(X @ W1 + b1)
        logits = h @ W2 + b2
        top = torch.max(logits, dim=1, keepdim=True).values
        log_norm = top + torch.log(torch.sum(torch.exp(logits - top), dim=1, keepdim=True))
        return -torch.sum(Y * (logits - log_norm)) / X.shape[0]

    def chain(x):
        return torch.sum(torch.tanh(torch.sin(x) * x + torch.exp(-x * x)))

    def rnn_loss(W, U, b, xs):
        h = torch.zeros((xs.shape[1], W.shape[0]), dtype=W.dtype)
        for t in range(xs.shape[0]):
            h = torch.tanh(h @ W + xs[t] @ U + b)
        return torch.sum(h * h) / xs.shape[1]

    return {"seed000": seed000, "euler_oscillator": euler_oscillator, "euler_one_sided": euler_one_sided,
            "logistic_loss": logistic_loss, "mlp_loss": mlp_loss, "chain": chain, "rnn_loss": rnn_loss}
