"""Generated code as HTML for notebooks and pages (the graph pages embed it).

The function lives in s2sgrad/codegen/highlighting.py, below both the API and
this package; it is re-exported here for the graph's HTML and its callers.
"""
from __future__ import annotations

from ..codegen.highlighting import highlight_html

__all__ = ["highlight_html"]
