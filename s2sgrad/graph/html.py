"""The graph drawn by s2sgrad itself: an SVG picture, and a self-contained HTML page around it.

Nothing is fetched when the page opens (no script, no CDN, no font): the SVG
is laid out in Python (layout.py) and written inline, next to the generated
gradient code, syntax-highlighted.
"""
from __future__ import annotations

import html

from .drawing import ADJOINT_COLOR, PALETTE, Drawing
from .layout import LINE_HEIGHT, layout
from .notebook import highlight_html

_MARGIN = 16
_HEADING_SIZE = 15
_NOTE_SIZE = 12.5
_LABEL_FONT = "DejaVu Sans Mono, Menlo, Consolas, monospace"
_TEXT_FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"


def to_svg_inline(drawing: Drawing) -> str:
    """The graph as one standalone <svg> element: heading, iteration boxes, edges, nodes, notation."""
    places = layout(drawing)
    heading = [(drawing.title, _HEADING_SIZE, "bold")] + [(p, _NOTE_SIZE, "normal") for p in drawing.path]
    legend = f"{drawing.notation}. Circles are values, boxes operations; `blue`: adjoints."
    top = _MARGIN + sum(size * 1.6 for _, size, _ in heading) + 8
    footer = _NOTE_SIZE * 2.2
    width = max(places.width + 2 * _MARGIN,
                max(len(text) * size * 0.56 for text, size, _ in heading + [(legend, _NOTE_SIZE, "")])
                + 2 * _MARGIN)
    height = top + places.height + footer + _MARGIN
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="s2sgrad-graph" width="{width:.0f}" '
        f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
        f'aria-label="{_attr(drawing.title)}">',
        '<defs><marker id="s2sgrad-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#718096"/>'
        '</marker></defs>',
        '<rect width="100%" height="100%" fill="#ffffff"/>',
    ]
    y = _MARGIN
    for text, size, weight in heading:
        y += size * 1.35
        out.append(f'<text x="{_MARGIN}" y="{y:.1f}" font-family="{_TEXT_FONT}" font-size="{size}" '
                   f'font-weight="{weight}" fill="#1a202c">{_spans(text)}</text>')
        y += size * 0.25
    out.append(f'<g transform="translate({_MARGIN},{top:.1f})">')
    for cluster_id, box in places.clusters.items():
        cluster = drawing.clusters[cluster_id]
        caption = _fit(cluster.caption, box.width - 14, 6.2)
        out.append(f'<g class="iteration"><title>{_text(cluster.label)}</title><rect x="{box.left:.1f}" '
                   f'y="{box.top:.1f}" width="{box.width:.1f}" height="{box.height:.1f}" rx="8" fill="#f8fafc" '
                   f'fill-opacity="0.6" stroke="#a0aec0" stroke-dasharray="5 3"/><text x="{box.left + 8:.1f}" '
                   f'y="{box.top + 13:.1f}" font-family="{_TEXT_FONT}" font-size="11" fill="#4a5568">'
                   f'{_text(caption)}</text></g>')
    for route in places.routes:
        out.append(f'<path class="edge" d="{_curve(route)}" fill="none" stroke="#718096" stroke-width="1.3" '
                   'marker-end="url(#s2sgrad-arrow)"/>')
    for node in drawing.nodes:
        out.append(_node(node, places.boxes[node.id]))
    out.append("</g>")
    out.append(f'<text x="{_MARGIN}" y="{height - _MARGIN:.1f}" font-family="{_TEXT_FONT}" '
               f'font-size="{_NOTE_SIZE}" fill="#4a5568">{_spans(legend, ADJOINT_COLOR)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def _node(node, box) -> str:
    fill, stroke, color = PALETTE[node.style]
    dash = ' stroke-dasharray="4 3"' if node.kind == "elided" else ""
    width = 2.2 if node.output else 1.3
    if node.kind in ("operation", "elided"):
        shape = (f'<rect x="{box.left:.1f}" y="{box.y - box.height / 2:.1f}" width="{box.width:.1f}" '
                 f'height="{box.height:.1f}" rx="5" fill="{fill}" stroke="{stroke}" stroke-width="{width}"{dash}/>')
    else:
        shape = (f'<ellipse cx="{box.x:.1f}" cy="{box.y:.1f}" rx="{box.width / 2:.1f}" ry="{box.height / 2:.1f}" '
                 f'fill="{fill}" stroke="{stroke}" stroke-width="{width}"/>')
        if node.output:
            shape += (f'<ellipse cx="{box.x:.1f}" cy="{box.y:.1f}" rx="{box.width / 2 - 4:.1f}" '
                      f'ry="{box.height / 2 - 4:.1f}" fill="none" stroke="{stroke}" stroke-width="1"/>')
    first = box.y - (len(node.lines) - 1) * LINE_HEIGHT / 2 + 4.5
    texts = []
    for n, (text, role) in enumerate(node.lines):
        shade = ADJOINT_COLOR if role == "adjoint" else color
        texts.append(f'<text x="{box.x:.1f}" y="{first + n * LINE_HEIGHT:.1f}" text-anchor="middle" '
                     f'font-family="{_LABEL_FONT}" font-size="13" fill="{shade}">{_text(text)}</text>')
    return (f'<g class="node {node.kind}" id="node-{_attr(node.id)}"><title>{_text(node.tooltip)}</title>'
            f'{shape}{"".join(texts)}</g>')


def to_html(drawing: Drawing, source: str | None = None) -> str:
    """A whole page: the graph, then the generated gradient code it was computed with."""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{_text(drawing.title)} — s2sgrad computation graph</title>\n"
        f"<style>\n{_PAGE_STYLE}</style>\n</head>\n<body>\n{fragment(drawing, source)}\n</body>\n</html>\n"
    )


