"""docs/tutorial_graphs.md shows real output: each graph and code block is what s2sgrad draws today.

A block is marked `<!-- graph: EXPRESSION -->` ... `<!-- end graph -->`; after a change to the
drawings, `python -m tests.graph.test_tutorial` rewrites every block from its expression.
"""
import pathlib
import re
import sys

import numpy as np

import s2sgrad

from .. import seed_functions as seeds
from . import examples

TUTORIAL = pathlib.Path(__file__).resolve().parents[2] / "docs" / "tutorial_graphs.md"
_BLOCK = re.compile(r"<!-- graph( stacked)?: (.*?) -->\n(.*?)<!-- end graph -->", re.DOTALL)


def _block(match) -> str:
    stacked, expression = match.group(1), match.group(2)
    drawn = eval(expression, {"s2sgrad": s2sgrad, "seeds": seeds, "examples": examples, "np": np})
    graph = f"```mermaid\n{drawn.to_mermaid()}```\n"
    code = f"```python\n{drawn.source}```\n"
    body = f"{graph}\n{code}" if stacked else f"<table><tr><td>\n\n{graph}\n</td><td>\n\n{code}\n</td></tr></table>\n"
    return f"<!-- graph{stacked or ''}: {expression} -->\n{body}<!-- end graph -->"


def regenerated(text: str) -> str:
    return _BLOCK.sub(_block, text)


def test_every_block_of_the_tutorial_is_current_output():
    text = TUTORIAL.read_text(encoding="utf-8")
    assert len(_BLOCK.findall(text)) >= 5
    assert regenerated(text) == text, "run `python -m tests.graph.test_tutorial` to update docs/tutorial_graphs.md"


if __name__ == "__main__":
    TUTORIAL.write_text(regenerated(TUTORIAL.read_text(encoding="utf-8")), encoding="utf-8")
    sys.exit(0)
