"""Sample calls for the entries of the primitive table whose inputs its facts cannot generate.

Elementwise entries get their inputs from their facts alone (arity, domain,
broadcasting: see test_table.py). Every other differentiable entry needs at
least one sample call here; test_table.py fails for an entry that has none,
so a new rule cannot skip the check. Each sample is an argument list in
Python syntax over these input makers, drawn with a fixed seed:

    A(3, 4)    any values in [-2, 2]            P(3, 4)   positive, in [0.5, 2]
    HI(3)      in [2.5, 4] (above A)            values([..]) exactly these values
    SPD(3)     symmetric positive definite      SYM(3)    symmetric, distinct eigenvalues
    WC(3)      well-conditioned square          F(0.7)    a Python float
    B(3, 4)    booleans (not differentiated)    RNG()     a fresh np.random.Generator

Plain literals (ints, tuples, strings) are passed as they are and never differentiated.
Methods use their function's samples, the receiver first.
"""
from __future__ import annotations

import math

import gast
import numpy as np

def _oscillator(y, t, k, c):
    """A damped, driven oscillator: the right-hand side of odeint's samples."""
    return np.array([y[1], -k * y[0] - c * y[1] + np.sin(t)])


SAMPLES = {
    # Python's builtins take numbers, not arrays
    max: ["F(0.7), F(-0.3)", "F(-0.3), F(0.7)"],
    min: ["F(0.7), F(-0.3)", "F(-0.3), F(0.7)"],
    pow: ["F(1.3), F(0.7)", "F(1.3), F(-2.5)"],
    abs: ["F(0.7)", "F(-0.7)", "A(3, 4)"],
    gast.MatMult: ["A(3, 4), A(4, 2)", "A(4), A(4, 3)", "A(2, 3, 4), A(4)", "A(2, 1, 3, 4), A(5, 4, 2)"],
    float: ["F(0.7)"],
    divmod: ["F(1.7), F(0.6)", "F(-1.7), F(0.6)", "A(3), F(0.6)", "F(1.7), P(2)"],
    complex: ["F(0.7), F(-0.3)", "F(0.7)", "imag=F(1.2), real=F(-0.4)"],
    # builtins over a whole list or array (rows of a 2-D array)
    sum: ["[F(0.7), F(-0.3), F(1.2)]", "A(3, 2)", "[A(2), A(2)], A(2)", "[F(0.7), A(3)]"],
    math.fsum: ["[F(0.7), F(-0.3), F(1.2)]", "(F(0.5), F(2.0))"],
    math.prod: ["[F(0.7), F(-0.3), F(1.2)]", "(F(0.5), F(0.0), F(2.0))", "[A(3), F(0.4)], start=F(1.5)", "A(3, 2)"],
    list: ["[F(0.7), F(-0.3)]", "A(3, 2)", "(A(2), F(0.4))"],
    sorted: ["[F(0.7), F(-0.3), F(1.2)]", "A(4)", "[F(0.7), F(-0.3), F(1.2)], reverse=True"],
    # dict of (key, value) pairs: a repeated key keeps its last value
    dict: ["[('a', F(0.7)), ('b', A(3))]", "[('a', F(0.7)), ('b', F(-0.3)), ('a', F(1.2))]"],
    np.where: ["B(3, 4), A(3, 4), A(3, 4)", "B(3, 4), A(3, 1), A(4)", "B(4), F(0.3), A(3, 4)"],
    np.sum: ["A(2, 3, 4)", "A(2, 3, 4), axis=1", "A(2, 3, 4), axis=(0, 2), keepdims=True", "A(5), axis=-1"],
    np.prod: ["P(2, 3, 4)", "P(2, 3, 4), axis=1", "P(2, 3, 4), axis=(0, 2), keepdims=True"],
    np.max: ["A(2, 3, 4)", "A(2, 3, 4), axis=1", "A(2, 3, 4), axis=(0, 2), keepdims=True"],
    np.var: ["A(2, 3, 4)", "A(2, 3, 4), axis=1", "A(2, 3, 4), axis=(0, 2), ddof=1, keepdims=True"],
    np.cumsum: ["A(2, 3, 4)", "A(2, 3, 4), axis=1"],
    np.cumprod: ["P(2, 3, 4)", "P(2, 3, 4), axis=1", "values([2.0, 0.0, 3.0, 0.5])", "values([[0.0, 2.0], [1.5, 0.0]]), axis=0"],
    np.linalg.norm: ["A(3, 4)", "A(5), ord=1", "A(5), ord=3", "A(3, 4), ord=np.inf, axis=1", "A(3, 4), ord='fro'",
                     "A(3, 4), ord='nuc'", "A(3, 4), ord=2", "A(2, 3, 4), axis=(1, 2), keepdims=True",
                     "A(3, 4), ord=1", "A(3, 4), ord=-np.inf"],
    np.diff: ["A(6)", "A(3, 5), n=2, axis=0"],
    np.cov: ["A(3, 5)", "A(3, 5), A(2, 5)", "A(5, 3), rowvar=False", "A(5), A(5), bias=True", "A(4), ddof=2",
             "A(5, 2), A(5), False"],
    np.corrcoef: ["A(3, 5)", "A(5), A(5)", "A(5, 3), rowvar=False", "A(2, 5), A(5)"],
    np.average: ["A(2, 3)", "A(2, 3), 1", "A(2, 3), 0, P(2)", "A(2, 3), axis=1, weights=P(2, 3)",
                 "A(2, 3, 4), (0, 2), P(2, 3, 4), keepdims=True", "A(4), weights=P(4)", "A(3, 2), -1, P(2)"],
    np.maximum.accumulate: ["A(6)", "A(3, 5), axis=1", "A(2, 3, 4), -3"],
    np.minimum.accumulate: ["A(6)", "A(3, 5), axis=0"],
    np.dot: ["A(3, 4), A(4, 2)", "A(4), A(4)", "F(0.7), A(3)", "A(2, 3, 4), A(4, 5)"],
    np.inner: ["A(3, 4), A(2, 4)", "A(4), A(4)"],
    np.outer: ["A(3), A(4)", "A(2, 2), A(3)"],
    np.vdot: ["A(3, 2), A(6)"],
    np.tensordot: ["A(2, 3, 4), A(3, 4, 5)", "A(2, 3, 4), A(4, 3), axes=([1, 2], [1, 0])", "A(2, 3), A(3, 4), axes=1"],
    np.einsum: ["'ij,jk->ik', A(2, 3), A(3, 4)", "'ii->i', A(3, 3)", "'i,i,i->', A(4), A(4), A(4)",
                "'...ij,...jk', A(2, 2, 3), A(3, 4)", "'ij->ji', A(2, 3)", "A(2, 3), [0, 1], A(3, 4), [1, 2]",
                "A(3, 3), [0, 0]", "A(2, 3, 4), [Ellipsis, 1], A(4), [1]", "A(2, 3, 4), [0, Ellipsis, 1], A(4), [1], [Ellipsis, 0]", "'ii->', A(3, 3)",
                "A(2, 3), [0, 1], A(3), [1], [1, 0]"],
    np.kron: ["A(2, 3), A(2, 2)", "A(3), A(2)"],
    np.trace: ["A(3, 3)", "A(2, 3, 4), offset=1, axis1=1, axis2=2"],
    np.diagonal: ["A(3, 4)", "A(2, 3, 4), offset=-1, axis1=1, axis2=2"],
    np.diag: ["A(3, 3)", "A(3)", "A(3), k=1"],
    np.triu: ["A(3, 4)", "A(2, 3, 3), k=1"],
    np.tril: ["A(3, 4)", "A(2, 3, 3), k=-1"],
    np.linalg.inv: ["WC(3)", "WC(2, 3)"],
    np.linalg.det: ["WC(3)", "WC(2, 3)"],
    np.linalg.slogdet: ["WC(3)"],
    np.linalg.solve: ["WC(3), A(3)", "WC(3), A(3, 2)", "WC(2, 3), A(2, 3, 2)"],
    np.linalg.cholesky: ["SPD(3)", "SPD(2, 3)", "SPD(3), upper=True"],
    np.linalg.eigh: ["SYM(3)", "SYM(3), UPLO='U'"],
    np.linalg.eigvalsh: ["SYM(3)", "SYM(2, 3)"],
    np.linalg.pinv: ["A(3, 2)", "A(2, 4)"],
    np.reshape: ["A(2, 3, 4), (6, 4)", "A(2, 3), (3, 2), order='F'"],
    np.ravel: ["A(2, 3)", "A(2, 3), order='F'"],
    np.squeeze: ["A(1, 3, 1)", "A(1, 3, 1), axis=0"],
    np.expand_dims: ["A(3, 2), 1"],
    np.atleast_1d: ["F(0.5)", "A(3)"],
    np.atleast_2d: ["A(3)"],
    np.atleast_3d: ["A(3, 2)"],
    np.transpose: ["A(2, 3, 4)", "A(2, 3, 4), (1, 2, 0)"],
    np.swapaxes: ["A(2, 3, 4), 0, 2"],
    np.moveaxis: ["A(2, 3, 4), 0, -1"],
    np.broadcast_to: ["A(3, 1), (2, 3, 4)"],
    np.broadcast_arrays: ["A(3, 1), A(4)"],
    np.concatenate: ["[A(2, 3), A(1, 3)]", "[A(2, 3), A(2, 2)], axis=1"],
    np.stack: ["[A(2, 3), A(2, 3)]", "[A(2, 3), A(2, 3)], axis=-1"],
    np.hstack: ["[A(2, 3), A(2, 1)]", "[A(3), A(2)]"],
    np.vstack: ["[A(2, 3), A(1, 3)]", "[A(3), A(3)]"],
    np.split: ["A(6, 2), 3", "A(2, 5), [1, 3], axis=1"],
    np.array_split: ["A(7), 3"],
    np.tile: ["A(2, 3), (2, 1)", "A(3), 2"],
    np.repeat: ["A(2, 3), 2", "A(2, 3), [1, 2, 0], axis=1"],
    np.flip: ["A(2, 3)", "A(2, 3), axis=1"],
    np.fliplr: ["A(2, 3)"],
    np.flipud: ["A(2, 3)"],
    np.roll: ["A(5), 2", "A(2, 3), 1, axis=1"],
    np.rot90: ["A(2, 3)", "A(2, 3), 3"],
    np.pad: ["A(2, 3), 1", "A(2, 3), ((1, 0), (0, 2)), constant_values=F(0.5)", "A(4), 2, mode='reflect'",
             "A(2, 3), 1, mode='edge'"],
    np.sort: ["A(2, 5)", "A(2, 5), axis=0", "A(2, 5), axis=None"],
    np.take: ["A(6), [0, 2, 2]", "A(3, 4), [1, 0], axis=1"],
    np.take_along_axis: ["A(3, 4), np.array([[0, 1], [3, 3], [2, 0]]), axis=1"],
    np.array: ["A(3)", "A(3), ndmin=2", "A(2, 3), int", "A(3), dtype=bool, ndmin=2", "A(3), 'float64'"],
    np.asarray: ["A(3)", "A(2, 3), dtype=int", "A(3), 'float64'"],
    np.copy: ["A(2, 3)", "A(3), 'F'"],
    np.asanyarray: ["A(3)", "A(2, 3), int"],
    np.ascontiguousarray: ["A(3)", "A(3), bool"],
    np.float64: ["F(0.7)"],
    np.float32: ["F(0.7)"],
    np.float16: ["F(0.7)"],
    np.longdouble: ["F(0.7)"],
    ("method", "reshape"): ["A(2, 3), 3, 2", "A(2, 3), (6,)", "A(2, 3), -1, order='F'"],
    ("method", "flatten"): ["A(2, 3)"],
    ("method", "transpose"): ["A(2, 3)", "A(2, 3, 4), 2, 0, 1"],
    ("method", "copy"): ["A(2, 3)"],
    ("method", "item"): ["A(1, 1)", "A(3), 1"],
    ("method", "tolist"): ["A(3)", "A(2, 3)"],
    np.meshgrid: ["A(3), A(2)", "A(3), A(2), indexing='ij'", "A(2), A(3), A(4)", "A(3), A(2), sparse=True"],
    np.arange: ["F(0.5), F(2.7), F(0.3)", "F(-1.2), F(1.0)", "F(2.5)"],
    np.logspace: ["F(0.2), F(1.5), 5", "A(2), A(2), 4, True, 2.0, None, 1", "F(-0.5), F(0.5), 3, False"],
    np.geomspace: ["P(2), HI(2), 4", "F(0.5), F(3.0), 5, False", "P(2), HI(2), 3, True, None, 1"],
    np.bincount: ["[0, 1, 1, 3], A(4)", "[2, 0, 2], A(3), 5"],
    np.fft.fftfreq: ["8, F(0.5)", "7, F(0.2)"],
    np.ptp: ["A(3, 4)", "A(3, 4), 1", "A(2, 3, 4), (0, 2), None, True"],
    np.fft.rfftfreq: ["8, F(0.5)", "7, F(0.2)"],
    ("method", "astype"): ["A(2, 3), 'float64'", "A(2, 3), int", "A(3), bool", "A(3), np.float32"],
    ("method", "conj"): ["A(2, 3)"],
    ("method", "conjugate"): ["A(2, 3)"],
    ("attr", "T"): ["A(2, 3)"],
    ("attr", "mT"): ["A(4, 2, 3)"],
    ("attr", "real"): ["A(2, 3)"],
    ("attr", "imag"): ["A(2, 3)"],
    np.full: ["(2, 3), F(0.5)", "(2, 3), A(3)"],
    np.full_like: ["np.zeros((2, 3)), F(0.5)", "np.zeros((2, 3)), A(2, 1)", "np.zeros((2, 3)), A(3), dtype=bool"],
    np.random.normal: ["A(3), P(3)", "F(0.3), P(2, 3)", "F(0.3), F(1.5), size=(4,)", "F(0.3), F(1.5), 4",
                       "A(3), F(1.5), (2, 3)", "F(0.3), F(1.5)"],
    np.random.uniform: ["A(3), HI(3)", "F(-1.0), F(2.0), size=(4,)", "F(-1.0), F(2.0), (2, 2)"],
    ("method", "normal"): ["RNG(), A(3), P(3)", "RNG(), F(0.3), F(1.5), 4"],
    ("method", "uniform"): ["RNG(), A(3), HI(3)", "RNG(), F(-1.0), F(2.0), (3,)"],
}