def fragment(drawing: Drawing, source: str | None = None) -> str:
    """The graph and the code, for inside a page or a notebook cell."""
    parts = ['<div class="s2sgrad">', '<div class="s2sgrad-picture" style="overflow-x:auto">',
             to_svg_inline(drawing), "</div>"]
    if source:
        parts += ['<details class="s2sgrad-code" open><summary>The generated gradient code these '
                  'adjoints follow</summary>', highlight_html(source), "</details>"]
    parts.append("</div>")
    return "\n".join(parts)


def _curve(points) -> str:
    """A smooth path through the points, level where it meets each one (as edges leave and enter nodes)."""
    (x, y), *rest = points
    d = [f"M {x:.1f} {y:.1f}"]
    for nx, ny in rest:
        bend = max((nx - x) / 2, 8.0)
        d.append(f"C {x + bend:.1f} {y:.1f} {nx - bend:.1f} {ny:.1f} {nx:.1f} {ny:.1f}")
        x, y = nx, ny
    return " ".join(d)


def _fit(text: str, width: float, char_width: float) -> str:
    room = int(width // char_width)
    return text if len(text) <= room else text[:max(room - 1, 1)] + "…"


def _spans(text: str, code_color: str | None = None) -> str:
    """Text with its `code` parts in the monospace font (and colour), without the backticks."""
    parts = text.split("`")
    out = []
    for n, part in enumerate(parts):
        if n % 2 and n < len(parts) - 1:
            colour = f' fill="{code_color}"' if code_color else ""
            out.append(f'<tspan font-family="{_LABEL_FONT}"{colour}>{_text(part)}</tspan>')
        else:
            out.append(_text(part if n % 2 == 0 else "`" + part))
    return "".join(out)


def _text(text: str) -> str:
    return html.escape(text, quote=False)


def _attr(text: str) -> str:
    return html.escape(text, quote=True)


_PAGE_STYLE = """body { font-family: DejaVu Sans, Helvetica, Arial, sans-serif; margin: 24px; color: #1a202c; }
.s2sgrad-code summary { cursor: pointer; margin: 12px 0 6px; color: #4a5568; }
.s2sgrad-code pre { font-size: 13px; line-height: 1.4; padding: 10px 14px; background: #f8fafc;
                    border: 1px solid #e2e8f0; border-radius: 6px; overflow-x: auto; }
"""

__all__ = ["fragment", "to_html", "to_svg_inline"]
