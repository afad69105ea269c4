"""Runs of elementwise array statements, fused into one loop over the elements.

Generated code computes one operation per line, so numba compiles each array
statement as a loop of its own with a temporary array between lines. A
maximal run of consecutive top-level statements that each assign a float64
array computed elementwise (arithmetic, ufuncs the rule table marks
elementwise, `unbroadcast`/`unreduce`/`zeros_like` between equal shapes, and a
whole-array `np.sum` at the end) becomes:

    if x.shape == t1.shape:                  # checked once, at run time
        <arrays the rest of the function reads, allocated>
        for i in range(x.size):
            x_i = x_flat[i]                  # one scalar per name
            t1_i = np.sin(x_i)
            ...
            y_flat[i] = y_i                  # only names read after the run
    else:
        <the original statements>            # other shapes: unchanged code

Which names are arrays, of which rank and layout, comes from the call's
arguments by a walk over the code (ranks.py). The arithmetic is the same
per element (scalar ufuncs, `/` as np.divide so a zero divisor gives inf as
for arrays); only a fused `np.sum` adds in order rather than pairwise.

So that LLVM can vectorize the loop: its one-argument transcendental ufuncs
(`np.exp`, `np.sin`, ...) call vector_math.py's versions, which have vector
variants (glibc's libmvec); and a loop with sums runs over blocks of elements,
each block's terms kept in a small array and added in order after it (a sum
carried from element to element is a dependency LLVM may not reorder).
"""
from __future__ import annotations

import ast
import copy

import numpy

# helpers.py functions that are the identity, or a broadcast scalar, between arrays of equal shape
_SHAPE_HELPERS = {"unbroadcast", "unreduce", "zeros_like"}
# elements per block of a loop with sums (_Fuser._blocked): a few KiB of terms, which stay in cache
_BLOCK = 256


def fuse(fn: ast.FunctionDef, kinds: dict, lookup, helpers: dict[str, str], numpy_name: str, taken: set[str],
         describe=None, imports: dict[str, str] | None = None) -> bool:
    """Rewrite runs in `fn`'s top-level body; `kinds` maps a name to ("array", ndim, layout) for float64
    arrays or ("number",) for numbers; `lookup` says what a free name denotes, `helpers` which
    names are jit helpers. True when something was fused (then `numpy_name` is used). `imports`
    receives the vector_math functions the loops call (name in the module -> name in vector_math)."""
    fuser = _Fuser(kinds, lookup, helpers, numpy_name, taken, describe)
    body, changed, run = [], False, []
    for position, stmt in enumerate(fn.body + [None]):
        shape = fuser.statement(stmt, run) if stmt is not None else None
        if shape is not None:
            run.append(stmt)
            continue
        arrays = [s for s in run if not fuser.hoisted(s, run)]
        fused = fuser.loop(run, fn.body[position:]) if len(arrays) >= 2 else run
        changed = changed or fused is not run
        body.extend(fused)
        run = []
        if stmt is not None:
            if fuser.statement(stmt, run) is not None:
                run.append(stmt)
            else:
                body.append(stmt)
    fn.body = body
    if imports is not None:
        imports.update({local: name for name, local in fuser.vector_functions.items()})
    return changed


