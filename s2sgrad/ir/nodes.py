"""The IR: plain dataclasses for a function in single-assignment form.

    Operation     target = primitive(operands)        one per assignment, resolved once
    ElementStore  container[index] = value            an in-place write
    Append        container.append(value)             a list grown in place
    Branch        if test: body else: orelse          with the names both branches define
    Loop          for / while                         with the names carried between iterations
    Statement     anything that moves no value        (a nested def, pass, assert, raise)

Each node keeps the gast statement it stands for (`node`), so emitters can
print the primal code as the user will read it and errors can point at the
user's line. The operands are atoms: names or constants.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import gast


@dataclass
class Operation:
    target: str
    primitive: object                # a Primitive: the table entry and the operands, resolved once
    node: gast.Assign

    @property
    def entry(self):
        return self.primitive.rule

    def operand_names(self) -> list[str]:
        """The names the operation reads, operands and callee alike."""
        return [n.id for n in gast.walk(self.node.value) if isinstance(n, gast.Name)]


@dataclass
class ElementStore:
    container: str
    index: gast.expr
    value: gast.expr
    node: gast.Assign
    saved: str | None = None        # the name holding what the write overwrote, when it was saved


@dataclass
class Append:
    container: str
    value: gast.expr
    node: gast.Expr


@dataclass
class Branch:
    test: gast.expr
    body: list
    orelse: list
    merged: set[str]                 # names the branches define for what follows
    node: gast.If


@dataclass
class Loop:
    kind: str                        # "for" or "while"
    index: str | None                # the for-loop's index (loops are normalized to run over range(...))
    iterations: gast.expr            # what a for loop iterates over, or a while loop's test
    body: list
    carried: list[str]               # names live from one iteration to the next
    info: object                     # the normalizer's LoopInfo (trip counters, carry copies, exit flags)
    node: gast.stmt


@dataclass
class Statement:
    node: gast.stmt


@dataclass
class Function:
    name: str
    params: list[str]
    body: list
    output: gast.expr               # the returned atom
    closures: dict = field(default_factory=dict)   # nested def / lambda name -> the variables it reads
    _index: dict = field(default_factory=dict, repr=False, compare=False)   # id(gast statement) -> Operation

    def walk(self):
        """Every node of the body, nested blocks included, in source order."""
        return walk(self.body)

    def operations(self):
        return (n for n in self.walk() if isinstance(n, Operation))

    def operation_of(self, stmt) -> Operation | None:
        """The operation a gast assignment of the body stands for."""
        op = self._index.get(id(stmt))
        if op is None or op.node is not stmt:        # built for other nodes (a copy's original) or not yet
            self._index.clear()
            self._index.update({id(o.node): o for o in self.operations()})
            op = self._index.get(id(stmt))
        return op

    def append(self, node) -> None:
        """Add a node at the end of the body (before the return)."""
        self.body.append(node)
        self._index.clear()

    def resolve(self, value, stmt):
        """The primitive lowering resolved for assignment `stmt` (the analyses' view of one operation)."""
        op = self.operation_of(stmt)
        if op is None:
            raise LookupError(f"`{gast.unparse(stmt).strip()}` is not an operation of {self.name}'s IR")
        return op.primitive


def walk(nodes):
    for node in nodes:
        yield node
        if isinstance(node, Branch):
            yield from walk(node.body)
            yield from walk(node.orelse)
        elif isinstance(node, Loop):
            yield from walk(node.body)
