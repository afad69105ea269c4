"""Rules for SciPy: scipy.special, scipy.stats distributions, scipy.linalg, scipy.signal's convolutions, odeint;
refusals for the adaptive integrators and scipy.optimize's solvers.

SciPy is an optional dependency: importing this module fails without it, and
rules/__init__.py then leaves these entries out (a call to a SciPy function
then stops with "no derivative rule", as for any function without one).

Distribution methods (`scipy.stats.norm.logpdf`) are bound methods of
distribution objects. The table is keyed by the bound method itself: a bound
method is a new object at each attribute access, but equal ones (same
function, same object) hash alike, so `norm.logpdf` after
`from scipy.stats import norm` finds the same entry.

Parameters a SciPy function is not differentiable in here (an integer order,
a shape parameter of a distribution function, dirichlet's x, which must stay
on the simplex) have no slot: a derivative reaching one stops the transform
with an error naming the function, the parameter and the line.
"""
from __future__ import annotations

import importlib
import re

import numpy as np
import scipy

from .registry import NonDifferentiable, RuleTable

# besides the runtime's helpers: SciPy's modules, and the helpers only SciPy's entries use (they import
# SciPy at their top, where a second derivative reads their names, so the runtime leaves them to this table).
# Filled by each submodule's registration below, with what that submodule's entries read.
NAMESPACE: dict = {}

# scipy.stats families evaluated at z = (x - loc) / scale, with their shape parameters in order
LOCATION_SCALE_FAMILIES = {
    "norm": (), "logistic": (), "laplace": (), "expon": (),
    "t": ("df",), "gamma": ("a",), "beta": ("a", "b"), "chi2": ("df",),
    "cauchy": (), "uniform": (), "lognorm": ("s",), "weibull_min": ("c",), "truncnorm": ("a", "b"),
}
KINDS = ("logpdf", "pdf", "cdf", "logcdf", "sf", "logsf")
COUNT_KINDS = ("logpmf", "pmf", "cdf", "logcdf", "sf", "logsf")


# Each SciPy submodule's entries are registered once the user's program (or a library: numba imports
# scipy.linalg when it compiles) has imported that submodule (rules/__init__.py): importing scipy.stats and
# scipy.signal for entries nobody calls took most of a first s2sgrad.jit call.
def register_special(rules: RuleTable) -> None:
    d = _definer(rules, "scipy.special", "s2sgrad.runtime.distributions")
    _special(d)
    # sign- and integer-valued: piecewise constant, their derivative is 0 wherever it exists
    rules.add_entries({fn: NonDifferentiable(f"scipy.special.{fn.__name__}")
                       for fn in (scipy.special.gammasgn, scipy.special.round)})
    _softmax_and_logsumexp(d)


def register_stats(rules: RuleTable) -> None:
    d = _definer(rules, "scipy.stats", "scipy.special", "s2sgrad.runtime.distributions")
    _location_scale(d)
    _other_distributions(d)


def register_linalg(rules: RuleTable) -> None:
    d = _definer(rules, "scipy.linalg", "s2sgrad.runtime.scipy_linalg")
    _linear_algebra(d)
    # results that are tuples: adjoints add element by element ((factor, lower), (lu, piv), (w, v), ...)
    rules.declare_containers(scipy.linalg.cho_factor, scipy.linalg.lu_factor, scipy.linalg.eigh, scipy.linalg.svd,
                             scipy.linalg.qr, scipy.linalg.lstsq)


def register_signal(rules: RuleTable) -> None:
    _signal(_definer(rules, "scipy.signal", "s2sgrad.runtime.scipy_signal"))


def register_integrate(rules: RuleTable) -> None:
    _integration(_definer(rules, "scipy.integrate"), rules)


def register_optimize(rules: RuleTable) -> None:
    """Iterative solvers: their result solves an equation or a minimization, and s2sgrad does not
    differentiate through their iterations (C code, options changed in place): a derivative reaching one
    is refused at the user's line, saying what does work."""
    optimize = importlib.import_module("scipy.optimize")
    solvers = [getattr(optimize, name) for name in (
        "minimize", "minimize_scalar", "root", "root_scalar", "fsolve", "brentq", "brenth", "bisect", "ridder",
        "newton", "least_squares", "curve_fit", "fixed_point", "linprog") if hasattr(optimize, name)]
    rules.refuse_derivatives(
        *solvers, module="scipy.optimize", construct="a scipy.optimize solver with values that carry derivatives (s2sgrad does not "
                            "differentiate through its iterations)",
        hint="write the iterations as a Python loop (Newton or gradient steps), which s2sgrad follows, or wrap "
             "the solve in a function of its own and give it a derivative with s2sgrad.defvjp (at a solution "
             "of g(x, p) = 0, dx/dp = -(dg/dx)^-1 dg/dp)")


REGISTRATIONS = {"scipy.special": register_special, "scipy.stats": register_stats, "scipy.linalg": register_linalg,
                 "scipy.signal": register_signal, "scipy.integrate": register_integrate,
                 "scipy.optimize": register_optimize}

# what each module adds to NAMESPACE: SciPy's under the name the templates use, a runtime module its helpers
_NAMES = {"scipy.special": "special", "scipy.stats": "stats", "scipy.linalg": "scipy_linalg", "scipy.signal": "signal"}


def _definer(rules: RuleTable, *modules: str):
    """`d(key, params, name, **rule)` defining entries whose templates read `modules` (imported here)."""
    for module_name in modules:
        module = importlib.import_module(module_name)
        if module_name in _NAMES:
            NAMESPACE[_NAMES[module_name]] = module
        else:
            NAMESPACE.update({name: getattr(module, name) for name in module.__all__})

    def d(key, params, name, **rule):
        rules.define(key, params, name=name, namespace=NAMESPACE, **rule)
    return d


