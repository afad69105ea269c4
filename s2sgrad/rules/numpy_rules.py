"""Rules for NumPy functions, methods and attributes.

One line per primitive. `y` is the result and `dy` its adjoint; derivations
longer than one expression live in s2sgrad/runtime (unreduce,
extremum_adjoint, ...), named for what they compute. Constants from `math`
(math.log(2), math.pi) are Python floats, which never widen a float32 array;
np.log(2) would.
"""
from __future__ import annotations

import numpy as np

from .registry import RuleTable

# `initial` is reduced with the elements (a number: it gets an adjoint), `where` masks them (a constant)
REDUCTION = "a, axis=None, dtype=None, out=None, keepdims=False, initial=0, where=True"
PRODUCT = "a, axis=None, dtype=None, out=None, keepdims=False, initial=1, where=True"
MEAN = "a, axis=None, dtype=None, out=None, keepdims=False, *, where=True"
EXTREMUM = "a, axis=None, out=None, keepdims=False, initial=None, where=True"
# correction= is NumPy 2's other name for ddof; mean= (a mean given by the caller) is not a parameter here
VARIANCE = "a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True, correction=None"
CUMULATIVE = "a, axis=None, dtype=None, out=None"


def register(rules: RuleTable) -> None:
    d = rules.define

    def both(fn, params, **rule):
        """The rule of np.<name>(a, ...) and of the method a.<name>(...), whose receiver is the first parameter."""
        d(fn, params, **rule)
        d(("method", fn.__name__), params, **rule)

    _elementwise(d, rules)
    _binary(d)
    _reductions(d, both)
    _linear_algebra(d, both)
    _shapes(d, both)
    _methods_and_attributes(d, rules)
    _creation_and_random(d, rules)
    _constants(rules)
    _library_coverage(d)
    _calling_user_functions(rules)
    _refused_values(rules)
    _fourier(d, rules)
    _finite_differences(d, rules)
    _complex_values(rules)
    _memory(rules)
    # results that are tuples or lists of arrays: a use of the whole and of a part add element by element
    rules.declare_containers(np.split, np.array_split, np.vsplit, np.hsplit, np.dsplit, np.broadcast_arrays,
                             np.linalg.eigh, np.linalg.slogdet, np.linalg.svd, np.linalg.qr, np.linalg.lstsq,
                             np.linspace, np.meshgrid, ("method", "tolist"))


def _elementwise(d, rules) -> None:
    d(np.negative, "x", dx="-dy", elementwise=True)
    d(np.positive, "x", dx="dy", elementwise=True)
    # np.abs is np.absolute; 0 at the kink; |z| of a complex z has the adjoint Re(dy) conj(z) / |z|
    d(np.absolute, "x", dx="abs_adjoint(dy, x, y)", elementwise=True, domain="away", jvp={"x": "abs_tangent(x_dot, x, y)"})
    d(np.fabs, "x", dx="dy * np.sign(x)", elementwise=True, domain="away")
    d(np.exp, "x", dx="dy * y", elementwise=True)
    d(np.exp2, "x", dx="dy * y * math.log(2)", elementwise=True)
    d(np.expm1, "x", dx="dy * (y + 1)", elementwise=True)
    d(np.log, "x", dx="dy / x", elementwise=True, domain="pos")
    d(np.log2, "x", dx="dy / (x * math.log(2))", elementwise=True, domain="pos")
    d(np.log10, "x", dx="dy / (x * math.log(10))", elementwise=True, domain="pos")
    d(np.log1p, "x", dx="dy / (1 + x)", elementwise=True, domain="pos")
    d(np.sqrt, "x", dx="dy / (2 * y)", elementwise=True, domain="pos")
    d(np.cbrt, "x", dx="dy / (3 * y * y)", elementwise=True, domain="away")
    d(np.square, "x", dx="2 * dy * x", elementwise=True)
    d(np.reciprocal, "x", dx="-dy * y * y", elementwise=True, domain="away")
    d(np.sin, "x", dx="dy * np.cos(x)", elementwise=True)
    d(np.cos, "x", dx="-dy * np.sin(x)", elementwise=True)
    d(np.tan, "x", dx="dy * (1 + y * y)", elementwise=True, domain="unit")
    d(np.arcsin, "x", dx="dy / np.sqrt(1 - x * x)", elementwise=True, domain="unit")
    d(np.arccos, "x", dx="-dy / np.sqrt(1 - x * x)", elementwise=True, domain="unit")
    d(np.arctan, "x", dx="dy / (1 + x * x)", elementwise=True)
    d(np.sinh, "x", dx="dy * np.cosh(x)", elementwise=True)
    d(np.cosh, "x", dx="dy * np.sinh(x)", elementwise=True)
    d(np.tanh, "x", dx="dy * (1 - y * y)", elementwise=True)
    d(np.arcsinh, "x", dx="dy / np.sqrt(x * x + 1)", elementwise=True)
    d(np.arccosh, "x", dx="dy / np.sqrt(x * x - 1)", elementwise=True, domain="gt1")
    d(np.arctanh, "x", dx="dy / (1 - x * x)", elementwise=True, domain="unit")
    d(np.deg2rad, "x", dx="dy * (math.pi / 180)", elementwise=True)
    d(np.rad2deg, "x", dx="dy * (180 / math.pi)", elementwise=True, domain="unit")
    d(np.radians, "x", dx="dy * (math.pi / 180)", elementwise=True)
    d(np.degrees, "x", dx="dy * (180 / math.pi)", elementwise=True, domain="unit")
    d(np.sinc, "x", dx="dy * sinc_derivative(x)", elementwise=True)
    # Re z, conj z and Im z: the adjoint of z = x + iy is dL/dx - i dL/dy (real inputs: Im is constantly 0)
    d(np.real, "val", dval="np.real(dy)", elementwise=True)
    d(np.conjugate, "x", dx="np.conj(dy)", elementwise=True)
    d(np.conj, "x", dx="np.conj(dy)", elementwise=True)
    d(np.imag, "val", dval="imag_adjoint(dy, val)", elementwise=True, jvp={"val": "np.imag(val_dot)"})
    d(np.angle, "z, deg=False", dz="angle_adjoint(dy, z, deg)", elementwise=True,
      jvp={"z": "angle_tangent(z_dot, z, deg)"})