# ---- more of NumPy (library coverage) -------------------------------------------------------------
_NAN_ROWS = "values([[0.5, np.nan, -1.2, 0.3], [1.1, 0.2, np.nan, -0.4], [np.nan, 0.7, 0.9, 1.5]])"
SAMPLES.update({
    np.linspace: ["F(0.3), F(2.0), 5", "A(3), A(3), 4, endpoint=False", "F(-1.0), A(2), 3, axis=1",
                  "F(0.5), F(1.5), 4, retstep=True", "A(2), F(1.0), 1"],
    np.append: ["A(2, 3), A(4)", "A(2, 3), A(1, 3), axis=0", "F(0.5), A(3)"],
    # (2-vectors, deprecated since NumPy 2.0, are checked in tests/coverage/test_numpy_functions.py)
    np.cross: ["A(3), A(3)", "A(4, 3), A(3)", "A(3, 4), A(4, 3), axisa=0", "A(3, 5), A(3, 5), axis=0"],
    np.column_stack: ["[A(3), A(3, 2)]", "[A(4), A(4)]"],
    np.dstack: ["[A(2, 3), A(2, 3, 2)]", "[A(3), A(3)]"],
    np.vsplit: ["A(4, 3), 2", "A(5, 2), [1, 3]"],
    np.hsplit: ["A(3, 4), 2", "A(6), 3"],
    np.dsplit: ["A(2, 2, 4), 2"],
    np.select: ["[B(3, 4), B(3, 4)], [A(3, 4), A(3, 4)]", "[B(3, 4), B(4)], [A(3, 4), A(4)], default=A(3, 1)",
                "[B(5)], [A(5)], F(0.3)"],
    np.rollaxis: ["A(2, 3, 4), 2", "A(2, 3, 4), 0, 3", "A(2, 3, 4), -1, 1"],
    np.r_: ["A(3), A(2)", "A(2, 3), A(1, 3)", "A(3), F(0.7), slice(0, 3), A(2)", "'0,2', A(3), A(3)"],
    np.c_: ["A(3), A(3)", "A(3, 2), A(3)", "'1,2,0', A(2), A(2)"],
    np.fft.fft: ["A(6)", "A(3, 5), n=4, axis=0", "A(5), n=8, norm='ortho'", "A(2, 6), norm='forward'"],
    np.fft.ifft: ["A(6)", "A(3, 5), n=7, axis=0, norm='ortho'"],
    np.fft.rfft: ["A(6)", "A(2, 7), n=5", "A(3, 4), axis=0, norm='ortho'", "A(6), n=9, norm='forward'"],
    np.fft.irfft: ["A(4)", "A(2, 5), n=7", "A(4, 3), axis=0, n=10, norm='ortho'", "A(5), norm='forward'"],
    np.fft.hfft: ["A(4)", "A(2, 4), n=5, norm='ortho'"],
    np.fft.ihfft: ["A(6)", "A(2, 7), n=5, norm='forward'"],
    np.fft.fft2: ["A(3, 4)", "A(2, 3, 4), s=(4, 3), norm='ortho'"],
    np.fft.ifft2: ["A(3, 4)", "A(3, 4), s=(2, 6), axes=(1, 0)"],
    np.fft.fftn: ["A(2, 3, 4)", "A(2, 3, 4), s=(5, 3), axes=(0, 2), norm='forward'"],
    np.fft.ifftn: ["A(2, 3, 4)", "A(3, 4), axes=(0,)"],
    np.fft.rfft2: ["A(3, 4)", "A(2, 3, 5), s=(4, 4), norm='ortho'"],
    np.fft.irfft2: ["A(3, 4)", "A(3, 4), s=(4, 5)"],
    np.fft.rfftn: ["A(2, 3, 4)", "A(2, 3, 4), s=(4, 5), axes=(0, 1)"],
    np.fft.irfftn: ["A(2, 3, 4)", "A(2, 3, 4), s=(3, 5), axes=(1, 2), norm='ortho'"],
    np.gradient: ["A(6)", "A(6), F(0.5)", "A(6), np.array([0.0, 0.3, 1.0, 1.2, 2.0, 2.7]), edge_order=2",
                  "A(3, 5)", "A(3, 5), 0.5, 2.0", "A(2, 3, 4), axis=(0, 2)", "A(3, 5), axis=-1, edge_order=2"],
    np.linalg.eig: ["WC(3)", "WC(2, 3)"],
    np.linalg.eigvals: ["WC(3)", "WC(2, 4)"],
    np.angle: ["A(3, 4)", "A(5), deg=True"],
    np.fft.fftshift: ["A(5)", "A(4, 5), axes=1", "A(3, 4)"],
    np.fft.ifftshift: ["A(5)", "A(4, 5), axes=(0,)"],
    np.nan_to_num: ["A(3, 4)", "values([1.0, np.nan, np.inf, -np.inf, 2.0])",
                    "values([1.0, np.nan, np.inf, -np.inf]), nan=F(0.5), posinf=F(10.0), neginf=F(-10.0)"],
    np.polyval: ["A(4), A(3, 2)", "A(1), A(3)", "A(3), F(0.7)"],
    np.interp: ["A(7), np.linspace(-1.5, 1.5, 6), A(6)", "A(7), np.linspace(-1.5, 1.5, 6), A(6), F(0.2), F(-0.4)",
                "F(0.3), np.array([-1.0, 0.0, 2.0]), A(3)"],
    np.convolve: ["A(5), A(3)", "A(3), A(5)", "A(5), A(3), 'same'", "A(4), A(2), 'same'", "A(2), A(5), 'same'",
                  "A(6), A(4), mode='valid'", "A(3), A(6), 'valid'"],
    np.correlate: ["A(5), A(3)", "A(3), A(5)", "A(5), A(3), 'same'", "A(4), A(2), 'same'", "A(2), A(5), 'same'",
                   "A(4), A(7), 'same'", "A(6), A(4), 'full'", "A(3), A(6), 'full'"],
    np.nansum: [_NAN_ROWS, _NAN_ROWS + ", axis=1", _NAN_ROWS + ", axis=0, keepdims=True", "A(2, 3)"],
    np.nanmean: [_NAN_ROWS, _NAN_ROWS + ", axis=1", _NAN_ROWS + ", axis=0, keepdims=True"],
    np.nanprod: [_NAN_ROWS, _NAN_ROWS + ", axis=1"],
    np.nanmax: [_NAN_ROWS, _NAN_ROWS + ", axis=1", _NAN_ROWS + ", axis=0, keepdims=True"],
    np.nanvar: [_NAN_ROWS, _NAN_ROWS + ", axis=1", _NAN_ROWS + ", axis=0, ddof=1, keepdims=True"],
    np.linalg.svd: ["A(3, 3)", "A(4, 3), full_matrices=False", "A(2, 4), full_matrices=False",
                    "A(2, 3, 3)", "A(4, 3), compute_uv=False", "A(2, 4, 3), False, False"],
    np.linalg.qr: ["A(3, 3)", "A(4, 3)", "A(2, 4, 3)", "A(4, 3), mode='r'"],
    # method='linear' quantiles: odd and even lengths, int and tuple axes, q a number or a 1-D array
    np.median: ["A(7)", "A(6)", "A(3, 4), axis=1", "A(2, 3, 4), axis=(0, 2), keepdims=True"],
    np.quantile: ["A(7), 0.3", "A(3, 5), [0.1, 0.5, 1.0], axis=1", "A(3, 4), 0.0",
                  "A(2, 3, 4), np.array([0.25, 0.8]), (0, 2), keepdims=True"],
    np.percentile: ["A(6), 40.0", "A(4, 3), [10.0, 75.0], axis=0, keepdims=True"],
    np.nanmedian: [_NAN_ROWS, _NAN_ROWS + ", axis=1", _NAN_ROWS + ", axis=0, keepdims=True"],
    np.nanquantile: [_NAN_ROWS + ", 0.3", _NAN_ROWS + ", [0.2, 0.9], axis=1"],
    np.nanpercentile: [_NAN_ROWS + ", 60.0, axis=0", _NAN_ROWS + ", [5.0, 50.0], axis=(0, 1), keepdims=True"],
    np.partition: ["A(7), 3", "A(3, 5), [1, 3], axis=1", "A(2, 4), 2, axis=None"],
    np.linalg.lstsq: ["A(5, 3), A(5)", "A(5, 3), A(5, 2)", "A(3, 3), A(3)", "A(4, 2), A(4), rcond=None"],
    np.linalg.matrix_power: ["A(3, 3), 3", "WC(3), -2", "A(3, 3), 0", "A(2, 3, 3), 2", "A(3, 3), 1"],
    # single elements: the standard deviation of one number is 0 whatever it is
    np.std: ["A(2, 3, 4)", "A(2, 3, 4), axis=1", "A(2, 3, 4), axis=(0, 2), ddof=1, keepdims=True", "A(1)",
             "A(3, 1), axis=1", "F(0.4)"],
})
if hasattr(np, "trapezoid"):
    SAMPLES[np.trapezoid] = ["A(5)", "A(3, 5), P(5)", "A(3, 5), dx=F(0.3)", "A(4, 3), A(4, 3), axis=0",
                             "A(4, 3), np.array([0.0, 0.5, 1.5, 2.0]), axis=0"]
