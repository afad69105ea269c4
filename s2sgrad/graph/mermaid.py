"""A Drawing as a Mermaid flowchart, the form seed 004 draws its graph in.

Variables are circles, operations boxes (`x((x)) --> mul[mul]`), the output a
double circle; each loop iteration drawn is a subgraph. The text pastes into
a Markdown ```mermaid block.
"""
from __future__ import annotations

from .drawing import PALETTE, Drawing, Node

_EXTRA = {"output": ",stroke-width:2px", "elided": ",stroke-dasharray:4 3"}


def to_mermaid(drawing: Drawing) -> str:
    title = " · ".join(drawing.heading)
    lines = ["---", f"title: {_yaml_string(title)}", "---", "flowchart LR", f"  %% {drawing.notation}"]
    classes: dict[str, list] = {}
    _items(drawing.nested(), lines, classes, "  ")
    for source, target in drawing.edges:
        lines.append(f"  {source} --> {target}")
    for name, (fill, stroke, color) in PALETTE.items():
        if classes.get(name):
            lines.append(f"  classDef {name} fill:{fill},stroke:{stroke},color:{color}{_EXTRA.get(name, '')}")
            lines.append(f"  class {','.join(classes[name])} {name}")
    return "\n".join(lines) + "\n"


def _items(items, lines, classes, indent) -> None:
    for item in items:
        if isinstance(item, Node):
            lines.append(indent + _node(item))
            classes.setdefault(item.style, []).append(item.id)
            continue
        cluster, inside = item
        lines.append(f"{indent}subgraph {cluster.id}[\"{_escape(cluster.label)}\"]")
        lines.append(f"{indent}  direction LR")
        _items(inside, lines, classes, indent + "  ")
        lines.append(f"{indent}end")


def _node(node: Node) -> str:
    label = "<br/>".join(_escape(text) for text, _ in node.lines)
    if node.kind == "operation" or node.kind == "elided":
        return f'{node.id}["{label}"]'
    if node.output:
        return f'{node.id}((("{label}")))'
    return f'{node.id}(("{label}"))'


def _escape(text: str) -> str:
    """Mermaid's entity codes (#quot; ...) for characters that would end or break a label."""
    text = text.replace("#", "#35;")
    for char, code in (("&", "#amp;"), ("<", "#lt;"), (">", "#gt;"), ('"', "#quot;")):
        text = text.replace(char, code)
    return text


def _yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
