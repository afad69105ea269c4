"""A one-dimensional Gaussian mixture fitted by gradient ascent on its log likelihood.

log p(x) = logsumexp_k (log w_k + log N(x | mu_k, sigma_k)), with the weights
from scipy.special.log_softmax and the component densities from
scipy.stats.norm.logpdf; s2sgrad differentiates through both. Needs SciPy
(pip install s2sgrad[scipy]).

    python examples/mixture_model_logsumexp.py
"""
import numpy as np

try:
    from scipy.special import log_softmax, logsumexp
    from scipy.stats import norm
except ImportError:                      # SciPy is an optional dependency
    norm = None

from s2sgrad import check_grad, value_and_grad


def log_likelihood(logits, means, log_scales, data):
    log_weights = log_softmax(logits)
    log_components = norm.logpdf(data[:, None], means, np.exp(log_scales))
    return np.sum(logsumexp(log_weights + log_components, axis=1))


def make_data(seed=0):
    rng = np.random.default_rng(seed)
    return np.concatenate([rng.normal(-2.0, 0.5, 150), rng.normal(1.5, 0.8, 250)])


def train(data, steps=300, learning_rate=0.002):
    step = value_and_grad(log_likelihood, wrt=(0, 1, 2))
    logits, means, log_scales = np.zeros(2), np.array([-1.0, 1.0]), np.zeros(2)
    history = []
    for _ in range(steps):
        value, (d_logits, d_means, d_log_scales) = step(logits, means, log_scales, data)
        history.append(float(value))
        logits = logits + learning_rate * d_logits
        means = means + learning_rate * d_means
        log_scales = log_scales + learning_rate * d_log_scales
    return (logits, means, log_scales), history


def main():
    if norm is None:
        print("this example needs SciPy: pip install s2sgrad[scipy]")
        return
    data = make_data()
    check_grad(log_likelihood, np.array([0.1, -0.2]), np.array([-1.0, 1.0]), np.array([0.1, -0.1]), data,
               wrt=(0, 1, 2))
    (logits, means, log_scales), history = train(data)
    weights = np.exp(logits) / np.sum(np.exp(logits))
    print(f"log likelihood {history[0]:.2f} -> {history[-1]:.2f}")
    print(f"weights {np.round(weights, 3)}, means {np.round(means, 3)}, scales {np.round(np.exp(log_scales), 3)}")
    assert history[-1] > history[0]


if __name__ == "__main__":
    main()