def _binary(d) -> None:
    def b(fn, params="a, b", **adjoints):
        d(fn, params, elementwise=True, broadcasts=True, **adjoints)

    b(np.add, da="dy", db="dy")
    b(np.subtract, da="dy", db="-dy")
    b(np.multiply, da="dy * b", db="dy * a")
    b(np.divide, domain="away", da="dy / b", db="-dy * y / b")          # np.true_divide is np.divide
    # at a == 0 the exponent's derivative is taken as 0 (as for `**`), not 0 * log(0) = nan
    # the base's derivative 0 where b == 0, not 0 * inf at a == 0 (as `**`, rules/operators.py)
    b(np.power, domain="pos", da="dy * b * a ** (b - 1 + (b == 0))", db="dy * y * log_base(a)")
    b(np.float_power, domain="pos", da="dy * b * np.float_power(a, b - 1 + (b == 0))", db="dy * y * log_base(a)")
    # ties send the whole adjoint to the first argument, as Python's max and min do; keep_where, not dy * mask,
    # so an infinite dy (sqrt's at 0 after np.maximum(v, 0)) gives 0 to the argument not chosen, not nan
    b(np.maximum, da="keep_where(a >= b, dy)", db="keep_where(a < b, dy)")
    b(np.minimum, da="keep_where(a <= b, dy)", db="keep_where(a > b, dy)")
    b(np.fmax, da="keep_where(a >= b, dy)", db="keep_where(a < b, dy)")
    b(np.fmin, da="keep_where(a <= b, dy)", db="keep_where(a > b, dy)")
    b(np.arctan2, domain="away", da="dy * b / (a * a + b * b)", db="-dy * a / (a * a + b * b)")
    # at (0, 0) the slope a / y is 0 / 0: taken as 0, as np.linalg.norm's (`y + (y == 0)` is y elsewhere)
    b(np.hypot, domain="away", da="dy * a / (y + (y == 0))", db="dy * b / (y + (y == 0))")
    b(np.logaddexp, da="dy * np.exp(a - y)", db="dy * np.exp(b - y)")
    b(np.logaddexp2, da="dy * np.exp2(a - y)", db="dy * np.exp2(b - y)")
    b(np.mod, domain="pos", da="dy", db="-dy * np.floor_divide(a, b)")   # np.remainder is np.mod
    b(np.fmod, domain="pos", da="dy", db="-dy * np.trunc(a / b)")
    b(np.copysign, domain="away", constant="b", da="dy * np.sign(a) * np.sign(y)")
    # np.where(condition) alone returns indices: then a and b are None and get no adjoint
    b(np.where, "condition, a=None, b=None", constant="condition", da="np.where(condition, dy, 0)",
      db="np.where(condition, 0, dy)")
    # the bounds get the adjoint where they clip; numpy 2 also spells them min= and max=
    for key in (np.clip, ("method", "clip")):
        d(key, "a, a_min=None, a_max=None", elementwise=True, broadcasts=True, da="keep_where(inside_clip(a, a_min, a_max), dy)",
          da_min="keep_where(a < a_min, dy)", da_max="keep_where(a > a_max, dy)")


# max and min: `initial` (given, and with it any mask) takes part in the extremum (masked_reductions.py)
_MASKED = "masked_extremum_{}({}, a, y, axis, keepdims, initial, where{})"
_EXTREMUM_RULE = dict(
    da="extremum_adjoint(dy, a, y, axis, keepdims) if initial is None else " + _MASKED.format("adjoint", "dy", ""),
    dinitial=_MASKED.format("adjoint", "dy", ", 'initial'"),
    jvp={"a": "extremum_tangent(a_dot, a, y, axis, keepdims) if initial is None else "
              + _MASKED.format("tangent", "a_dot", ""),
         "initial": _MASKED.format("tangent", "initial_dot", ", 'initial'")})


def _reductions(d, both) -> None:
    # the `axis is None` forms only shorten the generated code for whole-array reductions
    # with a mask (`where=`), masked_reductions.py's helpers; without one the defaults fold the test away
    both(np.sum, REDUCTION, linear=True, dinitial="np.sum(dy)",
         da="(unreduce(dy, a) if axis is None else unreduce(dy, a, axis, keepdims)) if where is True "
            "else masked_unreduce(dy, a, axis, keepdims, where)")
    both(np.mean, MEAN, linear=True, da="(unreduce(dy / element_count(a), a) if axis is None else "
                                "unreduce(dy / (element_count(a) / element_count(y)), a, axis, keepdims)) "
                                "if where is True else masked_mean_adjoint(dy, a, axis, keepdims, where)")
    both(np.prod, PRODUCT, da="(unreduce(dy, a, axis, keepdims) * product_of_others(a, axis)) if where is True "
                              "and initial == 1 else masked_prod_adjoint(dy, a, axis, keepdims, initial, where)",
         dinitial="np.sum(dy * np.prod(a, axis, keepdims=keepdims, where=where))",
         jvp={"a": "prod_tangent(a_dot, a, axis, keepdims) if where is True and initial == 1 "
                   "else masked_prod_tangent(a_dot, a, axis, keepdims, initial, where)",
              "initial": "initial_dot * np.prod(a, axis, keepdims=keepdims, where=where)"})
    for extremum in (np.max, np.min):
        both(extremum, EXTREMUM, **_EXTREMUM_RULE)
    # sum(a w) / sum(w) over the axes; returned=True (the weights' sum as well) is left out of the parameters
    d(np.average, "a, axis=None, weights=None, *, keepdims=False",
      da="average_adjoint(dy, a, axis, weights, keepdims)",
      dweights="average_adjoint(dy, a, axis, weights, keepdims, part='weights')",
      jvp={"a": "average_tangent(a_dot, None, a, axis, weights, keepdims)",
           "weights": "average_tangent(None, weights_dot, a, axis, weights, keepdims)"})
    # covariance and correlation of the rows (rowvar) of m and y; weights (fweights, aweights) are left out
    d(np.cov, "m, y=None, rowvar=True, bias=False, ddof=None", result="out",
      dm="cov_adjoint(dout, m, y, rowvar, bias, ddof)", dy="cov_adjoint(dout, m, y, rowvar, bias, ddof, part='y')",
      jvp={"m": "cov_tangent(m_dot, None, m, y, rowvar, bias, ddof)",
           "y": "cov_tangent(None, y_dot, m, y, rowvar, bias, ddof)"})
    d(np.corrcoef, "x, y=None, rowvar=True", result="out", dx="corrcoef_adjoint(dout, x, y, rowvar)",
      dy="corrcoef_adjoint(dout, x, y, rowvar, part='y')",
      jvp={"x": "corrcoef_tangent(x_dot, None, x, y, rowvar)", "y": "corrcoef_tangent(None, y_dot, x, y, rowvar)"})
    # peak to peak: max - min, each sending its part of the adjoint to where it was attained
    d(np.ptp, "a, axis=None, out=None, keepdims=False", da="ptp_adjoint(dy, a, axis, keepdims)",
      jvp={"a": "ptp_tangent(a_dot, a, axis, keepdims)"})
    d(np.amax, EXTREMUM, **_EXTREMUM_RULE)
    d(np.amin, EXTREMUM, **_EXTREMUM_RULE)
    ddof = "(ddof if correction is None else correction)"
    masked = "masked_{}_{}({}, a, {}axis, " + ddof + ", keepdims, where)"
    both(np.var, VARIANCE, da=f"var_adjoint(dy, a, axis, {ddof}, keepdims) if where is True else "
                              + masked.format("var", "adjoint", "dy", ""),
         jvp={"a": f"var_tangent(a_dot, a, axis, {ddof}, keepdims) if where is True else "
                   + masked.format("var", "tangent", "a_dot", "")})
    # a single element's deviation is 0 whatever it is: std_adjoint gives 0 there, not 0 / 0
    both(np.std, VARIANCE, da=f"std_adjoint(dy, a, y, axis, {ddof}, keepdims) if where is True else "
                              + masked.format("std", "adjoint", "dy", "y, "),
         jvp={"a": f"std_tangent(a_dot, a, y, axis, {ddof}, keepdims) if where is True else "
                   + masked.format("std", "tangent", "a_dot", "y, ")})
    both(np.cumsum, CUMULATIVE, da="cumsum_adjoint(dy, a, axis)", linear=True)
    both(np.cumprod, CUMULATIVE, da="cumprod_adjoint(dy, a, y, axis)", jvp={"a": "cumprod_tangent(a_dot, a, y, axis)"})
    d(np.linalg.norm, "x, ord=None, axis=None, keepdims=False", dx="norm_adjoint(dy, x, y, ord, axis, keepdims)",
      jvp={"x": "norm_tangent(x_dot, x, y, ord, axis, keepdims)"})
    d(np.diff, "a, n=1, axis=-1", da="diff_adjoint(dy, n, axis)", linear=True)
    # running extrema: each output is the input where the extremum was last attained (runtime/running_extrema.py)
    for ufunc in (np.maximum, np.minimum):
        d(ufunc.accumulate, "array, axis=0", darray="running_extremum_adjoint(dy, array, y, axis)",
          jvp={"array": "running_extremum_tangent(array_dot, array, y, axis)"}, name=f"np.{ufunc.__name__}.accumulate")


