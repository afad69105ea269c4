"""The tree queries the lowerings share (ssa/ast_build.py): a function's own nodes, and positions for
the statements s2sgrad writes."""
import gast

from s2sgrad.ssa import ast_build as build

SOURCE = '''
def f(x):
    def inner(y):
        return y
    g = lambda z: z
    class Local:
        def m(self):
            return 1
    return inner(x) + g(x)
'''


def test_own_nodes_stop_at_nested_defs_lambdas_and_classes():
    tree = gast.parse(SOURCE).body[0]
    returns = [n for n in build.own_nodes(tree.body) if isinstance(n, gast.Return)]
    assert len(returns) == 1 and returns[0] is tree.body[-1]
    kinds = {type(n) for n in build.own_nodes(tree.body)}
    assert {gast.FunctionDef, gast.Lambda, gast.ClassDef} <= kinds      # the scopes themselves, not their insides
    assert not any(isinstance(n, gast.Name) and n.id in ("y", "z") for n in build.own_nodes(tree.body))


def test_located_at_fills_missing_positions_or_all_of_them():
    origin = gast.parse("a = b + 1").body[0]
    written = build.assign("t1", build.binop(build.load("b"), gast.Add(), build.const(1)))
    written.value.lineno = 7
    build.located_at(written, origin)
    assert written.lineno == origin.lineno and written.value.lineno == 7        # kept where it had one
    build.located_at(written, origin, every=True)
    assert written.value.lineno == origin.lineno and written.value.col_offset == origin.col_offset
