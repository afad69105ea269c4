"""Print the IR as single-assignment Python source (what `g.ssa_source` shows)."""
from __future__ import annotations

import gast

from ..codegen.printer import unparse
from ..codegen.with_blocks import fold_with_blocks
from .nodes import Branch, Function, Loop


def to_source(fn: Function, args: gast.arguments) -> str:
    tree = gast.FunctionDef(name=fn.name, args=args, body=[*fold_with_blocks(_statements(fn.body)), gast.Return(value=fn.output)],
                            decorator_list=[], returns=None, type_comment=None, type_params=[])
    return unparse(tree) + "\n"


def _statements(nodes) -> list:
    out = []
    for node in nodes:
        if isinstance(node, Branch):
            out.append(gast.If(test=node.test, body=_statements(node.body) or [gast.Pass()],
                               orelse=_statements(node.orelse)))
        elif isinstance(node, Loop) and node.kind == "for":
            out.append(gast.For(target=gast.Name(id=node.index, ctx=gast.Store(), annotation=None, type_comment=None),
                                iter=node.iterations, body=_statements(node.body), orelse=[], type_comment=None))
        elif isinstance(node, Loop):
            out.append(gast.While(test=node.iterations, body=_statements(node.body), orelse=[]))
        else:
            out.append(node.node)
    return out