def _special(d) -> None:
    sp = scipy.special

    def e(fn, params="x", name=None, **rule):
        d(fn, params, f"scipy.special.{name or fn.__name__}", elementwise=True, **rule)

    e(sp.gammaln, domain="pos", dx="dy * special.psi(x)")
    e(sp.gamma, domain="pos", dx="dy * y * special.psi(x)")
    # the slopes are written with SciPy's functions, whose own entries differentiate them again (hessian);
    # digamma' = polygamma(1, x) = zeta(2, x), a ufunc, which other array libraries dispatch
    trigamma = "in_adjoint_dtype(special.zeta(2, x), x)"
    e(sp.digamma, name="digamma", domain="pos", dx=f"dy * {trigamma}")     # the ufunc is named psi
    if sp.psi is not sp.digamma:
        e(sp.psi, domain="pos", dx=f"dy * {trigamma}")
    e(sp.zeta, "x, q", broadcasts=True, domain="gt1", dq="-dy * x * special.zeta(x + 1, q)")   # x: no slot here
    # n: an integer order; polygamma computes in double precision
    e(sp.polygamma, "n, x", broadcasts=True, dx="dy * in_adjoint_dtype(special.polygamma(n + 1, x), x)")
    e(sp.beta, "a, b", broadcasts=True, domain="pos",
      da="dy * y * (special.psi(a) - special.psi(a + b))", db="dy * y * (special.psi(b) - special.psi(a + b))")
    e(sp.betaln, "a, b", broadcasts=True, domain="pos",
      da="dy * (special.psi(a) - special.psi(a + b))", db="dy * (special.psi(b) - special.psi(a + b))")
    # d: a dimension; d/da log Gamma_d(a) = sum over j < d of digamma(a - j / 2)
    e(sp.multigammaln, "a, d",
      da="dy * in_adjoint_dtype(np.sum(special.digamma(np.expand_dims(a, -1) - np.arange(d) / 2), axis=-1), a)")
    e(sp.expit, dx="dy * y * (1 - y)")
    e(sp.logit, dx="dy / (x * (1 - x))")
    e(sp.erf, dx="dy * (2 / math.sqrt(math.pi)) * np.exp(-x * x)")
    e(sp.erfc, dx="-dy * (2 / math.sqrt(math.pi)) * np.exp(-x * x)")
    e(sp.erfinv, domain="unit", dx="dy * (math.sqrt(math.pi) / 2) * np.exp(y * y)")
    e(sp.erfcinv, dx="-dy * (math.sqrt(math.pi) / 2) * np.exp(y * y)")
    # the second parameter is called y, so the result is z here
    # the log of a Python float y is a NumPy float64 scalar, which would widen a float32 x's adjoint
    e(sp.xlogy, "x, y", result="z", broadcasts=True, domain="pos", dx="dz * in_adjoint_dtype(np.log(y), x)",
      dy="dz * x / y")
    e(sp.xlog1py, "x, y", result="z", broadcasts=True, domain="pos", dx="dz * in_adjoint_dtype(np.log1p(y), x)",
      dy="dz * x / (1 + y)")
    _bessel(e)
    _gamma_and_beta_integrals(e)
    _normal_and_error_functions(e)
    _entropies_and_losses(e)
    _more_special_functions(e)


def _bessel(e) -> None:
    """Bessel functions: the order (v, n) has no slot, the argument's derivatives are the recurrences
    (each in terms of neighbouring orders, so no division by the argument and no trouble at 0)."""
    sp = scipy.special
    e(sp.i0, dx="dy * special.i1(x)")
    e(sp.i1, dx="dy * (special.i0(x) + special.iv(2, x)) / 2")
    e(sp.i0e, dx="dy * (special.i1e(x) - np.sign(x) * y)")                      # i0e = i0 e^-|x|
    e(sp.i1e, dx="dy * ((special.i0e(x) + special.ive(2, x)) / 2 - np.sign(x) * y)")
    e(sp.iv, "v, z", broadcasts=True, domain="pos", dz="dy * (special.iv(v - 1, z) + special.iv(v + 1, z)) / 2")
    e(sp.ive, "v, z", broadcasts=True, dz="dy * ((special.ive(v - 1, z) + special.ive(v + 1, z)) / 2 - np.sign(z) * y)")
    e(sp.j0, dx="-dy * special.j1(x)")
    e(sp.j1, dx="dy * (special.j0(x) - special.jv(2, x)) / 2")
    e(sp.jv, "v, z", broadcasts=True, domain="pos", dz="dy * (special.jv(v - 1, z) - special.jv(v + 1, z)) / 2")
    if sp.jn is not sp.jv:                      # an alias of jv in recent SciPy
        e(sp.jn, "n, x", broadcasts=True, domain="pos", dx="dy * (special.jv(n - 1, x) - special.jv(n + 1, x)) / 2")
    e(sp.y0, domain="pos", dx="-dy * special.y1(x)")
    e(sp.y1, domain="pos", dx="dy * (special.y0(x) - special.yv(2, x)) / 2")
    e(sp.yv, "v, z", broadcasts=True, domain="pos", dz="dy * (special.yv(v - 1, z) - special.yv(v + 1, z)) / 2")
    # an integer order selects SciPy's double-precision loop: the slope is cast back to x's dtype
    e(sp.yn, "n, x", broadcasts=True, domain="pos",
      dx="dy * in_adjoint_dtype((special.yn(n - 1, x) - special.yn(n + 1, x)) / 2, x)")
    e(sp.k0, domain="pos", dx="-dy * special.k1(x)")
    e(sp.k1, domain="pos", dx="-dy * (special.k0(x) + special.kv(2, x)) / 2")
    e(sp.k0e, domain="pos", dx="dy * (y - special.k1e(x))")                      # k0e = k0 e^x
    e(sp.k1e, domain="pos", dx="dy * (y - (special.k0e(x) + special.kve(2, x)) / 2)")
    e(sp.kv, "v, z", broadcasts=True, domain="pos", dz="-dy * (special.kv(v - 1, z) + special.kv(v + 1, z)) / 2")
    e(sp.kve, "v, z", broadcasts=True, domain="pos",
      dz="dy * (y - (special.kve(v - 1, z) + special.kve(v + 1, z)) / 2)")