def _linear_algebra(d, both) -> None:
    both(np.dot, "a, b, out=None", da="dot_adjoint_left(dy, a, b)", db="dot_adjoint_right(dy, a, b)", multilinear=True)
    d(np.matmul, "a, b", da="matmul_adjoint_left(dy, a, b)", db="matmul_adjoint_right(dy, a, b)", multilinear=True)
    d(np.inner, "a, b", da="inner_adjoint_left(dy, a, b)", db="inner_adjoint_right(dy, a, b)", multilinear=True)
    # (a number operand, raveled by NumPy, made dy's library: CuPy refuses a NumPy operand)
    d(np.outer, "a, b, out=None", da="np.reshape(dy @ numpy_values_like(dy, np.ravel(b)), np.shape(a))",
      db="np.reshape(numpy_values_like(dy, np.ravel(a)) @ dy, np.shape(b))", multilinear=True)
    # vdot conjugates its first argument (a no-op for real ones)
    d(np.vdot, "a, b", da="np.conj(dy * np.reshape(b, np.shape(a)))", db="dy * np.reshape(np.conj(a), np.shape(b))",
      multilinear=True)
    d(np.tensordot, "a, b, axes=2", da="tensordot_adjoint_left(dy, a, b, axes)",
      db="tensordot_adjoint_right(dy, a, b, axes)", multilinear=True)
    # both forms: einsum('ij,jk->ik', a, b) and einsum(a, [0, 1], b, [1, 2]); the labels carry no derivative
    d(np.einsum, "*operands, optimize=False", doperands="einsum_call_adjoints(dy, operands, optimize)", multilinear=True)
    d(np.kron, "a, b", da="kron_adjoint_left(dy, a, b)", db="kron_adjoint_right(dy, a, b)", multilinear=True)
    both(np.trace, "a, offset=0, axis1=0, axis2=1, dtype=None, out=None",
         da="trace_adjoint(dy, a, offset, axis1, axis2)", linear=True)
    both(np.diagonal, "a, offset=0, axis1=0, axis2=1", da="diagonal_adjoint(dy, a, offset, axis1, axis2)", linear=True)
    d(np.diag, "v, k=0", dv="diag_adjoint(dy, v, k)", linear=True)
    d(np.triu, "m, k=0", dm="np.triu(dy, k)", linear=True)
    d(np.tril, "m, k=0", dm="np.tril(dy, k)", linear=True)
    d(np.linalg.inv, "a", da="-matrix_transpose(y) @ dy @ matrix_transpose(y)", jvp={"a": "-(y @ a_dot @ y)"})
    # d det(a) / da is the cofactor matrix, y inv(a)^T, which det_cofactors also gives for a singular a
    d(np.linalg.det, "a", da="np.expand_dims(dy, (-2, -1)) * det_cofactors(a)",
      jvp={"a": "np.sum(det_cofactors(a) * a_dot, axis=(-2, -1))"})
    # y = (sign, log|det|); the sign is piecewise constant, so only dy[1] flows back
    d(np.linalg.slogdet, "a", da="in_library_of(np.expand_dims(dy[1], (-2, -1)), a) * matrix_transpose(np.linalg.inv(a))",
      jvp={"a": "slogdet_tangent(a_dot, a, y)"})
    d(np.linalg.solve, "a, b", da="solve_adjoint_a(dy, a, b, y)", db="solve_adjoint_b(dy, a, b)",
      jvp={"a": "solve_tangent_a(a_dot, a, b, y)", "b": "solve_tangent_b(b_dot, a, b)"})
    d(np.linalg.cholesky, "a, *, upper=False", da="cholesky_adjoint(dy, a, y, upper)",
      jvp={"a": "cholesky_tangent(a_dot, y, upper)"})
    d(np.linalg.eigh, "a, UPLO='L'", da="eigh_adjoint(dy, a, y, UPLO)", jvp={"a": "eigh_tangent(a_dot, y, UPLO)"})
    d(np.linalg.eigvalsh, "a, UPLO='L'", da="eigvalsh_adjoint(dy, a, UPLO)",
      jvp={"a": "eigvalsh_tangent(a_dot, a, UPLO)"})
    d(np.linalg.pinv, "a, rcond=None, hermitian=False", da="pinv_adjoint(dy, a, y)", jvp={"a": "pinv_tangent(a_dot, a, y)"})


def _reshape_back(x: str) -> str:
    """dy in x's shape; `order` is passed only when not the default (Dask's reshape has no `order`)."""
    return f"np.reshape(dy, np.shape({x})) if order == 'C' else np.reshape(dy, np.shape({x}), order=order)"


