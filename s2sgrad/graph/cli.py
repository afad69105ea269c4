"""`s2sgrad graph FILE.py:FUNC ARGS... --format mermaid|dot|svg|html [-o OUT]`.

`add_graph_command(subparsers)` adds the subcommand to the `s2sgrad` command's
parser; the parsed arguments carry their handler as `args.handler`. Until the
main command is wired, `python -m s2sgrad.graph.cli FILE.py:FUNC ...` runs it alone.
"""
from __future__ import annotations

import argparse
import ast
import importlib.util
import os
import re
import sys

import numpy as np

from ..errors import S2SGradError
from .computation_graph import FORMATS, graph
from .drawing import DEFAULT_MAX_ITERATIONS

_DESCRIPTION = """\
Draw the computation graph of FUNC, defined in FILE.py, called with ARGS: a node
per parameter and per operation, each value labelled with its forward value and
its adjoint (dv = dJ/dv, the seeds' notation). Loops are drawn unrolled and
branches as taken at these arguments.

ARGS are Python literals: 5, -2.5, True, 'text', (1, 2); a list becomes a NumPy
array ([[1, 2], [3, 4]]); name=value passes a keyword argument.
"""

_EXAMPLE = "example: s2sgrad graph tests/seed_functions.py:seed000_J 5 3 2 --wrt a,b,c --format html -o J.html"


class CommandError(S2SGradError):
    """The command line names a file, function or argument that cannot be used."""


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


def load_function(target: str):
    """The object `FILE.py:NAME` names (NAME may be dotted: `Model.loss`)."""
    path, separator, name = target.rpartition(":")
    if not separator or not path or not name:
        raise CommandError(f"{target!r}: name the function as FILE.py:FUNC, e.g. examples/model.py:loss")
    if not os.path.isfile(path):
        raise CommandError(f"{path!r}: no such file")
    module_name = "_s2sgrad_graph_" + re.sub(r"\W", "_", os.path.splitext(os.path.basename(path))[0])
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    folder = os.path.dirname(os.path.abspath(path))
    sys.path.insert(0, folder)                 # the file's own imports of its neighbours, as `python FILE` has
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(folder)
    obj = module
    for part in name.split("."):
        if not hasattr(obj, part):
            raise CommandError(f"{path} defines no {name!r}")
        obj = getattr(obj, part)
    return obj


def parse_arguments(texts) -> tuple[list, dict]:
    positional, keywords = [], {}
    for text in texts:
        match = re.fullmatch(r"([A-Za-z_]\w*)=(.*)", text, re.DOTALL)
        if match:
            keywords[match.group(1)] = _literal(match.group(2))
        elif keywords:
            raise CommandError(f"{text!r}: positional arguments must come before name=value ones")
        else:
            positional.append(_literal(text))
    return positional, keywords


def parse_wrt(text: str):
    """'a,b' -> ('a', 'b'); '0' -> 0: one name gives one gradient, several a tuple, as in grad."""
    items = [int(p) if re.fullmatch(r"-?\d+", p) else p for p in (p.strip() for p in text.split(",")) if p]
    if not items:
        raise CommandError("--wrt names no parameter")
    return items[0] if len(items) == 1 else tuple(items)


def _literal(text: str):
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        raise CommandError(f"argument {text!r} is not a Python literal; write a number, a list, or a "
                           f"quoted string such as \"'{text}'\"") from None
    if isinstance(value, list):
        try:
            return np.asarray(value, dtype=float)
        except (TypeError, ValueError):            # not numbers: the list itself
            return value
    return value


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="s2sgrad")
    add_graph_command(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main(["graph", *sys.argv[1:]]))
