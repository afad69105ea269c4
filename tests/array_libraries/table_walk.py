"""The table's entries evaluated on arrays of another library, next to the same values in NumPy.

tests/rules/test_table.py draws each entry's sample call; here its float arrays are handed to another
library (`convert`) and the primitive, its adjoints and its tangent run on both. `compare` then says
whether each result of the other library equals NumPy's and is still that library's array. The
Refusing walk (test_no_conversion.py) and the CuPy walk (test_cupy_table.py) share it.
"""
from __future__ import annotations

import re
import traceback

import numpy as np
import pytest

from s2sgrad.errors import MissingArrayFunctionError
from s2sgrad.rules import DEFAULT_RULES, apply

from ..rules.test_table import Leaf, _draw, _fresh, _has_leaf, _like, _samples


def has_array(specs) -> bool:
    """Whether a sample call has an array among its arguments (numbers only give another library nothing)."""
    return any(isinstance(s, Leaf) and (s.shape is not None or s.values is not None)
               or isinstance(s, (list, tuple)) and has_array(s) for s in specs)


def entry_params(key, rule, extra=()) -> list:
    """One pytest.param(key, args, kwargs, *extra) per array sample of the entry."""
    return [pytest.param(key, args, kwargs, *extra, id=f"{rule.name}[{label}]")
            for label, args, kwargs in _samples(key, rule) if has_array([*args, *kwargs.values()])]


def float_leaves(value, convert):
    """The values with every float or complex array (not index arrays, not numbers) converted."""
    if isinstance(value, np.ndarray) and value.dtype.kind in "fc":
        return convert(value)
    if isinstance(value, (list, tuple)) and not hasattr(value, "_fields"):
        return type(value)(float_leaves(v, convert) for v in value)
    return value


def _bound(values: dict, given) -> apply.Bound:
    bound = apply.Bound(values)
    bound.given = given
    return bound


class PrimitiveRefused(Exception):
    """The primitive itself does not run on the other library's arrays."""


class DerivativeFunctionMissing(Exception):
    """The other library lacks a function the derivative calls (NumPy's dispatch found no implementation
    of it there): not s2sgrad's doing, and a user's gradient stops there with a located error."""


# NumPy's dispatch finding no implementation among the operands' libraries: a function the library lacks
# (CuPy takes NumPy arrays among the types it handles, so one there is no reason to decline)
_NO_FUNCTION = re.compile(r"no implementation found for '([\w.]+)' on types that implement __array_function__: "
                          r"\[(.*)\]")
_NO_UFUNC = re.compile(r"operand type\(s\) all returned NotImplemented from __array_ufunc__\(<ufunc '(\w+)'>")


def missing_function(exc: BaseException, library: str):
    """The name of the function `library` lacks, when `exc` says NumPy's dispatch found none; else None.

    Besides NumPy's two messages, CuPy answers a SciPy ufunc it has only as a module of that name (scipy's
    zeta calls the ufunc _zeta; cupyx.scipy.special._zeta is a module) with "'module' object is not
    callable" from its own __array_ufunc__: the caller's line names the function."""
    text = str(exc)
    found = _NO_FUNCTION.search(text)
    if found is not None:
        return found.group(1)
    found = _NO_UFUNC.search(text)
    if found is not None:
        return f"the ufunc {found.group(1)}"
    frames = traceback.extract_tb(exc.__traceback__)
    if "'module' object is not callable" in text and len(frames) > 1 and library in frames[-1].filename:
        return (frames[-2].line or frames[-2].name).strip()
    return None


def _derivative(compute, library):
    """compute(), with a function the library lacks reported as DerivativeFunctionMissing."""
    if library is None:
        return compute()
    try:
        return compute()
    except MissingArrayFunctionError as exc:       # s2sgrad's own located refusal (np.apply_along_axis's)
        raise DerivativeFunctionMissing(f"s2sgrad refuses it on {library}: {exc}") from exc
    except (TypeError, NotImplementedError) as exc:
        name = missing_function(exc, library)
        if name is None:
            raise
        raise DerivativeFunctionMissing(f"{library} lacks the derivative's function {name}") from exc