def _shapes(d, both) -> None:
    # reshaping keeps every element once: the adjoint is dy in the input's shape
    d(np.reshape, "a, shape=None, order='C', *, newshape=None, copy=None",
      da=_reshape_back("a"), linear=True)
    both(np.ravel, "a, order='C'", da=_reshape_back("a"), linear=True)
    both(np.squeeze, "a, axis=None", da="np.reshape(dy, np.shape(a))", linear=True)
    d(np.expand_dims, "a, axis", da="np.reshape(dy, np.shape(a))", linear=True)
    for fn in (np.atleast_1d, np.atleast_2d, np.atleast_3d):
        d(fn, "a", da="np.reshape(dy, np.shape(a))", linear=True)
    d(np.transpose, "a, axes=None", da="np.transpose(dy) if axes is None else np.transpose(dy, tuple(np.argsort(axes).tolist()))", linear=True)
    both(np.swapaxes, "a, axis1, axis2", da="np.swapaxes(dy, axis1, axis2)", linear=True)
    d(np.moveaxis, "a, source, destination", da="np.moveaxis(dy, destination, source)", linear=True)
    d(np.broadcast_to, "array, shape, subok=False", darray="unbroadcast(dy, array)", linear=True)
    d(np.broadcast_arrays, "*args", dargs="tuple(unbroadcast(g, a) for g, a in zip(dy, args))", linear=True)
    # joining: the list argument's adjoint is one adjoint per element, split back by the caller
    d(np.concatenate, "arrays, axis=0, out=None, *, dtype=None, casting='same_kind'",
      darrays="concatenate_adjoint(dy, arrays, axis)", linear=True)
    d(np.stack, "arrays, axis=0, out=None, *, dtype=None, casting='same_kind'",
      darrays="stack_adjoint(dy, arrays, axis)", linear=True)
    d(np.hstack, "tup, *, dtype=None, casting='same_kind'", dtup="hstack_adjoint(dy, tup)", linear=True)
    d(np.vstack, "tup, *, dtype=None, casting='same_kind'", dtup="vstack_adjoint(dy, tup)", linear=True)
    # splitting: dy holds one adjoint per piece (zeros for unused pieces)
    d(np.split, "ary, indices_or_sections, axis=0", dary="np.concatenate(dy, axis=axis)", linear=True)
    d(np.array_split, "ary, indices_or_sections, axis=0", dary="np.concatenate(dy, axis=axis)", linear=True)
    d(np.tile, "A, reps", dA="tile_adjoint(dy, A, reps)", linear=True)
    both(np.repeat, "a, repeats, axis=None", da="repeat_adjoint(dy, a, repeats, axis)", linear=True)
    d(np.flip, "m, axis=None", dm="np.flip(dy, axis)", linear=True)
    d(np.fliplr, "m", dm="np.fliplr(dy)", linear=True)
    d(np.flipud, "m", dm="np.flipud(dy)", linear=True)
    d(np.roll, "a, shift, axis=None", da="np.roll(dy, np.negative(shift), axis)", linear=True)
    d(np.rot90, "m, k=1, axes=(0, 1)", dm="np.rot90(dy, -k, axes)", linear=True)
    # the constant fills the padding, so it collects the adjoint of every padded element
    d(np.pad, "array, pad_width, mode='constant', constant_values=0",
      darray="pad_adjoint(dy, array, pad_width, mode)",
      dconstant_values="np.sum(dy) - np.sum(pad_adjoint(dy, array, pad_width, mode))", linear=True)
    d(np.sort, "a, axis=-1, kind=None, order=None", da="sort_adjoint(dy, a, axis)", jvp={"a": "sort_tangent(a_dot, a, axis)"})
    both(np.take, "a, indices, axis=None, out=None, mode='raise'", da="take_adjoint(dy, a, indices, axis, mode)", linear=True)
    d(np.take_along_axis, "arr, indices, axis=-1", darr="take_along_axis_adjoint(dy, arr, indices, axis)", linear=True)
    # np.array([a, b]) of differentiable values: dy itself, which the caller splits per element; a cast to
    # an integer or bool dtype (np.array(x, dtype=int)) lets no derivative through, in either mode
    for fn in (np.asarray, np.asanyarray, np.ascontiguousarray):
        same = f"np.{fn.__name__}(a_dot, None, *args, **kwargs)"
        d(fn, "a, dtype=None, *args, **kwargs", da="dy if dtype is None else through_cast(dy, dtype)",
          linear=True, jvp={"a": f"{same} if dtype is None else through_cast({same}, dtype)"})
    # np.array(x, ndmin=2) also puts axes of length 1 in front of x's: its adjoint takes them off
    back = "(dy if ndmin == 0 else unbroadcast(dy, a))"
    same = ("(np.array(a_dot, None, *args, **kwargs) if ndmin == 0 else "
            "np.array(a_dot, None, *args, ndmin=ndmin, **kwargs))")
    d(np.array, "a, dtype=None, *args, ndmin=0, **kwargs", linear=True,
      da=f"{back} if dtype is None else through_cast({back}, dtype)",
      jvp={"a": f"{same} if dtype is None else through_cast({same}, dtype)"})
    d(np.copy, "a, order='K', subok=False", da="dy", linear=True)
    for scalar_type in (np.float64, np.float32, np.float16, np.longdouble):
        d(scalar_type, "x=0", dx="dy", linear=True)


def _methods_and_attributes(d, rules) -> None:
    m = lambda name: ("method", name)         # noqa: E731
    d(m("reshape"), "self, *shape, order='C'", dself=_reshape_back("self"), linear=True)
    d(m("flatten"), "self, order='C'", dself=_reshape_back("self"), linear=True)
    d(m("transpose"), "self, *axes", dself="transpose_adjoint(dy, axes)", linear=True)
    d(m("copy"), "self, order='C'", dself="dy", linear=True)
    d(m("item"), "self, *args", dself="item_adjoint(dy, self, args)", linear=True)
    d(m("astype"), "self, dtype, order='K', casting='unsafe', subok=True, copy=True",
      dself="cast_adjoint(dy, self, dtype)", linear=True, jvp={"self": "through_cast(self_dot, dtype)"})
    d(m("conj"), "self", dself="np.conj(dy)", linear=True)
    d(m("conjugate"), "self", dself="np.conj(dy)", linear=True)
    d(("attr", "T"), "self", dself="np.transpose(dy)", linear=True)
    d(("attr", "mT"), "self", dself="matrix_transpose(dy)", linear=True)
    d(("attr", "real"), "self", dself="np.real(dy)", linear=True)
    d(("attr", "imag"), "self", dself="imag_adjoint(dy, self)", linear=True)
    rules.nondifferentiable(
        ("attr", "shape"), ("attr", "ndim"), ("attr", "size"), ("attr", "dtype"),
        ("attr", "itemsize"), ("attr", "nbytes"), ("attr", "strides"),
        m("argmax"), m("argmin"), m("argsort"), m("nonzero"), m("all"), m("any"), m("round"),
        m("searchsorted"),
    )