def _gamma_and_beta_integrals(e) -> None:
    """The regularized incomplete gamma and beta functions, in their upper limit x: the integrand divided by
    the complete integral. Their derivative in a (and b) is an infinite series with no rule here: no slot,
    so a derivative reaching one stops the transform with an error naming it."""
    sp = scipy.special
    e(sp.gammainc, "a, x", broadcasts=True, domain="pos",
      dx="dy * in_adjoint_dtype(np.exp((a - 1) * np.log(x) - x - special.gammaln(a)), x)")
    e(sp.gammaincc, "a, x", broadcasts=True, domain="pos",
      dx="-dy * in_adjoint_dtype(np.exp((a - 1) * np.log(x) - x - special.gammaln(a)), x)")
    # betaln of a Python float and a float32 array is a float64 array: cast back to x's dtype
    e(sp.betainc, "a, b, x", broadcasts=True, domain="pos",
      dx="dy * in_adjoint_dtype(np.exp((a - 1) * np.log(x) + (b - 1) * np.log1p(-x) - special.betaln(a, b)), x)")
    e(sp.rgamma, domain="pos", dx="-dy * y * special.psi(x)")                   # 1 / gamma
    e(sp.exp1, domain="pos", dx="-dy * np.exp(-x) / x")
    e(sp.expi, domain="pos", dx="dy * np.exp(x) / x")


def _normal_and_error_functions(e) -> None:
    sp = scipy.special
    e(sp.erfcx, dx="dy * (2 * x * y - 2 / math.sqrt(math.pi))")                # exp(x^2) erfc(x)
    e(sp.ndtr, dx="dy * np.exp(-x * x / 2) / math.sqrt(2 * math.pi)")
    # the density over the distribution function, in logs: no underflow far in the left tail
    e(sp.log_ndtr, dx="dy * np.exp(-x * x / 2 - y) / math.sqrt(2 * math.pi)")
    e(sp.ndtri, dx="dy * math.sqrt(2 * math.pi) * np.exp(y * y / 2)")
    e(sp.log_expit, dx="dy * special.expit(-x)")
    e(sp.dawsn, dx="dy * (1 - 2 * x * y)")


def _entropies_and_losses(e) -> None:
    sp = scipy.special
    e(sp.entr, domain="pos", dx="-dy * (np.log(x) + 1)")                     # -x log x
    # the second parameter is called y, so the result is z
    e(sp.rel_entr, "x, y", result="z", broadcasts=True, domain="pos", dx="dz * (np.log(x / y) + 1)", dy="-dz * x / y")
    e(sp.kl_div, "x, y", result="z", broadcasts=True, domain="pos", dx="dz * np.log(x / y)", dy="dz * (1 - x / y)")
    # r^2 / 2 inside |r| <= delta, delta (|r| - delta / 2) outside
    e(sp.huber, "delta, r", broadcasts=True, ddelta="dy * np.where(np.abs(r) <= delta, 0, np.abs(r) - delta)",
      dr="dy * np.where(np.abs(r) <= delta, r, delta * np.sign(r))")
    # delta^2 (sqrt(1 + (r / delta)^2) - 1)
    e(sp.pseudo_huber, "delta, r", broadcasts=True,
      ddelta="dy * (2 * y / delta - r * r / (delta * np.sqrt(1 + (r / delta) ** 2)))",
      dr="dy * r / np.sqrt(1 + (r / delta) ** 2)")