if hasattr(np, "trapz"):
    SAMPLES[np.trapz] = SAMPLES.get(np.trapezoid, ["A(5)", "A(3, 5), P(5)", "A(3, 5), dx=F(0.3)"])

# ---- reduction keywords: a mask (where=, a constant) and a starting value (initial=, differentiated) ----------
_ROW_MASK = "np.array([True, False, True, True])"
_GRID_MASK = "np.array([[True, False, True, False], [True, True, False, False], [False, True, True, False]])"
SAMPLES[np.sum] = [*SAMPLES[np.sum], f"A(3, 4), axis=1, where={_ROW_MASK}", f"A(3, 4), where={_GRID_MASK}",
                   "A(3, 4), axis=0, initial=F(0.4)", f"A(3, 4), 0, None, None, True, F(-0.3), {_GRID_MASK}"]
SAMPLES[np.mean] = [*SAMPLES[np.sum][:4], f"A(3, 4), axis=1, where={_ROW_MASK}",
                    "A(3, 4), axis=0, keepdims=True, where=np.array([[True, False, True, False], [True] * 4, "
                    "[False, True, False, True]])"]
SAMPLES[np.prod] = [*SAMPLES[np.prod], f"P(3, 4), axis=1, initial=F(0.7), where={_ROW_MASK}",
                    f"P(3, 4), where={_GRID_MASK}", "P(3, 4), 0, None, None, True, F(1.3)"]
