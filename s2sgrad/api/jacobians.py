"""JAX's transformation set on top of reverse mode (grad) and forward mode (jvp).

    vjp(f, *primals)        -> (f(*primals), vjp_fn); vjp_fn(cotangent) gives one cotangent per primal
    jacrev(f, wrt=0)        Jacobians by reverse mode, one vjp per output element
    jacfwd(f, wrt=0)        Jacobians by forward mode, one jvp per input element
    hessian(f, wrt=0)       jacfwd(grad(f)): forward over reverse, one gradient-cost jvp per input element

Jacobians are shaped `out.shape + in.shape`; a tuple `wrt` gives a tuple, and
a tuple-valued function a tuple of those. Arguments and results that are dicts,
lists or tuples (JAX's pytrees) give Jacobians in their structure: the result's
structure holding the argument's, one Jacobian per pair of leaves. Forward mode through a gradient
function differentiates the gradient's own generated code (`jvp_source`
prints it), so second derivatives are generated code as well.
"""
from __future__ import annotations

import inspect
import numbers

import numpy as np

from ..runtime.receivers import is_user_object

from ..errors import NonScalarOutputError, S2SGradError, WrtError
from ..runtime.namespace import is_foreign_array
from .argument_leaves import is_container, leaf_at, leaf_paths, with_leaves
from .call_binding import refuse_unbindable
from .composition import is_derivative, jacobian_form, python_form
from .error_sites import note_user_line
from .forward_mode import jvp, jvp_source
from .gradient_function import GradientFunction
from .keyword_arguments import KeywordForms, keywords_bound, with_keywords
from .variadic_gradient import VariadicGradient, reaches_variadic


def vjp(fun, *primals, has_aux=False, **kwargs):
    """(fun(*primals), vjp_fn): vjp_fn(cotangent) returns one cotangent per primal (None for integer ones).
    Keyword arguments are passed to fun and not differentiated.

    With `has_aux=True`, as in JAX, `fun` returns (output, aux): vjp returns (output, vjp_fn, aux), and
    vjp_fn takes the cotangent of the output alone."""
    if kwargs:
        fun = with_keywords(fun, kwargs)
    if has_aux:
        return _vjp_with_aux(fun, primals)
    positions = tuple(i for i, p in enumerate(primals) if _differentiable(p))
    if not positions:
        raise WrtError("vjp needs at least one primal holding floats")
    try:
        gradient = gradient_for(fun, positions)
    except WrtError:
        refuse_unbindable(fun, _name(fun), primals)      # more primals than parameters: the call's own error
        raise
    if isinstance(gradient, GradientOfDerivative):      # vjp(grad(f)): reverse mode over grad's Python form
        gradient = gradient.reverse_for(primals)
    # one run gives the value and what the reverse sweep reads: a helper drawing random numbers draws once,
    # and the first cotangent is taken at the value's own draws
    value, record = _noting_user_line(gradient, gradient.record, *primals)
    unused = [record]

    def vjp_fn(cotangent):
        if unused:
            first = unused.pop()
        else:           # the record serves one reverse sweep: another cotangent runs the function again
            again, first = _noting_user_line(gradient, gradient.record, *primals)
            if not _same_value(again, value):
                raise S2SGradError(
                    f"vjp of {_name(fun)}: called with a second cotangent, the function ran again and gave "
                    "another value (it draws random numbers or reads state that changed), so the first run's "
                    "values are gone; call s2sgrad.vjp again for each cotangent, or seed the generator "
                    "before each call")
        cotangent = _cotangent_for(value, cotangent, fun)
        grads = gradient.public_gradients(_noting_user_line(gradient, first.vjp, cotangent), primals)
        out = [None] * len(primals)
        for i, g in zip(positions, grads):
            out[i] = g
        return tuple(out)

    return value, vjp_fn


