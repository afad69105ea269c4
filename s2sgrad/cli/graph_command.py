"""`s2sgrad graph FILE.py:FUNC ARGS... --format mermaid|dot|svg|html [-o OUT]`.

`add_graph_command(subparsers)` adds the subcommand to the `s2sgrad` command's
parser; the parsed arguments carry their handler as `args.handler`. It lives
with the other commands: the command line sits above the graph package and
imports it, never the other way round.
"""
from __future__ import annotations

import argparse
import sys

from ..errors import S2SGradError
from ..graph.computation_graph import FORMATS, graph
from ..graph.drawing import DEFAULT_MAX_ITERATIONS
from .loading import load_function, parse_arguments, parse_wrt

_DESCRIPTION = """\
Draw the computation graph of FUNC, defined in FILE.py, called with ARGS: a node
per parameter and per operation, each value labelled with its forward value and
its adjoint (dv = dJ/dv, the seeds' notation). Loops are drawn unrolled and
branches as taken at these arguments.

ARGS are Python literals: 5, -2.5, True, 'text', (1, 2); a list becomes a NumPy
array ([[1, 2], [3, 4]]); name=value passes a keyword argument.
"""

_EXAMPLE = "example: s2sgrad graph tests/seed_functions.py:seed000_J 5 3 2 --wrt a,b,c --format html -o J.html"


def add_graph_command(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "graph", help="draw a function's computation graph with values and gradients",
        description=_DESCRIPTION, epilog=_EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("target", metavar="FILE.py:FUNC", help="the function to draw")
    parser.add_argument("arguments", nargs="*", metavar="ARG", help="the arguments to call it with")
    parser.add_argument("--wrt", help="parameters to differentiate, by name or position, comma-separated "
                                      "(default: the first)")
    parser.add_argument("--format", choices=FORMATS, default="mermaid", help="default: mermaid")
    parser.add_argument("-o", "--output", metavar="OUT", help="file to write (default: standard output)")
    parser.add_argument("--max-iterations", type=int, default=DEFAULT_MAX_ITERATIONS, metavar="N",
                        help=f"iterations of a loop drawn before the rest are elided (default: "
                             f"{DEFAULT_MAX_ITERATIONS})")
    parser.set_defaults(handler=run_graph)
    return parser


def run_graph(args) -> int:
    """Draw the graph the parsed `args` ask for; 0 on success, 1 with a message on stderr otherwise."""
    try:
        function = load_function(args.target)
        positional, keywords = parse_arguments(args.arguments)
        options = {} if args.wrt is None else {"wrt": parse_wrt(args.wrt)}
        drawn = graph(function, *positional, **options, **keywords)
        text = drawn.render(args.format, args.max_iterations)
    except S2SGradError as exc:
        print(f"s2sgrad graph: {exc}", file=sys.stderr)
        return 1
    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(text)
        print(f"s2sgrad graph: wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