def _more_special_functions(e) -> None:
    """Exponential integrals, Pochhammer's symbol, elliptic integrals, Owen's T, Box-Cox and degree-based
    trigonometry. A parameter whose limit case needs its own formula gets it (boxcox at lmbda = 0, expn
    at n = 0), never a 0 / 0."""
    sp = scipy.special
    # E_n' = -E_(n-1) for n >= 1, and E_0 = e^-x / x; n is an integer order with no slot (double precision)
    e(sp.expn, "n, x", broadcasts=True, domain="pos",
      dx="-dy * in_adjoint_dtype(np.where(mask_like(n > 0, x), special.expn(np.maximum(n - 1, 0), x), y * (1 + 1 / x)), x)")
    e(sp.spence, domain="pos", dx="dy * np.log(x) / (1 - x)")                  # the dilogarithm at 1 - x
    e(sp.poch, "z, m", broadcasts=True, domain="pos", dz="dy * y * (special.psi(z + m) - special.psi(z))",
      dm="dy * y * special.psi(z + m)")
    e(sp.ellipk, "m", domain="unit", dm="dy * (special.ellipe(m) - (1 - m) * y) / (2 * m * (1 - m))")
    e(sp.ellipe, "m", domain="unit", dm="dy * (y - special.ellipk(m)) / (2 * m)")
    e(sp.owens_t, "h, a", broadcasts=True,
      dh="-dy * np.exp(-h * h / 2) * special.erf(a * h / math.sqrt(2)) / (2 * math.sqrt(2 * math.pi))",
      da="dy * np.exp(-h * h * (1 + a * a) / 2) / (2 * math.pi * (1 + a * a))")
    e(sp.exp10, dx="dy * y * math.log(10)")
    e(sp.sindg, dx="dy * (math.pi / 180) * special.cosdg(x)")
    e(sp.cosdg, dx="-dy * (math.pi / 180) * special.sindg(x)")
    # (x^l - 1) / l, and log x at l = 0: the lmbda slope's limit there is log(x)^2 / 2 (the log of a Python
    # float x is a float64 scalar: cast to lmbda's dtype). The limit is written as the slope's Taylor series
    # in l (L^2/2 + l L^3/3 + l^2 L^4/8, L = log x), whose terms in l are zero at l = 0 but give second and
    # third derivatives at l = 0 their values (a constant limit would give them 0)
    nonzero = "(lmbda + (lmbda == 0))"     # lmbda, or 1 where it is 0 (no np.where: a NumPy 0-d for a number)
    e(sp.boxcox, "x, lmbda", broadcasts=True, domain="pos", dx="dy * x ** (lmbda - 1)",
      dlmbda=f"dy * in_adjoint_dtype(np.where(mask_like(lmbda == 0, x), boxcox_slope_at_zero(np.log(x), lmbda), "
             f"(x ** lmbda * np.log(x) - y) / {nonzero}), lmbda)")
    e(sp.boxcox1p, "x, lmbda", broadcasts=True, domain="pos", dx="dy * (1 + x) ** (lmbda - 1)",
      dlmbda=f"dy * in_adjoint_dtype(np.where(mask_like(lmbda == 0, x), boxcox_slope_at_zero(np.log1p(x), lmbda), "
             f"((1 + x) ** lmbda * np.log1p(x) - y) / {nonzero}), lmbda)")
    # (l x + 1)^(1 / l), and e^x at l = 0 (slope -x^2 e^x / 2 there, series -x^2/2 + 2 l x^3/3 - 3 l^2 x^4/4
    # for the factor beside z); the first parameter is called y
    e(sp.inv_boxcox, "x, lmbda", result="z", broadcasts=True, domain="pos", dx="dz * z / (lmbda * x + 1)",
      dlmbda=f"dz * z * np.where(mask_like(lmbda == 0, x), -x * x / 2 + lmbda * (2 * x ** 3 / 3 - lmbda * 3 * x ** 4 / 4), "
             f"x / ({nonzero} * (lmbda * x + 1)) - np.log1p(lmbda * x) / {nonzero} ** 2)")


def _softmax_and_logsumexp(d) -> None:
    sp = scipy.special
    d(sp.softmax, "x, axis=None", "scipy.special.softmax",
      dx="y * (dy - np.sum(dy * y, axis=axis, keepdims=True))",
      jvp={"x": "y * (x_dot - np.sum(x_dot * y, axis=axis, keepdims=True))"})
    d(sp.log_softmax, "x, axis=None", "scipy.special.log_softmax",
      dx="dy - np.exp(y) * np.sum(dy, axis=axis, keepdims=True)",
      jvp={"x": "x_dot - np.sum(np.exp(y) * x_dot, axis=axis, keepdims=True)"})
    # return_sign=True returns a pair whose sign has no derivative: left out of the parameters, so such a
    # call stops with a located error when the function is transformed
    d(sp.logsumexp, "a, axis=None, b=None, keepdims=False", "scipy.special.logsumexp",
      da="logsumexp_adjoint_a(dy, a, y, axis, b, keepdims)", db="logsumexp_adjoint_b(dy, a, y, axis, b, keepdims)",
      jvp={"a": "logsumexp_tangent_a(a_dot, a, y, axis, b, keepdims)",
           "b": "logsumexp_tangent_b(b_dot, a, y, axis, b, keepdims)"})


# The standard log density g(z; shape) of each location-scale family at z = (x - loc) / scale: its slope
# g'(z) and its slopes in the shape parameters, as template text in z and the shape parameters' names.
# Outside the support the density is 0: logs there read 1 instead, so 0 * slope stays 0.
POSITIVE_Z = "np.where(z > 0, z, 1)"
LOG_Z = f"np.log({POSITIVE_Z})"
NORMAL_AT = "np.exp(-{0} * {0} / 2) / math.sqrt(2 * math.pi)"
SCORES = {
    "norm": ("-z", {}),
    "logistic": ("-np.tanh(z / 2)", {}),
    "laplace": ("-np.sign(z)", {}),
    "expon": ("-np.ones_like(z)", {}),
    "cauchy": ("-2 * z / (1 + z * z)", {}),
    "uniform": ("np.zeros_like(z)", {}),             # constant on its support
    "t": ("-(df + 1) * z / (df + z * z)",
          {"df": "(special.digamma((df + 1) / 2) - special.digamma(df / 2) - 1 / df - np.log1p(z * z / df)) / 2"
                 " + (df + 1) * z * z / (2 * df * (df + z * z))"}),
    "gamma": ("(a - 1) / z - 1", {"a": f"{LOG_Z} - special.digamma(a)"}),
    "beta": ("(a - 1) / z - (b - 1) / (1 - z)",
             {"a": f"{LOG_Z} - special.digamma(a) + special.digamma(a + b)",
              "b": "np.log(np.where(z < 1, 1 - z, 1)) - special.digamma(b) + special.digamma(a + b)"}),
    "chi2": ("(df / 2 - 1) / z - 0.5", {"df": f"({LOG_Z} - math.log(2) - special.digamma(df / 2)) / 2"}),
    # g = -log(s z sqrt(2 pi)) - log(z)^2 / (2 s^2) on z > 0
    "lognorm": (f"-(1 + {LOG_Z} / (s * s)) / {POSITIVE_Z}", {"s": f"-1 / s + {LOG_Z} ** 2 / s ** 3"}),
    # g = log c + (c - 1) log z - z^c on z > 0
    "weibull_min": (f"(c - 1) / {POSITIVE_Z} - c * {POSITIVE_Z} ** (c - 1)",
                    {"c": f"1 / c + {LOG_Z} - {POSITIVE_Z} ** c * {LOG_Z}"}),
    # the normal density on [a, b], divided by the normal mass there
    "truncnorm": ("-z", {"a": f"{NORMAL_AT.format('a')} / (special.ndtr(b) - special.ndtr(a))",
                         "b": f"-{NORMAL_AT.format('b')} / (special.ndtr(b) - special.ndtr(a))"}),
}