def evaluate(key, args, kwargs, convert, convert_all, refusals=(TypeError, NotImplementedError), library=None):
    """[(what, result on the other library, result in NumPy)] for the primitive, each active operand's
    adjoint and the tangent. `convert` converts float arrays of the inputs; `convert_all` every array of
    the cotangent and tangents. PrimitiveRefused if the primitive raises one of `refusals` there.

    With `library` named (a real library, which refuses NumPy operands: CuPy), a runtime helper's entry gets
    every array of its sample in that library (its masks and positions come from the user's arrays in
    generated code), a helper failing on a NumPy array its own code made is a failure, not a refusal, and
    an adjoint or tangent calling a function the library lacks raises DerivativeFunctionMissing."""
    rule = DEFAULT_RULES.lookup(key)
    rng = np.random.default_rng(0)
    specs = apply.bind(rule, args, kwargs)
    plain = _bound({k: _draw(v, rng, np.float64) for k, v in specs.items()}, specs.given)
    active = [p for p in rule.tangents if p in specs and _has_leaf(specs[p])]
    function = apply.primitive_function(key)
    helper_inputs = library is not None and _is_helper(function)
    other = _bound({k: convert_all(v) if helper_inputs and isinstance(v, np.ndarray) else float_leaves(v, convert)
                    for k, v in plain.items()}, specs.given)
    y = apply._call(function, rule, _fresh(plain))
    try:
        y_other = apply._call(function, rule, _fresh(other))
    except refusals as exc:
        if helper_inputs and _helper_mixed_numpy(exc):
            raise
        raise PrimitiveRefused(f"{rule.name} itself: {type(exc).__name__}: {exc}") from exc
    results = [(f"{rule.name} itself", y_other, y)]
    cotangent = _like(y, rng)
    tangents = {p: _like(plain[p], rng) for p in active}
    if all(p in rule.adjoints for p in active):
        want = apply.adjoints(rule, _fresh(plain), y, cotangent, active)
        got = _derivative(lambda: apply.adjoints(rule, _fresh(other), y_other, convert_all(cotangent), active),
                          library)
        results += [(f"adjoint of {p} in {rule.name}", got[p], want[p]) for p in active]
    want_dot = apply.tangent(rule, key, _fresh(plain), y, tangents)
    got_dot = _derivative(lambda: apply.tangent(rule, key, _fresh(other), y_other,
                                                {p: convert_all(t) for p, t in tangents.items()}), library)
    results.append((f"tangent of {rule.name}", got_dot, want_dot))
    return results


def _is_helper(function) -> bool:
    return (getattr(function, "__module__", None) or "").startswith("s2sgrad.")


def _helper_mixed_numpy(exc: BaseException) -> bool:
    """Whether a runtime helper (the primitive of its own entry) failed inside s2sgrad's code on a NumPy
    array it made itself (np.eye, np.arange beside the other library's array): the innermost frame outside
    NumPy and the array library is s2sgrad's, and the library names a numpy.ndarray it refused."""
    text = str(exc)
    if "numpy.ndarray" not in text or missing_function(exc, "cupy") is not None:
        return False                    # (a function the library lacks, with a NumPy array among the types)
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        path = frame.filename.replace("\\", "/")
        if "/numpy/" in path or "cupy" in path or path.startswith("<") or "/dask/" in path:
            continue
        return "/s2sgrad/runtime/" in path
    return False


def compare(got, want, what, array_type, to_numpy, rtol=1e-12, atol=1e-14):
    """`got` (the other library's result) equals `want` (NumPy's), with every non-scalar array an array_type."""
    if want is None:                    # no adjoint (an inactive operand)
        assert got is None, what
        return
    if isinstance(want, dict):
        for k in want:
            compare(got[k], want[k], what, array_type, to_numpy, rtol, atol)
        return
    if isinstance(want, (list, tuple)):
        assert isinstance(got, (list, tuple)) and len(got) == len(want), what
        for g, w in zip(got, want):
            compare(g, w, what, array_type, to_numpy, rtol, atol)
        return
    if isinstance(want, np.ndarray) and want.ndim > 0:
        assert isinstance(got, array_type), f"{what}: a {type(got).__name__} came back for a {array_type.__name__} input"
    np.testing.assert_allclose(to_numpy(got), want, rtol=rtol, atol=atol, err_msg=what)
