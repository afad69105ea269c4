"""Render generated functions as Python source.

gast's own printer (gast 0.6 and later, a copy of the standard library's
`ast.unparse` for gast nodes) prints the gast nodes directly; with an older
gast, the standard library's `ast.unparse` prints them after `gast.gast_to_ast`.
Either is used rather than astor (0.8 predates several syntax changes and is
unmaintained).
"""
from __future__ import annotations

import ast
import copy
import sys
import textwrap

import gast

from .try_blocks import fold_try_blocks, function_with_tries
from .with_blocks import fold_with_blocks, folded_function

INDENT = "    "


def unparse(node) -> str:
    if isinstance(node, list):
        return "\n".join(unparse(n) for n in node)
    if isinstance(node, gast.FunctionDef):
        node = folded_function(node)            # the single-assignment form marks its `with` blocks
        node = function_with_tries(node)        # and its tried statements (codegen/try_blocks.py)
    if _GastPrinter is not None:
        return _GastPrinter().visit(node)
    return _Printer().visit(gast.gast_to_ast(node))


if sys.version_info < (3, 11):
    class _Unparser(ast._Unparser):
        """Python 3.10 puts every tuple in parentheses (`(dx,) = f(...)`); print them as 3.11+ does."""

        def visit_Tuple(self, node):
            bare = node.elts and self.get_precedence(node) <= ast._Precedence.TUPLE
            with self.delimit_if("(", ")", not bare):
                self.items_view(self.traverse, node.elts)

        def visit_Assign(self, node):
            for target in node.targets:
                self.set_precedence(ast._Precedence.TUPLE, target)
            super().visit_Assign(node)

        def _for_helper(self, fill, node):
            self.set_precedence(ast._Precedence.TUPLE, node.target)
            super()._for_helper(fill, node)
else:
    _Unparser = ast._Unparser


class _Printer(_Unparser):
    """Generated code has no type comments: so no line numbers are needed (fix_missing_locations
    on every statement took a tenth of a transformation)."""

    def get_type_comment(self, node):
        return None


try:
    from gast.unparser import _Unparser as _GastUnparser
except ImportError:             # gast before 0.6 has no printer of its own
    _GastPrinter = None
else:
    class _GastPrinter(_GastUnparser):
        """gast's own printer (from 0.6), on the gast nodes themselves: converting every statement to
        `ast` first (gast.gast_to_ast) took two thirds of the printing. It prints as Python 3.11's
        ast.unparse does (bare tuples), except f-strings, which keep 3.10's quoting on every version."""

        def get_type_comment(self, node):
            return None


def render_function(name: str, args: gast.arguments, extra_kwonly: dict[str, object],
                    sections: list[tuple[str, list]], returns: gast.expr) -> str:
    """`def name(args, *, extra=...):` then each (comment, statements) section, then the return."""
    args = copy.deepcopy(args)
    for kw, default in extra_kwonly.items():
        args.kwonlyargs.append(gast.Name(id=kw, ctx=gast.Param(), annotation=None, type_comment=None))
        args.kw_defaults.append(gast.Constant(value=default, kind=None))
    for a in args.posonlyargs + args.args + args.kwonlyargs:
        a.annotation = None
    header = gast.FunctionDef(name=name, args=args, body=[gast.Pass()], decorator_list=[], returns=None,
                              type_comment=None, type_params=[])
    lines = [unparse(header).splitlines()[0]]
    for comment, stmts in sections:
        if not stmts:
            continue
        if comment:
            lines.append(f"{INDENT}# {comment}")
        lines.append(textwrap.indent(unparse(fold_try_blocks(fold_with_blocks(stmts))), INDENT))
    lines.append(textwrap.indent(unparse(gast.Return(value=returns)), INDENT))
    return "\n".join(lines) + "\n"
