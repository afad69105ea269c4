"""`x += v` where another name may share the array: checked when the code runs.

For an array, Python's `x += v` changes the array in place: every name,
view or container holding it sees the new values. Single-assignment form
writes it `x_1 = x + v`, a new array, and that is what s2sgrad differentiates
(so the caller's array is never changed: docs/functions.md). The two agree
unless some other name that may share the array's memory (`y = x`, a slice
`x[1:]`, `x.T`, `[x]`, `xs.append(x)`) is read after the update: Python then
reads the changed values, the generated code the old ones, and the value and
gradient would silently differ from the function as written.

The normalizer records each augmented assignment to a name; what may share
memory with what is ssa/inplace.py's `views`. At the end, `shared_update_conflicts`
finds each read of such a name that can come after the update (later in the
body, or earlier in a loop around it, which runs it again). Whether the update
is in place at all depends on the value (a number's `+=` rebinds, as the form
does), which only the running code knows, so the form checks it there, one line
before the update (runtime/in_place.py):

    unshared_update(x, 'x += ... on line 12', 'y')
    x_1 = x + t1
"""
from __future__ import annotations

from dataclasses import dataclass

import gast

from ..runtime.in_place import unshared_update
from . import ast_build as build

_SHOWN = {gast.Add: "+=", gast.Sub: "-=", gast.Mult: "*=", gast.Div: "/=", gast.FloorDiv: "//=", gast.Mod: "%=",
          gast.Pow: "**=", gast.MatMult: "@=", gast.BitAnd: "&=", gast.BitOr: "|=", gast.BitXor: "^=",
          gast.LShift: "<<=", gast.RShift: ">>="}


@dataclass(frozen=True)
class SharedUpdate:
    """A read of `alias` (which may hold the memory of `old`) that Python would make after `update` changed it."""

    old: str                # the single-assignment name of the value before `x += v`
    alias: str              # the name read
    update: gast.stmt       # the `x_1 = x + v` statement
    read: gast.AST          # the statement that reads alias
    user: str               # the user's name of the updated variable
    alias_user: str         # and of the name read
    bound: bool = False     # alias certainly holds its value where the update runs (so the check can look)


class AugmentedUpdates:
    """Mixed into the normalizer (ssa/normalize.py): notes `x += v` on names, and guards those that need it."""

    def note_augmented(self, old: str, user: str, node) -> None:
        """The statement just emitted assigns the new version of `user` (old version `old`) from `old op v`
        (what shares its memory is known only at the end: `xs.append(x)` may come later, in a loop)."""
        self.augmented.append((self.out[-1], old, user, old in self.owned, node))

    def guard_shared_updates(self, body, output) -> None:
        """Insert the runtime check before each update that a later read of a sharing name could tell apart."""
        if not self.augmented or not self.views:
            return              # nothing shares memory with anything: every `+=` reads as written
        conflicts = shared_update_conflicts(body, output, self.views, [a[:4] for a in self.augmented],
                                            self.user_of, self.holders)
        origins = {id(a[0]): a[4] for a in self.augmented}
        for conflict in conflicts:
            node = origins[id(conflict.update)]
            line = getattr(node, "lineno", 0) + self.src.line_offset
            shown = f"{conflict.user} {_SHOWN.get(type(node.op), '+=')} ... on line {line}"
            # the name read is passed too where it is bound here: whether it holds the array shows then
            held = [build.load(conflict.alias)] if conflict.bound else []
            check = gast.Expr(value=build.call(self.runtime_name("unshared_update", unshared_update),
                                               build.load(conflict.old), build.const(shown),
                                               build.const(conflict.alias_user), *held))
            gast.copy_location(check, node)
            _insert_before(body, conflict.update, check)


def _insert_before(block: list, stmt, new) -> bool:
    for index, item in enumerate(block):
        if item is stmt:
            block.insert(index, new)
            return True
        for field in ("body", "orelse"):
            inner = getattr(item, field, None)
            if isinstance(inner, list) and not isinstance(item, gast.FunctionDef) and _insert_before(inner, stmt, new):
                return True
    return False


def shared_update_conflicts(body, output, views: dict, augmented: list, user_of: dict, holders: set) -> list:
    """Each SharedUpdate of `body` (see the module's docstring), at most one per update; `augmented`: (statement,
    old, user, whether old was an array the function allocated)."""
    order = _Order(body, output)
    # each update's old and new versions are one array in Python
    versions = _Groups()
    for stmt, old, _, _ in augmented:
        versions.join(old, stmt.targets[0].id)
    found = []
    for stmt, old, user, allocated in augmented:
        where = order.position.get(id(stmt))
        if where is None:
            continue
        # an array allocated anew before the update in each iteration (`x = x * c; x += v`) is not the one
        # an earlier iteration's names hold: only what took it since it was allocated sees the update
        since = order.allocated_each_time(old, where) if allocated else None
        sharing = set().union(*(_sharing(version, views, holders) for version in versions.members(old)))
        for alias in sorted(sharing | versions.members(old) - {old}):
            if user_of.get(alias) == user:
                continue            # a version of the variable updated: it reads what Python's name holds
            read = order.stale_read(alias, where, since)
            if read is not None:
                found.append(SharedUpdate(old, alias, stmt, read, user, user_of.get(alias, alias),
                                          order.bound_at(alias, where)))
    return found


def _sharing(name: str, views: dict, holders: set) -> set[str]:
    """Names that may reach the memory `name` holds (ssa/inplace.py's views): what views or holds it, and
    each array it is a view of with that array's other views. A list, tuple or dict holding two arrays
    connects neither with the other. An element read by an integer index (`v = x[i]`) is among them: a
    number of a 1-D array shares nothing, a row of a matrix or an array in a list does, which the check
    tells apart when the code runs (runtime/in_place.py)."""
    found = set(views.get(name, ()))
    for root, names in views.items():
        if name in names and root not in holders:
            found |= {root} | names
    return found - {name}


