"""Atoms: the operands of single-assignment operations (names, constants, negative literals)."""
from __future__ import annotations

import copy

import gast

from . import ast_build as build


def resolved(name: str) -> gast.Name:
    node = build.load(name)
    node.s2s_resolved = True
    return node


def copy_tree(node):
    return copy.deepcopy(node)


def is_literal(node) -> bool:
    return (
        isinstance(node, gast.UnaryOp) and isinstance(node.op, (gast.USub, gast.UAdd))
        and isinstance(node.operand, gast.Constant) and isinstance(node.operand.value, (int, float, complex))
    )


def is_atom_expr(node) -> bool:
    return isinstance(node, (gast.Name, gast.Constant)) or is_literal(node)


def is_pure(node) -> bool:
    """No calls, so evaluating it eagerly cannot raise or have effects beyond a normal operator."""
    return not any(isinstance(n, (gast.Call, gast.Subscript, gast.Attribute)) for n in gast.walk(node))


def range_len(sequence: gast.expr) -> gast.Call:
    return build.call("range", build.call("len", sequence))


def rename_loads(node, env):
    node = copy.deepcopy(node)
    for n in gast.walk(node):
        if isinstance(n, gast.Name) and n.id in env:
            n.id = env[n.id]
    return node