def _cotangent_for(value, cotangent, fun):
    """The cotangent checked against the result's structure and shapes (a mismatch would broadcast into a
    wrong gradient); None for a leaf is a zero, as for a leaf of integers."""
    def leaf(path, part):
        try:
            given = leaf_at(cotangent, path) if path else cotangent
        except (KeyError, IndexError, TypeError):
            raise WrtError(f"vjp of {_name(fun)}: the cotangent has no entry at {_path_text(path)}; give it the "
                           f"structure of the result ({type(value).__name__})") from None
        if given is None:
            return _zero_seed(part)
        if is_container(given) or (np.shape(given) != np.shape(part) and not np.size(part) == np.size(given) == 1):
            where = f" at {_path_text(path)}" if path else ""
            raise WrtError(f"vjp of {_name(fun)}: the cotangent{where} has shape {np.shape(given)}, the result"
                           f"{where} {np.shape(part)}")
        return given
    if is_container(value):
        if not is_container(cotangent) or len(cotangent) != len(value):
            given = f"a {type(cotangent).__name__}" + (f" of {len(cotangent)}" if is_container(cotangent) else "")
            raise WrtError(f"vjp of {_name(fun)}: the result is a {type(value).__name__} of {len(value)}; the "
                           f"cotangent must have its structure, not {given}")
        return with_leaves(value, leaf)
    return leaf((), value)


def _path_text(path) -> str:
    return "the result" + "".join(f"[{key!r}]" for key in path)


def _vjp_with_aux(fun, primals):
    value, pullback = vjp(fun, *primals)
    if not (isinstance(value, tuple) and len(value) == 2):
        raise WrtError(f"has_aux=True: {_name(fun)} must return a pair (output, aux), not {type(value).__name__}")
    output, aux = value
    zero_aux = _zero_cotangent(aux)
    return output, lambda cotangent: pullback((cotangent, zero_aux)), aux


def _zero_cotangent(value):
    """A cotangent of zeros shaped like `value` (None where it holds no floats): aux carries no derivative."""
    return with_leaves(value, lambda _, leaf: _zero_seed(leaf) if _differentiable(leaf) else None)


def _noting_user_line(gradient, step, *args):
    try:
        return step(*args)
    except Exception as error:
        note_user_line(error, getattr(gradient, "prepared", None))   # a VariadicGradient has one per shape
        raise


def _same_value(a, b) -> bool:
    """Whether two results of the same function are equal (NaN equals NaN); a lazy array is not computed."""
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same_value(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same_value(a[k], b[k]) for k in a)
    if is_foreign_array(a) or is_foreign_array(b):
        return True
    try:
        return bool(np.array_equal(a, b, equal_nan=True))
    except (TypeError, ValueError):
        return a is b


def jacrev(fun, wrt=0, *, argnums=None):
    """The Jacobian of `fun` by reverse mode: one pass of the reverse sweep per element of the output.
    `argnums=` is JAX's name for `wrt`."""
    return Jacobian(fun, wrt if argnums is None else argnums, "jacrev")


def jacfwd(fun, wrt=0, *, argnums=None):
    """The Jacobian of `fun` by forward mode: one pass of the tangent code per element of the inputs.
    `argnums=` is JAX's name for `wrt`."""
    return Jacobian(fun, wrt if argnums is None else argnums, "jacfwd")


def hessian(fun, wrt=0, *, argnums=None):
    """The Hessian of a scalar `fun`, shaped in.shape + in.shape: forward mode over the generated gradient.
    `argnums=` is JAX's name for `wrt`."""
    wrt = wrt if argnums is None else argnums
    positions, single = _positions(wrt, fun)
    gradient = gradient_for(fun, positions[0] if single else positions)
    return Jacobian(gradient, wrt, "jacfwd", name=f"hessian_{_name(fun)}")


def gradient_of_gradient(gradient: GradientFunction, wrt=0, with_value: bool = False):
    """grad of a gradient function: the derivative of its (scalar) result, by forward mode over its code."""
    return Jacobian(gradient, wrt, "jacfwd", name=f"grad_{_name(gradient)}", scalar_result=True,
                    with_value=with_value)


