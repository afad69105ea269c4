"""Adjoints of products and of np.linalg functions.

Each `*_adjoint_left/right` takes the result's adjoint `g` and the operands
and returns one operand's adjoint. Matrix functions follow the usual
reverse-mode identities (Giles, "An extended collection of matrix derivative
results", 2008); the functions that read only one triangle of a symmetric
input (cholesky, eigh) give the derivative with respect to the entries they
read, and zero for the others.
"""
from __future__ import annotations

import string

import numpy as np

from .arrays import adjoint_dtype, matrix_transpose, unbroadcast
from ..errors import S2SGradError
from .namespace import in_library_of, is_foreign_array, numpy_values_like
from .reductions import product_of_others


# ---- np.dot / np.inner / np.tensordot -----------------------------------------------

def dot_adjoint_left(g, a, b):
    """Adjoint of `a` in np.dot(a, b): dot contracts a's last axis with b's last (1-D b) or second-to-last."""
    na, nb = np.ndim(a), np.ndim(b)
    if na == 0 or nb == 0:                       # dot with a scalar multiplies
        return np.sum(g * b) if na == 0 else g * b
    if nb == 1:
        return g * b if na == 1 else g[..., None] * b
    if na == 2 and nb == 2:
        return g @ matrix_transpose(b)
    if na == 1 and nb == 2:
        return b @ g
    return np.tensordot(g, b, axes=(list(range(na - 1, np.ndim(g))), list(range(nb - 2)) + [nb - 1]))


def dot_adjoint_right(g, a, b):
    """Adjoint of `b` in np.dot(a, b)."""
    na, nb = np.ndim(a), np.ndim(b)
    if na == 0 or nb == 0:
        return np.sum(g * a) if nb == 0 else g * a
    if na == 1:
        return g * a if nb == 1 else np.moveaxis(np.multiply.outer(a, g), 0, -2)
    if na == 2 and nb == 2:
        return matrix_transpose(a) @ g
    summed = list(range(na - 1))                 # the result's axes that came from a
    if nb == 1:
        return np.tensordot(g, a, axes=(summed, summed))
    return np.moveaxis(np.tensordot(a, g, axes=(summed, summed)), 0, -2)


def inner_adjoint_left(g, a, b):
    """Adjoint of `a` in np.inner(a, b), which contracts the last axes of both."""
    na, nb = np.ndim(a), np.ndim(b)
    if na == 0 or nb == 0:
        return np.sum(g * b) if na == 0 else g * b
    if np.ndim(g) == 0:
        return g * b
    return np.tensordot(g, b, axes=(list(range(na - 1, np.ndim(g))), list(range(nb - 1))))


def inner_adjoint_right(g, a, b):
    """Adjoint of `b` in np.inner(a, b)."""
    na, nb = np.ndim(a), np.ndim(b)
    if na == 0 or nb == 0:
        return np.sum(g * a) if nb == 0 else g * a
    if np.ndim(g) == 0:
        return g * a
    return np.tensordot(g, a, axes=(list(range(na - 1)), list(range(na - 1))))


def tensordot_adjoint_left(g, a, b, axes=2):
    """Adjoint of `a` in np.tensordot(a, b, axes)."""
    axes_a, axes_b = _contracted_axes(axes, np.ndim(a), np.ndim(b))
    free_a = [i for i in range(np.ndim(a)) if i not in axes_a]
    free_b = [i for i in range(np.ndim(b)) if i not in axes_b]
    g_axes_b = list(range(len(free_a), len(free_a) + len(free_b)))
    product = g * b if np.ndim(g) == 0 else np.tensordot(g, b, axes=(g_axes_b, free_b))
    # product's axes: a's free axes, then b's contracted axes in b's order, i.e. the a axes paired with them
    source = free_a + [axes_a[axes_b.index(k)] for k in sorted(axes_b)]
    return np.transpose(product, tuple(np.argsort(source).tolist()))     # Python ints: Dask takes no array