def _location_scale(d) -> None:
    """The densities and distribution functions of the location-scale families, differentiated from the
    standard log density's slopes (SCORES): with s = scale and p = exp(logpdf) the density,

        logpdf   d/dx = g'(z) / s            d/ds = (-z g'(z) - 1) / s
        pdf      d/dx = y g'(z) / s          d/ds = y (-z g'(z) - 1) / s
        cdf, sf  d/dx = +-p                  d/ds = -z d/dx
        logcdf, logsf  d/dx = +-p / exp(y)   d/ds = -z d/dx

    and d/dloc = -d/dx. The shape parameters have slots in the densities only. Every template is written
    with SciPy's own functions, so a Hessian differentiates them again through their entries."""
    for family, shapes in LOCATION_SCALE_FAMILIES.items():
        distribution = getattr(scipy.stats, family)
        score, shape_slopes = SCORES[family]
        z = "((x - loc) / scale)"
        params = "x, " + "".join(f"{s}, " for s in shapes) + "loc=0, scale=1"
        density = f"stats.{family}.pdf(x, {''.join(f'{s}, ' for s in shapes)}loc, scale)"
        score_at = f"({_at(score, z)})"
        for kind in KINDS:
            if kind in ("logpdf", "pdf"):
                times_y = "y * " if kind == "pdf" else ""
                slope_x = f"{times_y}{score_at} / scale"
                slope_scale = f"{times_y}(-{z} * {score_at} - 1) / scale"
            else:
                sign = "-" if kind in ("sf", "logsf") else ""
                slope_x = f"{sign}{density}" + (" / np.exp(y)" if kind.startswith("log") else "")
                slope_scale = f"-{z} * {slope_x}"
            adjoints = {
                "dx": f"dy * in_adjoint_dtype({slope_x}, x)",
                "dloc": f"-dy * in_adjoint_dtype({slope_x}, loc)",
                "dscale": f"dy * in_adjoint_dtype({slope_scale}, scale)",
            }
            # a distribution function's derivative in its shape parameters is not implemented: no slot
            for shape in shapes if kind in ("logpdf", "pdf") else ():
                times_y = "y * " if kind == "pdf" else ""
                adjoints["d" + shape] = f"dy * in_adjoint_dtype({times_y}({_at(shape_slopes[shape], z)}), {shape})"
            d(getattr(distribution, kind), params, f"scipy.stats.{family}.{kind}", elementwise=True,
              broadcasts=True, **adjoints)
        # the quantile functions: y = loc + scale Q(q), so dy/dq = 1 / pdf(y) (isf(q) = ppf(1 - q): minus
        # that), dy/dloc = 1, dy/dscale = (y - loc) / scale; the shape parameters have no slot
        quantile_params = "q, " + "".join(f"{s}, " for s in shapes) + "loc=0, scale=1"
        density_at_y = density.replace("pdf(x, ", "pdf(y, ")
        for kind, sign in (("ppf", ""), ("isf", "-")):
            d(getattr(distribution, kind), quantile_params, f"scipy.stats.{family}.{kind}", elementwise=True,
              broadcasts=True, dq=f"{sign}dy * in_adjoint_dtype(1 / {density_at_y}, q)", dloc="dy",
              dscale="dy * in_adjoint_dtype((y - loc) / scale, scale)")


def _count_slope(kind: str, score: str, cdf_slope: str | None) -> str:
    """The slope of a count distribution's `kind` in one parameter, from the slope of its log pmf (`score`)
    and of its cdf, both in count = floor(k - loc); the survival function is 1 - cdf."""
    if kind in ("logpmf", "pmf"):
        slope = f"({score})" if kind == "logpmf" else f"y * ({score})"
    else:
        sign = "-" if kind in ("sf", "logsf") else ""
        slope = f"{sign}({cdf_slope})" + (" / np.exp(y)" if kind.startswith("log") else "")
    return _at(slope, "np.floor(np.subtract(k, loc))", "count")


def _at(template: str, z: str, name: str = "z") -> str:
    """`template` with the variable `name` (z, the standard variable) spelled out as `z` (an expression)."""
    return re.sub(rf"\b{name}\b", z, template)


