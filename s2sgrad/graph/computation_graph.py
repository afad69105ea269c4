"""`graph(f, *args)`: the computation graph of one call, forward values and adjoints on every node."""
from __future__ import annotations

import inspect
import os

import gast

from ..api.gradient_function import GradientFunction, check_scalar
from ..errors import S2SGradError
from . import dot, html, mermaid, svg
from .adjoints import adjoint_plans, backpropagate
from .drawing import DEFAULT_MAX_ITERATIONS, Drawing, draw
from .trace import trace

FORMATS = ("mermaid", "dot", "svg", "html")
_SUFFIXES = {".mmd": "mermaid", ".mermaid": "mermaid", ".md": "mermaid", ".dot": "dot", ".gv": "dot",
             ".svg": "svg", ".html": "html", ".htm": "html"}
_DEFAULT_WRT = object()


def graph(f, *args, wrt=_DEFAULT_WRT, **kwargs) -> "ComputationGraph":
    """The computation graph of `f(*args, **kwargs)`, with every value and every adjoint.

    `wrt` chooses the differentiated parameters as in `grad` (an index or name, or
    a tuple of them; default: those of `f` if it is a gradient function, else 0).
    Loops are drawn unrolled and branches as taken at these arguments.
    """
    if isinstance(f, GradientFunction):
        g = f if wrt is _DEFAULT_WRT else GradientFunction(f.fun, wrt)
    else:
        g = GradientFunction(f, 0 if wrt is _DEFAULT_WRT else wrt)
    signature = inspect.signature(g.target)
    try:
        bound = signature.bind(*args, **kwargs)
    except TypeError as exc:
        raise GraphArgumentsError(f"{g.target.__qualname__}{signature} cannot be called with these "
                                  f"arguments: {exc}") from None
    bound.apply_defaults()
    prepared = g._prepared
    # the plans come first: a call to another function runs in the trace as the gradient code runs it, once
    plans = adjoint_plans(prepared, g.wrt, g._kinds(args, kwargs), g.target)
    evaluated = trace(prepared.ssa, dict(bound.arguments), g.target, calls=plans.recorded_call)
    check_scalar(evaluated.output.value, g.target)
    user_names = {n.id for n in gast.walk(prepared.source.tree) if isinstance(n, gast.Name)}
    adjoint_names = backpropagate(evaluated, plans, g.wrt)
    return ComputationGraph(evaluated, adjoint_names, user_names, g.wrt, g.source_for(*args, **kwargs))


class GraphArgumentsError(S2SGradError, TypeError):
    """The arguments given to draw a call do not fit the function's parameters."""


class ComputationGraph:
    """One call of a function drawn as the seeds draw it: circles for values, boxes for operations.

    Every value node shows its forward value (`u = 6`) and, where a gradient flows,
    its adjoint in the seeds' notation (`du = 3`, meaning dJ/du). Render it with
    `to_mermaid()`, `to_dot()`, `to_svg()` (needs Graphviz) or `to_html()`, or
    `save(path)`; in a notebook it displays itself. Loops longer than
    `max_iterations` show their first iterations and their last.
    """

    def __init__(self, trace, adjoint_names, user_names, wrt, source: str):
        self.trace = trace
        self.wrt = tuple(wrt)
        self.source = source                # the generated gradient code these adjoints follow
        self.max_iterations = DEFAULT_MAX_ITERATIONS
        self._adjoint_names = adjoint_names
        self._user_names = user_names
        self._drawings: dict[int, Drawing] = {}

    @property
    def value(self):
        return self.trace.output.value

    @property
    def gradients(self) -> dict:
        """Parameter name -> its adjoint, for the parameters differentiated."""
        return {name: self.trace.params[name].adjoint for name in self.wrt}

    def drawing(self, max_iterations: int | None = None) -> Drawing:
        """What every format draws (a notebook asks for several formats at once: drawn once)."""
        limit = self.max_iterations if max_iterations is None else max_iterations
        if limit not in self._drawings:
            self._drawings[limit] = draw(self.trace, self._adjoint_names, self._user_names, self.wrt, limit)
        return self._drawings[limit]

    def to_mermaid(self, max_iterations: int | None = None) -> str:
        return mermaid.to_mermaid(self.drawing(max_iterations))

    def to_dot(self, max_iterations: int | None = None) -> str:
        return dot.to_dot(self.drawing(max_iterations))

    def to_svg(self, max_iterations: int | None = None) -> str:
        """Laid out by Graphviz's `dot` (raises GraphvizNotFoundError, saying how to install it, without it)."""
        return svg.to_svg(self.drawing(max_iterations))

    def to_html(self, max_iterations: int | None = None) -> str:
        """A self-contained page (it fetches nothing) with the graph and the generated code."""
        return html.to_html(self.drawing(max_iterations), self.source)

    def render(self, format: str, max_iterations: int | None = None) -> str:
        if format not in FORMATS:
            raise S2SGradError(f"unknown graph format {format!r}; choose one of {', '.join(FORMATS)}")
        return getattr(self, f"to_{format}")(max_iterations)

    def save(self, path, format: str | None = None, max_iterations: int | None = None) -> str:
        """Write the graph to `path`, in `format` or the one its suffix names; returns the format."""
        if format is None:
            suffix = os.path.splitext(os.fspath(path))[1].lower()
            format = _SUFFIXES.get(suffix)
            if format is None:
                raise S2SGradError(f"cannot tell the graph format from {os.fspath(path)!r}; give format= "
                                   f"({', '.join(FORMATS)}) or a suffix ({', '.join(_SUFFIXES)})")
        text = self.render(format, max_iterations)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        return format

    # ---- notebooks ----------------------------------------------------
    def _repr_html_(self) -> str:
        return html.fragment(self.drawing(), self.source)

    def _repr_svg_(self) -> str:
        return html.to_svg_inline(self.drawing())

    def __repr__(self) -> str:
        drawing = self.drawing()
        return (f"<ComputationGraph of {drawing.title}: {len(drawing.nodes)} nodes; "
                ".to_mermaid(), .to_dot(), .to_svg(), .to_html(), .save(path)>")