def tensordot_adjoint_right(g, a, b, axes=2):
    """Adjoint of `b` in np.tensordot(a, b, axes)."""
    axes_a, axes_b = _contracted_axes(axes, np.ndim(a), np.ndim(b))
    free_a = [i for i in range(np.ndim(a)) if i not in axes_a]
    free_b = [i for i in range(np.ndim(b)) if i not in axes_b]
    product = g * a if np.ndim(g) == 0 else np.tensordot(g, a, axes=(list(range(len(free_a))), free_a))
    source = free_b + [axes_b[axes_a.index(k)] for k in sorted(axes_a)]
    return np.transpose(product, tuple(np.argsort(source).tolist()))     # Python ints: Dask takes no array


def _contracted_axes(axes, na, nb):
    """np.tensordot's `axes` argument as two equally long lists of non-negative axes."""
    if np.ndim(axes) == 0:
        n = int(axes)
        return list(range(na - n, na)), list(range(n))
    axes_a, axes_b = axes
    axes_a = [axes_a] if np.ndim(axes_a) == 0 else list(axes_a)
    axes_b = [axes_b] if np.ndim(axes_b) == 0 else list(axes_b)
    return [int(i) % na for i in axes_a], [int(i) % nb for i in axes_b]


def kron_adjoint_left(g, a, b):
    """Adjoint of `a` in np.kron(a, b): y[i*p + k] = a[i] * b[k] along every axis."""
    g, a_shape, b_shape = _kron_blocks(g, a, b)
    summed = np.sum(g * np.reshape(b, _interleave((1,) * len(b_shape), b_shape)),
                    axis=tuple(range(1, 2 * len(b_shape), 2)))
    return np.reshape(summed, np.shape(a))


def kron_adjoint_right(g, a, b):
    """Adjoint of `b` in np.kron(a, b)."""
    g, a_shape, b_shape = _kron_blocks(g, a, b)
    summed = np.sum(g * np.reshape(a, _interleave(a_shape, (1,) * len(a_shape))),
                    axis=tuple(range(0, 2 * len(a_shape), 2)))
    return np.reshape(summed, np.shape(b))


def _kron_blocks(g, a, b):
    """g with axes (a0, b0, a1, b1, ...), and a's and b's shapes padded to the same length."""
    n = max(np.ndim(a), np.ndim(b))
    a_shape = (1,) * (n - np.ndim(a)) + np.shape(a)
    b_shape = (1,) * (n - np.ndim(b)) + np.shape(b)
    return np.reshape(g, _interleave(a_shape, b_shape)), a_shape, b_shape


def _interleave(first, second):
    return tuple(n for pair in zip(first, second) for n in pair)


# ---- np.einsum ----------------------------------------------------------------------

def einsum_adjoints(g, subscripts, operands, optimize=False):
    """One adjoint per operand of np.einsum(subscripts, *operands).

    Operand i's adjoint is the einsum of g with the other operands, written
    back to operand i's labels; labels only operand i has (summed away) are
    broadcast back, and a label repeated within it (a diagonal) is written
    onto that diagonal.
    """
    inputs, output = _parse_subscripts(subscripts, len(operands))
    return tuple(_einsum_adjoint(g, inputs, output, operands, i, optimize) for i in range(len(operands)))


