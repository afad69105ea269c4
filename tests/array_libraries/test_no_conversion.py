"""No runtime helper converts an array of another library: every helper the table uses runs on Refusing arrays.

The walk goes over the shipped table like tests/rules/test_table.py (its sample calls, its value drawing):
for each entry whose reverse or forward slot calls a runtime helper, the primitive, its adjoints and
its tangent are evaluated on Refusing arrays (NumPy values that raise on any conversion) and on the
plain NumPy values; results must agree, and an array result must still be a Refusing array.
The last test checks that the walk reached every helper in runtime.HELPERS, so a new helper cannot
slip past it: one that no entry's sample reaches needs a sample (tests/rules/samples.py or
runtime_samples.py) or a reason in NOT_WALKED.
"""
from __future__ import annotations

import importlib.util
import inspect
import pathlib
import re

import gast
import numpy as np
import pytest

from s2sgrad.rules import BUILTIN_KEYS, DEFAULT_RULES, SAME_OPERATION, Rule, load_scipy_rules
from s2sgrad.runtime import HELPERS as RUNTIME_HELPERS

from .refusing import Conversion, Refusing, unwrap, wrap
from .table_walk import PrimitiveRefused, compare, entry_params, evaluate



def _helpers() -> dict:
    """The runtime's helpers, and those of SciPy's entries (rules/scipy_rules.py's NAMESPACE: they import SciPy
    at their top, so the runtime leaves them to that table) where SciPy is installed."""
    helpers = dict(RUNTIME_HELPERS)
    if load_scipy_rules():                   # each SciPy submodule's entries fill the namespace when registered
        from s2sgrad.rules import scipy_rules
        helpers.update({name: value for name, value in scipy_rules.NAMESPACE.items()
                        if inspect.isfunction(value) and value.__module__.startswith("s2sgrad.")})
    return helpers


HELPERS = _helpers()

# helpers the walk cannot run on a Refusing array, and why
NOT_WALKED = {
    # they run another gradient function (the user's code) and are checked with it, on Dask, elsewhere
    "call_vjp": "calls a user function's gradient", "call_jvp": "calls a user function's tangent",
    "call_forward": "runs a user function's forward sweep", "call_backward": "runs its reverse sweep",
    "call_forward_jvp": "forward mode over a user function's forward sweep",
    "call_backward_jvp": "forward mode over its reverse sweep",
    "call_forward_vjp": "reverse mode over a user function's forward sweep",
    "call_backward_vjp": "reverse mode over its reverse sweep",
    # debug_nans (opt-in) looks at every value to stop at the first NaN: it computes them by design
    "stop_at_nan": "debug_nans inspects values",
}


def _helpers_in(rule: Rule) -> set:
    names = set()
    for template in [*rule.adjoints.values(), *rule.scalar_adjoints.values(), *rule.tangents.values(),
                     *rule.scalar_tangents.values()]:
        if template is not SAME_OPERATION and template is not None:
            names |= {n.id for n in gast.walk(template) if isinstance(n, gast.Name) and n.id in HELPERS}
    for key, function in HELPERS.items():       # an entry of a helper itself (rules/runtime_rules.py)
        if function is rule_key(rule):
            names.add(key)
    return names


def rule_key(rule):
    return next((k for k, r in DEFAULT_RULES.items() if r is rule), None)


def _cases():
    cases = []
    for key, rule in DEFAULT_RULES.items():
        if not (isinstance(rule, Rule) and key in BUILTIN_KEYS):
            continue
        helpers = _helpers_in(rule)
        if rule.broadcasts:
            helpers |= {"unbroadcast", "broadcast_like"}
        if helpers:
            cases += entry_params(key, rule, (frozenset(helpers),))
    return cases


CASES = _cases()


def _agree(got, want, what):
    compare(got, want, what, Refusing, unwrap)


@pytest.mark.parametrize("key, args, kwargs, helpers", CASES)
def test_helpers_run_on_arrays_that_refuse_conversion(key, args, kwargs, helpers):
    try:
        results = evaluate(key, args, kwargs, Refusing, wrap, refusals=(Conversion,))
    except PrimitiveRefused as exc:
        pytest.skip(f"{exc}: it needs NumPy arrays (no __array_function__ dispatch), so its helpers are NumPy-only")
    for what, got, want in results:
        _agree(got, want, what)


def _called_by(names: set) -> set:
    """The helpers that the helpers `names` call in turn (read from their source), transitively."""
    found, todo = set(names), list(names)
    while todo:
        try:
            source = inspect.getsource(HELPERS[todo.pop()])
        except (KeyError, OSError, TypeError):
            continue
        for name in HELPERS:
            if name not in found and re.search(rf"\b{name}\(", source):
                found.add(name)
                todo.append(name)
    return found


