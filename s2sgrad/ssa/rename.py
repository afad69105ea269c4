"""Rename SSA names throughout a block, including the names loop and branch info refer to."""
from __future__ import annotations

import gast

from .ast_build import walk


def rename_block(stmts, mapping: dict[str, str]) -> None:
    if not mapping:
        return
    for stmt in stmts:
        for node in walk(stmt):         # order does not matter: each node is renamed alone
            if isinstance(node, gast.Name) and node.id in mapping:
                node.id = mapping[node.id]
            info = getattr(node, "s2s", None)
            if info is not None:
                info.rename(mapping)
