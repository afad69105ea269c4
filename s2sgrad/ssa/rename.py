"""Rename SSA names throughout a block, including the names loop and branch info refer to."""
from __future__ import annotations

import gast


def rename_block(stmts, mapping: dict[str, str]) -> None:
    if not mapping:
        return
    for stmt in stmts:
        for node in gast.walk(stmt):
            if isinstance(node, gast.Name) and node.id in mapping:
                node.id = mapping[node.id]
            info = getattr(node, "s2s", None)
            if info is not None:
                info.rename(mapping)