def _creation_and_random(d, rules) -> None:
    # a filled array's adjoint flows back to the fill value
    # (an integer or bool dtype lets no derivative through)
    cut = "(dy if dtype is None else through_cast(dy, dtype))"
    full = "np.full(shape, fill_value_dot, None, order)"
    d(np.full, "shape, fill_value, dtype=None, order='C'", dfill_value=f"unbroadcast({cut}, fill_value)",
      linear=True, jvp={"fill_value": f"{full} if dtype is None else through_cast({full}, dtype)"})
    # subok only when False: CuPy's full_like refuses any subok (True is NumPy's default)
    full = "(np.full_like(a, fill_value_dot, None, order, shape=shape) if subok else " \
           "np.full_like(a, fill_value_dot, None, order, False, shape))"
    d(np.full_like, "a, fill_value, dtype=None, order='K', subok=True, shape=None", constant="a",
      dfill_value=f"unbroadcast({cut}, fill_value)", linear=True,
      jvp={"fill_value": f"{full} if dtype is None else through_cast({full}, dtype)"})
    # a sample is loc + scale * z (low + (high - low) * u) for a z (u) the generator fixed: the
    # reparameterization gives derivatives with respect to the distribution's parameters. Not elementwise:
    # `size` makes a sample larger than its parameters (np.random.normal(mu, sigma, 4) of two numbers), so
    # each adjoint is summed back to its parameter's shape and each tangent spread to the sample's
    normal = dict(dloc="unbroadcast(dy, loc)", dscale="unbroadcast(dy * (y - loc) / scale, scale)",
                  jvp={"loc": "broadcast_like(loc_dot, y)", "scale": "broadcast_like(scale_dot, y) * (y - loc) / scale"})
    uniform = dict(dlow="unbroadcast(dy * (high - y) / (high - low), low)",
                   dhigh="unbroadcast(dy * (y - low) / (high - low), high)",
                   jvp={"low": "broadcast_like(low_dot, y) * (high - y) / (high - low)",
                        "high": "broadcast_like(high_dot, y) * (y - low) / (high - low)"})
    # exponential(scale) and gamma(shape, scale) are scale times a standard draw; gamma's shape would need an
    # implicit reparameterization (the derivative of the draw's quantile in the shape), which is not built:
    # it has no slot, so a derivative reaching it is refused where the draw is made
    scaled = dict(dscale="unbroadcast(dy * y / scale, scale)", jvp={"scale": "broadcast_like(scale_dot, y) * y / scale"})
    d(np.random.exponential, "scale=1.0, size=None", **scaled)
    d(("method", "exponential"), "self, scale=1.0, size=None", **scaled)
    d(np.random.gamma, "shape, scale=1.0, size=None", **scaled)
    d(("method", "gamma"), "self, shape, scale=1.0, size=None", **scaled)
    rules.refuse_derivatives(
        np.random.standard_gamma, ("method", "standard_gamma"),
        construct="a standard gamma draw whose shape carries a derivative (s2sgrad has no implicit "
                  "reparameterization for the gamma shape)",
        hint="keep the shape a constant (s2sgrad.stop_gradient(shape)); the scale of rng.gamma(shape, scale) "
             "is differentiated")
    d(np.random.normal, "loc=0.0, scale=1.0, size=None", **normal)
    d(np.random.uniform, "low=0.0, high=1.0, size=None", **uniform)
    d(("method", "normal"), "self, loc=0.0, scale=1.0, size=None", **normal)
    d(("method", "uniform"), "self, low=0.0, high=1.0, size=None", **uniform)
    rules.nondifferentiable(
        np.zeros, np.ones, np.empty, np.zeros_like, np.ones_like, np.empty_like, np.linspace,
        np.eye, np.identity, np.tri, np.indices,
        np.random.rand, np.random.randn, np.random.random, np.random.random_sample, np.random.randint,
        np.random.seed, np.random.standard_normal, np.random.default_rng, np.random.RandomState,
        ("method", "integers"), ("method", "random"), ("method", "standard_normal"),
        np.random.standard_exponential, ("method", "standard_exponential"),
        ("method", "rand"), ("method", "randn"), ("method", "randint"),
    )


def _constants(rules) -> None:
    """Functions whose result is piecewise constant or not a number: no derivative flows through them."""
    rules.nondifferentiable(
        np.argmax, np.argmin, np.argsort, np.argwhere, np.nonzero, np.flatnonzero, np.searchsorted,
        np.digitize,
        np.floor, np.ceil, np.trunc, np.fix, np.round, np.around, np.rint, np.sign,
        np.floor_divide,
        np.greater, np.greater_equal, np.less, np.less_equal, np.equal, np.not_equal,
        np.logical_and, np.logical_or, np.logical_not, np.logical_xor,
        np.isnan, np.isinf, np.isposinf, np.isneginf, np.isfinite, np.isclose, np.allclose, np.array_equal, np.signbit,
        np.any, np.all, np.count_nonzero,
        np.shape, np.ndim, np.size, np.result_type, np.iscomplexobj, np.isrealobj, np.isscalar,
        np.linalg.matrix_rank,
        # positions and index arrays (runtime/array_functions.py's partition_adjoint reads np.argpartition)
        np.argpartition, np.lexsort, np.ix_, np.unravel_index, np.ravel_multi_index, np.triu_indices,
        np.tril_indices, np.diag_indices, np.triu_indices_from, np.tril_indices_from, np.diag_indices_from,
        np.isin, np.iscomplex, np.isreal,
    )


# ---- library coverage: more of NumPy (issue 12) ------------------------------------------------

NAN_REDUCTION = "a, axis=None, dtype=None, out=None, keepdims=False"
NAN_VARIANCE = "a, axis=None, dtype=None, out=None, ddof=0, keepdims=False"


def _library_coverage(d) -> None:
    _values_through_builders(d)
    _building_and_rearranging(d)
    _one_dimensional_numerics(d)
    _nan_reductions(d)
    _quantiles(d)
    _decompositions(d)
    _edits_and_polynomials(d)


def _values_through_builders(d) -> None:
    """Functions that build arrays, draw, count or convert, whose results still hold or depend on the
    values passed in: each gets its derivative, or a located refusal (a 0 here would be silent)."""
    d(np.meshgrid, "*xi, copy=True, sparse=False, indexing='xy'", linear=True,
      dxi="meshgrid_adjoint(dy, xi, indexing, sparse)")
    # element i is start + i step; the length, set by the values, is piecewise constant
    d(np.arange, "start, stop=None, step=None, dtype=None, *, device=None, like=None",
      dstart="arange_adjoint(dy, start, stop, step, dtype, 'start')",
      dstep="arange_adjoint(dy, start, stop, step, dtype, 'step')", constant="stop, dtype, device, like",
      jvp={"start": "arange_tangent(start_dot, 0.0, y, stop)", "step": "arange_tangent(0.0, step_dot, y, stop)"})
    spaced = "start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0"
    d(np.logspace, spaced, constant="num, endpoint, dtype, axis",
      dstart="logspace_adjoint(dy, y, start, stop, num, endpoint, base, axis, 'start')",
      dstop="logspace_adjoint(dy, y, start, stop, num, endpoint, base, axis, 'stop')",
      jvp={"start": "logspace_tangent(start_dot, 0.0, y, start, stop, num, endpoint, base, axis)",
           "stop": "logspace_tangent(0.0, stop_dot, y, start, stop, num, endpoint, base, axis)"})
    d(np.geomspace, "start, stop, num=50, endpoint=True, dtype=None, axis=0", constant="num, endpoint, dtype, axis",
      dstart="geomspace_adjoint(dy, y, start, stop, num, endpoint, axis, 'start')",
      dstop="geomspace_adjoint(dy, y, start, stop, num, endpoint, axis, 'stop')",
      jvp={"start": "geomspace_tangent(start_dot, 0.0, y, start, stop, num, endpoint, axis)",
           "stop": "geomspace_tangent(0.0, stop_dot, y, start, stop, num, endpoint, axis)"})
    # bin b holds the sum of the weights whose index is b: linear in the weights
    d(np.bincount, "x, weights=None, minlength=0", constant="x, minlength", dweights="dy[x]", linear=True)
    # heaviside(x1, x2) is x2 where x1 == 0, a step in x1 elsewhere
    d(np.heaviside, "x1, x2", elementwise=True, broadcasts=True, constant="x1", dx2="dy * (x1 == 0)")
    d(("method", "tolist"), "self", dself="in_library_of(np.reshape(np.asarray(dy), np.shape(self)), self)", linear=True)