class Jacobian:
    """What jacfwd, jacrev, hessian and grad of a gradient return: a callable, itself differentiable.

    Called, it computes the Jacobian column by column (jacfwd: one jvp per input element) or row by row
    (jacrev: one reverse sweep per output element). Differentiated again, it is its Python form for the
    arguments at hand (`python_for`, composition.py): the same loops written as Python over generated code.
    """

    _s2sgrad_gradient = True      # a derivative: a call of it inside differentiated code takes its Python form
    _jvp = staticmethod(jvp)      # how a column is computed (s2sgrad.jit swaps in its compiled jvp)

    def __init__(self, fun, wrt, mode: str, *, name: str | None = None, scalar_result: bool = False,
                 with_value: bool = False):
        self.fun = fun
        # keyword arguments: the same Jacobian of the function with them bound (keyword_arguments.py)
        self._keyword_forms = KeywordForms(lambda kwargs: Jacobian(
            keywords_bound(fun, kwargs, _rebind), wrt, mode, name=name, scalar_result=scalar_result,
            with_value=with_value))
        self.mode = mode
        self.positions, self.single = _positions(wrt, fun)
        self.scalar_result = scalar_result          # grad of a gradient: the gradient must be one number
        self.with_value = with_value
        self.__name__ = self.__qualname__ = name or f"{mode}_{_name(fun)}"
        self.__doc__ = f"{self.__name__.replace('_', ' of ', 1)}"
        self._gradient = gradient_for(fun, self.positions) if mode == "jacrev" else None

    def __call__(self, *args, **kwargs):
        if kwargs:
            return self._with_keywords(kwargs)(*args)
        if self.positions and max(self.positions) >= len(args):
            refuse_unbindable(self.fun, _name(self.fun), args)     # too few arguments: the call's own error
        if self.scalar_result:
            value = self.fun(*args)
            if not (isinstance(value, numbers.Real) or np.shape(value) == ()):
                raise NonScalarOutputError(
                    f"grad of {self.fun.__qualname__}: it returns {type(value).__name__} values of shape "
                    f"{np.shape(value)}, not one number; use s2sgrad.hessian or s2sgrad.jacfwd for all of them")
            derivative = self._forward(args)
            return (value, derivative) if self.with_value else derivative
        return self._forward(args) if self.mode == "jacfwd" else self._reverse(args)

    def _with_keywords(self, kwargs):
        """This transformation of the function with these keyword arguments bound (not differentiated)."""
        return self._keyword_forms(kwargs)

    def python_for(self, *args):
        """A Python function computing this Jacobian for arguments of these kinds (composition.py)."""
        if self.with_value:
            raise WrtError(f"{self.__name__} returns (value, derivative) pairs; differentiate grad(...) instead "
                           "of value_and_grad(...)")
        return jacobian_form(self.fun, self.mode, self.positions, self.single, args)

    def source_for(self, *args, **kwargs) -> str:
        """The generated derivative code a call with these arguments runs."""
        if kwargs:
            return self._with_keywords(kwargs).source_for(*args)
        if self.mode == "jacrev":
            return self._gradient.source_for(*args)
        if isinstance(self.fun, GradientFunction):        # forward mode over the gradient's own code
            return jvp_source(self.fun.generated_for(*args), *args)
        return jvp_source(python_form(self.fun, args), *args)

    def __repr__(self) -> str:
        return f"<{self.__name__}; .source_for(*args) shows the generated code>"

    # ---- computing it ------------------------------------------------------------------------------------
    # Arguments and results may be containers (dicts, lists, tuples): as in JAX, the Jacobian is then the
    # result's structure holding, per result leaf, the argument's structure holding one Jacobian per
    # argument leaf, shaped out.shape + in.shape (None where either leaf holds no floats).
    def _reverse(self, args):
        value = self.fun(*args)
        rows = {out_path: self._reverse_rows(value, out_path, part, args) if _differentiable(part) else None
                for out_path, part in _leaves(value)}
        return self._arranged(value, lambda out_path: rows[out_path] if rows[out_path] is None or not self.single
                              else rows[out_path][0])

    def _reverse_rows(self, value, out_path, part, args):
        """The Jacobian of the result leaf at `out_path` in each argument: one reverse sweep per element of it,
        seeded with a unit cotangent there and zeros in the other leaves."""
        shape = np.shape(part)
        dtype = _float_dtype(part)
        rows = []
        for k in range(int(np.prod(shape, dtype=int))):
            unit = _unit(part, k) if shape else dtype.type(1)
            cotangent = with_leaves(value, lambda at, v: unit if at == out_path else _zero_seed(v)) \
                if out_path else unit
            rows.append(self._row(value, cotangent, args))
        return tuple(_stack_rows([row[i] for row in rows], shape, args[p], dtype)
                     for i, p in enumerate(self.positions))

    def _row(self, value, cotangent, args):
        """One row of the Jacobian: a run of the function and its reverse sweep, which must give the value
        the Jacobian is taken at (a function drawing random numbers gives another one each run)."""
        gradient = self._gradient
        if not isinstance(gradient, (GradientFunction, VariadicGradient)):    # a derivative's, or a jit's
            return gradient.vjp(cotangent, *args)
        again, record = _noting_user_line(gradient, gradient.record, *args)
        if not _same_value(again, value):
            raise S2SGradError(
                f"jacrev of {_name(self.fun)}: the function gave another value when run again for the next row "
                "of the Jacobian (it draws random numbers or reads state that changed); jacrev runs it once "
                "per output element: fix the draws (seed the generator) inside it, or take one s2sgrad.vjp")
        return gradient.public_gradients(_noting_user_line(gradient, record.vjp, cotangent), args)

    def _forward(self, args):
        value, per_input = None, []
        for p in self.positions:
            x = args[p]
            leaves = [(path, leaf) for path, leaf in _leaves(x) if _differentiable(leaf)]
            if not leaves:
                raise WrtError(f"jacfwd with respect to argument {p}: it holds {type(x).__name__} values, "
                               "not floats")
            by_leaf = {}
            for path, leaf in leaves:
                by_leaf[path], value = self._forward_columns(args, p, path)
            per_input.append(by_leaf)

        def per_argument(out_path):
            jacobians = tuple(_in_structure(args[p], {path: leaf_at(jacobian, out_path)
                                                      for path, jacobian in by_leaf.items()})
                              for p, by_leaf in zip(self.positions, per_input))
            return jacobians[0] if self.single else jacobians
        return self._arranged(value, per_argument)

    def _forward_columns(self, args, p, path):
        """The Jacobian (shaped like the result, a Jacobian per result leaf) in the leaf at `path` of argument
        `p`, and the result: one jvp per element, its tangent a unit there and zeros elsewhere."""
        x = leaf_at(args[p], path)
        columns, value = [], None
        for k in range(int(np.prod(np.shape(x), dtype=int))):
            tangents = [_zero_tangent(a) for a in args]
            tangents[p] = with_leaves(args[p], lambda at, leaf: _unit(leaf, k) if at == path else
                                      _zero_tangent(leaf)) if path else _unit(x, k)
            first, (value, column) = value, self._jvp(self.fun, args, tangents)
            if k and not _same_value(value, first):
                raise S2SGradError(
                    f"jacfwd of {_name(self.fun)}: the function gave another value when run again for the "
                    "next column of the Jacobian (it draws random numbers or reads state that changed); "
                    "jacfwd runs it once per input element: fix the draws (seed the generator) inside it")
            columns.append(column)
        if not columns:             # no elements, so no column: the value alone, for the Jacobian's shape
            value, _ = self._jvp(self.fun, args, [_zero_tangent(a) for a in args])
        return _columns_to_jacobian(columns, value, np.shape(x), isinstance(x, np.ndarray)), value

    def _arranged(self, value, per_argument):
        """The result's structure holding per_argument(path) for each of its leaves."""
        if is_container(value):
            return with_leaves(value, lambda out_path, part: per_argument(out_path)
                               if _differentiable(part) else None)
        return per_argument(())