# columns 3 (and 1 for min) take nothing from the mask: there initial is the extremum
SAMPLES[np.max] = [*SAMPLES[np.max], "A(3, 4), initial=F(2.5)", "A(3, 4), axis=1, initial=F(-0.2)",
                   f"A(3, 4), 0, None, True, F(0.3), {_GRID_MASK}"]
SAMPLES[np.nanmax] = [*SAMPLES[np.nanmax], _NAN_ROWS + ", axis=1, initial=F(0.6)",
                      _NAN_ROWS + f", 0, None, False, F(0.8), {_GRID_MASK}"]

# functions whose samples another entry's serve: the same parameters, the same meaning
SAME_AS = {
    np.min: np.max, np.nanmin: np.nanmax, np.nanstd: np.nanvar, np.amax: np.max, np.amin: np.max, np.std: np.var, np.matmul: gast.MatMult,
    tuple: list, np.asarray: np.array, np.asanyarray: np.array, np.ascontiguousarray: np.array, np.copy: np.array,
}


# ---- SciPy (an optional dependency: these samples exist only where it is installed) ----------------

try:
    import scipy.linalg
    import scipy.special
    import scipy.stats
except ImportError:          # pragma: no cover - the SciPy rules are not loaded either
    scipy = None
else:
    import scipy.integrate
    import scipy.signal
    _special, _stats, _linalg = scipy.special, scipy.stats, scipy.linalg
    # scipy.linalg's functions take batches of matrices from SciPy 1.16 on
    _BATCHES = tuple(int(part) for part in scipy.__version__.split(".")[:2]) >= (1, 16)
    SAMPLES.update({
        # odeint's right-hand side is a Python function s2sgrad differentiates (tight tolerances: the check
        # takes central differences of the integration itself)
        scipy.integrate.odeint: ["_oscillator, A(2), np.linspace(0.0, 1.0, 4), (F(0.7), F(0.3)), rtol=1e-11, atol=1e-11",
                                 "_oscillator, A(2), np.linspace(0.0, 0.8, 3), (F(1.3), F(0.0)), rtol=1e-11, atol=1e-11"],
        _special.polygamma: ["1, P(3, 4)", "np.array([0, 1, 2]), P(2, 3)", "2, F(0.8)"],
        _special.multigammaln: ["HI(3), 2", "HI(2, 3), 3", "F(2.7), 4"],
        _special.logit: ["values([0.2, 0.45, 0.7, 0.9])", "F(0.3)"],
        _special.erfcinv: ["values([0.3, 0.8, 1.2, 1.6])", "F(0.6)"],
        _special.ive: ["0, P(3, 4)", "1.5, P(4)", "np.array([0, 1, 2]), P(2, 3)"],
        _special.yn: ["2, P(3, 4)", "np.array([0, 1, 3]), P(2, 3)"],
        _special.betainc: ["P(3), P(3), values([0.2, 0.5, 0.7])", "F(1.5), P(2, 3), values([0.3, 0.6, 0.9])"],
        _special.ndtri: ["values([0.1, 0.4, 0.8])", "F(0.3)"],
        _special.huber: ["P(3, 4), A(3, 4)", "F(0.8), A(5)"],
        _special.pseudo_huber: ["P(3, 4), A(3, 4)", "F(0.8), A(5)"],
        _special.expn: ["2, P(3, 4)", "np.array([0, 1, 3]), P(2, 3)"],
        # lmbda = 0 exactly: the limit formulas
        _special.boxcox: ["P(3), P(3)", "P(2, 3), F(0.0)", "F(1.3), A(3)"],
        _special.boxcox1p: ["P(3), P(3)", "P(2, 3), F(0.0)", "F(1.3), A(3)"],
        _special.inv_boxcox: ["P(3), P(3)", "P(2, 3), F(0.0)", "F(0.4), A(3)"],
        _special.softmax: ["A(5)", "A(3, 4), axis=1", "A(2, 3, 4), axis=(0, 2)"],
        _special.log_softmax: ["A(5)", "A(3, 4), axis=0"],
        _special.logsumexp: ["A(5)", "A(3, 4), axis=1", "A(2, 3, 4), axis=(0, 2), keepdims=True",
                             "A(3, 4), axis=0, b=P(3, 4)", "A(3, 4), 1, P(4)", "A(3, 4), b=F(0.7)"],
        _stats.multivariate_normal.logpdf: ["A(3), A(3), SPD(3)", "A(4, 3), A(3), SPD(3)", "A(4, 2), A(2), P(2)",
                                            "A(3), cov=F(1.3)", "A(3), F(0.2), F(1.3)"],
        _stats.multivariate_normal.pdf: ["A(3), A(3), SPD(3)", "A(4, 2), A(2), P(2)"],
        _stats.dirichlet.logpdf: ["np.array([0.2, 0.3, 0.5]), P(3)", "np.array([[0.2, 0.6], [0.3, 0.1]]), HI(3)"],
        _stats.dirichlet.pdf: ["np.array([0.2, 0.3, 0.5]), P(3)"],
        _linalg.solve_triangular: ["WC(3), A(3)", "WC(3), A(3, 2), lower=True", "WC(3), A(3), trans=1",
                                   "WC(3), A(3, 2), trans='T', lower=True, unit_diagonal=True"],
        _linalg.cholesky: ["SPD(3)", "SPD(3), lower=True"],
        _linalg.cho_factor: ["SPD(3)", "SPD(3), lower=True"],
        # the flag `lower` is perturbed with the factor (a tuple argument): LAPACK truncates False +- a small
        # step back to 0, while True - a step would become 0; the lower form is checked in tests/coverage
        _linalg.cho_solve: ["(WC(3), False), A(3)", "(WC(3), False), A(3, 2)"],
        _linalg.inv: ["WC(3)"],
        _linalg.det: ["WC(3)"],
        _linalg.expm: ["A(3, 3)", "A(2, 2)"],
        _linalg.sqrtm: ["SPD(3)"],
        _linalg.logm: ["SPD(3)", "WC(3)"],
        _linalg.solve: ["WC(3), A(3)", "WC(3), A(3, 2), transposed=True", "SPD(3), A(3), assume_a='pos'",
                        "SYM(3), A(3, 2), lower=True, assume_a='sym'", "WC(3), A(3), assume_a='tridiagonal'",
                        "WC(3), A(3), assume_a='diagonal'", "WC(3), A(3), assume_a='lower triangular'",
                        *(["WC(2, 3), A(2, 3, 2)"] if _BATCHES else [])],
        _linalg.eigh: ["SYM(3), driver='evd'", "SYM(3), lower=False", "SYM(3), eigvals_only=True"],
        _linalg.eigvalsh: ["SYM(3)", "SYM(3), lower=False"],
        _linalg.svd: ["A(4, 3), full_matrices=False", "A(3, 3)", "A(4, 3), compute_uv=False"],
        _linalg.svdvals: ["A(4, 3)"],
        _linalg.qr: ["WC(3)", "A(4, 3), mode='economic'", "A(4, 3), mode='r'"],
        _linalg.norm: ["A(3, 4)", "A(5), ord=1", "A(3, 4), ord='fro'", "A(3, 4), ord=2", "A(3, 4), axis=1"],
        _linalg.pinv: ["A(4, 3)", "A(3, 4), atol=1e-8"],
        _linalg.lstsq: ["A(5, 3), A(5)", "A(5, 3), A(5, 2)"],
        _linalg.lu_factor: ["WC(3)", "A(3, 3)"],
        # the pivots as a tuple of ints: no derivative flows into them (row 0 swapped with row 2)
        _linalg.lu_solve: ["(WC(3), (2, 1, 2)), A(3)", "(WC(3), (0, 2, 2)), A(3, 2), trans=1"],
        _linalg.solve_sylvester: ["WC(3), WC(2), A(3, 2)"],
        _linalg.block_diag: ["A(2, 2), A(3), F(0.5)", "A(1, 3), A(2, 1)"],
        _linalg.toeplitz: ["A(3)", "A(3), A(4)"],
        _linalg.circulant: ["A(4)"],
        _linalg.hankel: ["A(3)", "A(3), A(4)"],
    })
    for _fn in (scipy.signal.convolve, scipy.signal.correlate, scipy.signal.fftconvolve, scipy.signal.oaconvolve):
        SAMPLES[_fn] = ["A(5), A(3)", "A(3), A(5), mode='same'", "A(5), A(2), mode='valid'", "A(2), A(5), mode='valid'",
                        "A(4, 3), A(2, 2), mode='same'", "A(4, 5), A(2, 3), mode='valid'", "A(2, 3), A(3, 2)"]
    from s2sgrad.runtime import scipy_signal as _signal_adjoints
    for _helper in (_signal_adjoints.convolve_adjoint_in1, _signal_adjoints.correlate_adjoint_in1,
                    _signal_adjoints.convolve_adjoint_in2, _signal_adjoints.correlate_adjoint_in2):
        # g shaped as the convolution's result (in1's in 'same' mode): the reverse slots are its transposes
        SAMPLES[_helper] = ["A(7), A(5), A(3)", "A(5), A(5), A(3), 'same'", "A(3), A(3), A(5), 'same'",
                            "A(3, 2), A(4, 3), A(2, 2), 'valid'"]
    # location-scale families: x alone, then loc and scale broadcasting against x; x inside the support
    for _family, _shapes in {"norm": "", "logistic": "", "laplace": "", "t": "HI(3), ", "chi2": "HI(3), ",
                              "gamma": "HI(3), ", "beta": "HI(3), HI(3), ", "expon": "", "cauchy": "",
                              "uniform": "", "lognorm": "HI(3), ", "weibull_min": "HI(3), ",
                              "truncnorm": "F(-2.5), F(2.8), "}.items():
        _x = {"expon": "P(3)", "chi2": "HI(3)", "gamma": "HI(3)", "beta": "values([0.2, 0.5, 0.7])",
              "uniform": "values([0.2, 0.5, 0.7])", "lognorm": "P(3)", "weibull_min": "P(3)"}.get(_family, "A(3)")
        _scale = "HI(3)" if _family in ("expon", "uniform", "truncnorm", "beta") else "P(3)"
        _loc = {"expon": "F(-0.2)", "chi2": "F(-0.2)", "gamma": "F(-0.2)", "beta": "F(-0.05)", "uniform": "F(-0.2)",
                "lognorm": "F(-0.2)", "weibull_min": "F(-0.2)", "truncnorm": "F(0.1)"}.get(_family, "A(3)")
        for _kind in ("logpdf", "pdf", "cdf", "logcdf", "sf", "logsf"):
            _shape_args = _shapes if _kind in ("logpdf", "pdf") else _shapes.replace("HI(3)", "2.5")
            if _kind not in ("logpdf", "pdf"):
                _shape_args = _shape_args.replace("F(-2.5)", "-2.5").replace("F(2.8)", "2.8")
            SAMPLES[getattr(getattr(_stats, _family), _kind)] = [
                f"{_x}, {_shape_args}".rstrip(", "),
                f"{_x}, {_shape_args}loc={_loc}, scale={_scale}",
            ]
        # the quantile functions: q a probability, the shape parameters numbers (they have no slot)
        _shape_numbers = _shapes.replace("HI(3)", "2.5").replace("F(-2.5)", "-2.5").replace("F(2.8)", "2.8")
        for _kind in ("ppf", "isf"):
            SAMPLES[getattr(getattr(_stats, _family), _kind)] = [
                f"values([0.2, 0.5, 0.7]), {_shape_numbers}".rstrip(", "),
                f"values([0.2, 0.5, 0.7]), {_shape_numbers}loc={_loc}, scale={_scale}",
            ]
    for _kind in ("logpmf", "pmf", "cdf", "logcdf", "sf", "logsf"):
        SAMPLES[getattr(_stats.poisson, _kind)] = ["np.array([0, 2, 5]), P(3)", "3, HI(2, 3)",
                                                   "np.array([1, 4]), F(2.2), loc=1"]
        # binom's n is a count, so no input maker; nbinom's n is differentiated in the probabilities only
        SAMPLES[getattr(_stats.binom, _kind)] = ["np.array([0, 2, 5]), 6, values([0.2, 0.5, 0.7])",
                                                 "np.array([1, 3]), np.array([4, 7]), F(0.35), loc=1"]
        _n = "HI(3)" if _kind in ("logpmf", "pmf") else "2.5"
        SAMPLES[getattr(_stats.nbinom, _kind)] = [f"np.array([0, 2, 5]), {_n}, values([0.2, 0.5, 0.7])",
                                                  f"np.array([1, 3]), {_n.replace('3', '2')}, F(0.35), loc=1"]