class _Fuser:
    def __init__(self, kinds, lookup, helpers, numpy_name, taken, describe):
        self.kinds, self.lookup, self.helpers = kinds, lookup, helpers
        self.numpy, self.taken, self.describe = numpy_name, taken, describe
        self.vector_functions = {}           # vector_math name -> its name in the module

    # ---- which statements fuse ----------------------------------------------------------------
    def _array(self, name):
        kind = self.kinds.get(name)
        return kind if kind and kind[0] == "array" else None

    def statement(self, stmt, run) -> bool | None:
        """True when `stmt` can join `run` (None otherwise)."""
        if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)):
            return None
        target = stmt.targets[0].id
        sums = [s for s in run if self._is_reduction(s)]
        if any(isinstance(n, ast.Name) and n.id in {s.targets[0].id for s in sums} for n in ast.walk(stmt)):
            return None                      # a sum is complete only after the loop
        ndim = self._run_ndim(run)
        if self._is_hoistable(stmt, run):
            return True
        summed = self._summed(stmt)
        if summed is not None:
            if any(isinstance(n, ast.Name) and n.id == target for s in run for n in ast.walk(s)):
                return None                  # the accumulator would clobber a value the run uses
            return True if ndim is None or self._expression_ndim(summed) == ndim else None
        kind = self._array(target)
        if kind is None or (ndim is not None and kind[1] != ndim):
            return None
        if self._scalar_count(stmt.value, kind[1]) is None:
            return None
        return True

    def _is_hoistable(self, stmt, run) -> bool:
        """A statement between numbers alone (`t2 = a / b`), reading nothing the run assigns: computed
        before the loop, so it does not end the run."""
        if self.kinds.get(stmt.targets[0].id) != ("number",):
            return False
        assigned = {s.targets[0].id for s in run}
        read_before = {n.id for s in run for n in ast.walk(s.value) if isinstance(n, ast.Name)}
        if stmt.targets[0].id in read_before | assigned:
            return False                     # moving it first would change what the run read
        names = [n for n in ast.walk(stmt.value) if isinstance(n, ast.Name)]
        return all(n.id not in assigned and not self._array(n.id) for n in names) \
            and not any(isinstance(n, (ast.Lambda, ast.NamedExpr, ast.Await, ast.Yield)) for n in ast.walk(stmt))

    def _run_ndim(self, run):
        for stmt in run:
            if not self._is_reduction(stmt) and self._array(stmt.targets[0].id):
                return self._array(stmt.targets[0].id)[1]
        return None

    def _is_reduction(self, stmt) -> bool:
        return self._summed(stmt) is not None

    def _summed(self, stmt):
        """The elementwise expression a statement sums into a number, or None: `s = np.sum(a)`, and
        `da = unbroadcast(<array expression>, a)` with `a` a number (the adjoint of a number that
        met arrays)."""
        value = stmt.value if isinstance(stmt, ast.Assign) else None
        if not (isinstance(value, ast.Call) and not value.keywords and len(value.args) in (1, 2)
                and self.kinds.get(stmt.targets[0].id) == ("number",)):
            return None
        if len(value.args) == 1 and self._numpy_function(value.func) is numpy.sum \
                and isinstance(value.args[0], ast.Name) and self._array(value.args[0].id) is not None:
            return value.args[0]
        if len(value.args) == 2 and isinstance(value.func, ast.Name) \
                and self.helpers.get(value.func.id) == "unbroadcast" and isinstance(value.args[1], ast.Name) \
                and self.kinds.get(value.args[1].id) == ("number",):
            ndim = self._expression_ndim(value.args[0])
            if ndim is not None and self._scalar_count(value.args[0], ndim) is not None:
                return value.args[0]
        return None

    def _expression_ndim(self, node):
        ranks = {self._array(n.id)[1] for n in ast.walk(node) if isinstance(n, ast.Name) and self._array(n.id)}
        return ranks.pop() if len(ranks) == 1 else None

    def _numpy_function(self, func):
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
                and self.lookup(func.value.id) is numpy:
            return getattr(numpy, func.attr, None)
        return None

    def _scalar_count(self, node, ndim):
        """How many operations `node` has per element, or None when it is not elementwise over
        float64 arrays of rank `ndim` and numbers."""
        if isinstance(node, ast.Name):
            kind = self.kinds.get(node.id)
            if kind == ("number",) or (kind and kind[0] == "array" and kind[1] == ndim):
                return 0
            return None
        if isinstance(node, ast.Constant):
            return 0 if type(node.value) in (int, float) else None
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            inner = self._scalar_count(node.operand, ndim)
            return None if inner is None else inner + 1
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.Pow):
                if not (isinstance(node.right, ast.Constant) and type(node.right.value) is int
                        and node.right.value >= 0):
                    return None
            elif not isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div)):
                return None
            left, right = self._scalar_count(node.left, ndim), self._scalar_count(node.right, ndim)
            return None if left is None or right is None else left + right + 1
        if isinstance(node, ast.Call) and not node.keywords:
            helper = self.helpers.get(node.func.id) if isinstance(node.func, ast.Name) else None
            if helper in _SHAPE_HELPERS:
                return self._helper_count(helper, node.args, ndim)
            ufunc = self._numpy_function(node.func)
            if isinstance(ufunc, numpy.ufunc) and ufunc.nout == 1 and ufunc.nin == len(node.args) \
                    and _elementwise(ufunc):
                counts = [self._scalar_count(a, ndim) for a in node.args]
                return None if None in counts else sum(counts) + 1
        return None

    def _helper_count(self, helper, args, ndim):
        if helper == "zeros_like":
            ok = len(args) == 1 and isinstance(args[0], ast.Name) and self._array(args[0].id) is not None
            return 0 if ok else None
        if len(args) != 2 or not isinstance(args[1], ast.Name):
            return None
        reference = self._array(args[1].id)
        if reference is None or reference[1] != ndim:
            return None
        # unreduce: a number broadcast to the reference's shape; unbroadcast: an array of its shape
        if helper == "unreduce" and not self._is_number(args[0]):
            return None
        return self._scalar_count(args[0], ndim)

    def _is_number(self, node) -> bool:
        return all(not (isinstance(n, ast.Name) and self._array(n.id)) for n in ast.walk(node))

    def hoisted(self, stmt, run) -> bool:
        return self.kinds.get(stmt.targets[0].id) == ("number",) and not self._is_reduction(stmt)

    # ---- the loop ---------------------------------------------------------------------------
    def loop(self, run, rest) -> list:
        """The fused form of `run` (`run` itself when it cannot be); `rest` is what follows it (what it
        reads is kept as arrays)."""
        later = {n.id for s in rest for n in ast.walk(s) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
        assigned, inputs = set(), []
        for stmt in run:
            for node in ast.walk(stmt.value):
                if isinstance(node, ast.Name) and self._array(node.id) and node.id not in assigned:
                    if node.id not in inputs:
                        inputs.append(node.id)
            assigned.add(stmt.targets[0].id)
        for name in inputs:
            kind = self._array(name)
            if kind[1] > 1 and kind[2] != "C":
                return run                       # no flat view without a copy
        shape_refs = list(dict.fromkeys(inputs + [a.id for s in run for a in self._shape_references(s.value)
                                                  if a.id not in assigned and self._array(a.id)]))
        if not shape_refs:
            return run
        arrays = [s.targets[0].id for s in run if not self.hoisted(s, run) and not self._is_reduction(s)]
        element = {name: self._fresh(f"{name}_i") for name in dict.fromkeys([*inputs, *arrays])}
        index = self._fresh("i")
        flat = {}
        prologue, body, epilogue = [], [], []
        first = shape_refs[0]
        size = self._fresh("size")
        prologue.append(_parse(f"{size} = {first}.size"))
        for name in inputs:
            if self._elements_read(name, run):
                if self._array(name)[1] == 1:
                    flat[name] = name
                else:
                    flat[name] = self._fresh(f"{name}_flat")
                    prologue.append(_parse(f"{flat[name]} = {name}.reshape({size})"))
                body.append(_parse(f"{element[name]} = {flat[name]}[{index}]"))
        outputs = [name for name in arrays if name in later]
        outputs = list(dict.fromkeys(outputs))
        out_flat = {}
        for name in outputs:
            out_flat[name] = self._fresh(f"{name}_flat")
            prologue.append(_parse(f"{out_flat[name]} = {self.numpy}.empty({size})"))
        sums, hoist = [], []
        start = self._fresh("start") if any(self._is_reduction(s) for s in run) else None
        for stmt in run:
            target = stmt.targets[0].id
            if self.hoisted(stmt, run):
                hoist.append(copy.deepcopy(stmt))
                continue
            if self._is_reduction(stmt):
                terms = self._fresh(f"{target}_terms")
                sums.append((target, terms))
                prologue.append(_parse(f"{target} = 0.0"))
                prologue.append(_parse(f"{terms} = {self.numpy}.empty({_BLOCK})"))
                summed = _Elements(self, element).visit(copy.deepcopy(self._summed(stmt)))
                body.append(ast.Assign(targets=[_parse(f"{terms}[{index} - {start}] = 0").targets[0]], value=summed))
                continue
            value = _Elements(self, element).visit(copy.deepcopy(stmt.value))
            body.append(ast.Assign(targets=[ast.Name(id=element[target], ctx=ast.Store())], value=value))
        for name in outputs:
            body.append(_parse(f"{out_flat[name]}[{index}] = {element[name]}"))
        for name in outputs:
            if self._array(name)[1] == 1:
                epilogue.append(_parse(f"{name} = {out_flat[name]}"))
            else:
                epilogue.append(_parse(f"{name} = {out_flat[name]}.reshape({first}.shape)"))
        loop = ast.For(target=ast.Name(id=index, ctx=ast.Store()),
                       iter=_parse(f"range({size})").value, body=body, orelse=[])
        if sums:
            loop = self._blocked(loop, size, start, sums)
        fused = [*hoist, *prologue, loop, *epilogue]
        if len(shape_refs) > 1:
            test = _parse(" and ".join(f"{first}.shape == {name}.shape" for name in shape_refs[1:])).value
            nodes = [ast.If(test=test, body=fused, orelse=[copy.deepcopy(s) for s in run])]
        else:
            nodes = fused                        # one array: no shapes to compare
        nodes[0].fused_comment = self._comment(run)
        nodes[0].fused_covers = run
        return nodes

    def _blocked(self, loop, size, start, sums):
        """The loop over blocks of _BLOCK elements, each block's terms of every sum kept in a small array
        and added in order after it: the same additions in the same order as one running sum, but the
        loop over the elements no longer carries a floating-point sum from one element to the next,
        which LLVM would not reorder (no fastmath) and so could not vectorize."""
        stop, k = self._fresh("stop"), self._fresh("k")
        loop.iter = _parse(f"range({start}, {stop})").value
        adds = [_parse(f"{target} += {terms}[{k}]") for target, terms in sums]
        outer = _parse(f"for {start} in range(0, {size}, {_BLOCK}):\n"
                       f"    {stop} = min({start} + {_BLOCK}, {size})\n"
                       f"    for {k} in range({stop} - {start}):\n        pass")
        outer.body[1].body = adds
        outer.body.insert(1, loop)
        return outer

    def _comment(self, run) -> str:
        targets = [s.targets[0].id for s in run if not self.hoisted(s, run)]
        where = self.describe(run) if self.describe else ""
        text = f"# {len(run)} elementwise statements ({targets[0]} ... {targets[-1]}) in one loop over the elements"
        return text + (f"; {where}" if where else "") + "; other shapes run them one by one"

    def _elements_read(self, name, run) -> bool:
        for stmt in run:
            refs = {id(r) for r in self._shape_references(stmt.value)}
            for node in ast.walk(stmt.value):
                if isinstance(node, ast.Name) and node.id == name and id(node) not in refs:
                    return True
        return False

    def _shape_references(self, node):
        """Names read for their shape only (the reference of unbroadcast, unreduce, zeros_like)."""
        found = []
        for call in ast.walk(node):
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) \
                    and self.helpers.get(call.func.id) in _SHAPE_HELPERS:
                found.append(call.args[-1])
        return found

    def vector_function(self, call):
        """The module's name for vector_math's version of a one-argument ufunc call (`np.exp(t3_i)` ->
        `vector_exp(t3_i)`), which lets LLVM vectorize the loop; None for other calls."""
        from .vector_math import VECTOR_NAMES
        ufunc = self._numpy_function(call.func)
        name = VECTOR_NAMES.get(ufunc) if len(call.args) == 1 and not call.keywords else None
        if name is None:
            return None
        if name not in self.vector_functions:
            self.vector_functions[name] = self._fresh(f"vector_{name}")
        return self.vector_functions[name]

    def _fresh(self, name):
        candidate, k = name, 1
        while candidate in self.taken:
            candidate, k = f"{name}{k}", k + 1
        self.taken.add(candidate)
        return candidate


