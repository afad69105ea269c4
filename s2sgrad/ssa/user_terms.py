"""The user's words for the names of the single-assignment form, for messages.

A refusal found after normalization (by the analyses, the emitters) reads the
single-assignment form, where `w = w * 3.0` made `w_1` and `np.add.at(w * 2,
...)` made a temporary `t3`. A message must speak of `w` and of `w * 2`: the
name allocator knows which name each version came from and which names are
temporaries (ssa/names.py), and the form itself holds the expression each
temporary was made from. `terms_of(source)` gives them for a normalized
function's FunctionSource, which every refusal has at hand for its location.
The generated code keeps its own names; only messages are translated.
"""
from __future__ import annotations

import copy

import gast

_DEPTH = 8          # temporaries written back into an expression at most this deep (a message, not a program)


class UserTerms:
    """Names and expressions of one normalized function, written as the user wrote them."""

    def __init__(self, namer, tree):
        self._namer = namer
        self._tree = tree
        self._definitions = None          # temporary -> the expression it holds, read when first needed

    def name(self, name: str) -> str:
        """The user's name of a single-assignment name: `w` for `w_1` (a temporary stays as it is: it has
        none; `expression` writes out what it holds)."""
        return self._namer.origin(name)

    def is_temporary(self, name: str) -> bool:
        return self._namer.is_temporary(name)

    def expression(self, node) -> str:
        """`node` (an expression of the single-assignment form) as source in the user's terms: versions
        named as the user named them, temporaries replaced by the expressions they hold."""
        return gast.unparse(self._rewritten(copy.deepcopy(node), _DEPTH)).strip()

    def _rewritten(self, node, depth: int):
        if isinstance(node, gast.Name):
            return self._replacement(node, depth)
        for field, value in gast.iter_fields(node):
            if isinstance(value, list):
                setattr(node, field, [self._rewritten(v, depth) if isinstance(v, gast.AST) else v for v in value])
            elif isinstance(value, gast.AST):
                setattr(node, field, self._rewritten(value, depth))
        return node

    def _replacement(self, node: gast.Name, depth: int):
        if self._namer.is_temporary(node.id) and depth > 0:
            held = self._held(node.id)
            if held is not None:
                return self._rewritten(copy.deepcopy(held), depth - 1)
        node.id = self._namer.origin(node.id)
        return node

    def _held(self, temporary: str):
        if self._definitions is None:
            self._definitions = {}
            for node in gast.walk(self._tree):
                if isinstance(node, gast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], gast.Name):
                    self._definitions.setdefault(node.targets[0].id, node.value)
        return self._definitions.get(temporary)


class _Unnormalized:
    """The terms of a function that was not normalized: its names are the user's."""

    def name(self, name: str) -> str:
        return name

    def is_temporary(self, name: str) -> bool:
        return False

    def expression(self, node) -> str:
        return gast.unparse(node).strip()


UNNORMALIZED = _Unnormalized()


def terms_of(source) -> UserTerms | _Unnormalized:
    """The user's terms for the normalized function read as `source` (ssa/normalize.py keeps them there)."""
    return getattr(source, "__dict__", {}).get("user_terms") or UNNORMALIZED
