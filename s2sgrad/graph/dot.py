"""A Drawing in Graphviz's DOT language: left to right, forward values in black, adjoints in blue."""
from __future__ import annotations

import html

from .drawing import ADJOINT_COLOR, PALETTE, Drawing, Node

_FONT = "Helvetica"


def to_dot(drawing: Drawing) -> str:
    heading = "<BR/>".join(
        f"<B>{_escape(line)}</B>" if i == 0 else _escape(line) for i, line in enumerate(drawing.heading))
    lines = [
        f"digraph {_quote(drawing.title.split('(')[0])} {{",
        f'  graph [rankdir=LR, labelloc=t, labeljust=l, fontname="{_FONT}", fontsize=14, nodesep=0.3, '
        f'ranksep=0.35, label=<{heading}>];',
        f'  node [fontname="{_FONT}", fontsize=12, margin="0.08,0.04"];',
        '  edge [color="#718096", arrowsize=0.7];',
        f"  // {drawing.notation}",
    ]
    _items(drawing.nested(), lines, "  ")
    for source, target in drawing.edges:
        lines.append(f"  {_quote(source)} -> {_quote(target)};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _items(items, lines, indent) -> None:
    for item in items:
        if isinstance(item, Node):
            lines.append(indent + _node(item))
            continue
        cluster, inside = item
        lines.append(f"{indent}subgraph {_quote('cluster_' + cluster.id)} {{")
        lines.append(f'{indent}  label={_quote(cluster.label)}; fontsize=11; fontcolor="#4a5568"; '
                     'style="rounded,dashed"; color="#a0aec0";')
        _items(inside, lines, indent + "  ")
        lines.append(f"{indent}}}")


def _node(node: Node) -> str:
    fill, stroke, color = PALETTE[node.style]
    rows = []
    for text, role in node.lines:
        text = _escape(text)
        rows.append(f'<FONT COLOR="{ADJOINT_COLOR}">{text}</FONT>' if role == "adjoint" else text)
    attributes = {
        "label": f"<{'<BR/>'.join(rows)}>",
        "tooltip": _quote(node.tooltip),
        "fillcolor": _quote(fill), "color": _quote(stroke), "fontcolor": _quote(color),
    }
    if node.kind in ("operation", "elided"):
        attributes["shape"] = "box"
        attributes["style"] = '"rounded,filled,dashed"' if node.kind == "elided" else '"rounded,filled"'
    else:
        attributes["shape"] = "ellipse"
        attributes["style"] = "filled"
        if node.output:
            attributes["peripheries"] = "2"
    return f"{_quote(node.id)} [{', '.join(f'{k}={v}' for k, v in attributes.items())}];"


def _escape(text: str) -> str:
    """For Graphviz's HTML-like labels."""
    return html.escape(text, quote=True)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
