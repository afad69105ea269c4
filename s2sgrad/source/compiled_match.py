"""Does a piece of parsed source compile to the code a function is running?

s2sgrad differentiates the text it reads, but Python runs the code object it
compiled when the module was imported. When the file changed on disk since,
the text no longer describes the function, and differentiating it would give
the gradient of some other function. The check recompiles the parsed `def` (or
`lambda`) in a scope like the original one and compares the instructions.

The comparison is of instructions and their arguments, not of raw bytes, so
it holds on every Python version from 3.10: line numbers, inline caches and
the bookkeeping instructions that depend on the enclosing scope (`RESUME`,
`COPY_FREE_VARS`, `PUSH_NULL`, ...) are left out, and a name read from an
enclosing function counts the same as one read from the module. Asserts in
modules pytest rewrote are rewritten the same way. The same check tells apart
several lambdas written on one line.

Most of the time the recompiled code is byte for byte the live code, with the
same names and constants: that is compared first, without disassembling
either (`_same_code`); the instruction comparison runs only when the bytes
differ. Identical bytes and operands compute the same thing, so the quick
answer is never a yes that the instruction comparison would refuse.
"""
from __future__ import annotations

import __future__
import ast
import bisect
import dis
import sys
import types

_ENCLOSING = "__s2sgrad_enclosing__"

# instructions whose presence depends on where the code is compiled, not on what it computes
_BOOKKEEPING = frozenset({
    "CACHE", "COPY_FREE_VARS", "EXTENDED_ARG", "MAKE_CELL", "NOP", "PUSH_NULL", "RESUME",
})
# reading a name from outside the function: global, enclosing function or class body alike
_OUTER_LOADS = frozenset({
    "LOAD_CLASSDEREF", "LOAD_DEREF", "LOAD_FROM_DICT_OR_DEREF", "LOAD_FROM_DICT_OR_GLOBALS",
    "LOAD_GLOBAL", "LOAD_NAME",
})
_JUMPS = frozenset(getattr(dis, "hasjump", ())) | frozenset(dis.hasjrel) | frozenset(dis.hasjabs)
# gast and ast nodes for `def` and `class` have type_params from 3.12 on, and need them there
_TYPE_PARAMS = {"type_params": []} if sys.version_info >= (3, 12) else {}
_KIND_FLAGS = (
    0x04 | 0x08                                   # CO_VARARGS, CO_VARKEYWORDS
    | 0x20 | 0x80 | 0x200                         # generator, coroutine, async generator
)                                                 # (not 0x100: types.coroutine sets it on the code it wraps)
_FUTURE_FLAGS = 0
for _name in __future__.all_feature_names:
    _FUTURE_FLAGS |= getattr(__future__, _name).compiler_flag


def compiles_to(node: ast.AST, fn: types.FunctionType, filename: str, identical_only: bool = False) -> bool:
    """True when `node` (an ast `FunctionDef` or `Lambda`) compiles to `fn.__code__`'s instructions.

    `identical_only`: only byte-identical code counts (no disassembly), for a node parsed at other
    lines than the file's: a False then only means that the caller must check the node at its lines."""
    code = fn.__code__
    statement = node if isinstance(node, ast.stmt) else ast.Expr(value=node)
    wrapped, depth = _in_original_scope(statement, fn)
    module = ast.Module(body=_imports_read_by(fn) + [wrapped], type_ignores=[])
    _rewrite_asserts_as_pytest_did(module, fn, filename)
    if wrapped is not statement or getattr(statement, "lineno", None) is None:
        ast.fix_missing_locations(module)       # a parsed statement has its locations: no walk over it
    try:
        compiled = compile(module, filename, "exec", flags=code.co_flags & _FUTURE_FLAGS,
                           dont_inherit=True)
    except (SyntaxError, ValueError):
        return False
    for _ in range(depth):                      # into the class body and the enclosing function
        compiled = next(_code_constants(compiled))
    # the node's own code only: a lambda nested in it may look like `fn` but is not the node
    candidates = [candidate for candidate in _own_code(compiled) if candidate.co_name == code.co_name]
    if any(_same_code(candidate, code) for candidate in candidates):
        return True
    if identical_only:
        return False
    wanted = _shape(code)
    return any(_shape(candidate) == wanted for candidate in candidates)


