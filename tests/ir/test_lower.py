"""The IR pass on its own: lowering resolves every operation to one table entry, and prints back unchanged."""
from __future__ import annotations

import math

import numpy as np
import pytest

from s2sgrad.ir import Branch, ElementStore, Loop, Operation, lower, to_source
from s2sgrad.rules import DEFAULT_RULES, NonDifferentiable, Rule
from s2sgrad.rules.structural import CALL, CONSTANT, COPY, PACK, SUBSCRIPT, Structural
from s2sgrad.transform import _resolver, prepare

from ..control_flow.test_control_flow import CASES as FLOW_CASES


def lowered(f):
    prepared = prepare(f)
    return prepared, lower(prepared.ssa, _resolver(prepared.source, prepared.ssa, prepared.rules))


def branch_and_loop(x, n):
    s = 0.0
    for i in range(n):
        if x > 1.0:
            s = s + math.sin(x) * i
        else:
            s = s * x
    return s


def test_operations_carry_their_table_entries():
    _, ir = lowered(branch_and_loop)
    entries = {op.target: op.entry for op in ir.operations()}
    assert entries["t2"] is DEFAULT_RULES.lookup(math.sin)
    assert entries["t1"].differentiable is False          # the comparison
    assert entries["s"] in (CONSTANT, COPY)
    loop = next(n for n in ir.body if isinstance(n, Loop))
    assert loop.kind == "for" and loop.index == "i" and loop.carried == ["s"]
    branch = next(n for n in loop.body if isinstance(n, Branch))
    assert branch.merged == {"s_1"}


def helper(v):
    return v * 2.0


def structural(x, w):
    pair = (x, w)
    first = pair[0]
    ys = np.zeros(3)
    ys[0] = first
    out = helper(first) + ys[0]
    return out


def test_the_language_operations_are_structural_entries():
    _, ir = lowered(structural)
    entries = {op.target: op.entry for op in ir.operations()}
    assert entries["pair"] is PACK and entries["first"] is SUBSCRIPT
    assert any(e is CALL for e in entries.values())
    assert all(isinstance(e, (Rule, NonDifferentiable, Structural)) for e in entries.values())
    assert any(isinstance(n, ElementStore) and n.container == "ys" for n in ir.walk())


@pytest.mark.parametrize("f", sorted({case[0] for case in FLOW_CASES}, key=lambda f: f.__name__),
                         ids=lambda f: f.__name__)
def test_printing_the_ir_gives_the_single_assignment_source(f):
    prepared, ir = lowered(f)
    assert to_source(ir, prepared.ssa.tree.args) == prepared.ssa_source
    assert all(ir.operation_of(op.node) is op for op in ir.operations())
    assert all(isinstance(op, Operation) and op.target for op in ir.operations())
