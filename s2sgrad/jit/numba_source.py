"""A specialization's generated gradient, rewritten as a module numba can compile.

The generated Python (a GradientProgram's `.source`) is the input: it is what
the Python version runs, so the compiled version computes the same statements.
Parsed back with `ast`, it gets the few rewrites numba needs, each one a
change of form, never of arithmetic:

- keyword-only parameters (the seed `d<out>=1.0`) become positional: the
  caller (api/jit_gradient.py) always passes every argument in order;
- `del` statements (memory hints for NumPy code) are dropped: numba frees
  values itself and refuses `del`;
- `for i in reversed(range(a, b, s))` becomes a `range` counting down;
- the tape becomes one typed stack per recorded name (tape.py);
- every name the function reads from outside (np, math, unbroadcast, a
  module-level constant of the user's) becomes an import or a constant at the
  top of the module, so the module stands alone and numba's on-disk cache,
  which keys on the module's file, never serves code made for other values.

A name that cannot be given to numba (a Python helper function, an array
held in a global) is a refusal: the caller warns, naming the construct and
the user's line, and runs the Python version.
"""
from __future__ import annotations

import ast
import builtins
import copy
import functools
import hashlib
import importlib
import math
import os
import types
from dataclasses import dataclass, field

from .peel import fresh_name

# runtime helpers that helpers.py implements for numba, by their canonical names
NUMBA_HELPERS = ("unbroadcast", "unreduce", "zeros_like", "log_base", "broadcast_like", "repetition_adjoint_left",
                 "repetition_adjoint_right", "copy_of", "element_count", "add_adjoints", "inside_clip", "keep_where",
                 "extremum_adjoint", "add_at", "last_writes", "matmul_adjoint_left", "matmul_adjoint_right",
                 "dot_adjoint_left", "dot_adjoint_right", "abs_adjoint", "var_adjoint", "concatenation_part",
                 "product_of_others", "std_adjoint", "cumsum_adjoint", "matmul", "numpy_values_like")
_HELPER_MODULE = "s2sgrad.jit.helpers"
# NumPy reductions whose numba versions take no axis (or no keepdims): over one axis, helpers.reduce_axis
AXIS_REDUCTIONS = ("sum", "mean", "min", "max", "prod", "var", "std")
# NumPy functions helpers.py gives numba versions of for cases numba's refuse (a number's np.ravel, np.flip
# with an axis, np.matmul, `@` without SciPy's BLAS): a module calling one imports helpers.py, which registers them
NUMPY_CASES = ("ravel", "reshape", "clip", "flip", "var", "matmul")


_JVP_CALLEES = None      # api/jit_calls.py's compiled_jvp_callee (the api layer sits above this one)


_JVP_OF_GRADIENT_CALLEES = None     # api/jit_calls.py's compiled_jvp_of_gradient_callee


def set_jvp_of_gradient_callees(factory) -> None:
    """`factory(function, count, active, moving)`: (module, name of the forward part there, the values baked
    into it) of the forward-mode code of a called helper's gradient, split in two as call_forward_jvp and
    call_backward_jvp run it (_split_tangent), or a string saying why it cannot be compiled."""
    global _JVP_OF_GRADIENT_CALLEES
    _JVP_OF_GRADIENT_CALLEES = factory


def set_jvp_callees(factory) -> None:
    """`factory(function, count, active)`: (module, name of the compiled tangent function there, the values
    baked into it) for a called helper's forward-mode code, or a string saying why it cannot be compiled."""
    global _JVP_CALLEES
    _JVP_CALLEES = factory


@functools.lru_cache(maxsize=None)
def _numba_has_blas() -> bool:
    """numba's `@` needs SciPy's BLAS: without SciPy, generated `a @ b` calls helpers.matmul (loops)."""
    import importlib.util
    return importlib.util.find_spec("scipy") is not None


@dataclass
class NumbaSource:
    """The module text numba compiles, and what the caller needs to call and explain it."""

    text: str
    name: str                               # the gradient function's name in the module
    parameters: tuple[str, ...]             # in the order the compiled function takes them
    function_line: int                      # 1-based line of the `def` in `text`
    indexes: bool                           # whether the code subscripts (then numba checks bounds)
    guards: tuple = ()                      # (namespace or cell, name or None, value) baked into `text`
    refusal: tuple[str, str] | None = None  # (construct, the generated line that uses it)
    stacks: tuple[str, ...] = field(default=())
    fused: bool = False                     # whether runs of elementwise statements became loops (fusion.py)
    peeled: frozenset = frozenset()         # the carried names whose loops' first iterations were peeled (peel.py)


def numba_ready(source: str, function: types.FunctionType, stack_dtypes: dict[str, str] | None = None,
                for_typing: bool = False, kinds: dict | None = None, describe=None, callees=None,
                split: bool = False, split_seed: tuple[str, str] | None = None,
                peel: frozenset = frozenset()) -> NumbaSource:
    """Rewrite generated `source`; `function` is the Python version loaded from it (its cells and globals
    say what each outside name denotes). `stack_dtypes` (stack -> NumPy type of its elements, from
    numba's typing of the version without them) turns stacks of counted loops into arrays. `kinds`
    (name -> what numba's typing of the unfused module makes of it) fuses runs of elementwise array
    statements into loops (fusion.py); `describe(statements)` says which user lines a run covers.
    `callees(function, count, active)` compiles a called helper's gradient (see _Rewriter.call_forward):
    (module, name of its forward sweep's numba dispatcher there, the values baked into it), or a string
    saying why not. `split`: the module of such a helper, its sweeps as two compiled functions (_split);
    `split_seed` (the seed and its tangent): the module of a helper's gradient's tangent code, split where
    the seed is first read (_split_tangent). `peel`: names numba found a number before a loop and an array
    in it, whose loops run their first iteration on their own (peel.py)."""
    module = ast.parse(source)
    fn = next(s for s in module.body if isinstance(s, ast.FunctionDef))
    sections = _sections(source, fn)
    refusal = _refuse_signature(fn)
    parameters = _positional_parameters(fn)
    rewriter = _Rewriter(_outside(function), {n.id for n in ast.walk(fn) if isinstance(n, ast.Name)}, callees)
    rewriter.tuples, rewriter.items = _single_assignments(fn)
    rewriter.displays, rewriter.popped = _tape_paths(fn)
    rewriter.function = function
    rewriter.written = _written_in_place(fn)
    if peel:
        from .peel import peel as peel_loop
        helper = rewriter._helper("nonempty_range")
        peeled, where, why = peel_loop(fn, set(peel), helper.id, rewriter.taken)
        if not peeled:
            del rewriter.helpers[helper.id]
        if why:
            names = ", ".join(f"`{n}`" for n in sorted(peel))
            refusal = refusal or (f"a loop carrying {names}, a number before it and an array in it (numba types a "
                                  f"name once), which cannot run its first iteration on its own: {why}",
                                  ast.unparse(where) if where is not None else "")
    rewriter.visit(fn)
    indexes = any(isinstance(n, ast.Subscript) for n in ast.walk(fn))     # the user's, not the tape's
    from .tape import as_plain_variables, preallocate, split_tapes
    stacks = split_tapes(fn, lambda name: name not in rewriter.helpers and _runtime_helper_name(
        rewriter.lookup(name)) == "zeros_like")
    if for_typing:
        as_plain_variables(fn, stacks)
    numpy_name = None
    if stack_dtypes:
        numpy_name = fresh_name("numpy", rewriter.taken)
        if not preallocate(fn, stack_dtypes, numpy_name):
            numpy_name = None
    fused, vector_functions = False, {}
    if kinds:
        from .fusion import fuse
        bound = next((n for n in sorted(rewriter.taken) if rewriter.lookup(n) is _numpy()), None)
        array_numpy = numpy_name or bound or fresh_name("numpy", rewriter.taken)
        fused = fuse(fn, {k: tuple(v) for k, v in kinds.items()}, rewriter.lookup, _HelperNames(rewriter),
                     array_numpy, rewriter.taken, describe, vector_functions)
        if fused and array_numpy != bound:
            numpy_name = array_numpy
    ast.fix_missing_locations(fn)
    header, guards, refused = _header(fn, function, rewriter.helpers, provided={numpy_name, *vector_functions},
                                      imports=rewriter.imports)
    if rewriter.numpy_cases:
        header.append(f"from s2sgrad.jit import helpers as {fresh_name('numpy_cases', rewriter.taken)}  "
                      "# numba versions of NumPy's cases numba's own refuse")
    if numpy_name is not None:
        header.append(f"import numpy as {numpy_name}" if numpy_name != "numpy" else "import numpy")
    if vector_functions:
        from .vector_math import describe as vector_math
        # the machine code differs with the vector library, so the text (numba's cache key) says which
        header.append(f"# elementwise loops' exp, sin, ...: {vector_math()}")
        header.extend(f"from s2sgrad.jit.vector_math import {_as(name, local)}"
                      for local, name in sorted(vector_functions.items()))
    refusal = refusal or rewriter.refusal or refused
    if split or split_seed:
        if split_seed:
            functions, parameters, why = _split_tangent(fn, sections, parameters, split_seed, rewriter.taken)
        else:
            functions, parameters, why = _split(fn, sections, parameters, rewriter.taken)
        refusal = refusal or why
        numba_name = fresh_name("numba", rewriter.taken)
        header.append("import numba" if numba_name == "numba" else f"import numba as {numba_name}")
        decorator = f"@{numba_name}.njit(cache=True, nogil=True{', boundscheck=True' if indexes else ''})"
        body = "\n\n\n".join(f"{decorator}\n{_render(f, part)}" for f, part in functions)
        fn = functions[0][0]
    else:
        body = _render(fn, sections)
    text = "\n".join(header) + "\n\n\n" + body + "\n"
    line = text.count("\n", 0, text.index(f"def {fn.name}(")) + 1
    return NumbaSource(text, fn.name, parameters, line, indexes, (*guards, *rewriter.guards), refusal, tuple(stacks),
                       fused, frozenset(peel))


