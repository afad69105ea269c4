"""Generated code as HTML for notebooks and pages: highlighted by Pygments when it is installed.

`highlight_html` is what `GradientFunction._repr_html_` shows and what the
graph pages embed; it lives with the code generator, below both, so neither
imports the other for it. The styles are inline, so the HTML looks the same in
a notebook, a saved page or an e-mail, with no stylesheet to ship along.
"""
from __future__ import annotations

import html


def highlight_html(source: str) -> str:
    """`source` as a <pre> block: syntax-highlighted with Pygments if importable, else plain."""
    try:
        from pygments import highlight
        from pygments.formatters import HtmlFormatter
        from pygments.lexers import PythonLexer
    except ImportError:
        return f'<pre class="s2sgrad-source">{html.escape(source)}</pre>'
    formatter = HtmlFormatter(noclasses=True, nowrap=True, style="default")
    return f'<pre class="s2sgrad-source">{highlight(source, PythonLexer(), formatter)}</pre>'
