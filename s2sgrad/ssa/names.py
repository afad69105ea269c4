"""Fresh, readable names that never collide with the user's.

One allocator serves a whole transformation: it knows every name the user's
function mentions (locals, parameters, globals, builtins it calls) and every
name handed out since, so a temporary, a new version of a re-assigned variable,
an adjoint or a tape can never shadow anything.
"""
from __future__ import annotations

import builtins
import keyword

import gast

from .ast_build import walk


class NameAllocator:
    def __init__(self, taken=()):
        self._taken: set[str] = set(taken)
        self._counters: dict[str, int] = {}
        self._origins: dict[str, str] = {}      # a version -> the name it versions (messages name the user's)
        self._temporaries: set[str] = set()

    @classmethod
    def for_tree(cls, tree) -> "NameAllocator":
        nodes = list(walk(tree))
        names = {n.id for n in nodes if isinstance(n, gast.Name)}
        names |= {n.name for n in nodes if isinstance(n, gast.FunctionDef) and n is not tree}
        return cls(names)

    def is_taken(self, name: str) -> bool:
        return name in self._taken

    def reserve(self, name: str) -> None:
        self._taken.add(name)

    def claim(self, preferred: str) -> str:
        """`preferred` itself if free, otherwise `preferred_1`, `preferred_2`, ..."""
        if self._usable(preferred):
            self._taken.add(preferred)
            return preferred
        return self.version(preferred)

    def version(self, base: str) -> str:
        """A new version of `base`: base_1, base_2, ... (the first one free)."""
        count = self._counters.get(base, 0)
        while True:
            count += 1
            candidate = f"{base}_{count}"
            if self._usable(candidate):
                self._counters[base] = count
                self._taken.add(candidate)
                self._origins[candidate] = base
                return candidate

    def temporary(self, prefix: str = "t") -> str:
        """t1, t2, ... : the temporaries that hold one operation each."""
        count = self._counters.get(("tmp", prefix), 0)
        while True:
            count += 1
            candidate = f"{prefix}{count}"
            if self._usable(candidate):
                self._counters[("tmp", prefix)] = count
                self._taken.add(candidate)
                self._temporaries.add(candidate)
                return candidate

    def origin(self, name: str) -> str:
        """The name `name` is a version of (`w` for `w_2`), or `name` itself. A version never equals a name
        the function mentions, so a user's own `w_1` is never taken for one."""
        while name in self._origins:
            name = self._origins[name]
        return name

    def is_temporary(self, name: str) -> bool:
        """Whether `name` was made by temporary(): it holds a value the user wrote as an expression."""
        return name in self._temporaries

    def _usable(self, name: str) -> bool:
        return (
            name not in self._taken
            and not keyword.iskeyword(name)
            and not hasattr(builtins, name)
        )