def _literal(node, default):
    """The value of a literal number or bool (`-1` included), `default` for no node, None otherwise."""
    if node is None:
        return default
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant) \
            and type(node.operand.value) is int:
        return -node.operand.value
    return node.value if isinstance(node, ast.Constant) else None


def backward_name(forward: str) -> str:
    """The name of a split helper module's reverse sweep, given its forward sweep's (_split)."""
    return forward[:-len("_forward")] + "_backward"


def _split(fn: ast.FunctionDef, sections, parameters, taken):
    """A called helper's gradient as its two sweeps, as the Python runtime runs them (call_forward, then
    call_backward with the adjoint of the result): `<name>_forward(args)` returns the value and a record,
    the tuple of what the reverse sweep reads from the forward one (values, stacks, arguments);
    `<name>_backward(record, seed)` runs the reverse sweep from it and returns the gradients. So the
    helper runs once, where Python runs it, and the adjoint of its result may be an array.
    ([(function, its sections)], parameters of the forward sweep, refusal or None)"""
    reverse_section = next((following for comment, following in sections if comment.startswith("# reverse sweep")),
                           None)
    ends = fn.body[-1] if fn.body else None
    first = next((k for k, stmt in enumerate(fn.body) if any(stmt is s for s in reverse_section or ())), None)
    returned = ends.value if isinstance(ends, ast.Return) else None
    if first is None or not (isinstance(returned, ast.Tuple) and len(returned.elts) == 2):
        return [(fn, sections)], parameters, ("a called helper whose gradient has no separate reverse sweep",
                                              f"def {fn.name}(...)")
    seed = parameters[-1]
    forward, reverse = fn.body[:first], fn.body[first:-1]
    defined = set(parameters[:-1]) | {n.id for s in forward for n in ast.walk(s)
                                      if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}
    value, grads = returned.elts
    read_by_value = {n.id for n in ast.walk(value) if isinstance(n, ast.Name)}
    if (read_by_value - defined) & _assigned(reverse) \
            or any(isinstance(n, ast.Name) and n.id == seed for s in forward for n in ast.walk(s)):
        return [(fn, sections)], parameters, ("a called helper whose value is computed in its reverse sweep",
                                              ast.unparse(ends))
    read = [n.id for s in [*reverse, ast.Return(value=grads)] for n in ast.walk(s)
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)]
    state = [name for name in dict.fromkeys(read) if name in defined]
    record = fresh_name("record", taken)
    pack = ast.Tuple(elts=[ast.Name(id=n, ctx=ast.Load()) for n in state], ctx=ast.Load())
    forward_fn = _function_like(fn, f"{fn.name}_forward", parameters[:-1],
                                [*forward, ast.Return(value=ast.Tuple(elts=[value, pack], ctx=ast.Load()))])
    unpack = [ast.Assign(targets=[ast.Tuple(elts=[ast.Name(id=n, ctx=ast.Store()) for n in state], ctx=ast.Store())],
                         value=ast.Name(id=record, ctx=ast.Load()))] if state else []
    backward_fn = _function_like(fn, f"{fn.name}_backward", [record, seed],
                                 [*unpack, *reverse, ast.Return(value=grads)])
    for made in (forward_fn, backward_fn):
        ast.fix_missing_locations(made)
    reverse_sections = [(c, f) for c, f in sections if c.startswith("# reverse sweep")]
    forward_sections = [(c, f) for c, f in sections if not c.startswith("# reverse sweep")]
    return [(forward_fn, forward_sections), (backward_fn, reverse_sections)], tuple(parameters[:-1]), None