def _other_distributions(d) -> None:
    stats = scipy.stats
    # the count k is an integer and loc shifts it: the probabilities are piecewise constant in both
    for kind in COUNT_KINDS:
        poisson = _count_slope(kind, "count / mu - 1", "-stats.poisson.pmf(count, mu)")
        d(getattr(stats.poisson, kind), "k, mu, loc=0", f"scipy.stats.poisson.{kind}", elementwise=True,
          broadcasts=True, constant="k, loc", dmu=f"dy * in_adjoint_dtype({poisson}, mu)")
        # binom's n is a count: no slot, so a derivative reaching it is refused
        binom = _count_slope(kind, "count / p - (n - count) / (1 - p)", "-n * stats.binom.pmf(count, n - 1, p)")
        d(getattr(stats.binom, kind), "k, n, p, loc=0", f"scipy.stats.binom.{kind}", elementwise=True,
          broadcasts=True, constant="k, loc", dp=f"dy * in_adjoint_dtype({binom}, p)")
        # nbinom's cdf is the regularized incomplete beta function I_p(n, k + 1), whose slope in p is its
        # integrand; its n may be any positive number, differentiable in the probabilities only
        integrand = ("np.where(count >= 0, np.exp((n - 1) * np.log(p) + count * np.log1p(-p) "
                     "- special.betaln(n, np.maximum(count, 0) + 1)), 0)")
        nbinom = {"dp": f"dy * in_adjoint_dtype({_count_slope(kind, 'n / p - count / (1 - p)', integrand)}, p)"}
        if kind in ("logpmf", "pmf"):
            in_n = _count_slope(kind, "special.digamma(n + count) - special.digamma(n) + np.log(p)", None)
            nbinom["dn"] = f"dy * in_adjoint_dtype({in_n}, n)"
        d(getattr(stats.nbinom, kind), "k, n, p, loc=0", f"scipy.stats.nbinom.{kind}", elementwise=True,
          broadcasts=True, constant="k, loc", **nbinom)
    for kind, density in (("logpdf", False), ("pdf", True)):
        d(getattr(stats.multivariate_normal, kind), "x, mean=None, cov=1, allow_singular=False",
          f"scipy.stats.multivariate_normal.{kind}",
          dx=f"mvn_adjoint_x(dy, x, mean, cov, y, {density})",
          dmean=f"mvn_adjoint_mean(dy, x, mean, cov, y, {density})",
          dcov=f"mvn_adjoint_cov(dy, x, mean, cov, y, {density})",
          jvp={"x": f"mvn_tangent(x_dot, None, None, x, mean, cov, y, {density})",
               "mean": f"mvn_tangent(None, mean_dot, None, x, mean, cov, y, {density})",
               "cov": f"mvn_tangent(None, None, cov_dot, x, mean, cov, y, {density})"})
        # x must stay on the simplex, where scipy evaluates the density: no slot for it
        d(getattr(stats.dirichlet, kind), "x, alpha", f"scipy.stats.dirichlet.{kind}",
          dalpha=f"dirichlet_adjoint_alpha(dy, x, alpha, y, {density})",
          jvp={"alpha": f"dirichlet_tangent_alpha(alpha_dot, x, alpha, y, {density})"})


def _linear_algebra(d) -> None:
    la = scipy.linalg
    triangular = "trans, lower, unit_diagonal"
    d(la.solve_triangular, "a, b, trans=0, lower=False, unit_diagonal=False, overwrite_b=False, check_finite=True",
      "scipy.linalg.solve_triangular",
      da=f"solve_triangular_adjoint_a(dy, a, b, y, {triangular})",
      db=f"solve_triangular_adjoint_b(dy, a, b, {triangular})",
      jvp={"a": f"solve_triangular_tangent_a(a_dot, a, b, y, {triangular})",
           "b": "scipy_linalg.solve_triangular(a, b_dot, trans=trans, lower=lower, unit_diagonal=unit_diagonal)"})
    # the factor-based adjoints read the result, not `a`, so overwrite_a does them no harm
    d(la.cholesky, "a, lower=False, overwrite_a=False, check_finite=True", "scipy.linalg.cholesky",
      da="cholesky_adjoint(dy, a, y, not lower)", jvp={"a": "cholesky_tangent(a_dot, y, not lower)"})
    d(la.cho_factor, "a, lower=False, overwrite_a=False, check_finite=True", "scipy.linalg.cho_factor",
      da="cho_factor_adjoint(dy, a, y)", jvp={"a": "cho_factor_tangent(a_dot, a, y)"})
    d(la.cho_solve, "c_and_lower, b, overwrite_b=False, check_finite=True", "scipy.linalg.cho_solve",
      dc_and_lower="cho_solve_adjoint_c(dy, c_and_lower, b, y)", db="cho_solve_adjoint_b(dy, c_and_lower, b)",
      jvp={"c_and_lower": "cho_solve_tangent_c(c_and_lower_dot, c_and_lower, b, y)",
           "b": "scipy_linalg.cho_solve(c_and_lower, b_dot)"})
    d(la.inv, "a, overwrite_a=False, check_finite=True", "scipy.linalg.inv",
      da="-matrix_transpose(y) @ dy @ matrix_transpose(y)", jvp={"a": "-(y @ a_dot @ y)"})
    # det's adjoint reads `a` again: overwrite_a is left out, so det(a, overwrite_a=True) is refused
    d(la.det, "a, *, check_finite=True", "scipy.linalg.det",
      da="np.expand_dims(dy * y, (-2, -1)) * matrix_transpose(np.linalg.inv(a))",
      jvp={"a": "y * np.trace(np.linalg.solve(a, a_dot), axis1=-2, axis2=-1)"})
    d(la.expm, "A", "scipy.linalg.expm", dA="expm_adjoint(dy, A)", jvp={"A": "expm_tangent(A_dot, A)"})
    d(la.sqrtm, "A", "scipy.linalg.sqrtm", dA="sqrtm_adjoint(dy, y, A)", jvp={"A": "sqrtm_tangent(A_dot, y)"})
    # logm's (deprecated) disp is left out: logm(A, disp=False) returns a pair with an error estimate
    d(la.logm, "A", "scipy.linalg.logm", dA="logm_adjoint(dy, A)", jvp={"A": "logm_tangent(A_dot, A, y)"})
    _shared_with_numpy(d)
    _factorizations_and_equations(d)
    _structured_matrices(d)