class _Elements(ast.NodeTransformer):
    """An elementwise expression over arrays, as the same expression over one element of each."""

    def __init__(self, fuser, element):
        self.fuser, self.element = fuser, element

    def visit_Name(self, node):
        if node.id in self.element:
            return ast.Name(id=self.element[node.id], ctx=ast.Load())
        return node

    def visit_BinOp(self, node):
        over_arrays = any(isinstance(n, ast.Name) and self.fuser._array(n.id) for n in ast.walk(node))
        self.generic_visit(node)
        # numba's scalar `/` raises on zero where NumPy's array `/` gives inf; between numbers, as Python
        if isinstance(node.op, ast.Div) and over_arrays:
            return ast.Call(func=_parse(f"{self.fuser.numpy}.divide").value, args=[node.left, node.right], keywords=[])
        return node

    def visit_Call(self, node):
        helper = self.fuser.helpers.get(node.func.id) if isinstance(node.func, ast.Name) else None
        if helper == "zeros_like":
            return ast.Constant(0.0)
        if helper in _SHAPE_HELPERS:
            return self.visit(node.args[0])
        self.generic_visit(node)
        vector = self.fuser.vector_function(node)
        if vector is not None:
            node.func = ast.Name(id=vector, ctx=ast.Load())
        return node


def _elementwise(ufunc) -> bool:
    from ..rules import DEFAULT_RULES
    rule = DEFAULT_RULES.lookup(ufunc)
    facts = getattr(rule, "facts", None)
    return bool(facts and facts.elementwise) or ufunc in (numpy.add, numpy.subtract, numpy.multiply,
                                                          numpy.divide, numpy.negative)


def _parse(text: str) -> ast.stmt:
    return ast.parse(text).body[0]