def _split_tangent(fn: ast.FunctionDef, sections, parameters, seeds, taken):
    """The tangent code of a called helper's gradient (forward over reverse: a Hessian of a function that
    calls it) as two functions, as the Python runtime's call_forward_jvp and call_backward_jvp run it:
    `<name>_forward(args, tangents)` returns `((value, record), (value's tangent, 0))`, the record holding
    what the rest reads; `<name>_backward(record, seed, seed's tangent)` returns `(gradients, their
    tangents)`. Forward mode keeps the gradient's order, so the forward part is every statement before
    the first that reads the seed or its tangent. ([(function, its sections)], parameters, refusal)"""
    seed, seed_dot = seeds
    ends = fn.body[-1] if fn.body else None
    returned = ends.value if isinstance(ends, ast.Return) else None
    built = {s.targets[0].id: s.value for s in fn.body if isinstance(s, ast.Assign) and len(s.targets) == 1
             and isinstance(s.targets[0], ast.Name) and isinstance(s.value, ast.Tuple)}
    pairs = [built.get(e.id) if isinstance(e, ast.Name) else e for e in getattr(returned, "elts", ())]
    first = next((k for k, stmt in enumerate(fn.body) if any(isinstance(n, ast.Name) and n.id in seeds
                                                            for n in ast.walk(stmt))), None)
    refusal = ("a called helper whose gradient's tangent code does not end in its value and gradients",
               f"def {fn.name}(...)")
    if first is None or len(pairs) != 2 or not all(isinstance(p, ast.Tuple) and len(p.elts) == 2 for p in pairs):
        return [(fn, sections)], parameters, refusal
    (value, grads), (value_dot, grads_dot) = (p.elts for p in pairs)
    forward, reverse = fn.body[:first], fn.body[first:-1]
    # the tuples that pack the value with the gradients (`grad_helper = (helper, t7)`) are read by nothing now
    reverse = [s for k, s in enumerate(reverse) if not (
        isinstance(s, ast.Assign) and isinstance(s.value, ast.Tuple) and len(s.targets) == 1
        and isinstance(s.targets[0], ast.Name) and s.targets[0].id not in _read([*reverse[k + 1:], grads, grads_dot]))]
    inputs = [p for p in parameters if p not in seeds]
    defined = set(inputs) | _assigned(forward)
    read_by_value = {n.id for e in (value, value_dot) for n in ast.walk(e) if isinstance(n, ast.Name)}
    if not read_by_value <= defined or read_by_value & _assigned(reverse):
        return [(fn, sections)], parameters, ("a called helper whose value is computed in its reverse sweep",
                                              ast.unparse(ends))
    tail = ast.Return(value=ast.Tuple(elts=[grads, grads_dot], ctx=ast.Load()))
    read = [n.id for s in [*reverse, tail] for n in ast.walk(s)
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)]
    state = [name for name in dict.fromkeys(read) if name in defined]
    record = fresh_name("record", taken)
    pack = ast.Tuple(elts=[ast.Name(id=n, ctx=ast.Load()) for n in state], ctx=ast.Load())
    result = ast.Tuple(elts=[ast.Tuple(elts=[value, pack], ctx=ast.Load()),
                             ast.Tuple(elts=[value_dot, ast.Constant(0)], ctx=ast.Load())], ctx=ast.Load())
    forward_fn = _function_like(fn, f"{fn.name}_forward", inputs, [*forward, ast.Return(value=result)])
    unpack = [ast.Assign(targets=[ast.Tuple(elts=[ast.Name(id=n, ctx=ast.Store()) for n in state], ctx=ast.Store())],
                         value=ast.Name(id=record, ctx=ast.Load()))] if state else []
    backward_fn = _function_like(fn, f"{fn.name}_backward", [record, seed, seed_dot], [*unpack, *reverse, tail])
    for made in (forward_fn, backward_fn):
        ast.fix_missing_locations(made)
    return [(forward_fn, sections), (backward_fn, [])], tuple(inputs), None


# methods of arrays that write nothing (and the modules' functions generated code calls as attributes)
_READING = frozenset(("reshape", "copy", "ravel", "sum", "mean", "max", "min", "prod", "var", "std", "astype",
                      "transpose", "flatten", "dot", "cumsum", "any", "all", "argmax", "argmin"))


def _written_in_place(fn: ast.FunctionDef) -> set[str]:
    """Names whose values may be written in place: `x += v`, `x[i] = v`, `x[i] += v`, the first argument of
    add_at(dx, index, g), and the object of a method other than NumPy's reading ones (`x.fill(0)`)."""
    written = set()
    for node in ast.walk(fn):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] \
            if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else []
        for target in targets:
            while isinstance(target, (ast.Subscript, ast.Attribute)):
                target = target.value
                if isinstance(target, ast.Name):
                    written.add(target.id)
        if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            written.add(node.target.id)
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if "add_at" in name and node.args and isinstance(node.args[0], ast.Name):
                written.add(node.args[0].id)
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.attr not in _READING:
                written.add(func.value.id)
    return written


def _read(nodes) -> set[str]:
    return {n.id for node in nodes for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _single_assignments(fn: ast.FunctionDef):
    """({name: its literal tuple of ints and strings}, {name: (the name it indexes, the literal index)}) for
    the names assigned once so (`t2 = (0, 1)`, `helper_record = t3[1]`): how a forward-mode call of a
    helper's gradient names what it differentiates, and the record its reverse part reads."""
    tuples, items, counts = {}, {}, {}
    for node in ast.walk(fn):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            counts[node.id] = counts.get(node.id, 0) + 1
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name, value = node.targets[0].id, node.value
            if _active_tuple(value) is not None:
                tuples[name] = _active_tuple(value)
            elif isinstance(value, ast.Subscript) and isinstance(value.value, ast.Name) \
                    and isinstance(value.slice, ast.Constant) and type(value.slice.value) is int:
                items[name] = (value.value.id, value.slice.value)
    once = {n for n, c in counts.items() if c == 1}
    return ({n: v for n, v in tuples.items() if n in once}, {n: v for n, v in items.items() if n in once})


def _tape_paths(fn: ast.FunctionDef):
    """({name: the names of the tuple display it is assigned, where it is assigned one once},
    {name: the name pushed where it is popped}) for the tapes with one push site and one pop site
    (`tape.append(t8)` ... `t11 = tape.pop()`: t11 holds what t8 held): how a record a forward-mode
    call of a helper's gradient returned comes back in the reverse loop (t8 = (t1, helper_record),
    helper_record_2 = t11[1])."""
    displays, counts, pushes, pops = {}, {}, {}, {}
    for node in ast.walk(fn):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name, value = node.targets[0].id, node.value
            if isinstance(value, ast.Tuple) and all(isinstance(e, ast.Name) for e in value.elts):
                displays[name] = [e.id for e in value.elts]
                counts[name] = counts.get(name, 0) + 1
            elif _stack_call(value, "pop") and not value.args:
                pops.setdefault(value.func.value.id, []).append(name)
        elif isinstance(node, ast.Expr) and _stack_call(node.value, "append") and len(node.value.args) == 1 \
                and isinstance(node.value.args[0], ast.Name):
            pushes.setdefault(node.value.func.value.id, []).append(node.value.args[0].id)
    popped = {pops[t][0]: pushes[t][0] for t in pops if len(pops[t]) == 1 and len(pushes.get(t, ())) == 1}
    return {n: v for n, v in displays.items() if counts[n] == 1}, popped


def _stack_call(node, method: str) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == method \
        and isinstance(node.func.value, ast.Name) and not node.keywords


def _assigned(statements) -> set[str]:
    return {n.id for s in statements for n in ast.walk(s)
            if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}


def _function_like(fn: ast.FunctionDef, name: str, parameters, body) -> ast.FunctionDef:
    made = copy.copy(fn)
    made.name, made.body, made.decorator_list = name, body, []
    made.args = ast.arguments(posonlyargs=[], args=[ast.arg(arg=n) for n in parameters], vararg=None,
                              kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[])
    return made


def _numpy():
    return importlib.import_module("numpy")


class _HelperNames:
    """name in the module -> the jit helper it calls (helpers.py's name), or None."""

    def __init__(self, rewriter):
        self.rewriter = rewriter

    def get(self, name):
        helper = self.rewriter.helpers.get(name) or _runtime_helper_name(self.rewriter.lookup(name))
        return helper if helper in NUMBA_HELPERS or helper in self.rewriter.helpers.values() else None


def _sections(source: str, fn: ast.FunctionDef) -> list[tuple[str, ast.stmt]]:
    """The generated code's section comments (`# forward sweep: ...`), each with the top-level
    statements that follow it, so the rewritten code keeps them."""
    lines = source.splitlines()
    sections = []
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith("#") and line.startswith("    ") and not line.startswith("     "):
            following = [s for s in fn.body if s.lineno > number]
            if following:
                sections.append((stripped, following))
    return sections


def _render(fn: ast.FunctionDef, sections) -> str:
    """`ast.unparse` of the function, with the section comments put back before their first surviving
    statement (a dropped `del` may have been the first)."""
    body = fn.body
    fn.body = [ast.Pass()]
    header = ast.unparse(fn).splitlines()[0]
    fn.body = body
    place = {}
    covered = {id(c): s for s in body for c in getattr(s, "fused_covers", ())}
    for comment, following in sections:
        survivor = next((covered.get(id(s), s) for s in following
                         if any(s is b for b in body) or id(s) in covered), None)
        if survivor is not None:
            place.setdefault(id(survivor), []).append(comment)
    out = [header]
    for position, stmt in enumerate(body):
        comments = place.get(id(stmt), [])
        if position == 0 and sections and not comments:
            comments = [sections[0][0]]          # the first section now starts with the typed stacks
            place = {k: [c for c in v if c != comments[0]] for k, v in place.items()}
        out += [f"    {c}" for c in comments]
        if getattr(stmt, "fused_comment", None):
            out.append(f"    {stmt.fused_comment}")
        out += ["    " + line for line in ast.unparse(stmt).splitlines()]
    return "\n".join(out)


def _refuse_signature(fn: ast.FunctionDef):
    args = fn.args
    if args.vararg or args.kwarg:
        starred = args.vararg.arg if args.vararg else args.kwarg.arg
        return (f"a variable argument list (`*{starred}` or `**{starred}`)", f"def {fn.name}(...)")
    return None


def _positional_parameters(fn: ast.FunctionDef) -> tuple[str, ...]:
    """Every parameter becomes positional, without defaults (the caller binds them first)."""
    args = fn.args
    names = [a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]]
    fn.args = ast.arguments(posonlyargs=[], args=[ast.arg(arg=n) for n in names], vararg=None, kwonlyargs=[],
                            kw_defaults=[], kwarg=None, defaults=[])
    return tuple(names)


