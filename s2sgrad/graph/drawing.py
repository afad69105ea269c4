"""What to draw, whatever the format: nodes with their labels, edges, loop-iteration groups, a title.

From a trace with adjoints this keeps what the output depends on (and every
parameter), gives each variable the seeds' two-line label (`u = 6`, `du = 3`)
and each operation its operator, groups the variables of each loop iteration,
and replaces the middle iterations of a long loop by one "not drawn" node.
Mermaid, DOT and the HTML page all render the same `Drawing`.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import gast

from . import values
from .trace import LoopRun, Operation

DEFAULT_MAX_ITERATIONS = 6

_BINARY = {
    gast.Add: "+", gast.Sub: "-", gast.Mult: "*", gast.Div: "/", gast.FloorDiv: "//", gast.Mod: "%",
    gast.Pow: "**", gast.MatMult: "@", gast.BitAnd: "&", gast.BitOr: "|", gast.BitXor: "^",
    gast.LShift: "<<", gast.RShift: ">>",
}
_UNARY = {gast.USub: "-", gast.UAdd: "+", gast.Not: "not", gast.Invert: "~"}
_COMPARE = {
    gast.Eq: "==", gast.NotEq: "!=", gast.Lt: "<", gast.LtE: "<=", gast.Gt: ">", gast.GtE: ">=",
    gast.Is: "is", gast.IsNot: "is not", gast.In: "in", gast.NotIn: "not in",
}
# node ids read like the seeds' Mermaid (`mul`, `sin`); these words would end a Mermaid statement
_RESERVED = {"end", "graph", "subgraph", "flowchart", "click", "style", "class", "classDef", "linkStyle",
             "direction", "default", "node", "edge", "digraph", "strict"}
_OPERATOR_IDS = {
    gast.Add: "add", gast.Sub: "sub", gast.Mult: "mul", gast.Div: "div", gast.FloorDiv: "floordiv",
    gast.Mod: "mod", gast.Pow: "pow", gast.MatMult: "matmul", gast.USub: "neg", gast.UAdd: "pos",
    gast.Not: "not", gast.Invert: "invert",
}


# (fill, outline, text) of each style of node, the same in every format
PALETTE = {
    "param": ("#fff4d6", "#b7791f", "#1a202c"),
    "value": ("#ffffff", "#4a5568", "#1a202c"),
    "output": ("#e3f6e8", "#2f855a", "#1a202c"),
    "operation": ("#edf2f7", "#718096", "#1a202c"),
    "inactive": ("#f7f7f7", "#a0aec0", "#4a5568"),
    "elided": ("#ffffff", "#a0aec0", "#4a5568"),
}
ADJOINT_COLOR = "#1f5fbf"         # gradients in blue, as seed 001 draws the backward pass


@dataclass
class Node:
    id: str
    kind: str                      # "param", "value", "constant", "index", "operation" or "elided"
    lines: list                    # [(text, role)]; role: "value", "adjoint", "operator" or "note"
    tooltip: str
    cluster: str | None            # the innermost loop iteration it belongs to
    output: bool = False
    active: bool = False           # an adjoint flows through it

    @property
    def style(self) -> str:
        """Its key in PALETTE."""
        if self.output:
            return "output"
        if self.kind in ("operation", "elided", "param"):
            return self.kind
        return "value" if self.active else "inactive"


@dataclass
class Cluster:
    """One loop iteration drawn: iteration `iteration` of the `run`-th loop execution."""

    id: str
    label: str                     # "for i in range(n): iteration 2 of 3 (i = 1)"
    caption: str                   # the same without the loop's header, where space is short
    parent: str | None
    run: int
    iteration: int


@dataclass
class Drawing:
    title: str                     # the call drawn: "seed000_J(a=5, b=3, c=2) = 33"
    path: list                     # the path taken through loops and branches, and what is not drawn
    notation: str                  # what the adjoint labels mean
    nodes: list = field(default_factory=list)        # in the order they were computed
    edges: list = field(default_factory=list)        # (source id, target id)
    clusters: dict = field(default_factory=dict)     # id -> Cluster, outer ones first

    @property
    def heading(self) -> list:
        """The title and the path taken: what every format prints above the graph."""
        return [self.title, *self.path]

    def nested(self, parent: str | None = None) -> list:
        """The nodes and clusters directly inside `parent`, in the order they first appear.

        Each item is a Node, or a (Cluster, items inside it) pair.
        """
        items, seen = [], set()
        for node in self.nodes:
            chain = self.chain(node.cluster)
            if parent is not None:
                if parent not in chain:
                    continue
                chain = chain[chain.index(parent) + 1:]
            if not chain:
                items.append(node)
            elif chain[0] not in seen:
                seen.add(chain[0])
                items.append((self.clusters[chain[0]], self.nested(chain[0])))
        return items

    def chain(self, cluster_id: str | None) -> list:
        """The clusters around one, outermost first."""
        chain = []
        while cluster_id is not None:
            chain.insert(0, cluster_id)
            cluster_id = self.clusters[cluster_id].parent
        return chain


def draw(trace, adjoint_names, user_names: set, wrt, max_iterations: int = DEFAULT_MAX_ITERATIONS) -> Drawing:
    return _Drawer(trace, adjoint_names, user_names, wrt, max(2, int(max_iterations))).run()


class _Drawer:
    def __init__(self, trace, adjoint_names, user_names, wrt, max_iterations):
        self.trace = trace
        self.adjoint_names = adjoint_names
        self.user_names = user_names
        self.wrt = list(wrt)
        self.limit = max_iterations
        self.ids: dict[object, str] = {}           # Variable/Operation/LoopRun -> node id
        self.taken_ids: set[str] = set()
        self.index_of_iteration = {
            var.context[-1]: var for var in trace.variables if var.kind == "index" and var.context
        }

    def run(self) -> Drawing:
        trace = self.trace
        output = trace.output
        drawing = Drawing(self.title(), self.path_notes(), self.notation())
        kept = self.kept_variables()
        self.hidden = Counter(self.elided_at(var) for var in kept if var.producer and self.elided_at(var))
        placed: set[str] = set()
        edges: dict[tuple, None] = {}          # a dict keeps the first-seen order, for stable output
        for var in trace.variables:
            if var not in kept:
                continue
            op = var.producer
            if op is not None:
                self.place(drawing, placed, op, self.operation_node)
                for operand in op.operands:
                    edges[(self.node_id(operand), self.node_id(op))] = None
                edges[(self.node_id(op), self.node_id(var))] = None
            self.place(drawing, placed, var, lambda v: self.variable_node(v, v is output))
        drawing.edges = [(a, b) for a, b in edges if a != b]
        return drawing

    # ---- what is drawn ------------------------------------------------
    def kept_variables(self) -> set:
        """The output's ancestors, and every parameter (an unused one still has an adjoint of 0)."""
        kept = set(self.trace.params.values())
        stack = [self.trace.output]
        while stack:
            var = stack.pop()
            kept.add(var)
            if var.producer is not None:
                stack.extend(v for v in var.producer.operands if v not in kept)
        return kept

    def elided_at(self, item) -> LoopRun | None:
        """The loop run whose middle iterations hide `item`, or None if it is drawn."""
        for run, iteration in item.context:
            if run.iterations > self.limit and self.limit - 1 < iteration < run.iterations:
                return run
        return None

    def place(self, drawing, placed, item, make) -> None:
        node_id = self.node_id(item)
        if node_id in placed:
            return
        placed.add(node_id)
        run = self.elided_at(item)
        drawing.nodes.append(make(item) if run is None else self.elided_node(run))
        self.add_clusters(drawing, item.context if run is None else run.context)

    # ---- ids ----------------------------------------------------------
    def node_id(self, item) -> str:
        """Each drawn item's id; every item of the iterations a run does not draw shares one."""
        item = self.elided_at(item) or item
        node_id = self.ids.get(item)
        if node_id is None:
            node_id = self.ids[item] = self.fresh_id(self.base_id(item))
        return node_id

    def base_id(self, item) -> str:
        if isinstance(item, LoopRun):
            return f"loop{item.index + 1}_skipped"
        if isinstance(item, Operation):
            return _operation_id(item)
        return re.sub(r"\W", "_", self.display(item.name)) or "v"

    def fresh_id(self, base: str) -> str:
        if base in _RESERVED or not base[0].isalpha():
            base = f"n_{base}"
        candidate, count = base, 1
        while candidate in self.taken_ids:
            count += 1
            candidate = f"{base}__{count}"
        self.taken_ids.add(candidate)
        return candidate

    # ---- nodes --------------------------------------------------------
    def display(self, ssa_name: str) -> str:
        """The user's name for a single-assignment version: `s_2` is the user's `s` re-assigned."""
        if ssa_name in self.user_names:
            return ssa_name
        match = re.fullmatch(r"(.+)_\d+", ssa_name)
        return match.group(1) if match and match.group(1) in self.user_names else ssa_name

    def variable_node(self, var, is_output: bool) -> Node:
        name = self.display(var.name)
        lines = [(f"{name} = {values.short(var.value)}", "value")]
        tooltip = [f"{name} = {values.full(var.value)}"]
        if var.has_adjoint:
            adjoint = self.adjoint_names(name)
            lines.append((f"{adjoint} = {values.short(var.adjoint)}", "adjoint"))
            tooltip.append(f"{adjoint} = {values.full(var.adjoint)}")
        if name != var.name:
            tooltip.append(f"(`{var.name}` in the single-assignment form)")
        if var.context:
            run, iteration = var.context[-1]
            tooltip.append(f"{run.header}: {self.cluster_caption(run, iteration)}")
        return Node(self.node_id(var), var.kind, lines, "\n".join(tooltip), self.cluster_id(var.context),
                    output=is_output, active=var.has_adjoint)

    def operation_node(self, op) -> Node:
        label = operator_label(op)
        tooltip = f"{self.display(op.result.name)} = {gast.unparse(op.stmt.value).strip()}"
        return Node(self.node_id(op), "operation", [(label, "operator")], tooltip, self.cluster_id(op.context),
                    active=op.result.has_adjoint)

    def elided_node(self, run) -> Node:
        skipped = _iteration_range(self.limit, run.iterations - 1)
        lines = [("⋯", "note"), (f"{skipped} of {run.iterations}", "note"),
                 (f"{_plural(self.hidden[run], 'operation')} not drawn", "note")]
        tooltip = f"{run.header}: {skipped} of {run.iterations} are not drawn"
        return Node(self.node_id(run), "elided", lines, tooltip, self.cluster_id(run.context))

    # ---- loop iterations ----------------------------------------------
    def cluster_id(self, context) -> str | None:
        return f"loop{context[-1][0].index + 1}_iteration{context[-1][1]}" if context else None

    def add_clusters(self, drawing, context) -> None:
        for depth in range(len(context)):
            cluster_id = self.cluster_id(context[:depth + 1])
            if cluster_id not in drawing.clusters:
                run, iteration = context[depth]
                caption = self.cluster_caption(run, iteration)
                drawing.clusters[cluster_id] = Cluster(cluster_id, f"{run.header}: {caption}", caption,
                                                       self.cluster_id(context[:depth]), run.index, iteration)

    def cluster_caption(self, run, iteration) -> str:
        label = f"iteration {iteration} of {run.iterations}"
        index = self.index_of_iteration.get((run, iteration))
        target = re.match(r"for\s+([A-Za-z_]\w*)", run.header)
        if index is not None and target and target.group(1) == self.display(index.name) and target.group(1) != "_":
            label += f" ({target.group(1)} = {values.short(index.value)})"
        return label

    # ---- title --------------------------------------------------------
    def title(self) -> str:
        trace = self.trace
        arguments = ", ".join(f"{name}={values.short(value)}" for name, value in trace.arguments.items())
        return f"{trace.function_name}({arguments}) = {values.short(trace.output.value)}"

    def notation(self) -> str:
        output = self.display(self.trace.output.name)
        text = f"dv is d{output}/dv, the gradient of {output} with respect to v"
        if self.wrt:
            return f"{text}; differentiated with respect to {', '.join(self.wrt)}"
        return text

    def path_notes(self) -> list:
        notes = []
        path = self.path_taken()
        if path:
            notes.append("path taken: " + "; ".join(path))
        long_runs: dict[int, list] = {}
        for run in self.trace.runs:
            if run.iterations > self.limit and self.elided_at(run) is None:     # a run itself drawn
                long_runs.setdefault(id(run.stmt), []).append(run)
        for runs in long_runs.values():
            header = runs[0].header
            if len(runs) == 1:
                skipped = _iteration_range(self.limit, runs[0].iterations - 1)
                notes.append(f"`{header}`: {skipped} not drawn (a loop shows at most {self.limit} iterations)")
            else:
                notes.append(f"`{header}`: only the first {self.limit - 1} iterations and the last of each run "
                             "are drawn")
        return notes

    def path_taken(self) -> list:
        groups: dict[int, list] = {}
        for run in self.trace.runs:
            groups.setdefault(id(run.stmt), []).append(run)
        for decision in self.trace.decisions:
            if decision.condition is not None:
                groups.setdefault(id(decision.stmt), []).append(decision)
        ordered = sorted(groups.values(), key=lambda items: (items[0].stmt.lineno, items[0].stmt.col_offset))
        return [_describe_runs(items) if isinstance(items[0], LoopRun) else _describe_decisions(items)
                for items in ordered]


