"""NumPy functions added for library coverage, each in a user function checked in both modes."""
from __future__ import annotations

import numpy as np
import pytest

import s2sgrad

from .both_modes import check_both_modes

GRID = np.array([-1.0, -0.4, 0.1, 0.7, 1.3])


def building(a, b):
    ramp = np.linspace(a, b, 5)
    longer = np.append(ramp, b * 2)
    turned = np.cross(np.array([a, b, 1.0]), np.array([0.5, b, a]))
    columns = np.column_stack([ramp, ramp ** 2])
    layers = np.dstack([columns, columns * a])
    top, bottom = np.vsplit(columns[:4], 2)
    left, right = np.hsplit(columns, 2)
    front, back = np.dsplit(layers, 2)
    chosen = np.select([ramp < 0.3, ramp < 0.8], [ramp * 2, ramp ** 2], default=b)
    rolled = np.rollaxis(layers, 2)
    shifted = np.fft.fftshift(ramp) * np.arange(5)
    return (np.sum(longer ** 2) + np.sum(turned * np.array([1.0, 2.0, 3.0])) + np.sum(top * bottom)
            + np.sum(left * right) + np.sum(front * back) + np.sum(chosen) + np.sum(rolled[1] ** 2)
            + np.sum(shifted) + np.sum(np.nan_to_num(np.where(ramp < 0.3, np.nan, ramp), nan=b)))


def numerics(p, fp, signal):
    curve = np.polyval(p, GRID)
    table = np.interp(np.array([-1.5, -0.2, 0.4, 1.0, 2.0]), GRID, fp)
    smooth = np.convolve(signal, np.array([0.25, 0.5, 0.25]), mode="same")
    matched = np.correlate(signal, fp[:3], mode="valid")
    area = np.trapezoid(curve * table, GRID)
    return area + np.sum(smooth ** 2) + np.sum(matched * np.arange(len(matched)))


def nan_statistics(x):
    holes = np.where(np.array([True, False, True, True, False, True]), x, np.nan)
    return (np.nansum(holes ** 2) + np.nanmean(holes) + np.nanprod(holes) + np.nanmax(holes) + np.nanmin(holes)
            + np.nanvar(holes) + np.nanstd(holes, ddof=1) + np.std(x[:1]) + np.std(x))


def decompositions(a):
    u, s, vh = np.linalg.svd(a, full_matrices=False)
    q, r = np.linalg.qr(a)
    square = a[:3] + 2 * np.eye(3)
    return (np.sum(s ** 2) + np.sum(np.linalg.svd(a, compute_uv=False)) + np.sum((u @ np.diag(s)) * u)
            + np.sum(vh[0] ** 2 * np.arange(3)) + np.sum(np.abs(np.diag(r))) + np.sum(q * a)
            + np.sum(np.linalg.matrix_power(square, 3)) + np.sum(np.linalg.matrix_power(square, -1)))


def test_building_and_rearranging():
    check_both_modes(building, 0.05, 1.2, wrt=(0, 1))


def test_polyval_interp_convolve_correlate_trapezoid():
    check_both_modes(numerics, np.array([0.3, -0.5, 1.2]), np.array([0.2, 0.9, -0.4, 0.1, 0.6]),
                     np.array([0.5, -1.0, 2.0, 0.3, 0.8, -0.6]), wrt=(0, 1, 2))


def test_nan_reductions_and_std_of_one_element():
    check_both_modes(nan_statistics, np.array([0.4, 1.3, -0.7, 2.2, 0.9, 1.6]))


def test_std_of_a_single_element_has_a_zero_gradient_not_nan():
    grad = s2sgrad.grad(lambda x: np.std(x))(np.array([0.7]))
    assert np.array_equal(grad, np.zeros(1))


def test_svd_qr_matrix_power():
    a = np.array([[0.9, -0.3, 0.4], [0.2, 1.4, -0.5], [-0.6, 0.1, 0.7], [0.3, 0.8, 0.2]])
    check_both_modes(decompositions, a)


def full_svd(a):
    u, s, vh = np.linalg.svd(a)
    return np.sum(u[:, 0] ** 2)


def test_full_svd_of_a_non_square_matrix_is_refused():
    with pytest.raises(s2sgrad.S2SGradError, match="full_matrices=False"):
        s2sgrad.grad(full_svd)(np.ones((4, 3)) + np.eye(4, 3))


def planar_cross(a, b):
    return np.sum(np.cross(a, b) * np.array([1.0, -2.0, 0.5])) + np.sum(np.cross(a[0], b[:, :2]) ** 2)


@pytest.mark.filterwarnings("ignore:Arrays of 2-dimensional vectors are deprecated:DeprecationWarning")
def test_cross_of_planar_vectors():
    a = np.array([[0.3, -1.1], [0.8, 0.4], [-0.5, 0.9]])
    b = np.array([[1.2, 0.1, -0.4], [0.3, -0.8, 0.6], [0.7, 0.2, 0.9]])
    try:
        np.cross(a, b)
    except ValueError:
        pytest.skip(f"NumPy {np.__version__} no longer takes 2-dimensional vectors in np.cross")
    check_both_modes(planar_cross, a, b, wrt=(0, 1))


def moving_knots(shift):
    return np.sum(np.interp(np.array([0.2, 0.6]), GRID + shift, np.arange(5.0)))


def test_interp_with_respect_to_its_knots_is_refused_where_it_is_called():
    with pytest.raises(s2sgrad.NoDerivativeRuleError, match="np.interp` with respect to its parameter `xp`"):
        s2sgrad.grad(moving_knots)(0.1)