def _outside(function: types.FunctionType):
    """name -> the object it denotes where the Python version runs (closure cell, global, builtin)."""
    cells = dict(zip(function.__code__.co_freevars, function.__closure__ or ()))

    def lookup(name):
        if name in cells:
            try:
                return cells[name].cell_contents
            except ValueError:
                return _ABSENT
        if name in function.__globals__:
            return function.__globals__[name]
        return getattr(builtins, name, _ABSENT)
    return lookup


# calls whose numba version is narrower than Python's, and the helpers.py function that does what Python does
_NARROW_BUILTINS = {float: "to_float", int: "to_int", round: "round_to_int"}   # bool args; nan and inf
_NARROW_MATH = {("log", 2): "log_with_base"}          # numba's math.log takes no base
# builtins numba has with different results (str(1.3) is not "1.3")
_DIFFERENT_BUILTINS = {str: "str()", repr: "repr()", format: "format()", hash: "hash()", id: "id()",
                       ascii: "ascii()"}


class _Rewriter(ast.NodeTransformer):
    def __init__(self, lookup, taken: set[str], callees=None):
        self.lookup = lookup
        self.taken = taken
        self.callees = callees
        self.imports: dict[str, str] = {}            # name in the module -> the import line that binds it
        self.guards: tuple = ()                      # called helpers' baked-in values
        self.helpers: dict[str, str] = {}            # name in the module -> helper in helpers.py
        self.refusal: tuple[str, str] | None = None
        self._statement = None
        self._backwards: dict[str, str] = {}         # a called helper's record -> its compiled reverse sweep
        self._record = None                          # the record the call_forward being visited assigns
        self.numpy_cases = False                     # whether the code calls a function of NUMPY_CASES (or `@`)
        self.tuples: dict = {}                       # names assigned a literal tuple once (_single_assignments)
        self.items: dict = {}                        # names assigned `other[k]` once
        self._targets = None                         # the names the call being visited assigns, if a pair
        self._jvp_backwards: set[str] = set()        # the compiled reverse parts call_forward_jvp's records go to
        self.displays: dict = {}                     # names assigned a tuple of names once (_tape_paths)
        self.popped: dict = {}                       # name popped -> name pushed, on one-push one-pop tapes
        self.written: set[str] = set()               # names written in place (_written_in_place)

    def visit(self, node):
        if isinstance(node, ast.stmt) and not isinstance(node, (ast.FunctionDef, ast.For, ast.While, ast.If)):
            self._statement = node
        return super().visit(node)

    def _refuse(self, construct: str) -> None:
        if self.refusal is None:
            self.refusal = (construct, ast.unparse(self._statement) if self._statement is not None else "")

    def _helper(self, helper: str) -> ast.Name:
        for name, existing in self.helpers.items():
            if existing == helper:
                return ast.Name(id=name, ctx=ast.Load())
        name, k = helper, 1
        while name in self.taken:
            name, k = f"{helper}_{k}", k + 1
        self.taken.add(name)
        self.helpers[name] = helper
        return ast.Name(id=name, ctx=ast.Load())

    def visit_Assign(self, node):
        """`y, record = call_forward(...)`: the call is visited knowing the record's name."""
        target = node.targets[0] if len(node.targets) == 1 else None
        if isinstance(target, ast.Tuple) and len(target.elts) == 2 and isinstance(target.elts[1], ast.Name):
            self._record = target.elts[1].id
            self._targets = tuple(e.id if isinstance(e, ast.Name) else None for e in target.elts)
        try:
            return self.generic_visit(node)
        finally:
            self._record = self._targets = None

    def visit_Call(self, node):
        self.generic_visit(node)
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in NUMPY_CASES and self._resolve(func) is getattr(
                _numpy(), func.attr, None):
            self.numpy_cases = True
            if func.attr == "reshape":
                shaped = self._reshape_as(node)
                if shaped is not None:
                    return shaped
            if func.attr == "matmul" and len(node.args) == 2 and not node.keywords:
                # numba has no np.matmul, only the operator (helpers.matmul where SciPy is absent)
                return self._matmul(ast.copy_location(ast.BinOp(node.args[0], ast.MatMult(), node.args[1]), node))
        if isinstance(func, ast.Name):
            target = self.lookup(func.id)
            runtime = _runtime_helper_name(target)
            if runtime == "call_forward" and self.callees is not None:
                return self.call_forward(node)
            if runtime == "call_jvp" and self.callees is not None and _JVP_CALLEES is not None:
                return self.call_jvp(node)
            if runtime == "call_forward_jvp" and self.callees is not None and _JVP_OF_GRADIENT_CALLEES is not None:
                return self.call_forward_jvp(node)
            if runtime == "call_backward_jvp" and self.callees is not None:
                return self.call_backward_jvp(node)
            if runtime == "call_backward" and self.callees is not None:
                record = node.args[0] if len(node.args) == 2 and not node.keywords else None
                backward = self._backwards.get(record.id) if isinstance(record, ast.Name) else None
                if backward is None:
                    self._refuse("the reverse sweep of a call to another Python function whose forward sweep "
                                 "is not compiled; write the called code inline to compile it")
                    return node
                node.func = ast.Name(id=backward, ctx=ast.Load())
                return node
            if isinstance(target, types.FunctionType) and self.callees is not None and _user_function(target):
                return self.plain_call(node, target)
            different = next((d for b, d in _DIFFERENT_BUILTINS.items() if target is b), None)
            if different is not None:
                self._refuse(f"{different}, which numba computes differently from Python")
            elif target is round and len(node.args) == 2 and not node.keywords:
                node.func = self._helper("round_digits")      # numba rounds in binary: round(0.35, 1) is 0.4
            else:
                helper = next((h for b, h in _NARROW_BUILTINS.items() if target is b), None)
                if helper is not None and not node.keywords and len(node.args) == 1:
                    node.func = self._helper(helper)
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
                and self.lookup(func.value.id) is math and not node.keywords:
            helper = _NARROW_MATH.get((func.attr, len(node.args)))
            if helper is not None:
                node.func = self._helper(helper)
        elif isinstance(func, ast.Attribute) and func.attr in AXIS_REDUCTIONS:
            return self._reduction(node) or node
        return node

    def _reshape_as(self, node):
        """`np.reshape(dy, np.shape(s))` becomes `reshape_as(dy, s)`: where `s` is a number, NumPy's result is
        a 0-d array (numba's arithmetic and the helpers take none), and reshape_as gives its one element, the
        number it stands for. NumPy's is a view of `dy`: so only where neither name is written in place,
        which would show through the view. None (unchanged) otherwise."""
        shape = node.args[1] if len(node.args) == 2 and not node.keywords else None
        if not (isinstance(shape, ast.Call) and len(shape.args) == 1 and not shape.keywords
                and isinstance(shape.func, ast.Attribute) and shape.func.attr == "shape"
                and self._resolve(shape.func) is _numpy().shape):
            return None
        array = node.args[0]
        written = self.written
        target = self._statement.targets[0] if isinstance(self._statement, ast.Assign) else None
        if not isinstance(target, ast.Name) or target.id in written \
                or isinstance(array, ast.Name) and array.id in written:
            return None
        return ast.copy_location(ast.Call(func=self._helper("reshape_as"), args=[array, shape.args[0]],
                                          keywords=[]), node)

    def _reduction(self, node):
        """`np.mean(x, axis=1, keepdims=True)` or `x.mean(axis=1)` with a literal axis becomes
        `reduce_axis('mean', x, 1, True, 0)`: numba's np.mean, np.min, np.var, ... take no axis, and its
        np.sum no keepdims. None (unchanged) for other forms, which numba types or refuses as they are."""
        func, op = node.func, node.func.attr
        owner = self.lookup(func.value.id) if isinstance(func.value, ast.Name) else _ABSENT
        if owner is _numpy() and node.args:
            array, rest = node.args[0], node.args[1:]
        elif owner is _ABSENT and isinstance(func.value, ast.Name):
            array, rest = func.value, node.args          # a method of a local array
        else:
            return None
        given = dict(zip(("axis",), rest)) if len(rest) <= 1 else None
        if given is None or any(k.arg in given or k.arg not in ("axis", "keepdims", "ddof") for k in node.keywords):
            return None
        given.update({k.arg: k.value for k in node.keywords})
        axis, keepdims, ddof = (_literal(given.get(k), default) for k, default in
                                (("axis", None), ("keepdims", False), ("ddof", 0)))
        if type(axis) is not int or type(keepdims) is not bool or type(ddof) is not int \
                or (ddof and op not in ("var", "std")) or (op == "sum" and not keepdims):
            return None
        return ast.copy_location(ast.Call(func=self._helper("reduce_axis"),
                                          args=[ast.Constant(op), array, ast.Constant(axis), ast.Constant(keepdims),
                                                ast.Constant(ddof)], keywords=[]), node)

    def call_forward(self, node):
        """`y, record = call_forward(helper, x, active=(0,))`, the helper's value and the record its reverse
        resumes, becomes `y, record = grad_helper_forward(x)`: the forward sweep of the helper's compiled
        gradient, run once at the call (its side effects happen once, where Python's do), returning the
        value and what its reverse sweep reads. The caller's reverse sweep's `call_backward(record, dy)`
        becomes `grad_helper_backward(record, dy)`, which runs the helper's reverse sweep with the
        adjoint of its result, a number or an array (_split)."""
        callee = node.args[0] if node.args else None
        active = _active_tuple(next((k.value for k in node.keywords if k.arg == "active"), None))
        keywords = {k.arg: k.value for k in node.keywords if k.arg != "active"}
        bound = None
        if isinstance(callee, ast.Name) and active is not None and None not in keywords \
                and not any(isinstance(a, ast.Starred) for a in node.args):
            bound = _bind(self.lookup(callee.id), node.args[1:], keywords)
        bound = self._bound(bound, "a call to another Python function with keyword or captured arguments "
                            "(call_forward runs its gradient as Python); write the called code inline to compile it")
        if bound is None:
            return node
        arguments, names = bound
        active = tuple(names.index(a) if isinstance(a, str) else a for a in active)
        if any(later <= earlier for earlier, later in zip(active, active[1:])):
            self._refuse("a call to another Python function whose keyword arguments come before positional "
                         "ones in its derivatives (call_forward runs its gradient as Python); pass them in order")
            return node
        node.args[1:] = arguments
        found = self._compiled(self.callees(self.lookup(callee.id), len(arguments), active), callee.id)
        if found is None:
            return node
        module, name = found
        function, backward = self._import(module, name), self._import(module, backward_name(name))
        if self._record is None or self._backwards.get(self._record, backward) != backward:
            self._refuse("a call to another Python function whose record is not assigned by name "
                         "(call_forward runs its gradient as Python); write the called code inline to compile it")
            return node
        self._backwards[self._record] = backward
        return ast.copy_location(ast.Call(func=ast.Name(id=function, ctx=ast.Load()), args=node.args[1:],
                                          keywords=[]), node)

    def call_jvp(self, node):
        """`y, y_dot = call_jvp(helper, (x, n), (x_dot, None))`, a helper's value and tangent in forward mode,
        becomes `y, y_dot = jvp_helper(x, n, x_dot)`: the helper's compiled tangent code (its forward-mode
        program, general over the kinds of its arguments, rewritten like any other), taking the tangents of
        the arguments that have one (None: no derivative there)."""
        callee, args, tangents = (node.args + [None] * 3)[:3]
        keywords = {k.arg: k.value for k in node.keywords if k.arg != "keyword_tangents"}
        moving_keywords = next((k.value for k in node.keywords if k.arg == "keyword_tangents"), ast.Dict([], []))
        bound = None
        if len(node.args) == 3 and isinstance(callee, ast.Name) and isinstance(args, ast.Tuple) \
                and isinstance(tangents, ast.Tuple) and len(args.elts) == len(tangents.elts) \
                and not any(isinstance(e, ast.Starred) for e in [*args.elts, *tangents.elts]) \
                and None not in keywords and not set(keywords) & _CALL_JVP_KEYWORDS \
                and isinstance(moving_keywords, ast.Dict) and all(
                    isinstance(k, ast.Constant) and k.value in keywords for k in moving_keywords.keys):
            bound = _bind(self.lookup(callee.id), args.elts, keywords)
        bound = self._bound(bound, "a call to another Python function with captured arguments (call_jvp runs its "
                            "tangent code as Python); write the called code inline to compile it")
        if bound is None:
            return node
        arguments, names = bound
        by_keyword = {k.value: v for k, v in zip(moving_keywords.keys, moving_keywords.values)}
        none = ast.Constant(None)
        given = [*tangents.elts, *(by_keyword.get(n, none) for n in names[len(tangents.elts):])]
        active = tuple(not (isinstance(t, ast.Constant) and t.value is None) for t in given)
        found = self._compiled(_JVP_CALLEES(self.lookup(callee.id), len(arguments), active), callee.id)
        if found is None:
            return node
        module, name = found
        function = self._import(module, name)
        moving = [t for t, on in zip(given, active) if on]
        return ast.copy_location(ast.Call(func=ast.Name(id=function, ctx=ast.Load()), args=[*arguments, *moving],
                                          keywords=[]), node)

    def call_forward_jvp(self, node):
        """`t3, t3_dot = call_forward_jvp(helper, (x, y), (x_dot, y_dot), recorded_active=t2)`, forward mode
        over a gradient's call of another function (the Hessian of a function calling a helper), becomes
        `t3, t3_dot = jvp_grad_helper_forward(x, y, x_dot, y_dot)`: the forward part of the tangent code of
        the helper's compiled gradient, returning ((value, record), (value's tangent, 0)); the record (what
        the rest reads, tangents included) goes to call_backward_jvp, which runs the rest."""
        callee, args, tangents = (node.args + [None] * 3)[:3]
        keywords = {k.arg: k.value for k in node.keywords}
        recorded = keywords.pop("recorded_active", None)
        recorded = self.tuples.get(recorded.id) if isinstance(recorded, ast.Name) else _active_tuple(recorded)
        # captured values, a method's object: not compiled (an empty one is none)
        unsupported = [k for k in _CALL_FORWARD_JVP_KEYWORDS if not _empty(keywords.pop(k, None))]
        bound = None
        if len(node.args) == 3 and isinstance(callee, ast.Name) and isinstance(args, ast.Tuple) \
                and isinstance(tangents, ast.Tuple) and len(args.elts) == len(tangents.elts) and recorded \
                and not unsupported and self._targets is not None and self._targets[0] is not None \
                and not any(isinstance(e, ast.Starred) for e in [*args.elts, *tangents.elts]) and None not in keywords:
            bound = _bind(self.lookup(callee.id), args.elts, keywords)
        bound = self._bound(bound, "forward mode over a call to another Python function with captured values or "
                            "a record not assigned by name (call_forward_jvp runs it as Python); write the called "
                            "code inline to compile it")
        if bound is None:
            return node
        arguments, names = bound
        active = tuple(names.index(a) if isinstance(a, str) else a for a in recorded)
        none = ast.Constant(None)
        given = [*tangents.elts, *(none for _ in names[len(tangents.elts):])]
        moving = tuple(not (isinstance(t, ast.Constant) and t.value is None) for t in given)
        if any(later <= earlier for earlier, later in zip(active, active[1:])) or not all(moving[a] for a in active):
            self._refuse("forward mode over a call to another Python function whose differentiated arguments carry "
                         "no tangent or come out of order (call_forward_jvp runs it as Python)")
            return node
        found = self._compiled(_JVP_OF_GRADIENT_CALLEES(self.lookup(callee.id), len(arguments), active, moving),
                               callee.id)
        if found is None:
            return node
        module, name = found
        function, backward = self._import(module, name), self._import(module, backward_name(name))
        self._backwards[self._targets[0]] = backward
        self._jvp_backwards.add(backward)
        return ast.copy_location(ast.Call(func=ast.Name(id=function, ctx=ast.Load()),
                                          args=[*arguments, *(t for t, on in zip(given, moving) if on)],
                                          keywords=[]), node)

    def call_backward_jvp(self, node):
        """`t4, t4_dot = call_backward_jvp(helper_record, helper_record_dot, dt1, dt1_dot)` becomes
        `t4, t4_dot = jvp_grad_helper_backward(helper_record, dt1, dt1_dot)`, the rest of the helper's
        gradient's tangent code, for the record its compiled forward part returned."""
        record = node.args[0] if len(node.args) == 4 and not node.keywords else None
        backward = self._record_backward(record.id) if isinstance(record, ast.Name) else None
        if backward is None and record is not None and len(self._jvp_backwards) == 1:
            # a record whose way back is not followed: with one compiled helper part in the function, every
            # record is one of its
            backward = next(iter(self._jvp_backwards))
        if backward is None:
            self._refuse("forward mode over the reverse sweep of a call to another Python function whose forward "
                         "part is not compiled; write the called code inline to compile it")
            return node
        cotangent_dot = node.args[3]
        if isinstance(cotangent_dot, ast.Constant) and cotangent_dot.value is None:
            # a cotangent that does not move: its tangent is a zero of its kind (the reverse part takes one)
            cotangent_dot = ast.Call(func=self._helper("zeros_like"), args=[copy.deepcopy(node.args[2])], keywords=[])
        return ast.copy_location(ast.Call(func=ast.Name(id=backward, ctx=ast.Load()),
                                          args=[record, node.args[2], cotangent_dot], keywords=[]), node)

    def _record_backward(self, record: str) -> str | None:
        """The compiled reverse part for `record`, followed back to the call_forward_jvp that returned it:
        `record = t3[1]`, t3 the call's pair; or, in a loop, `record_2 = t11[3]` where `t11 = tape.pop()`
        pops what `tape.append(t8)` pushed and `t8 = (t1, g_record, t2, record_1)`: record_1's call.
        None where the way back passes anything else."""
        seen = set()
        while record not in seen:
            seen.add(record)
            source = self.items.get(record)
            if source is None:
                return None
            holder, index = source
            if index == 1 and holder in self._backwards:
                return self._backwards[holder]
            elements = self.displays.get(self.popped.get(holder))
            if elements is None or not 0 <= index < len(elements):
                return None
            record = elements[index]
        return None

    def plain_call(self, node, callee):
        """`v = helper(a, b)`, a call of the user's function that no derivative goes through (its value is
        not differentiated: generated code calls it as it is), becomes `v = grad_helper_forward(a, b)[0]`:
        the value its compiled gradient's forward sweep computes, the same statements the function runs.
        Where that cannot be compiled, the call stays and the module is refused (_header says why)."""
        keywords = {k.arg: k.value for k in node.keywords}
        bound = None
        if None not in keywords and not any(isinstance(a, ast.Starred) for a in node.args):
            bound = _bind(callee, node.args, keywords)
        if not isinstance(bound, tuple):
            return node
        arguments, _, defaults = bound
        found = self._compiled(self.callees(callee, len(arguments), tuple(range(len(arguments)))), node.func.id)
        if found is None:
            return node
        module, name = found
        self.guards += defaults
        call = ast.Call(func=ast.Name(id=self._import(module, name), ctx=ast.Load()), args=arguments, keywords=[])
        return ast.copy_location(ast.Subscript(value=call, slice=ast.Constant(0), ctx=ast.Load()), node)

    def _bound(self, bound, why: str):
        """_bind's answer for a helper call: (its arguments, its parameters' names), the guards of the
        defaults written in kept; or None, the module refused (with _bind's reason, else `why`)."""
        if not isinstance(bound, tuple):
            self._refuse(bound or why)
            return None
        arguments, names, defaults = bound
        self.guards += defaults
        return arguments, names

    def _compiled(self, found, called_as: str):
        """A compiled helper's (module, name), from the callee compiler's answer; its baked-in constants and
        the name it is called by (`called_as`) are checked with the caller's. None where it says why not
        (the module is refused)."""
        if isinstance(found, str):
            self._refuse(found)
            return None
        module, name, guards = found
        self.guards += tuple(guards)
        self._guard_callee(called_as)
        return module, name

    def _guard_callee(self, name: str) -> None:
        """The compiled code calls what `name` denotes now, by its compiled gradient or tangent code, and the
        name itself leaves the module: a call checks it still denotes that function (rebind `helper` and
        the next call compiles for the new one), as the names the module reads are checked (_header)."""
        function = getattr(self, "function", None)
        if function is None:
            return
        cells = dict(zip(function.__code__.co_freevars, function.__closure__ or ()))
        if name in cells:
            self.guards += ((cells[name], None, cells[name].cell_contents),)
        elif name in function.__globals__:
            self.guards += ((function.__globals__, name, function.__globals__[name]),)

    def _import(self, module, name):
        local = next((k for k, line in self.imports.items() if line == f"from {module} import {_as(name, k)}"), None)
        if local is None:
            local = fresh_name(name, self.taken)
            self.imports[local] = f"from {module} import {_as(name, local)}"
        return local

    def visit_BinOp(self, node):
        """`a ** b` follows Python (2 ** -1 is 0.5, not numba's integer 0; 0.0 ** -1 raises) through
        `power`, unless `b` is a literal non-negative integer, where the two agree."""
        self.generic_visit(node)
        if isinstance(node.op, ast.MatMult):
            return self._matmul(node)
        if isinstance(node.op, ast.Pow) and not (
                isinstance(node.right, ast.Constant) and type(node.right.value) is int and node.right.value >= 0):
            return ast.copy_location(ast.Call(func=self._helper("power"), args=[node.left, node.right],
                                              keywords=[]), node)
        return node

    def _matmul(self, node):
        """`a @ b`, as `matmul(a, b)` where numba's @ has no BLAS (no SciPy): helpers.py's loops."""
        if _numba_has_blas():
            return node
        return ast.copy_location(ast.Call(func=self._helper("matmul"), args=[node.left, node.right], keywords=[]),
                                 node)

    def visit_Attribute(self, node):
        """A random draw (`np.random.normal`, `random.random`, a Generator's method) is refused: numba's
        generators are not NumPy's or Python's, so compiled draws would differ from the Python version's."""
        self.generic_visit(node)
        if isinstance(node.ctx, ast.Load) and _draws_random(self._resolve(node)):
            self._refuse(f"the random draw `{ast.unparse(node)}` (numba's random generators are not NumPy's or "
                         "Python's, so compiled code would draw other numbers)")
        return node

    def visit_Name(self, node):
        if isinstance(node.ctx, ast.Load) and _draws_random(self.lookup(node.id)):
            self._refuse(f"the random draw `{node.id}` (numba's random generators are not NumPy's or Python's, "
                         "so compiled code would draw other numbers)")
        return node

    def _resolve(self, node):
        """The object an attribute chain rooted at a name denotes where the Python version runs."""
        if isinstance(node, ast.Name):
            return self.lookup(node.id)
        if isinstance(node, ast.Attribute):
            owner = self._resolve(node.value)
            return _ABSENT if owner is _ABSENT else getattr(owner, node.attr, _ABSENT)
        return _ABSENT

    def visit_Subscript(self, node):
        """`r[::-1]`: numba slices arrays but not ranges (the reverse sweep over a loop's range, in forward
        mode over a gradient): `reverse_sequence` does both, the same values in the same order."""
        self.generic_visit(node)
        piece = node.slice
        if isinstance(node.ctx, ast.Load) and isinstance(piece, ast.Slice) and piece.lower is None \
                and piece.upper is None and _is_minus_one(piece.step):
            return ast.copy_location(ast.Call(func=self._helper("reverse_sequence"), args=[node.value],
                                              keywords=[]), node)
        return node

    def visit_FunctionDef(self, node):
        if getattr(self, "_inside", False):
            if self.refusal is None:
                self.refusal = (f"the function `{node.name}` defined inside the function (its calls run their "
                                "gradients as Python); define it at module level to compile its calls",
                                f"def {node.name}(...)")
            return node
        self._inside = True
        return self.generic_visit(node)

    def visit_IfExp(self, node):
        """`a if True and True else b`, a rule's choice made when the code was generated (np.prod's adjoint
        where no mask is given), is `a`: the branch never taken, which may call a helper numba has no
        version of, goes."""
        decided = _literal_truth(node.test)
        if decided is None:
            return self.generic_visit(node)
        return self.visit(node.body if decided else node.orelse)

    def visit_Delete(self, node):
        return None

    def generic_visit(self, node):
        super().generic_visit(node)
        for field_name in ("body", "orelse"):
            block = getattr(node, field_name, None)
            if isinstance(block, list) and field_name == "body" and not block:
                setattr(node, field_name, [ast.Pass()])
        return node

    def visit_For(self, node):
        self.generic_visit(node)
        counted = _reversed_range(node.iter)
        if counted is not None:
            node.iter = counted
        return node