def _describe_runs(runs) -> str:
    header = runs[0].header
    counts = [run.iterations for run in runs]
    early = any(run.broke for run in runs)
    if len(runs) == 1:
        text = f"`{header}` ran {_plural(counts[0], 'iteration')}"
        return text + (", then left the loop early" if early else "")
    listed = ", ".join(map(str, counts)) if len(counts) <= 6 else f"{sum(counts)} in all"
    return f"`{header}` ran {len(runs)} times ({listed} iterations)" + ("; some left early" if early else "")


def _describe_decisions(decisions) -> str:
    condition = decisions[0].condition
    if len(decisions) == 1:
        return f"`{condition}` was {decisions[0].taken}"
    true = sum(1 for d in decisions if d.taken)
    parts = [f"True {true}×" if true else "", f"False {len(decisions) - true}×" if true < len(decisions) else ""]
    return f"`{condition}` was " + ", ".join(p for p in parts if p)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _iteration_range(first: int, last: int) -> str:
    return f"iteration {first}" if first == last else f"iterations {first}–{last}"


# ---- operators ------------------------------------------------------
def operator_label(op) -> str:
    """The operation as the seeds draw it: its operator, with any constant operand in place (`* 3`)."""
    expr = op.stmt.value
    local = op.inputs

    def text(atom):
        return None if isinstance(atom, gast.Name) and atom.id in local else gast.unparse(atom).strip()

    if isinstance(expr, gast.BinOp):
        return _with_constants(_BINARY.get(type(expr.op), type(expr.op).__name__), text(expr.left), text(expr.right))
    if isinstance(expr, gast.Compare):
        return _with_constants(_COMPARE.get(type(expr.ops[0]), "compare"), text(expr.left),
                               text(expr.comparators[0]))
    if isinstance(expr, gast.UnaryOp):
        operand = text(expr.operand)
        symbol = _UNARY.get(type(expr.op), type(expr.op).__name__)
        return symbol if operand is None else f"{symbol} {operand}"
    if isinstance(expr, gast.BoolOp):
        return "and" if isinstance(expr.op, gast.And) else "or"
    if isinstance(expr, gast.Subscript):
        return f"[{_key_text(op.key)}]"
    if isinstance(expr, gast.Attribute):
        return f".{expr.attr}"
    if isinstance(expr, gast.Call):
        func = expr.func
        method = isinstance(func, gast.Attribute) and text(func.value) is None
        name = f".{func.attr}" if method else gast.unparse(func).strip()
        parts = [text(a) for a in expr.args] + [f"{k.arg}={text(k.value) or '·'}" for k in expr.keywords]
        if all(p is None for p in parts):
            return f"{name}()" if method else name
        return f"{name}({', '.join(p or '·' for p in parts)})"
    if isinstance(expr, (gast.Tuple, gast.List)):
        return type(expr).__name__.lower()
    if isinstance(expr, gast.JoinedStr):
        return "f-string"
    return type(expr).__name__


def _with_constants(symbol: str, left, right) -> str:
    return " ".join(p for p in (left, symbol, right) if p is not None)


def _key_text(key) -> str:
    if isinstance(key, tuple):
        return ", ".join(_key_text(k) for k in key)
    if isinstance(key, slice):
        parts = ["" if p is None else values.short(p) for p in (key.start, key.stop, key.step)]
        return ":".join(parts[:2] if key.step is None else parts)
    if key is Ellipsis:
        return "..."
    return values.short(key)


def _operation_id(op) -> str:
    expr = op.stmt.value
    if isinstance(expr, (gast.BinOp, gast.UnaryOp)):
        return _OPERATOR_IDS.get(type(expr.op), "op")
    if isinstance(expr, gast.Call):
        name = gast.unparse(expr.func).strip().rsplit(".", 1)[-1]
        return re.sub(r"\W", "_", name) or "call"
    if isinstance(expr, gast.Subscript):
        return "index"
    if isinstance(expr, gast.Compare):
        return "compare"
    return type(expr).__name__.lower()