def _refused_values(rules) -> None:
    """Results that hold values of an array chosen by a draw or by equality: which element went where is
    not in the result, so no adjoint can be sent back."""
    drawn = dict(construct="a random choice or permutation of values that carry derivatives",
                 hint="draw positions instead and index with them: idx = rng.permutation(len(x)) "
                      "(or rng.choice(len(x), size)), then x[idx]")
    rules.refuse_derivatives(np.random.choice, np.random.permutation, ("method", "choice"),
                             ("method", "permutation"), **drawn)
    rules.refuse_derivatives(
        np.unique, construct="np.unique of values that carry derivatives",
        hint="take the positions from values that carry none: "
             "_, idx = np.unique(s2sgrad.stop_gradient(x), return_index=True), then x[idx]")
    rules.refuse_derivatives(
        np.histogram, construct="np.histogram of values that carry derivatives (its bin edges follow them)",
        hint="histogram s2sgrad.stop_gradient(x) if only the counts are wanted (they are piecewise constant)")


def _building_and_rearranging(d) -> None:
    # start (1 - t) + stop t for the fractions t: linear in the endpoints together (replaces the
    # nondifferentiable entry above; dtype= of an integer type makes it piecewise constant, still 0 a.e.)
    linspace = "start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0"
    d(np.linspace, linspace, linear=True,
      dstart="linspace_adjoint(dy, start, stop, num, endpoint, retstep, axis, 'start')",
      dstop="linspace_adjoint(dy, start, stop, num, endpoint, retstep, axis, 'stop')")
    d(np.append, "arr, values, axis=None", linear=True, darr="append_adjoint(dy, arr, values, axis, 'arr')",
      dvalues="append_adjoint(dy, arr, values, axis, 'values')")
    d(np.cross, "a, b, axisa=-1, axisb=-1, axisc=-1, axis=None", multilinear=True,
      da="cross_adjoint_a(dy, a, b, axisa, axisb, axisc, axis)", db="cross_adjoint_b(dy, a, b, axisa, axisb, axisc, axis)")
    d(np.column_stack, "tup", dtup="column_stack_adjoint(dy, tup)", linear=True)
    d(np.dstack, "tup", dtup="dstack_adjoint(dy, tup)", linear=True)
    # splitting: dy holds one adjoint per piece, joined back along the axis each one splits
    d(np.vsplit, "ary, indices_or_sections", dary="np.concatenate(dy, axis=0)", linear=True)
    d(np.hsplit, "ary, indices_or_sections", dary="np.concatenate(dy, axis=1 if np.ndim(ary) > 1 else 0)", linear=True)
    d(np.dsplit, "ary, indices_or_sections", dary="np.concatenate(dy, axis=2)", linear=True)
    d(np.select, "condlist, choicelist, default=0", linear=True,
      dchoicelist="select_adjoint_choices(dy, condlist, choicelist)",
      ddefault="select_adjoint_default(dy, condlist, default)")
    # np.r_[a, 0:3, b] is lowered to a call of this entry on its items; strings and slices carry no derivative
    for concatenator, shown in ((np.r_, "np.r_"), (np.c_, "np.c_")):
        d(concatenator, "*items", linear=True, name=shown, ditems=f"axis_concatenator_adjoint(dy, {shown}, items)",
          jvp={"items": f"axis_concatenator_tangent({shown}, items, items_dot)"})
    d(np.rollaxis, "a, axis, start=0", da="rollaxis_adjoint(dy, a, axis, start)", linear=True)
    d(np.partition, "a, kth, axis=-1, kind='introselect', order=None", da="partition_adjoint(dy, a, kth, axis)",
      jvp={"a": "partition_tangent(a_dot, a, kth, axis)"})
    d(np.fft.fftshift, "x, axes=None", dx="np.fft.ifftshift(dy, axes)", linear=True)
    d(np.fft.ifftshift, "x, axes=None", dx="np.fft.fftshift(dy, axes)", linear=True)
    # finite values pass through; the replacement values collect the adjoints of what they replace
    d(np.nan_to_num, "x, copy=True, nan=0.0, posinf=None, neginf=None", elementwise=True, broadcasts=True,
      dx="dy * np.isfinite(x)", dnan="dy * np.isnan(x)", dposinf="dy * np.isposinf(x)",
      dneginf="dy * np.isneginf(x)")


def _one_dimensional_numerics(d) -> None:
    d(np.polyval, "p, x", dp="polyval_adjoint_p(dy, p, x)", dx="dy * polyval_slope(p, x)",
      jvp={"p": "polyval_tangent_p(p_dot, p, x)", "x": "x_dot * polyval_slope(p, x)"})
    # the knots xp have a derivative too, but it is not implemented: no slot, so one reaching them is refused
    interp = "x, xp, fp, left, right, period"
    d(np.interp, "x, xp, fp, left=None, right=None, period=None",
      dx=f"interp_adjoint_x(dy, {interp})", dfp=f"interp_adjoint_fp(dy, {interp})",
      dleft=f"interp_adjoint_left(dy, {interp})", dright=f"interp_adjoint_right(dy, {interp})",
      jvp={"x": f"interp_tangent_x(x_dot, {interp})", "fp": f"interp_tangent_fp(fp_dot, {interp})",
           "left": f"interp_tangent_left(left_dot, {interp})", "right": f"interp_tangent_right(right_dot, {interp})"})
    d(np.convolve, "a, v, mode='full'", multilinear=True, da="convolve_adjoint(dy, a, v, mode, 'a')",
      dv="convolve_adjoint(dy, a, v, mode, 'v')")
    d(np.correlate, "a, v, mode='valid'", multilinear=True, da="correlate_adjoint(dy, a, v, mode, 'a')",
      dv="correlate_adjoint(dy, a, v, mode, 'v')")
    # the samples are called y, so the result is z here
    for trapezoid in (getattr(np, "trapezoid", None), getattr(np, "trapz", None)):
        if trapezoid is not None:
            d(trapezoid, "y, x=None, dx=1.0, axis=-1", result="z", dy="trapezoid_adjoint_y(dz, y, x, dx, axis)",
              dx="trapezoid_adjoint_x(dz, y, x, axis)", ddx="trapezoid_adjoint_dx(dz, y, dx, axis)",
              jvp={"y": "np.trapezoid(y_dot, x, dx, axis)" if hasattr(np, "trapezoid")
                   else "np.trapz(y_dot, x, dx, axis)",
                   "x": "trapezoid_tangent_x(x_dot, y, x, axis)", "dx": "trapezoid_tangent_dx(dx_dot, y, axis)"})