# ---- math.gamma and math.lgamma's slopes (pure Python, runtime/gamma_derivatives.py) -----------------------------
from s2sgrad.runtime import gamma_derivatives as _gamma_derivatives  # noqa: E402

# Gamma is differentiable off its poles, negative arguments included
SAMPLES.update({
    math.gamma: ["F(1.7)", "F(0.3)", "F(-1.4)", "F(4.2)"],
    math.lgamma: ["F(1.7)", "F(0.3)", "F(-2.6)", "F(25.0)"],
    _gamma_derivatives.digamma: ["F(1.7)", "F(-0.4)", "F(18.0)"],
    _gamma_derivatives.polygamma: ["1, F(0.7)", "2, F(2.3)", "0, F(-0.4)", "3, F(16.5)"],
})

# ---- draws scaled by a parameter: exponential(scale), gamma(shape, scale) (the shape is a constant) --------------
SAMPLES.update({
    np.random.exponential: ["P(3)", "F(1.5), size=(4,)", "P(2, 1), (2, 3)"],
    ("method", "exponential"): ["RNG(), P(3)", "RNG(), F(1.5), 4", "RNG(), P(3), size=(2, 3)"],
    np.random.gamma: ["2.0, P(3)", "np.array([1.5, 3.0]), F(0.7), (3, 2)"],
    ("method", "gamma"): ["RNG(), 2.0, P(3)", "RNG(), np.array([0.5, 4.0]), F(1.3), (2, 2)"],
})

