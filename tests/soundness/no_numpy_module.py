"""A module that does not import NumPy (the in-place assignment test reads its source)."""


def overwrite_an_element(a):
    xs = [a, 2 * a, 3.0]
    xs[1] = a * a
    return xs[0] + xs[1] * xs[2]