def _fourier(d, rules) -> None:
    """np.fft: every transform is linear over the reals, so its tangent is the transform of the tangent;
    the adjoints (runtime/fft.py) are transposes in the complex convention."""
    one = "a, n=None, axis=-1, norm=None, out=None"
    for name in ("fft", "ifft", "rfft", "irfft", "hfft", "ihfft"):
        d(getattr(np.fft, name), one, linear=True, da=f"{name}_adjoint(dy, a, n, axis, norm)")
    for name, adjoint, axes in (("fft2", "fftn", "(-2, -1)"), ("ifft2", "ifftn", "(-2, -1)"), ("fftn", "fftn", "None"),
                                ("ifftn", "ifftn", "None"), ("rfft2", "rfftn", "(-2, -1)"),
                                ("irfft2", "irfftn", "(-2, -1)"), ("rfftn", "rfftn", "None"),
                                ("irfftn", "irfftn", "None")):
        d(getattr(np.fft, name), f"a, s=None, axes={axes}, norm=None, out=None", linear=True,
          da=f"{adjoint}_adjoint(dy, a, s, axes, norm)")
    # the frequencies are k / (n d): the spacing d scales them (n is a count)
    for fn in (np.fft.fftfreq, np.fft.rfftfreq):
        d(fn, "n, d=1.0, device=None", constant="n, device", dd="-np.sum(dy * y) / d", jvp={"d": "-d_dot * y / d"})


def _complex_values(rules) -> None:
    """The entries whose slots hold for complex operands (Facts.complex); the others refuse them."""
    holomorphic = (
        np.negative, np.positive, np.exp, np.exp2, np.expm1, np.log, np.log2, np.log10, np.log1p, np.sqrt, np.square,
        np.reciprocal, np.sin, np.cos, np.tan, np.arcsin, np.arccos, np.arctan, np.sinh, np.cosh, np.tanh,
        np.arcsinh, np.arccosh, np.arctanh, np.add, np.subtract, np.multiply, np.divide, np.power,
    )
    method = lambda name: ("method", name)       # noqa: E731
    linear = (
        np.sum, np.mean, np.cumsum, method("sum"), method("mean"), method("cumsum"),
        np.dot, np.matmul, np.inner, np.outer, np.vdot, np.tensordot, np.einsum, np.kron, np.trace, np.diagonal,
        np.diag, np.triu, np.tril, method("dot"), method("trace"), method("diagonal"),
        np.reshape, np.ravel, np.squeeze, np.expand_dims, np.atleast_1d, np.atleast_2d, np.atleast_3d,
        np.transpose, np.swapaxes, np.moveaxis, np.broadcast_to, np.concatenate, np.stack, np.hstack, np.vstack,
        np.split, np.array_split, np.tile, np.repeat, np.flip, np.fliplr, np.flipud, np.roll, np.rot90,
        np.take, np.take_along_axis, np.array, np.asarray, np.asanyarray, np.ascontiguousarray, np.copy,
        method("ravel"), method("squeeze"), method("swapaxes"), method("repeat"), method("take"),
        method("reshape"), method("flatten"), method("transpose"), method("copy"), ("attr", "T"), ("attr", "mT"),
        np.conj, np.conjugate, method("conj"), method("conjugate"), np.r_, np.c_,
        np.fft.fftshift, np.fft.ifftshift, np.linalg.inv, np.linalg.det, np.linalg.solve,
        np.where,                                # a selection: each element's adjoint goes back where it came from
    )
    rules.declare_complex(*holomorphic, *linear)
    rules.declare_complex(np.absolute, np.real, np.imag, np.angle, ("attr", "real"), ("attr", "imag"), result="real")
    fourier = [getattr(np.fft, n) for n in ("fft", "ifft", "fft2", "ifft2", "fftn", "ifftn", "rfft", "rfft2", "rfftn",
                                            "ihfft")]
    rules.declare_complex(*fourier, result="complex")
    rules.declare_complex(np.fft.irfft, np.fft.irfft2, np.fft.irfftn, np.fft.hfft, result="real")
    rules.declare_complex(np.linalg.eig, np.linalg.eigvals, result="complex")
    rules.declare_containers(np.linalg.eig)


def _finite_differences(d, rules) -> None:
    # linear in the samples; the spacing (varargs) has no slot, so a derivative reaching it is refused
    d(np.gradient, "f, *varargs, axis=None, edge_order=1", linear=True,
      df="gradient_adjoint(dy, f, varargs, axis, edge_order)")
    rules.declare_containers(np.gradient)       # one array per axis
    rules.declare_complex(np.gradient)


def _memory(rules) -> None:
    """Which results may share memory with the first argument, and which are always fresh arrays:
    in-place writes (ssa/inplace.py) refuse writes into views and accept them into fresh arrays. Every
    entry that can return a view must be declared a view, or a write would silently change a value read
    later."""
    method = lambda name: ("method", name)       # noqa: E731
    rules.declare_memory(
        "view", np.reshape, np.ravel, np.transpose, np.swapaxes, np.moveaxis, np.rollaxis, np.squeeze,
        np.expand_dims, np.broadcast_to, np.broadcast_arrays, np.diagonal, np.atleast_1d, np.atleast_2d,
        np.atleast_3d, np.asarray, np.asanyarray, np.ascontiguousarray, np.real, np.imag, np.flip, np.fliplr,
        np.flipud, np.rot90, np.split, np.array_split, np.hsplit, np.vsplit, np.dsplit,
        method("reshape"), method("ravel"), method("transpose"), method("swapaxes"), method("squeeze"),
        method("diagonal"), ("attr", "T"), ("attr", "mT"), ("attr", "real"), ("attr", "imag"),
        np.einsum, np.diag, method("conj"), method("conjugate"), list, tuple)   # 'ii->i', a real x.conj(), rows
    rules.declare_memory(
        "new", np.zeros, np.ones, np.empty, np.full, np.zeros_like, np.ones_like, np.empty_like, np.full_like,
        np.array, np.copy, np.arange, np.linspace, np.eye, np.identity, np.concatenate, np.stack, np.hstack,
        np.vstack, np.tile, np.repeat, np.outer, np.dot, np.matmul, np.tensordot, np.kron, np.triu, np.tril,
        np.cumsum, np.cumprod, np.where, np.clip, np.sort, np.pad, np.maximum.accumulate, np.minimum.accumulate,
        method("copy"), method("astype"), method("flatten"), method("cumsum"), method("cumprod"), method("dot"))


def _nan_reductions(d) -> None:
    # with a mask (where=), the elements it leaves out count as NaNs do
    taken = "where & ~np.isnan(a)"
    d(np.nansum, "a, axis=None, dtype=None, out=None, keepdims=False, initial=0, where=True",
      da="nansum_adjoint(dy, a, axis, keepdims) if where is True else "
         "np.where(where, nansum_adjoint(dy, a, axis, keepdims), 0)", dinitial="np.sum(dy)",
      jvp={"a": "nansum_tangent(a_dot, a, axis, keepdims) if where is True else "
                "nansum_tangent(np.where(where, a_dot, 0), a, axis, keepdims)",
           "initial": "broadcast_like(initial_dot, y)"})
    d(np.nanmean, "a, axis=None, dtype=None, out=None, keepdims=False, *, where=True",
      da=f"nanmean_adjoint(dy, a, axis, keepdims) if where is True else "
         f"masked_mean_adjoint(dy, a, axis, keepdims, {taken})",
      jvp={"a": f"nanmean_tangent(a_dot, a, axis, keepdims) if where is True else "
                f"np.mean(np.where({taken}, a_dot, 0), axis, keepdims=keepdims, where={taken})"})
    d(np.nanprod, NAN_REDUCTION, da="nanprod_adjoint(dy, a, axis, keepdims)",
      jvp={"a": "nanprod_tangent(a_dot, a, axis, keepdims)"})
    # NaN never equals the extremum, so the extremum's own rule leaves NaNs out
    finite = "np.where(np.isnan(a), 0, a_dot)"
    for fn in (np.nanmax, np.nanmin):
        d(fn, EXTREMUM, da=_EXTREMUM_RULE["da"], dinitial=_EXTREMUM_RULE["dinitial"],
          jvp={"a": f"extremum_tangent({finite}, a, y, axis, keepdims) if initial is None else "
                    + _MASKED.format("tangent", finite, ""), "initial": _EXTREMUM_RULE["jvp"]["initial"]})
    d(np.nanvar, NAN_VARIANCE, da="nanvar_adjoint(dy, a, axis, ddof, keepdims)",
      jvp={"a": "nanvar_tangent(a_dot, a, axis, ddof, keepdims)"})
    d(np.nanstd, NAN_VARIANCE, da="std_adjoint(dy, a, y, axis, ddof, keepdims, True)",
      jvp={"a": "std_tangent(a_dot, a, y, axis, ddof, keepdims, True)"})


