"""The leaves of an argument given as a container (JAX's pytrees): dicts, lists and tuples of arrays or numbers.

Jacobians of a function taking such an argument are containers of the same structure: one Jacobian per
leaf, shaped out.shape + leaf.shape. A leaf is addressed by its path, the keys from the argument down.
"""
from __future__ import annotations


def is_container(value) -> bool:
    return type(value) is dict or isinstance(value, (list, tuple))


def leaf_paths(value, path: tuple = ()):
    """(path, leaf) for each leaf of `value`, in order (a leaf is anything but a dict, list or tuple)."""
    if type(value) is dict:
        for key, item in value.items():
            yield from leaf_paths(item, path + (key,))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from leaf_paths(item, path + (index,))
    else:
        yield path, value


def with_leaves(value, leaf_for, path: tuple = ()):
    """`value`'s structure with each leaf replaced by leaf_for(path, leaf); namedtuples stay namedtuples."""
    if type(value) is dict:
        return {key: with_leaves(item, leaf_for, path + (key,)) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        items = [with_leaves(item, leaf_for, path + (index,)) for index, item in enumerate(value)]
        if type(value) in (list, tuple):
            return type(value)(items)
        return type(value)(*items)
    return leaf_for(path, value)


def leaf_at(value, path: tuple):
    for key in path:
        value = value[key]
    return value
