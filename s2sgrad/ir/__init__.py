"""Stage 2's result as data: the function in single-assignment form, one resolved operation per statement.

`lower` builds it from the normalized gast tree; analyses and emitters read it
instead of re-resolving gast expressions, and `to_source` prints it.
"""
from .lower import lower
from .nodes import Append, Branch, ElementStore, Function, Loop, Operation, Statement
from .printer import to_source

__all__ = ["Append", "Branch", "ElementStore", "Function", "Loop", "Operation", "Statement", "lower", "to_source"]
