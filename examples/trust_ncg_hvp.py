"""The 10-dimensional Rosenbrock function minimized by SciPy's trust-ncg with s2sgrad's Hessian-vector products.

trust-ncg needs the gradient (jac=) and, instead of the whole Hessian, its
product with a vector p (hessp=). s2sgrad.grad generates the gradient's
code; s2sgrad.jvp runs that code in forward mode along p, which gives
H(x) @ p at a small multiple of the gradient's cost (forward over reverse),
without ever forming the 10 x 10 Hessian. Needs SciPy (pip install s2sgrad[scipy]).

    python examples/trust_ncg_hvp.py
"""
import numpy as np

try:
    from scipy.optimize import minimize
except ImportError:                      # SciPy is an optional dependency
    minimize = None

import s2sgrad


def rosenbrock(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


gradient = s2sgrad.grad(rosenbrock)


def hessian_vector_product(x, p):
    """H(x) @ p: the tangent of the gradient's generated code along p."""
    (_value, (_grad,)), (_value_dot, (grad_dot,)) = s2sgrad.jvp(gradient.generated_for(x), (x,), (p,))
    return grad_dot


def main():
    if minimize is None:
        print("this example needs SciPy: pip install s2sgrad[scipy]")
        return
    x0 = np.array([-1.2, 1.0] * 5)
    # the product against the full Hessian, once, before trusting it
    p = np.linspace(-1.0, 1.0, 10)
    assert np.allclose(hessian_vector_product(x0, p), s2sgrad.hessian(rosenbrock)(x0) @ p)

    result = minimize(rosenbrock, x0, jac=gradient, hessp=hessian_vector_product, method="trust-ncg",
                      options={"gtol": 1e-10})
    print(f"trust-ncg on the 10-dimensional Rosenbrock function from x0 = {x0}")
    print(f"{result.message}")
    print(f"f = {result.fun:.3e} after {result.nit} iterations "
          f"({result.nfev} function, {result.njev} gradient, {result.nhev} Hessian-vector evaluations)")
    print(f"x = {np.array2string(result.x, precision=8, floatmode='fixed')}")
    assert result.success and np.allclose(result.x, 1.0, atol=1e-6)


if __name__ == "__main__":
    main()