def _zero_seed(value):
    """A zero cotangent for a result leaf: zeros of its shape, in floats even for a leaf of integers (whose
    adjoint the reverse sweep still adds up, to be dropped from the public gradients)."""
    if is_foreign_array(value):             # a CuPy or Dask result: its cotangent in its own library
        return np.zeros_like(value, dtype=_float_dtype(value))
    return np.zeros(np.shape(value), dtype=_float_dtype(value)) if np.shape(value) else _float_dtype(value).type(0)


def _leaves(value):
    return leaf_paths(value) if is_container(value) else [((), value)]


def _in_structure(argument, by_leaf):
    """The argument's structure holding each leaf's Jacobian (None where the leaf holds no floats)."""
    if not is_container(argument):
        return by_leaf[()]
    return with_leaves(argument, lambda path, leaf: by_leaf.get(path))


def _positions(wrt, fun=None) -> tuple[tuple[int, ...], bool]:
    """Argument positions for `wrt`, given by position or by parameter name."""
    single = not isinstance(wrt, (tuple, list))
    names = _parameter_names(fun)
    positions = []
    for p in ((wrt,) if single else tuple(wrt)):
        if isinstance(p, str) and p in names:
            p = names.index(p)
        if not isinstance(p, int):
            raise WrtError(f"wrt/argnums names {p!r}, which is neither a position nor a parameter of "
                           f"{getattr(fun, '__qualname__', fun)} ({', '.join(names)})")
        positions.append(p)
    return tuple(positions), single