def _einsum_adjoint(g, inputs, output, operands, i, optimize):
    target = inputs[i]
    dtype = adjoint_dtype(operands[i])
    scale = None
    if np.ndim(g) == 0:                          # a scalar result: multiply at the end (keeps float32)
        g, scale = np.ones_like(operands[i], shape=(), dtype=dtype), g       # in the operand's library
    terms = [output] + [inputs[j] for j in range(len(operands)) if j != i]
    values = [g] + [operands[j] for j in range(len(operands)) if j != i]
    labels = list(dict.fromkeys(target))
    available = {label for term in terms for label in term}
    if "..." in available and "..." not in target:
        terms = _name_ellipsis(terms, values)       # einsum cannot sum over '...' itself
        available = {label for term in terms for label in term}
    kept = [label for label in labels if label in available]
    spec = ",".join("".join(term) for term in terms) + "->" + "".join(kept)
    part = np.einsum(spec, *values, optimize=optimize)
    if scale is not None:
        part = scale * part
    if kept == target:
        return unbroadcast(part, operands[i])
    sizes = _label_sizes(target, np.shape(operands[i]))
    part = np.reshape(part, tuple(n for label in labels for n in
                                  (sizes[label] if label in available else (1,) * len(sizes[label]))))
    if is_foreign_array(operands[i]):
        return _on_diagonals(part, target, sizes, operands[i])
    full = np.zeros_like(operands[i], dtype=part.dtype)
    np.einsum("".join(target) + "->" + "".join(labels), full)[...] = part    # a writeable view of full
    return full


def _on_diagonals(part, target, sizes, operand):
    """`part` (one axis per distinct label of `target`, in first-use order) placed on target's diagonals, by
    multiplying with identity masks: another library's einsum need not return a view to write through."""
    start, first, masks = 0, {}, []
    for label in target:
        if label in first and label != "...":           # a repeated label: a length-1 axis, and a mask
            part = np.expand_dims(part, start)
            masks.append((first[label], start, sizes[label][0]))
        else:
            first[label] = start
        start += len(sizes[label])
    for a, b, n in masks:
        shape = [1] * start
        shape[a] = shape[b] = n
        part = part * numpy_values_like(operand, np.reshape(np.eye(n, dtype=part.dtype), shape))
    return np.zeros_like(operand, dtype=part.dtype) + part


def _name_ellipsis(terms, values):
    """The terms with '...' spelled as letters of its own, right-aligned as broadcasting aligns it."""
    widths = [np.ndim(v) - (len(term) - 1) if "..." in term else 0 for term, v in zip(terms, values)]
    used = {label for term in terms for label in term}
    fresh = [c for c in string.ascii_letters if c not in used][:max(widths)]
    return [[label for part in term for label in (fresh[len(fresh) - width:] if part == "..." else [part])]
            for term, width in zip(terms, widths)]


def _parse_subscripts(subscripts, count):
    """('ij,jk->ik') -> ([['i','j'], ['j','k']], ['i','k']), with '...' kept as one label."""
    text = subscripts.replace(" ", "")
    if "->" in text:
        left, right = text.split("->")
        output = _labels(right)
    else:
        left, output = text, None
    inputs = [_labels(part) for part in left.split(",")]
    if len(inputs) != count:
        raise ValueError(f"einsum subscripts {subscripts!r} name {len(inputs)} operands, but {count} were given")
    if output is None:                          # implicit mode: labels used once, in alphabetical order
        flat = [label for term in inputs for label in term]
        output = (["..."] if "..." in flat else []) + sorted(
            label for label in set(flat) if label != "..." and flat.count(label) == 1)
    return inputs, output


def _labels(term):
    labels, rest = [], term
    while rest:
        if rest.startswith("..."):
            labels.append("...")
            rest = rest[3:]
        else:
            labels.append(rest[0])
            rest = rest[1:]
    return labels


def _label_sizes(labels, shape):
    """{label: the axis lengths it stands for} ('...' stands for any number of axes)."""
    extra = len(shape) - (len(labels) - 1) if "..." in labels else 0
    sizes, position = {}, 0
    for label in labels:
        width = extra if label == "..." else 1
        sizes[label] = tuple(shape[position:position + width])
        position += width
    return sizes


# ---- traces and diagonals -------------------------------------------------------------