if scipy is not None and getattr(scipy.integrate, "trapezoid", None) not in (None, getattr(np, "trapezoid", None)):
    SAMPLES[scipy.integrate.trapezoid] = ["A(5)", "A(3, 5), P(5)", "A(3, 5), dx=F(0.3)", "A(4, 3), A(4, 3), axis=0",
                                          "A(4, 3), np.array([0.0, 0.5, 1.5, 2.0]), axis=0"]

# ---- inserting and removing elements, Vandermonde matrices, least-squares polynomial fits ------------------------
SAMPLES.update({
    np.insert: ["A(5), 2, F(0.5)", "A(5), [1, 3, 3], A(3)", "A(3, 4), 1, A(4), axis=0", "A(3, 4), [0, 2], A(3, 1), axis=1",
                "A(2, 3), slice(0, 3, 2), A(2), 1", "A(2, 3), 4, A(3)"],
    np.delete: ["A(6), [1, 3]", "A(3, 4), 1, axis=0", "A(3, 4), np.array([True, False, True, False]), axis=1",
                "A(3, 4), slice(1, None, 2)", "A(2, 3), -1, 1"],
    np.ediff1d: ["A(5)", "A(2, 3)", "A(4), A(2), F(0.3)", "A(4), to_begin=A(3)"],
    np.vander: ["A(4)", "A(4), 3", "A(3), 5, True", "A(4), 1"],
    np.polyfit: ["A(6), A(6), 2", "A(5), A(5, 3), 1", "A(4), A(4), 3", "np.linspace(0.0, 2.0, 7), A(7), 2"],
})

