"""The transformer's faster building blocks give what the generic ones gave (issue 13, transform time).

The name queries every pass asks (`ssa/ast_build.py`), the program copy
(`ir/copying.py`), the release of dead values (`optimize/release.py`, which
was quadratic in the number of statements) and the reading of a function
(`source/reading.py`, which parses the text again for its compiled-code check
instead of copying the tree) were rewritten for speed; these tests hold them
to the slower definitions, on every control-flow test function's
single-assignment form and generated code.
"""
from __future__ import annotations

import copy
import math

import gast
import pytest

import s2sgrad
from s2sgrad.codegen.printer import unparse
from s2sgrad.analysis import side_effects
from s2sgrad.ir.copying import copy_program
from s2sgrad.optimize.release import release_dead_values
from s2sgrad.source import read_function
from s2sgrad.ssa import ast_build
from s2sgrad.transform import prepare

from ..control_flow.test_control_flow import CASES as FLOW_CASES

FUNCTIONS = sorted({case[0] for case in FLOW_CASES}, key=lambda f: f.__name__)


def _slow_names(stmts, context):
    return {n.id for s in stmts for n in gast.walk(s) if isinstance(n, gast.Name) and isinstance(n.ctx, context)}


def _trees(f):
    """The user's tree, the single-assignment form and the generated gradient, parsed."""
    prepared = prepare(f)
    generated = gast.parse(s2sgrad.grad(f).source).body
    return [prepared.source.tree, *prepared.ssa.body, *generated]


@pytest.mark.parametrize("f", FUNCTIONS, ids=lambda f: f.__name__)
def test_name_queries_agree_with_gast_walk(f):
    trees = _trees(f)
    assert ast_build.loads(trees) == _slow_names(trees, gast.Load)
    assert ast_build.stores(trees) == _slow_names(trees, gast.Store)
    for tree in trees:
        assert sorted(map(id, ast_build.walk(tree))) == sorted(map(id, gast.walk(tree)))
        for name in _slow_names([tree], gast.Store):
            expected = sum(1 for n in gast.walk(tree) if isinstance(n, gast.Name)
                           and isinstance(n.ctx, gast.Store) and n.id == name)
            assert ast_build.store_count([tree], name) == expected


def annotated(x: "float", *rest: float, **options: float) -> float:
    return x * sum(rest)


def test_names_inside_annotations_and_parameters_are_found():
    tree = read_function(annotated).tree
    assert ast_build.loads([tree]) == _slow_names([tree], gast.Load) >= {"x", "sum", "rest", "float"}
    params = {n.id for n in ast_build.walk(tree) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Param)}
    assert params == {"x", "rest", "options"}


def _assign(target, *reads):
    value = ast_build.load(reads[0])
    for name in reads[1:]:
        value = ast_build.binop(value, gast.Add(), ast_build.load(name))
    return ast_build.assign(target, value)


def test_release_deletes_after_the_last_read_unless_assigned_again():
    stmts = [_assign("a", "x"), _assign("b", "a"), _assign("c", "b"), _assign("a", "c"), _assign("d", "a"),
             _assign("e", "d")]
    out = release_dead_values(stmts, [ast_build.load("e")], keep={"x"}, scalar=set())
    lines = [unparse(s).strip() for s in out]
    # a is read by b and then assigned again (as when the tape restores it): only its last read frees it
    assert lines == ["a = x", "b = a", "c = b", "del b", "a = c", "del c", "d = a", "del a", "e = d"]


def test_release_of_a_long_program():
    # thousands of statements (a 5,000-term expression's gradient); one chain, so each value dies at once
    stmts = [_assign("v0", "x")] + [_assign(f"v{i}", f"v{i - 1}", "x") for i in range(1, 3000)]
    out = release_dead_values(stmts, [ast_build.load("v2999")], keep={"x"}, scalar=set())
    deleted = [s.targets[0].id for s in out if isinstance(s, gast.Delete)]
    assert deleted == [f"v{i}" for i in range(2998)]


def test_a_program_copy_shares_the_table_entries_and_copies_the_operands():
    prepared = prepare(FUNCTIONS[0])
    ssa, ir = copy_program((prepared.ssa, prepared.ir), shared=[prepared.source])
    assert gast.dump(ssa.tree) == gast.dump(prepared.ssa.tree)
    copied_nodes = {id(n) for s in ssa.body for n in gast.walk(s)}
    for old, new in zip(prepared.ir.operations(), ir.operations()):
        assert new.primitive.rule is old.primitive.rule and new.primitive.key is old.primitive.key
        for atom in new.primitive.args:
            if isinstance(atom, gast.AST):
                assert id(atom) in copied_nodes       # the copy's operands are the copied tree's nodes
        assert new.node is not old.node and id(new.node) in {id(s) for s in ssa.body} | copied_nodes
    reference = copy.deepcopy(prepared.ir)
    assert [type(op.primitive.rule) for op in reference.operations()] == \
        [type(op.primitive.rule) for op in ir.operations()]


class Holder:
    def method(self, x):
        y = x * 2.0
        return math.sin(y) + \
            y


def test_reading_an_indented_def_keeps_snippet_lines():
    src = read_function(Holder.method)
    assert src.tree.lineno == 1 and src.tree.body[-1].lineno == 3 and src.tree.body[-1].end_lineno == 4
    assert src.location(src.tree.body[0]).line_text.strip() == "y = x * 2.0"


def many_blocks(x, items):
    print(x)
    for item in items:
        if item:
            items.append(x)
        else:
            try:
                print(item)
            except ValueError as error:
                print(error)
            finally:
                items.sort()
    while x:
        x.pop()
    else:
        with open(x) as handle:
            handle.write(x)

    def inner(y):
        print(y)
    f = lambda z: print(z)
    match x:
        case [first]:
            print(first)
    return inner(f)


@pytest.mark.parametrize("f", [many_blocks, *FUNCTIONS], ids=lambda f: f.__name__)
def test_call_statements_are_found_without_walking_expressions(f):
    blocks = (gast.stmt, gast.ExceptHandler, gast.match_case)
    bodies = [read_function(f).tree.body] + ([prepare(f).ssa.body] if f is not many_blocks else [])
    for body in bodies:
        every_node = [n for n in side_effects._walk_scope(body) if isinstance(n, blocks)]
        assert list(side_effects._statements_of_scope(body)) == every_node