class _Groups:
    """Union-find over names."""

    def __init__(self):
        self.parent: dict[str, str] = {}

    def find(self, name: str) -> str:
        parent = self.parent.setdefault(name, name)
        if parent != name:
            parent = self.parent[name] = self.find(parent)
        return parent

    def join(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)

    def members(self, name: str) -> set[str]:
        root = self.find(name)
        return {n for n in list(self.parent) if self.find(n) == root}


class _Order:
    """The statements of a body in the order they are written, with the loops and `if`s around each: where
    each name is assigned and read."""

    def __init__(self, body, output):
        self.position: dict[int, int] = {}
        self.loops: list[tuple] = []         # per position: [start, end) of each loop around it, outermost first
        self.depth: list[int] = []           # per position: how many `if`s it is inside
        self.statements: list = []
        self.defs: dict[str, list[int]] = {}
        self.reads: dict[str, list[int]] = {}
        self.walk(body, (), 0)
        self.add(None, (), 0)                # the return reads the output
        if isinstance(output, gast.Name):
            self.reads.setdefault(output.id, []).append(len(self.statements) - 1)

    def add(self, stmt, loops, depth) -> int:
        self.statements.append(stmt)
        self.loops.append(loops)
        self.depth.append(depth)
        return len(self.statements) - 1

    def walk(self, stmts, loops, depth) -> None:
        for stmt in stmts:
            index = self.add(stmt, loops, depth)
            self.position[id(stmt)] = index
            if isinstance(stmt, gast.If):
                self.note_reads(stmt.test, index)
                self.walk(stmt.body, loops, depth + 1)
                self.walk(stmt.orelse, loops, depth + 1)
            elif isinstance(stmt, (gast.For, gast.While)):
                self.note_reads(stmt.test if isinstance(stmt, gast.While) else stmt.iter, index)
                if isinstance(stmt, gast.For):
                    self.defs.setdefault(stmt.target.id, []).append(index)
                loop = [index, None]
                self.walk(stmt.body, loops + (loop,), depth)
                loop[1] = len(self.statements)
                self.walk(stmt.orelse, loops, depth)
            elif isinstance(stmt, gast.Expr) and getattr(stmt, "s2s_append", None):
                # xs.append(v): from here xs holds v (counted as where xs takes what it shares)
                self.defs.setdefault(stmt.s2s_append, []).append(index)
                self.note_reads(stmt.value.args[0], index)
            elif isinstance(stmt, gast.Assign):
                for target in stmt.targets:
                    for node in gast.walk(target):
                        if isinstance(node, gast.Name) and isinstance(node.ctx, gast.Store):
                            self.defs.setdefault(node.id, []).append(index)
                        elif isinstance(node, gast.Name):
                            self.reads.setdefault(node.id, []).append(index)
                self.note_reads(stmt.value, index)
            else:           # a nested def reads what it captures when called: counted as read where it stands
                self.note_reads(stmt, index)

    def note_reads(self, node, index: int) -> None:
        for part in gast.walk(node):
            if isinstance(part, gast.Name) and isinstance(part.ctx, gast.Load):
                self.reads.setdefault(part.id, []).append(index)

    def allocated_each_time(self, old: str, update: int):
        """Where `old` is assigned, if every assignment is before the update in the innermost loop around it
        (or there is no loop around it): the array is new each time the update runs. None otherwise."""
        defs = self.defs.get(old, [])
        around = self.loops[update]
        if not defs or any(d > update for d in defs):
            return None
        if around and not all(around[-1][0] < d < around[-1][1] for d in defs):
            return None
        return max(defs)

    def bound_at(self, alias: str, update: int) -> bool:
        """Whether `alias` certainly holds a value where the update at `update` runs: a parameter, or assigned
        before it outside any `if`, in the same loop or one around it."""
        defs = self.defs.get(alias)
        if not defs:
            return True
        loops = self.loops[update]
        return any(d < update and self.depth[d] == 0 and self.loops[d] == loops[:len(self.loops[d])]
                   for d in defs)

    def stale_read(self, alias: str, update: int, since=None):
        """A statement reading `alias` that may run after the update at `update` with no assignment to alias
        in between (so Python's alias would hold the changed array); None if there is none. `since`: the
        updated array was allocated there, anew each time: only what took it after that, before the update,
        holds it."""
        defs = self.defs.get(alias, [-1])         # a parameter: assigned before everything
        around = self.loops[update]
        for read in self.reads.get(alias, ()):
            if read == update:
                continue
            if since is not None:
                stale = any(since < assigned < update < read for assigned in defs)
            else:
                stale = any(self.stale(assigned, update, read, around) for assigned in defs)
            if stale:
                statement = self.statements[read]
                return statement if statement is not None else self.statements[update]
        return None

    def stale(self, assigned: int, update: int, read: int, around) -> bool:
        if assigned < update < read:
            return True
        shared = [loop for loop in around if loop in self.loops[read]]
        if shared and read < update:
            # the loop runs the update again before the read, unless it assigns alias in between
            start = shared[-1][0]
            if not start < assigned < read:
                return True
        for start, end in around:
            if start < assigned < end and assigned > update:
                # assigned after the update in a loop around it: the next iteration's update changes it
                if update < read < assigned:
                    return True
                if read >= end and self.depth[assigned] > self.depth[start]:
                    return True         # assigned on some iterations only, read after the loop
        return False