# ---- functions that call the user's functions: np.piecewise, np.apply_along_axis (a first derivative) -------------
SAMPLES.update({
    np.piecewise: ["A(6), [B(6)], [np.sin, np.exp]", "A(3, 4), [B(3, 4), B(3, 4)], [np.tanh, 0.5, np.square]",
                   "A(5), B(5), [np.cos]"],
    np.apply_along_axis: ["np.sum, 1, A(3, 4)", "np.cumsum, 0, A(3, 4)", "np.sort, -1, A(2, 3, 4)"],
})

# variances over the taken elements (where=): each row or column takes at least two
SAMPLES[np.var] = [*SAMPLES[np.var], f"A(3, 4), axis=1, where={_ROW_MASK}",
                   "A(3, 4), axis=0, ddof=1, keepdims=True, where=np.array([[True, False, True, True], [True] * 4, "
                   "[False, True, False, True]])"]
SAMPLES[np.std] = [*SAMPLES[np.std], f"A(3, 4), axis=1, ddof=1, where={_ROW_MASK}",
                   "A(3, 4), axis=0, where=np.array([[True, False, True, True], [True] * 4, [False, True, False, True]])"]
SAMPLES[np.var] = [*SAMPLES[np.var], "A(3, 4), axis=1, correction=1"]
# NaNs and masked-out elements alike are left out (every row takes at least one element)
SAMPLES[np.nansum] = [*SAMPLES[np.nansum], _NAN_ROWS + f", axis=1, where={_ROW_MASK}, initial=F(0.3)"]
SAMPLES[np.nanmean] = [*SAMPLES[np.nanmean], _NAN_ROWS + f", axis=1, keepdims=True, where={_ROW_MASK}"]
SAMPLES[("method", "var")] = [s for s in SAMPLES[np.var] if "correction" not in s]   # NumPy's method has no correction
SAMPLES[("method", "std")] = [s for s in SAMPLES[np.std] if "correction" not in s]