def _shared_with_numpy(d) -> None:
    """scipy.linalg functions with np.linalg's semantics: NumPy's derivatives, given SciPy's arguments.
    An argument that changes the math and has no rule here (eigh's b for the generalized problem, qr's
    pivoting, pinv's return_rank) is left out of the parameters, so a call passing it stops the transform
    with an error at that call; so is overwrite_a where an adjoint reads `a` again."""
    la = scipy.linalg
    # assume_a says which entries of a SciPy reads (one triangle for 'sym'/'pos', the band for
    # 'tridiagonal', ...): the derivatives follow the matrix actually solved with (runtime/scipy_linalg.py)
    solve = "lower, assume_a, transposed"
    d(la.solve, "a, b, lower=False, *, overwrite_b=False, check_finite=True, assume_a=None, transposed=False",
      "scipy.linalg.solve",
      da=f"structured_solve_adjoint_a(dy, a, b, y, {solve})", db=f"structured_solve_adjoint_b(dy, a, b, {solve})",
      jvp={"a": f"structured_solve_tangent_a(a_dot, a, b, y, {solve})",
           "b": f"structured_solve_tangent_b(b_dot, a, b, {solve})"})
    uplo = "'L' if lower else 'U'"
    d(la.eigh, "a, *, lower=True, eigvals_only=False, check_finite=True, driver=None", "scipy.linalg.eigh",
      da=f"eigvalsh_adjoint(dy, a, {uplo}) if eigvals_only else eigh_adjoint(dy, a, y, {uplo})",
      jvp={"a": f"eigvalsh_tangent(a_dot, a, {uplo}) if eigvals_only else eigh_tangent(a_dot, y, {uplo})"})
    d(la.eigvalsh, "a, *, lower=True, check_finite=True, driver=None", "scipy.linalg.eigvalsh",
      da=f"eigvalsh_adjoint(dy, a, {uplo})", jvp={"a": f"eigvalsh_tangent(a_dot, a, {uplo})"})
    d(la.svd, "a, full_matrices=True, compute_uv=True, *, check_finite=True, lapack_driver='gesdd'",
      "scipy.linalg.svd", da="svd_adjoint(dy, a, y, full_matrices, compute_uv)",
      jvp={"a": "svd_tangent(a_dot, a, y, full_matrices, compute_uv)"})
    d(la.svdvals, "a, *, check_finite=True", "scipy.linalg.svdvals", da="svd_adjoint(dy, a, y, False, False)",
      jvp={"a": "svd_tangent(a_dot, a, y, False, False)"})
    d(la.qr, "a, *, lwork=None, mode='full', check_finite=True", "scipy.linalg.qr",
      da="scipy_qr_adjoint(dy, a, y, mode)", jvp={"a": "scipy_qr_tangent(a_dot, a, y, mode)"})
    d(la.norm, "a, ord=None, axis=None, keepdims=False, check_finite=True", "scipy.linalg.norm",
      da="norm_adjoint(dy, a, y, ord, axis, keepdims)", jvp={"a": "norm_tangent(a_dot, a, y, ord, axis, keepdims)"})
    # atol and rtol only choose which singular values count: the rank, constant where this is smooth
    d(la.pinv, "a, *, atol=None, rtol=None, check_finite=True", "scipy.linalg.pinv",
      da="pinv_adjoint(dy, a, y)", jvp={"a": "pinv_tangent(a_dot, a, y)"})
    d(la.lstsq, "a, b, cond=None, *, check_finite=True, lapack_driver=None", "scipy.linalg.lstsq",
      da="scipy_lstsq_adjoint_a(dy, a, b, y)", db="scipy_lstsq_adjoint_b(dy, a, b, y)",
      jvp={"a": "scipy_lstsq_tangent_a(a_dot, a, b, y)", "b": "scipy_lstsq_tangent_b(b_dot, a, b, y)"})


def _factorizations_and_equations(d) -> None:
    la = scipy.linalg
    # (lu, piv): the pivots are integers and carry no derivative
    d(la.lu_factor, "a, overwrite_a=False, check_finite=True", "scipy.linalg.lu_factor",
      da="lu_factor_adjoint(dy, a, y)", jvp={"a": "lu_factor_tangent(a_dot, a, y)"})
    d(la.lu_solve, "lu_and_piv, b, trans=0, overwrite_b=False, check_finite=True", "scipy.linalg.lu_solve",
      dlu_and_piv="lu_solve_adjoint_lu(dy, lu_and_piv, b, y, trans)", db="lu_solve_adjoint_b(dy, lu_and_piv, b, trans)",
      jvp={"lu_and_piv": "lu_solve_tangent_lu(lu_and_piv_dot, lu_and_piv, b, y, trans)",
           "b": "scipy_linalg.lu_solve(lu_and_piv, b_dot, trans=trans)"})
    # a x + x b = q
    d(la.solve_sylvester, "a, b, q", "scipy.linalg.solve_sylvester", result="x",
      da="sylvester_adjoints(dx, a, b, x)[0]", db="sylvester_adjoints(dx, a, b, x)[1]",
      dq="sylvester_adjoints(dx, a, b, x)[2]",
      jvp={"a": "sylvester_tangent(a_dot, None, None, a, b, x)", "b": "sylvester_tangent(None, b_dot, None, a, b, x)",
           "q": "scipy_linalg.solve_sylvester(a, b, q_dot)"})


def _structured_matrices(d) -> None:
    """Matrices built from their arguments' entries: linear, so the tangent is the builder applied to the
    tangents, and each adjoint sums the entries an argument was copied to."""
    la = scipy.linalg
    d(la.block_diag, "*arrs", "scipy.linalg.block_diag", linear=True, darrs="block_diag_adjoints(dy, arrs)")
    d(la.toeplitz, "c, r=None", "scipy.linalg.toeplitz", linear=True,
      dc="toeplitz_adjoints(dy, c, r)[0]", dr="toeplitz_adjoints(dy, c, r)[1]")
    d(la.circulant, "c", "scipy.linalg.circulant", linear=True, dc="circulant_adjoint(dy, c)")
    d(la.hankel, "c, r=None", "scipy.linalg.hankel", linear=True,
      dc="hankel_adjoints(dy, c, r)[0]", dr="hankel_adjoints(dy, c, r)[1]")


