"""How the normalizer names a construct it cannot differentiate, and what it suggests instead."""
from __future__ import annotations


_STATEMENT_NAMES = {
    "Try": "a `try` statement", "TryStar": "a `try ... except*` statement", "With": "a `with` statement",
    "AsyncWith": "an `async with` statement", "AsyncFor": "an `async for` loop",
    "FunctionDef": "a nested `def`", "AsyncFunctionDef": "a nested `async def`",
    "ClassDef": "a class definition", "Global": "a `global` declaration", "Nonlocal": "a `nonlocal` declaration",
    "Import": "an `import` inside the function",
    "ImportFrom": "an `import` inside the function", "Match": "a `match` statement",
}

_STATEMENT_HINTS = {
    "Try": "move the try/except outside the differentiated function",
    "With": "move the `with` block outside the differentiated function",
    "Global": "pass the value as a parameter and return the new value",
    "Nonlocal": "pass the value as a parameter and return the new value",
    "Import": "import at module level",
    "ImportFrom": "import at module level",
    "Match": "use `if`/`elif` chains",
    "ClassDef": "define the class at module level",
    "AsyncFunctionDef": "define a plain function at module level",
    "AsyncWith": "move the `async with` block outside the differentiated function",
    "AsyncFor": "use a plain `for` loop",
    "TryStar": "move the try/except outside the differentiated function",
}


def describe_statement(node) -> str:
    return _STATEMENT_NAMES.get(type(node).__name__, f"a `{type(node).__name__}` statement")


def statement_hint(node) -> str:
    return _STATEMENT_HINTS.get(type(node).__name__, "rewrite it with assignments, `if`, `for` and `while`")


_EXPRESSION_NAMES = {
    # comprehensions and generator expressions have their own handlers and messages (comprehensions.py)
    "Yield": "`yield` (generators)",
    "YieldFrom": "`yield from` (generators)", "Await": "`await`", "NamedExpr": "an assignment expression `:=`",
    "Set": "a set literal", "Starred": "a starred expression",
}

_EXPRESSION_HINTS = {
    "Yield": "return the values instead of yielding them",
    "YieldFrom": "return the values instead of yielding them",
    "NamedExpr": "assign the value on its own line",
    "Lambda": "define the function with `def` at module level",
    "Set": "use a tuple or a list",
    "Starred": "pass the values one by one",
    "Await": "differentiate a plain (not async) function",
}


def describe_expression(node) -> str:
    return _EXPRESSION_NAMES.get(type(node).__name__, f"the expression `{type(node).__name__}`")


def expression_hint(node) -> str:
    return _EXPRESSION_HINTS.get(type(node).__name__, "compute the value in plain steps on separate lines")