def trace_adjoint(g, a, offset=0, axis1=0, axis2=1):
    """Adjoint of np.trace(a, offset, axis1, axis2): g placed on the traced diagonal."""
    shape, ndim = np.shape(a), np.ndim(a)
    axis1, axis2 = axis1 % ndim, axis2 % ndim
    eye = np.eye(shape[axis1], shape[axis2], k=offset, dtype=adjoint_dtype(a))
    if axis1 > axis2:
        eye = eye.T
    eye = np.reshape(eye, tuple(n if i in (axis1, axis2) else 1 for i, n in enumerate(shape)))
    eye = numpy_values_like(a, eye)          # a's library (CuPy refuses NumPy's eye)
    if np.ndim(g) == 0:
        return in_library_of(g * eye, a)     # a Python-float seed times the eye: still a's library
    return np.expand_dims(g, (axis1, axis2)) * eye


def diagonal_adjoint(g, a, offset=0, axis1=0, axis2=1):
    """Adjoint of np.diagonal(a, offset, axis1, axis2): zeros with g written onto that diagonal."""
    full = np.zeros_like(a, dtype=np.result_type(g, adjoint_dtype(a)))
    matrices = np.moveaxis(full, (axis1, axis2), (-2, -1))        # a view: writes land in full
    n = np.shape(g)[-1]
    rows = np.arange(n) + max(-offset, 0)
    cols = np.arange(n) + max(offset, 0)
    matrices[..., rows, cols] = g
    return full


def diag_adjoint(g, v, k=0):
    """Adjoint of np.diag(v, k), which builds a matrix from a 1-D v and takes a diagonal of a 2-D v."""
    if np.ndim(v) == 1:
        return np.copy(np.diagonal(g, k))
    return diagonal_adjoint(g, v, k)


# ---- np.linalg ------------------------------------------------------------------------

def solve_adjoint_b(g, a, b):
    """Adjoint of `b` in x = np.linalg.solve(a, b): solve(a^T, g)."""
    if np.ndim(b) == 1:
        return unbroadcast(np.linalg.solve(matrix_transpose(a), np.expand_dims(g, -1))[..., 0], b)
    return unbroadcast(np.linalg.solve(matrix_transpose(a), g), b)


def solve_adjoint_a(g, a, b, x):
    """Adjoint of `a` in x = np.linalg.solve(a, b): -solve(a^T, g) x^T."""
    gb = np.linalg.solve(matrix_transpose(a), np.expand_dims(g, -1) if np.ndim(b) == 1 else g)
    xs = np.expand_dims(x, -1) if np.ndim(b) == 1 else x
    return unbroadcast(-gb @ matrix_transpose(xs), a)


def cholesky_adjoint(g, a, y, upper=False):
    """Adjoint of y = np.linalg.cholesky(a): derivative with respect to the triangle of `a` it reads.

    With L the lower factor: P = Phi(L^T g_L) (lower triangle, halved
    diagonal), S = sym(L^-T P L^-1); an entry below the diagonal stands for
    two entries of the symmetric matrix, so it gets 2 S.
    """
    lower = matrix_transpose(y) if upper else y
    g = matrix_transpose(g) if upper else g
    inverse = np.linalg.inv(lower)
    s = matrix_transpose(inverse) @ _phi(matrix_transpose(lower) @ g) @ inverse
    return _read_triangle(s + matrix_transpose(s), upper) / 2


def eigh_adjoint(g, a, y, UPLO="L"):
    """Adjoint of (w, v) = np.linalg.eigh(a); g = (adjoint of w, adjoint of v).

    a-bar = v (diag(w-bar) + F * (v^T v-bar)) v^T with F[i, j] = 1 / (w[j] - w[i])
    (distinct eigenvalues), then taken back to the triangle eigh reads.
    """
    w, v = y
    gw, gv = g
    inner = np.expand_dims(gw, -2) * numpy_values_like(a, np.eye(np.shape(w)[-1], dtype=adjoint_dtype(a)))
    if np.ndim(gv) > 0:
        gaps = np.expand_dims(w, -2) - np.expand_dims(w, -1)
        gaps_safe = np.where(gaps == 0, 1, gaps)
        inner = inner + np.where(gaps == 0, 0, (matrix_transpose(v) @ gv) / gaps_safe)
    s = v @ inner @ matrix_transpose(v)
    return _read_triangle(s + matrix_transpose(s), UPLO in ("U", "u")) / 2