def _signal(d) -> None:
    """N-dimensional convolution and correlation, bilinear in their two operands; fftconvolve and oaconvolve
    compute the same convolution another way. Their `axes` (a convolution along some axes only, the others
    broadcast) is left out of the parameters: a call passing it is refused where it is made."""
    signal = scipy.signal
    for fn in (signal.convolve, signal.correlate):
        kind = fn.__name__
        d(fn, "in1, in2, mode='full', method='auto'", f"scipy.signal.{kind}", multilinear=True,
          din1=f"{kind}_adjoint_in1(dy, in1, in2, mode)", din2=f"{kind}_adjoint_in2(dy, in1, in2, mode)")
    for fn in (signal.fftconvolve, signal.oaconvolve):
        d(fn, "in1, in2, mode='full'", f"scipy.signal.{fn.__name__}", multilinear=True,
          din1="convolve_adjoint_in1(dy, in1, in2, mode)", din2="convolve_adjoint_in2(dy, in1, in2, mode)")
    # the adjoints, linear in g and in the other operand, shaped by their own (a Hessian goes through them).
    # adjoint_in1(g, in1, in2) is the in1-gradient of <g, op(in1, in2)>, so <dout, it> = <g, op(dout, in2)>:
    # its transpose in g is op(dout, in2), in in2 the in2-gradient of that (reverse over a gradient)
    for kind in ("convolve", "correlate"):
        op, first, second = f"signal.{kind}", NAMESPACE[f"{kind}_adjoint_in1"], NAMESPACE[f"{kind}_adjoint_in2"]
        d(first, "g, in1, in2, mode='full'", f"{first.__module__}.{first.__name__}", result="out", constant="in1",
          multilinear=True, dg=f"{op}(dout, in2, mode)", din2=f"{second.__name__}(g, dout, in2, mode)")
        d(second, "g, in1, in2, mode='full'", f"{second.__module__}.{second.__name__}", result="out",
          constant="in2", multilinear=True, dg=f"{op}(in1, dout, mode)", din1=f"{first.__name__}(g, in1, dout, mode)")


def _integration(d, rules) -> None:
    # y' = func(y, t, *args), differentiated in y0 and args through the user's func (runtime/odes.py); the
    # times and func itself have no slot (a derivative reaching them is refused), full_output is not taken
    odeint = ("func, y0, t, args=(), Dfun=None, col_deriv=0, *, ml=None, mu=None, rtol=None, atol=None, "
              "tcrit=None, h0=0.0, hmax=0.0, hmin=0.0, ixpr=0, mxstep=0, mxhnil=0, mxordn=12, mxords=5, "
              "printmessg=0, tfirst=False")
    common = "func, y0, t, args, rtol, atol, tfirst"
    d(scipy.integrate.odeint, odeint, "scipy.integrate.odeint", calls="func",
      dy0=f"odeint_adjoint_y0(dy, {common}, y)", dargs=f"odeint_adjoint_args(dy, {common}, y)",
      jvp={"y0": f"odeint_tangent(y0_dot, None, {common})", "args": f"odeint_tangent(None, args_dot, {common})"})
    # SciPy's own trapezoid (a Python function with a `try` inside, which s2sgrad would not follow): the
    # rule of np.trapezoid, whose helpers it shares
    trapezoid = getattr(scipy.integrate, "trapezoid", None)
    numpy_trapezoid = getattr(np, "trapezoid", None) or getattr(np, "trapz", None)
    if trapezoid is not None and trapezoid is not numpy_trapezoid:
        d(trapezoid, "y, x=None, dx=1.0, axis=-1", "scipy.integrate.trapezoid", result="z",
          dy="trapezoid_adjoint_y(dz, y, x, dx, axis)", dx="trapezoid_adjoint_x(dz, y, x, axis)",
          ddx="trapezoid_adjoint_dx(dz, y, dx, axis)",
          jvp={"y": f"np.{numpy_trapezoid.__name__}(y_dot, x, dx, axis)", "x": "trapezoid_tangent_x(x_dot, y, x, axis)",
               "dx": "trapezoid_tangent_dx(dx_dot, y, axis)"})
    # adaptive solvers and quadrature that s2sgrad does not follow (their Python code reaches C and mutates
    # their options): refused where a derivative reaches them, at the user's line, saying what does work
    rules.refuse_derivatives(
        scipy.integrate.solve_ivp, module="scipy.integrate",
        construct="scipy.integrate.solve_ivp with values that carry derivatives (s2sgrad does not differentiate "
                  "through its adaptive solver)",
        hint="use scipy.integrate.odeint(fun, y0, t, args=..., tfirst=True), whose derivatives in y0 and args "
             "s2sgrad takes, or write the steps as a Python loop (Runge-Kutta), which it differentiates to any "
             "order")
    rules.refuse_derivatives(
        scipy.integrate.quad, module="scipy.integrate",
        construct="scipy.integrate.quad with values that carry derivatives (s2sgrad does not differentiate "
                  "through its adaptive quadrature)",
        hint="integrate over a grid of points with np.trapezoid(f(ts), ts), which s2sgrad differentiates, or "
             "give the integral a derivative rule with s2sgrad.defvjp")
    # a second derivative would differentiate these helpers, which integrate a closure over call_vjp/call_jvp
    # with odeint: no rule here, so a derivative reaching them stops (rather than at their internals)
    from ..runtime import odes
    rules.refuse_derivatives(
        odes.odeint_adjoint_y0, odes.odeint_adjoint_args, odes.odeint_tangent,
        construct="a second derivative through scipy.integrate.odeint (s2sgrad differentiates an ODE solve once)",
        hint="take the first derivative with s2sgrad and the second by central differences of it, or write the "
             "integration as a Python loop of steps (e.g. Runge-Kutta), which s2sgrad differentiates to any order")