def _same_code(compiled: types.CodeType, code: types.CodeType) -> bool:
    """Whether two code objects hold the same bytes with the same names, variables and constants (nested
    code compared the same way; a constant by type and value, so 1 is not 1.0 nor 0.0 -0.0). `co_code` is
    the code as compiled, whatever the interpreter has since specialized in place."""
    if compiled.co_code != code.co_code or compiled.co_names != code.co_names \
            or compiled.co_varnames != code.co_varnames or compiled.co_freevars != code.co_freevars \
            or compiled.co_cellvars != code.co_cellvars or compiled.co_argcount != code.co_argcount \
            or compiled.co_posonlyargcount != code.co_posonlyargcount \
            or compiled.co_kwonlyargcount != code.co_kwonlyargcount \
            or compiled.co_flags & _KIND_FLAGS != code.co_flags & _KIND_FLAGS \
            or len(compiled.co_consts) != len(code.co_consts):
        return False
    for mine, theirs in zip(compiled.co_consts, code.co_consts):
        if isinstance(mine, types.CodeType) or isinstance(theirs, types.CodeType):
            if not (isinstance(mine, types.CodeType) and isinstance(theirs, types.CodeType)
                    and mine.co_name == theirs.co_name and _same_code(mine, theirs)):
                return False
        elif _constant(mine) != _constant(theirs):
            return False
    return True


def _imports_read_by(fn: types.FunctionType) -> list[ast.stmt]:
    """`import name` for each global the function reads that holds a module. From 3.11 on the compiler calls
    a method of a name its module imports as an attribute (LOAD_GLOBAL with NULL, LOAD_ATTR), not as a method
    (LOAD_METHOD): recompiled alone, `math.exp(x)` would not be byte-identical to the module's code. A
    module bound otherwise (`np = numpy`) is then not identical either: the instruction comparison decides."""
    module_globals = fn.__globals__
    names = sorted({name for code in _codes_in(fn.__code__) for name in code.co_names
                    if isinstance(module_globals.get(name), types.ModuleType)})
    return [ast.Import(names=[ast.alias(name=name, asname=None, **_AT_START)], **_AT_START) for name in names]


_AT_START = {"lineno": 1, "col_offset": 0, "end_lineno": 1, "end_col_offset": 0}


def _codes_in(code: types.CodeType):
    yield code
    for inner in _code_constants(code):
        yield from _codes_in(inner)


def _rewrite_asserts_as_pytest_did(module: ast.Module, fn: types.FunctionType, filename: str) -> None:
    """pytest compiles test modules with their `assert`s rewritten (it leaves `@pytest_ar` in the
    module's globals); the recompiled text must be rewritten the same way to compare."""
    rewriter = sys.modules.get("_pytest.assertion.rewrite")
    if "@pytest_ar" in fn.__globals__ and rewriter is not None:
        try:
            rewriter.rewrite_asserts(module, b"", filename, None)
        except Exception:           # another pytest's internals: the comparison then says no match
            return
        ast.fix_missing_locations(module)
        for node in ast.walk(module):       # the imports pytest adds have a line but no end line
            if getattr(node, "end_lineno", None) is not None and node.end_lineno < node.lineno:
                node.end_lineno, node.end_col_offset = node.lineno, node.col_offset