def _user_function(value) -> bool:
    """A Python function of the user's (not NumPy's, SciPy's, the standard library's or s2sgrad's)."""
    module = getattr(value, "__module__", None) or ""
    return not (module.split(".")[0] in ("numpy", "scipy", "math", "s2sgrad", "numba", "builtins")
                or module in getattr(__import__("sys"), "stdlib_module_names", ()))


def _literal_truth(node):
    """The truth of a test made of literals alone (`True and True`, `not False`, `0`), or None."""
    if isinstance(node, ast.Constant) and type(node.value) in (bool, int, float, type(None), str):
        return bool(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        inner = _literal_truth(node.operand)
        return None if inner is None else not inner
    if isinstance(node, ast.BoolOp):
        values = [_literal_truth(v) for v in node.values]
        if None in values:
            return None
        return all(values) if isinstance(node.op, ast.And) else any(values)
    return None


def _draws_random(value) -> bool:
    import random
    numpy_random = importlib.import_module("numpy.random")
    if value is _ABSENT:
        return False
    if value is random or value is numpy_random:
        return True
    owner = getattr(value, "__self__", None)
    if isinstance(owner, (random.Random, numpy_random.Generator, numpy_random.RandomState,
                          numpy_random.BitGenerator)):
        return True
    module = getattr(value, "__module__", None)
    return isinstance(module, str) and (module == "random" or module.startswith("numpy.random")) and callable(value)


# call_jvp's own keywords besides keyword_tangents: captured variables, a method's object, ... (Python's)
_CALL_JVP_KEYWORDS = {"captured_tangents", "self_tangent", "callee_keywords"}


# call_forward_jvp's own keywords besides recorded_active
_CALL_FORWARD_JVP_KEYWORDS = ("recorded_captured", "self_tangent", "callee_keywords", "captured_tangents")


def _empty(node) -> bool:
    """No node, or a literal None, () or {}."""
    if node is None or isinstance(node, ast.Constant) and node.value in (None, ()):
        return True
    return isinstance(node, ast.Tuple) and not node.elts or isinstance(node, ast.Dict) and not node.keys


def _active_tuple(node):
    """`(0, 'b')`, the positions and keywords call_forward differentiates; None for anything else."""
    if isinstance(node, ast.Tuple) and all(isinstance(e, ast.Constant) and type(e.value) in (int, str)
                                           for e in node.elts):
        return tuple(e.value for e in node.elts)
    return None


def _bind(callee, positional, keywords):
    """(an argument for every parameter of `callee`, in order; the parameters' names; the guards of the
    defaults written in) for a call with these positional and keyword arguments (ast nodes), a parameter left
    out taking its default, which must be a number (a literal in the call); or a string saying why the call
    cannot be written so, or None."""
    import inspect
    if not isinstance(callee, types.FunctionType):
        return None
    try:
        parameters = list(inspect.signature(callee).parameters.values())
    except (TypeError, ValueError):
        return None
    if any(p.kind not in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in parameters) \
            or len(positional) > len(parameters):
        return None                        # the compiled callee's own refusal says more (compiled_callee)
    arguments, defaulted = list(positional), False
    for p in parameters[len(positional):]:
        if p.name in keywords and p.kind is not p.POSITIONAL_ONLY:
            arguments.append(keywords[p.name])
        elif p.default is not p.empty and _is_number(p.default):
            arguments.append(ast.Constant(p.default))
            defaulted = True
        else:
            return (f"a call to {callee.__qualname__} leaving `{p.name}` to a default that is not a number "
                    "(its gradient runs as Python); pass it in the call to compile it")
    if set(keywords) - {p.name for p in parameters[len(positional):]}:
        return None
    # a default written into the call as its literal: the call checks the helper still has these defaults
    # (`helper.__defaults__ = (5.0,)` makes the next call compile for the new ones)
    guards = ((Attributes(callee), "__defaults__", callee.__defaults__),) if defaulted else ()
    return arguments, [p.name for p in parameters], guards


class Attributes:
    """A guard's holder for an object's attributes (a called helper's `__defaults__`): `get` reads one, as
    a namespace's `get` reads a global, so the guards' check (`_holds`) takes both alike."""

    __slots__ = ("owner",)

    def __init__(self, owner):
        self.owner = owner

    def get(self, name, default=None):
        return getattr(self.owner, name, default)


def _is_minus_one(node) -> bool:
    if isinstance(node, ast.Constant):
        return type(node.value) is int and node.value == -1
    return isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant) \
        and type(node.operand.value) is int and node.operand.value == 1