def _parameter_names(fun) -> list[str]:
    target = getattr(fun, "target", fun)
    try:
        parameters = inspect.signature(target).parameters.values()
    except (TypeError, ValueError):
        return []
    return [p.name for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]


def _columns_to_jacobian(columns, value, in_shape, array_argument=False):
    """(`array_argument`: the argument is an array, so a 0-d Jacobian is a 0-d array, not a number)"""
    if is_container(value):
        return with_leaves(value, lambda path, part: _columns_to_jacobian([leaf_at(c, path) for c in columns],
                                                                          part, in_shape, array_argument)
                           if _differentiable(part) else None)
    out_shape = np.shape(value)
    if not columns:             # an argument with no elements: a Jacobian with no columns (np.stack takes none)
        return np.zeros(out_shape + in_shape, _float_dtype(value))
    stacked = np.stack(_same_library(columns, _float_dtype(value)), axis=-1)
    if out_shape or in_shape or array_argument:
        return np.reshape(stacked, out_shape + in_shape)
    return stacked.reshape(()) if is_foreign_array(stacked) else stacked.reshape(()).item()


def _stack_rows(rows, out_shape, argument, dtype):
    """The Jacobian from its rows (gradients shaped like the argument): a container argument's is a
    container of the same structure, one Jacobian per leaf (None where the leaf holds no floats)."""
    if not is_container(argument):
        return _stack(rows, out_shape, np.shape(argument), dtype, isinstance(argument, np.ndarray))
    return with_leaves(argument, lambda path, leaf: _stack([leaf_at(r, path) for r in rows], out_shape,
                                                            np.shape(leaf), dtype, isinstance(leaf, np.ndarray))
                       if _differentiable(leaf) else None)


def _stack(rows, out_shape, in_shape, dtype, array_argument=False):
    if not rows:                # a result with no elements: a Jacobian with no rows (np.stack takes none)
        return np.zeros(out_shape + in_shape, dtype)
    jacobian = np.reshape(np.stack(_same_library(rows, dtype)), out_shape + in_shape)
    # a number's derivative is a number; a 0-d array's is a 0-d array, as the argument's kind
    plain = jacobian.shape == () and not array_argument and not is_foreign_array(jacobian)
    return jacobian.item() if plain else jacobian


def _same_library(parts, dtype) -> list:
    """Rows or columns of a Jacobian as arrays of one library and dtype: where any is a CuPy or Dask array,
    the others (a number for a zero derivative, say) join it there instead of pulling it into NumPy."""
    like = next((p for p in parts if is_foreign_array(p)), None)
    if like is None:
        return [np.asarray(p, dtype=dtype) for p in parts]
    return [p.astype(dtype) if is_foreign_array(p) else np.asarray(p, dtype=dtype, like=like) for p in parts]


def _unit(x, k):
    if isinstance(x, numbers.Number):
        return 1.0
    # built flat and reshaped, from x itself: a CuPy argument's unit tangent is made on the GPU, a Dask one lazily
    flat = np.zeros_like(np.reshape(x, (-1,)), dtype=_float_dtype(x)) if is_foreign_array(x) else \
        np.zeros(int(np.size(x)), dtype=_float_dtype(x))
    flat[k] = 1
    return np.reshape(flat, np.shape(x))