def _in_original_scope(statement: ast.stmt, fn: types.FunctionType) -> tuple[ast.stmt, int]:
    """Wrap the statement as the original was: in its class (private names, `super()`), and in a
    function that owns the variables the original reads from enclosing functions. Also says how
    many scopes were wrapped around it."""
    depth = 0
    class_name = _enclosing_class(fn.__qualname__)
    if class_name is not None:
        statement = ast.ClassDef(name=class_name, bases=[], keywords=[], body=[statement],
                                 decorator_list=[], **_TYPE_PARAMS)
        depth += 1
    free = [name for name in fn.__code__.co_freevars if name != "__class__"]
    if not free:
        return statement, depth
    owners = [ast.Assign(targets=[ast.Name(id=name, ctx=ast.Store())],
                         value=ast.Constant(value=None)) for name in free]
    enclosing = ast.FunctionDef(
        name=_ENCLOSING, args=ast.arguments(posonlyargs=[], args=[], vararg=None, kwonlyargs=[],
                                            kw_defaults=[], kwarg=None, defaults=[]),
        body=owners + [statement], decorator_list=[], returns=None, **_TYPE_PARAMS,
    )
    return enclosing, depth + 1


def _enclosing_class(qualname: str) -> str | None:
    """The innermost class around the function, from its qualified name (`C.m`, `f.<locals>.C.m`)."""
    parts = qualname.split(".")
    if parts[-1].startswith("<") and parts[-1] not in _PYTHON_SCOPES:
        # `f.<grad_f>`: the function codegen/loader.py made from f's generated code, in a factory function and
        # never in a class (recompiled inside `class f`, its `__1` would be mangled to `_f__1`)
        return None
    for name, following in reversed(list(zip(parts[:-1], parts[1:]))):
        if not name.startswith("<") and following != "<locals>":      # not <locals>, <listcomp>, <lambda>
            return name
    return None


# the scopes Python itself names in angle brackets, which a class body can hold
_PYTHON_SCOPES = frozenset({"<lambda>", "<listcomp>", "<dictcomp>", "<setcomp>", "<genexpr>"})


def _own_code(container: types.CodeType):
    """The code objects a statement compiles to, through 3.12's scope for `def f[T](...)`."""
    for code in _code_constants(container):
        if code.co_name.startswith("<generic parameters of "):
            yield from _code_constants(code)
        else:
            yield code


def _code_constants(code: types.CodeType):
    return (const for const in code.co_consts if isinstance(const, types.CodeType))


def _shape(code: types.CodeType) -> tuple:
    """What the code computes, independent of line numbers and of the scope it was compiled in."""
    instructions = [i for i in dis.get_instructions(code) if i.opname not in _BOOKKEEPING]
    offsets = [i.offset for i in instructions]
    steps = []
    for position, instruction in enumerate(instructions):
        name, value = instruction.opname, instruction.argval
        if _QUALNAME_LOADED and name == "LOAD_CONST" and isinstance(value, str) and position + 1 < len(
                instructions) and instructions[position + 1].opname == "MAKE_FUNCTION":
            steps.append((name, "<qualname>"))      # names the scope it was compiled in, not what it computes
            continue
        if name in _OUTER_LOADS:
            name = "LOAD_OUTER"
        elif name == "LOAD_METHOD":
            name = "LOAD_ATTR"          # 3.11 shows a module's method, once called, as LOAD_ATTR
        if instruction.opcode in _JUMPS and isinstance(value, int):
            value = bisect.bisect_left(offsets, value)          # target as an instruction index
        else:
            value = _constant(value)
        steps.append((name, value))
    return (code.co_argcount, code.co_posonlyargcount, code.co_kwonlyargcount,
            code.co_flags & _KIND_FLAGS, code.co_varnames, tuple(steps))


# before 3.11 a nested function's qualified name is a constant loaded for MAKE_FUNCTION
_QUALNAME_LOADED = sys.version_info < (3, 11)


def _constant(value):
    """A constant as a comparable value: 1 and 1.0 differ, and a frozenset is compared as a set (one
    loaded from a .pyc may iterate in another order than the same set compiled now)."""
    if isinstance(value, types.CodeType):
        return _shape(value)
    if isinstance(value, tuple):
        return ("tuple", tuple(_constant(item) for item in value))
    if isinstance(value, frozenset):
        return ("frozenset", frozenset(_constant(item) for item in value))
    return (type(value).__name__, repr(value))
