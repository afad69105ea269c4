"""Computation graphs drawn as the seeds draw them: values and adjoints on every node.

    import s2sgrad
    g = s2sgrad.graph(J, 5.0, 3.0, 2.0, wrt=("a", "b", "c"))
    print(g.to_mermaid())       # or .to_dot(), .to_svg(), .to_html(), .save("J.html")

`python -m s2sgrad graph FILE.py:FUNC ARGS... --format html -o J.html` does the same from a shell.
"""
from .computation_graph import FORMATS, ComputationGraph, graph
from .svg import GraphvizNotFoundError

__all__ = ["FORMATS", "ComputationGraph", "GraphvizNotFoundError", "graph"]