def _zero_tangent(x):
    if isinstance(x, (bool, int, np.integer)):
        return 0
    if is_user_object(x):           # an object not differentiated: data, as jvp takes an object given None
        return None
    if isinstance(x, dict):
        return {k: _zero_tangent(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return type(x)(_zero_tangent(v) for v in x)
    if isinstance(x, np.ndarray) or is_foreign_array(x):
        return np.zeros_like(x, dtype=_float_dtype(x))
    return 0.0


def _float_dtype(x):
    dtype = getattr(x, "dtype", np.dtype(np.float64))
    return dtype if np.issubdtype(dtype, np.floating) else np.dtype(np.float64)


def _differentiable(value) -> bool:
    if isinstance(value, (bool, int, np.integer)):
        return False
    if isinstance(value, np.ndarray) or is_foreign_array(value):     # CuPy and Dask arrays too
        return value.dtype.kind in "fc"
    return True


def _name(fun) -> str:
    return getattr(fun, "__name__", type(fun).__name__)


def _rebind(fun, kwargs):
    """A derivative of this module's with keyword arguments bound into what it differentiates, else None."""
    if isinstance(fun, (Jacobian, GradientOfDerivative)):
        return fun._keyword_forms(kwargs)
    return None


def gradient_for(fun, wrt):
    """grad's machinery for `fun`: a GradientFunction, or for a derivative one made per kind of call."""
    if is_derivative(fun):
        return GradientOfDerivative(fun, wrt)
    if reaches_variadic(fun, wrt):          # positions in *args: one gradient per number of arguments
        return VariadicGradient(fun, wrt)
    return GradientFunction(fun, wrt)


class GradientOfDerivative:
    """grad (or value_and_grad) of a derivative: reverse (or forward) mode over its Python form (composition.py).

    The form depends on the kinds of the arguments (a number or an array), so the gradient is made
    per form, when a call brings one, and kept.
    """

    _s2sgrad_gradient = True

    def __init__(self, derivative, wrt=0, *, with_value: bool = False):
        self.derivative = derivative
        self.wrt_requested = wrt
        self.with_value = with_value
        self._by_form: dict = {}
        name = getattr(derivative, "__name__", type(derivative).__name__)
        self.__name__ = self.__qualname__ = f"{'value_and_grad' if with_value else 'grad'}_{name}"
        self._forward = Jacobian(derivative, wrt, "jacfwd", name=self.__name__, scalar_result=True,
                                 with_value=with_value)
        self._keyword_forms = KeywordForms(lambda kwargs: GradientOfDerivative(
            keywords_bound(derivative, kwargs, _rebind), wrt, with_value=with_value))

    def _positions(self, args):
        return _positions(self.wrt_requested, self.derivative)[0]

    def gradient(self, args):
        """Reverse mode over the form; forward mode where every argument differentiated is a number (as fast,
        and forward mode composes with every level below it, a gradient's recorded helper calls included)."""
        if all(isinstance(args[p], numbers.Number) for p in self._positions(args)):
            return self._forward
        return self._reverse(args)

    def reverse_for(self, args) -> GradientFunction:
        """Reverse mode over the derivative's Python form for these arguments (vjp's, whatever their kinds)."""
        return self._reverse(args)

    def _reverse(self, args) -> GradientFunction:
        form = python_form(self.derivative, args)
        gradient = self._by_form.get(form)
        if gradient is None:
            gradient = self._by_form[form] = GradientFunction(form, self.wrt_requested, with_value=self.with_value)
        return gradient

    def __call__(self, *args, **kwargs):
        if kwargs:
            return self._keyword_forms(kwargs)(*args)
        return self.gradient(args)(*args)

    def vjp(self, cotangent, *args):
        return self._reverse(args).vjp(cotangent, *args)

    def python_for(self, *args):
        gradient = self.gradient(args)
        return gradient.python_for(*args) if isinstance(gradient, Jacobian) else python_form(gradient, args)

    def source_for(self, *args) -> str:
        """The generated code a call with these arguments runs."""
        return self.gradient(args).source_for(*args)

    def __repr__(self) -> str:
        return f"<{self.__name__}: reverse mode over a derivative's generated code; .source_for(*args) shows it>"
