"""Central differences over the user's objects: every float and float array inside an object (its fields,
the objects and lists of objects it holds) is a leaf, reached by a path of field names and list positions."""
import copy

import numpy as np


def leaf_paths(value, path=()):
    """The paths to the float leaves inside `value` (functions, labels and integers are not leaves)."""
    if isinstance(value, float) or (isinstance(value, np.ndarray) and value.dtype.kind == "f"):
        return [path]
    if isinstance(value, (list, tuple)):
        return [p for i, v in enumerate(value) for p in leaf_paths(v, path + (i,))]
    if isinstance(value, dict):             # a key is a step of its own: ("key", k)
        return [p for k, v in value.items() for p in leaf_paths(v, path + (("key", k),))]
    if type(value).__module__.startswith("tests."):     # an instance of one of the tests' classes
        return [p for name, v in vars(value).items() for p in leaf_paths(v, path + (name,))]
    return []


def read(value, path):
    for step in path:
        value = value[_index(step)] if not isinstance(step, str) else getattr(value, step)
    return value


def write(value, path, leaf) -> None:
    holder = read(value, path[:-1])
    if isinstance(path[-1], str):
        setattr(holder, path[-1], leaf)
    else:
        holder[_index(path[-1])] = leaf


def _index(step):
    return step[1] if isinstance(step, tuple) else step


def moved(value, tangent, h):
    """A deep copy of `value` with every leaf moved by h times the same leaf of `tangent`."""
    result = copy.deepcopy(value)
    for path in leaf_paths(value):
        write(result, path, read(value, path) + h * read(tangent, path))
    return result


def random_tangent(value, rng):
    """An object like `value` (same classes, functions and labels) whose leaves are random numbers."""
    result = copy.deepcopy(value)
    for path in leaf_paths(value):
        leaf = read(value, path)
        write(result, path, float(rng.standard_normal()) if isinstance(leaf, float)
              else rng.standard_normal(leaf.shape))
    return result


def unit_tangent(value, path):
    """An object like `value` whose leaves are zero but the one at `path`, which is all ones."""
    result = copy.deepcopy(value)
    for other in leaf_paths(value):
        leaf = read(value, other)
        write(result, other, (1.0 if other == path else 0.0) * np.ones_like(leaf) if isinstance(leaf, np.ndarray)
              else float(other == path))
    return result


def directional(f, obj, tangent, x, x_dot, h=1e-6) -> float:
    """d/dh f(obj + h tangent, x + h x_dot) at h = 0, by central differences."""
    return (f(moved(obj, tangent, h), x + h * x_dot) - f(moved(obj, tangent, -h), x - h * x_dot)) / (2 * h)


def pairing(gradient, tangent) -> float:
    """<gradient, tangent> over the leaves of the object `tangent` (the gradient has its structure)."""
    return sum(float(np.sum(read(gradient, p) * read(tangent, p))) for p in leaf_paths(tangent))