def _reversed_range(node):
    """`reversed(range(...))`, or `reversed(range(...)[:count])` (a loop left by `break` after `count`
    iterations), as a `range` that counts down; None for anything else."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "reversed"
            and len(node.args) == 1 and not node.keywords):
        return None
    inner, count = node.args[0], None
    if isinstance(inner, ast.Subscript) and isinstance(inner.slice, ast.Slice) and inner.slice.lower is None \
            and inner.slice.step is None and inner.slice.upper is not None:
        inner, count = inner.value, inner.slice.upper       # a count of iterations done: never negative
    if not (isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) and inner.func.id == "range"
            and not inner.keywords and 1 <= len(inner.args) <= 3):
        return None
    bounds = inner.args
    one = ast.Constant(1)
    first = ast.Constant(0) if len(bounds) == 1 else bounds[0]
    by = bounds[2] if len(bounds) == 3 else one
    if len(bounds) == 3:
        length = ast.Call(func=ast.Name(id="len", ctx=ast.Load()), args=[inner], keywords=[])
    elif len(bounds) == 2:
        length = _sub(bounds[1], bounds[0])       # may be negative: then min() below keeps the range empty
    else:
        length = bounds[0]
    if count is not None:
        length = ast.Call(func=ast.Name(id="min", ctx=ast.Load()), args=[count, length], keywords=[])
    if len(bounds) < 3:
        start, stop, step = _add(first, _sub(length, one)), _sub(first, one), ast.Constant(-1)
    else:
        start = _add(first, ast.BinOp(_sub(length, one), ast.Mult(), by))
        stop, step = _sub(first, by), ast.UnaryOp(ast.USub(), by)
    return ast.Call(func=ast.Name(id="range", ctx=ast.Load()), args=[start, stop, step], keywords=[])


def _add(a, b):
    if isinstance(a, ast.Constant) and a.value == 0:
        return b
    return ast.BinOp(a, ast.Add(), b)


def _sub(a, b):
    if isinstance(a, ast.Constant) and isinstance(a.value, int) and isinstance(b, ast.Constant):
        return ast.Constant(a.value - b.value)
    return ast.BinOp(a, ast.Sub(), b)


# ---- what the function reads from outside --------------------------------------------------
def _free_names(fn: ast.FunctionDef) -> list[str]:
    bound = {a.arg for a in fn.args.args}
    bound |= {n.id for n in ast.walk(fn) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}
    bound |= {n.name for n in ast.walk(fn) if isinstance(n, ast.FunctionDef) and n is not fn}
    order = []
    for node in ast.walk(fn):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in bound \
                and node.id not in order:
            order.append(node.id)
    return order


_ABSENT = object()


def _header(fn, function, helpers: dict[str, str], provided=frozenset(),
            imports=None) -> tuple[list[str], list, tuple | None]:
    cells = dict(zip(function.__code__.co_freevars, function.__closure__ or ()))
    lines = ['"""Generated by s2sgrad.jit from the gradient below; numba compiles this module."""',
             f"# helpers {_helpers_version()}: numba's cache keys on this file alone, so a change to the helpers "
             "it calls must change it"]
    guards, refusal = [], None
    for name in _free_names(fn):
        if name in provided:
            continue
        if name in helpers:
            lines.append(f"from {_HELPER_MODULE} import {_as(helpers[name], name)}")
            continue
        if imports and name in imports:
            lines.append(imports[name])           # a called helper's compiled gradient
            continue
        if name in cells:
            value, namespace = cells[name].cell_contents, None
        elif name in function.__globals__:
            value, namespace = function.__globals__[name], function.__globals__
        elif hasattr(builtins, name):
            continue                         # numba knows the builtins it supports
        else:
            refusal = refusal or (f"`{name}`, which is not defined", _line_using(fn, name))
            continue
        line, reason = _binding(name, value)
        if line is None:
            refusal = refusal or (reason, _line_using(fn, name))
            continue
        lines.append(line)
        if not isinstance(value, types.ModuleType):
            # baked into the module: a call checks the name still holds it (None: a closure cell)
            guards.append((cells[name], None, value) if namespace is None else (namespace, name, value))
    return lines, guards, refusal


def _binding(name: str, value) -> tuple[str | None, str]:
    """The module line that gives `name` its value, or (None, why it cannot be given)."""
    if value is math:
        return f"from s2sgrad.jit import checked_math as {name}", ""      # Python's math errors, compiled
    if isinstance(value, types.ModuleType):
        parent, _, child = value.__name__.rpartition(".")
        if parent:        # `import a.b as n` would read attribute b of a, which may not be the module
            return f"from {parent} import {_as(child, name)}", ""
        return (f"import {value.__name__}" if name == value.__name__ else f"import {value.__name__} as {name}"), ""
    if _is_number(value):
        return f"{name} = {value!r}", ""
    helper = _runtime_helper_name(value)
    if helper is not None:
        if helper in NUMBA_HELPERS:
            return f"from {_HELPER_MODULE} import {_as(helper, name)}", ""
        if helper.startswith("call_"):
            return None, (f"a call to another Python function (the runtime helper `{helper}` runs its "
                          "gradient as Python); write the called code inline to compile it")
        return None, f"the runtime helper `{helper}`, which has no numba version yet"
    if isinstance(value, types.FunctionType):
        return None, (f"a call to the Python function `{name}` ({value.__module__}.{value.__qualname__}); "
                      "numba compiles calls to numba.njit functions only")
    where = _importable(value)
    if where is not None:
        module, attribute = where
        if module == "math":
            from . import checked_math          # imports numba, which jit() has loaded already
            if hasattr(checked_math, attribute):
                module = "s2sgrad.jit.checked_math"
        return f"from {module} import {_as(attribute, name)}", ""
    return None, f"`{name}`, a {type(value).__name__} read from outside the function"


@functools.lru_cache(maxsize=None)
def _helpers_version() -> str:
    """A digest of the compiled helpers' source (helpers.py, checked_math.py, vector_math.py)."""
    folder = os.path.dirname(os.path.abspath(__file__))
    digest = hashlib.sha256()
    for name in ("helpers.py", "checked_math.py", "vector_math.py"):
        with open(os.path.join(folder, name), "rb") as handle:
            digest.update(handle.read())
    return digest.hexdigest()[:12]


def _as(attribute: str, name: str) -> str:
    return attribute if attribute == name else f"{attribute} as {name}"


def _is_number(value) -> bool:
    return type(value) in (int, float, bool, complex)


def _runtime_helper_name(value) -> str | None:
    module = getattr(value, "__module__", None) or ""
    if module.startswith("s2sgrad.runtime") and callable(value):
        return getattr(value, "__name__", None)
    return None


def _importable(value) -> tuple[str, str] | None:
    """(module, attribute) through which `value` is reached by an import, or None."""
    module, attribute = getattr(value, "__module__", None), getattr(value, "__name__", None)
    if not isinstance(attribute, str):
        return None
    for candidate in (module, "numpy", "math"):
        if not isinstance(candidate, str):
            continue
        try:
            if getattr(importlib.import_module(candidate), attribute, _ABSENT) is value:
                return candidate, attribute
        except ImportError:
            continue
    return None


def _line_using(fn, name: str) -> str:
    for stmt in ast.walk(fn):
        if isinstance(stmt, ast.stmt) and not isinstance(stmt, (ast.FunctionDef, ast.For, ast.While, ast.If)) \
                and any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(stmt)):
            return ast.unparse(stmt)
    return name