def _quantiles(d) -> None:
    # method='linear' blends two order statistics per output (runtime/quantiles.py); the helpers refuse any
    # other method and overwrite_input=True where they run. q has no slot: a derivative reaching it is refused
    median = "a, axis=None, out=None, overwrite_input=False, keepdims=False"
    quantile = "a, q, axis=None, out=None, overwrite_input=False, method='linear', keepdims=False"
    for fn, nan in ((np.median, ""), (np.nanmedian, ", nan=True")):
        arguments = f"a, 0.5, axis, keepdims, overwrite_input=overwrite_input{nan}"
        d(fn, median, da=f"quantile_adjoint(dy, {arguments})", jvp={"a": f"quantile_tangent(a_dot, {arguments})"})
    percent = "np.divide(q, 100)"
    for fn, fraction, nan in ((np.quantile, "q", ""), (np.nanquantile, "q", ", nan=True"),
                              (np.percentile, percent, ""), (np.nanpercentile, percent, ", nan=True")):
        arguments = f"a, {fraction}, axis, keepdims, method, overwrite_input{nan}"
        d(fn, quantile, da=f"quantile_adjoint(dy, {arguments})", jvp={"a": f"quantile_tangent(a_dot, {arguments})"})


def _decompositions(d) -> None:
    # hermitian=True reads one triangle: left out of the parameters, so such a call is refused where it is made
    d(np.linalg.svd, "a, full_matrices=True, compute_uv=True", da="svd_adjoint(dy, a, y, full_matrices, compute_uv)",
      jvp={"a": "svd_tangent(a_dot, a, y, full_matrices, compute_uv)"})
    d(np.linalg.qr, "a, mode='reduced'", da="qr_adjoint(dy, a, y, mode)", jvp={"a": "qr_tangent(a_dot, a, y, mode)"})
    # (x, residuals, rank, singular values); the rank is piecewise constant
    d(np.linalg.lstsq, "a, b, rcond=None", da="lstsq_adjoint_a(dy, a, b, y)", db="lstsq_adjoint_b(dy, a, b, y)",
      jvp={"a": "lstsq_tangent_a(a_dot, a, b, y)", "b": "lstsq_tangent_b(b_dot, a, b, y)"})
    # general matrices: complex eigenvalues and vectors, vectors scaled as LAPACK scales them (runtime/eigen.py)
    d(np.linalg.eig, "a", da="eig_adjoint(dy, a, y)", jvp={"a": "eig_tangent(a_dot, a, y)"})
    d(np.linalg.eigvals, "a", da="eigvals_adjoint(dy, a)", jvp={"a": "eigvals_tangent(a_dot, a)"})
    d(np.linalg.matrix_power, "a, n", da="matrix_power_adjoint(dy, a, n)",
      jvp={"a": "matrix_power_tangent(a_dot, a, n)"})


def _edits_and_polynomials(d) -> None:
    # inserting and removing elements (runtime/array_edits.py): linear in the values moved, `obj` a position
    d(np.delete, "arr, obj, axis=None", linear=True, darr="delete_adjoint(dy, arr, obj, axis)")
    d(np.insert, "arr, obj, values, axis=None", linear=True, darr="insert_adjoint(dy, arr, obj, values, axis)",
      dvalues="insert_adjoint(dy, arr, obj, values, axis, 'values')")
    d(np.ediff1d, "ary, to_end=None, to_begin=None", linear=True,
      dary="ediff1d_adjoint(dy, ary, to_end, to_begin)", dto_end="ediff1d_adjoint(dy, ary, to_end, to_begin, 'to_end')",
      dto_begin="ediff1d_adjoint(dy, ary, to_end, to_begin, 'to_begin')")
    # powers of x by column (runtime/polynomials.py); N is a count
    d(np.vander, "x, N=None, increasing=False", dx="np.sum(dy * vander_slope(x, N, increasing), axis=1)",
      jvp={"x": "x_dot[:, None] * vander_slope(x, N, increasing)"})
    # the least-squares coefficients, differentiated through the normal equations; full=True (residuals,
    # rank, ...), weights w= and cov= are not parameters here, so such a call is refused where it is made
    d(np.polyfit, "x, y, deg, rcond=None", result="p", dy="polyfit_adjoint(dp, x, y, deg, rcond, p)",
      dx="polyfit_adjoint(dp, x, y, deg, rcond, p, 'x')",
      jvp={"y": "polyfit_tangent(None, y_dot, x, y, deg, rcond, p)",
           "x": "polyfit_tangent(x_dot, None, x, y, deg, rcond, p)"})


def _calling_user_functions(rules) -> None:
    """np.piecewise and np.apply_along_axis call the user's functions: each piece or slice is differentiated
    through them (runtime/called_functions.py, not array helpers: kept out of runtime.HELPERS, they run on
    NumPy arrays only). The conditions and the extra arguments have no slot: a derivative reaching them is
    refused where the call is made, as is one reaching the functions through what they read."""
    from ..runtime import called_functions as called
    helpers = {name: getattr(called, name) for name in called.__all__}
    rules.define(np.piecewise, "x, condlist, funclist, *args, **kw", calls="funclist", constant="condlist",
                 namespace=helpers, dx="piecewise_adjoint(dy, x, condlist, funclist, args, kw)",
                 jvp={"x": "piecewise_tangent(x_dot, x, condlist, funclist, args, kw)"})
    rules.define(np.apply_along_axis, "func1d, axis, arr, *args, **kwargs", calls="func1d", namespace=helpers,
                 darr="apply_along_axis_adjoint(dy, func1d, axis, arr, y, args, kwargs)",
                 jvp={"arr": "apply_along_axis_tangent(arr_dot, func1d, axis, arr, y, args, kwargs)"})
    # a second derivative would differentiate these helpers, which call the user's function's gradient
    rules.refuse_derivatives(
        *helpers.values(),
        construct="a second derivative through np.piecewise or np.apply_along_axis (s2sgrad differentiates "
                  "their calls of your functions once)",
        hint="write the pieces with np.where(condition, f(x), g(x)), and the slices as a loop or comprehension "
             "over them joined with np.stack, which s2sgrad differentiates to any order")