def _needs_missing_scipy(name: str) -> bool:
    """A helper of SciPy's entries, which the table holds only where SciPy imports: one in a module that
    imports SciPy, or one that rules/scipy_rules.py's templates name."""
    if importlib.util.find_spec("scipy") is not None:
        return False
    module = inspect.getmodule(HELPERS[name])
    if module is not None and re.search(r"^\s*(from scipy|import scipy)", inspect.getsource(module), re.M):
        return True
    scipy_rules = pathlib.Path(inspect.getfile(load_scipy_rules)).with_name("scipy_rules.py")   # it imports SciPy
    return re.search(rf"\b{name}\(", scipy_rules.read_text()) is not None


def test_the_walk_reaches_every_runtime_helper():
    reachable = _called_by(set().union(*(case.values[3] for case in CASES)))
    missing = sorted(name for name in set(HELPERS) - reachable - set(DIRECT) - set(NOT_WALKED)
                     if not _needs_missing_scipy(name))
    assert not missing, (f"runtime helpers that no sample of the table reaches, so nothing checks that they "
                         f"keep arrays of other libraries: {missing}. Add a sample call of the entry that uses "
                         f"them (tests/rules/samples.py, runtime_samples.py) a direct check to DIRECT, or a reason to NOT_WALKED.")


# ---- helpers the generated code calls itself (no entry of the table names them) --------------------

def _direct_zeros_like():
    x = wrap(np.arange(6.0).reshape(2, 3))
    z = HELPERS["zeros_like"](x)
    _agree(z, np.zeros((2, 3)), "zeros_like")
    return z


def _direct_add_at():
    dx = HELPERS["zeros_like"](wrap(np.zeros(4)))
    HELPERS["add_at"](dx, [1, 1, 3], wrap(np.array([1.0, 2.0, 3.0])))
    HELPERS["add_at"](dx, slice(0, 2), 0.5)
    _agree(dx, np.array([0.5, 3.5, 0.0, 3.0]), "add_at")


def _direct_last_writes():
    piece = wrap(np.array([1.0, 2.0, 3.0]))
    kept = HELPERS["last_writes"](piece, [0, 2, 0], wrap(np.zeros(4)))
    _agree(kept, np.array([0.0, 2.0, 3.0]), "last_writes")


def _direct_restore_axes():
    _agree(HELPERS["restore_axes"](wrap(np.ones(3)), 1, False), np.ones((3, 1)), "restore_axes")


def _direct_own_tangent():
    t = wrap(np.ones(3))
    own = HELPERS["own_tangent"](t)
    own[0] = 5.0
    _agree(t, np.ones(3), "own_tangent left its argument alone")
    _agree(own, np.array([5.0, 1.0, 1.0]), "own_tangent")


def _direct_unit_tangent():
    _agree(HELPERS["unit_tangent"](wrap(np.zeros((2, 2))), 2), np.array([[0.0, 0.0], [1.0, 0.0]]), "unit_tangent")


def _direct_element():
    pair = (wrap(np.ones(2)), wrap(np.zeros(3)))
    _agree(HELPERS["element"](pair, 1), np.zeros(3), "element")
    _agree(HELPERS["with_element"](wrap(np.ones(3)), pair, 1)[1], np.ones(3), "with_element")


def _direct_item_of():
    g = wrap(np.arange(6.0).reshape(2, 3))          # item_adjoint's transpose: reads one element by indexing
    _agree(HELPERS["item_of"](g, (1, 2)), np.float64(5.0), "item_of")
    _agree(HELPERS["item_of"](g, (4,)), np.float64(4.0), "item_of")


def _direct_split_last():
    rest, last = HELPERS["split_last"](wrap(np.arange(6.0).reshape(3, 2)))     # np.array(xs)'s adjoint
    _agree(rest, np.arange(4.0).reshape(2, 2), "split_last")
    _agree(last, np.array([4.0, 5.0]), "split_last")


def _direct_arange():
    # np.arange takes numbers, so the table's walk gives its helpers no array; its result's adjoint may be one
    g = np.array([1.0, -2.0, 0.5, 3.0])
    _agree(HELPERS["arange_adjoint"](wrap(g), 0.5, 2.7, 0.6, None, "step"), np.sum(g * np.arange(4)), "arange_adjoint")
    y = np.arange(0.5, 2.7, 0.6)
    _agree(HELPERS["arange_tangent"](0.25, -1.0, wrap(y), 2.7), 0.25 - np.arange(4.0), "arange_tangent")


def _direct_require_scalar():
    value = wrap(np.float64(2.0))
    assert HELPERS["require_scalar"](value, "f") is value


DIRECT = {"require_scalar": _direct_require_scalar, "element": _direct_element, "with_element": _direct_element, "zeros_like": _direct_zeros_like, "add_at": _direct_add_at, "last_writes": _direct_last_writes,
          "restore_axes": _direct_restore_axes, "own_tangent": _direct_own_tangent,
          "unit_tangent": _direct_unit_tangent, "split_last": _direct_split_last,
          "arange_adjoint": _direct_arange, "arange_tangent": _direct_arange, "item_of": _direct_item_of}


@pytest.mark.parametrize("name", sorted(DIRECT))
def test_helpers_the_generated_code_calls_directly(name):
    if name not in HELPERS:
        pytest.skip(f"{name} is not a runtime helper in this tree")
    DIRECT[name]()