def eigvalsh_adjoint(g, a, UPLO="L"):
    """Adjoint of w = np.linalg.eigvalsh(a)."""
    w, v = np.linalg.eigh(a, UPLO=UPLO)
    return eigh_adjoint((g, 0.0), a, (w, v), UPLO)


def pinv_adjoint(g, a, y):
    """Adjoint of y = np.linalg.pinv(a), for `a` of constant rank (Golub and Pereyra's derivative)."""
    yt, gt = matrix_transpose(y), matrix_transpose(g)
    left = gt @ y @ yt                        # (I - a y) g^T y y^T, the I applied by subtraction
    right = yt @ y @ gt                       # y^T y g^T (I - y a)
    return -yt @ g @ yt + (left - a @ (y @ left)) + (right - (right @ y) @ a)


def _phi(x):
    """The lower triangle of x with its diagonal halved."""
    return np.tril(x) - np.tril(np.triu(x)) / 2


def _read_triangle(s, upper):
    """A symmetric adjoint as the adjoint of the one triangle a function reads: off-diagonal entries doubled."""
    return np.triu(s) + np.triu(s, 1) if upper else np.tril(s) + np.tril(s, -1)


def det_cofactors(a):
    """The cofactor matrices of a (d det(a) / da): det(a) inv(a)^T where a is invertible, through
    the SVD where it is singular (inv would raise LinAlgError there; the cofactors are still defined: with
    a = u diag(s) vh, they are det(u) det(vh) u diag(products of the other s) vh)."""
    y = np.linalg.det(a)
    if not is_foreign_array(a) and np.all(y != 0):
        try:
            return np.expand_dims(y, (-2, -1)) * matrix_transpose(np.linalg.inv(a))
        except np.linalg.LinAlgError:
            pass
    elif is_foreign_array(a):                 # a lazy or GPU array: the formula as the table had it
        return np.expand_dims(y, (-2, -1)) * matrix_transpose(np.linalg.inv(a))
    u, s, vh = np.linalg.svd(a)
    others = product_of_others(s, -1)
    sign = np.linalg.det(u) * np.linalg.det(vh)
    return np.expand_dims(sign, (-2, -1)) * ((u * np.expand_dims(others, -2)) @ vh)


def det_cofactors_tangent(a_dot, a, c):
    """The tangent of det_cofactors(a) = c along a_dot, for an invertible a (c = y inv(a)^T, y = det(a)):
    (tr(c^T a_dot) c - c a_dot^T c) / y. A singular a stops with an error (its second derivative is not
    this formula's)."""
    y = np.linalg.det(a)
    if np.any(y == 0):
        raise S2SGradError("the second derivative of np.linalg.det at a singular matrix: s2sgrad computes it "
                           "for invertible matrices only; perturb the matrix or differentiate once")
    along = np.expand_dims(np.sum(c * a_dot, axis=(-2, -1)), (-2, -1))
    return (along * c - c @ matrix_transpose(a_dot) @ c) / np.expand_dims(y, (-2, -1))


__all__ = [
    "cholesky_adjoint", "det_cofactors", "det_cofactors_tangent", "diag_adjoint", "diagonal_adjoint", "dot_adjoint_left", "dot_adjoint_right",
    "eigh_adjoint", "eigvalsh_adjoint", "einsum_adjoints", "inner_adjoint_left", "inner_adjoint_right",
    "kron_adjoint_left", "kron_adjoint_right", "pinv_adjoint", "solve_adjoint_a", "solve_adjoint_b",
    "tensordot_adjoint_left", "tensordot_adjoint_right", "trace_adjoint",
]
