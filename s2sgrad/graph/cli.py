"""`python -m s2sgrad.graph.cli FILE.py:FUNC ...`: the `s2sgrad graph` command run alone.

The command itself is s2sgrad/cli/graph_command.py (re-exported here for
callers that build their own parser); this module is only an entry point.
"""
from __future__ import annotations

import sys

from ..cli.graph_command import add_graph_command, run_graph
from ..cli.main import main

__all__ = ["add_graph_command", "run_graph"]

if __name__ == "__main__":
    sys.exit(main(["graph", *sys.argv[1:]]))
