"""SVG drawn by Graphviz's `dot` program, which lays out large graphs best.

Graphviz is an ordinary system program, not a Python package; without it this
explains how to install it (the HTML page needs nothing and draws the graph itself).
"""
from __future__ import annotations

import shutil
import subprocess

from ..errors import S2SGradError
from .dot import to_dot
from .drawing import Drawing


class GraphvizNotFoundError(S2SGradError):
    """SVG output needs Graphviz's `dot` program, and it is not installed."""


INSTALL_HINT = (
    "SVG output needs Graphviz's `dot` program, which was not found on PATH. Install Graphviz: "
    "`apt-get install graphviz` (Debian, Ubuntu), `brew install graphviz` (macOS) or "
    "`conda install graphviz`. Without it, --format html draws the graph itself, "
    "and --format dot or mermaid give text to render elsewhere."
)


def graphviz_available() -> bool:
    return shutil.which("dot") is not None


def to_svg(drawing: Drawing) -> str:
    program = shutil.which("dot")
    if program is None:
        raise GraphvizNotFoundError(INSTALL_HINT)
    done = subprocess.run([program, "-Tsvg"], input=to_dot(drawing), capture_output=True, text=True,
                          encoding="utf-8", timeout=120)
    if done.returncode != 0:
        raise S2SGradError(f"Graphviz's dot failed (exit status {done.returncode}): {done.stderr.strip()}")
    return done.stdout
