"""`s2sgrad show` prints the generated code; `s2sgrad run` prints a value and its gradients."""
from __future__ import annotations

import sys

import numpy as np

from ..api import GradientFunction, numeric_grad
from ..errors import S2SGradError
from .loading import load_function, parse_arguments, parse_wrt

_ARGS_HELP = ("Python literals: 5, -2.5, (1, 2); a list becomes a NumPy array ([[1, 2], [3, 4]]); "
              "name=value passes a keyword argument")


def add_show_command(subparsers) -> None:
    parser = subparsers.add_parser(
        "show", help="print a function's single-assignment form and its generated gradient",
        description="Print FUNC (from FILE.py) in single-assignment form and the gradient s2sgrad generates. "
                    "With ARGS, print the code a call with those arguments runs (specialized, e.g. for scalars).",
        epilog="example: s2sgrad show tests/seed_functions.py:seed000_J --wrt a,b,c 5.0 3.0 2.0")
    parser.add_argument("target", metavar="FILE.py:FUNC")
    parser.add_argument("arguments", nargs="*", metavar="ARG", help=_ARGS_HELP)
    parser.add_argument("--wrt", help="parameters to differentiate, by name or position, comma-separated")
    parser.set_defaults(handler=run_show)


def add_run_command(subparsers) -> None:
    parser = subparsers.add_parser(
        "run", help="call a function's gradient and print the value and the gradients",
        epilog="example: s2sgrad run tests/seed_functions.py:seed001_f 1 2 0 --wrt x,y,z --check")
    parser.add_argument("target", metavar="FILE.py:FUNC")
    parser.add_argument("arguments", nargs="*", metavar="ARG", help=_ARGS_HELP)
    parser.add_argument("--wrt", help="parameters to differentiate, by name or position, comma-separated")
    parser.add_argument("--check", action="store_true", help="also print central-difference gradients")
    parser.set_defaults(handler=run_run)


def _gradient(args) -> tuple[GradientFunction, list, dict]:
    function = load_function(args.target)
    positional, keywords = parse_arguments(args.arguments)
    wrt = parse_wrt(args.wrt) if args.wrt else 0
    return GradientFunction(function, wrt, with_value=True), positional, keywords


def run_show(args) -> int:
    try:
        g, positional, keywords = _gradient(args)
        source = g.source_for(*positional, **keywords) if (positional or keywords) else g.source
    except S2SGradError as exc:
        print(f"s2sgrad show: {exc}", file=sys.stderr)
        return 1
    print(f"# {g.fun.__qualname__} in single-assignment form")
    print(g.ssa_source)
    print(f"# its gradient with respect to {', '.join(g.wrt)}")
    print(source, end="")
    return 0


def run_run(args) -> int:
    try:
        g, positional, keywords = _gradient(args)
        value, grads = g(*positional, **keywords)
        numeric = numeric_grad(g.fun, *positional, wrt=g.wrt, **keywords) if args.check else None
    except S2SGradError as exc:
        print(f"s2sgrad run: {exc}", file=sys.stderr)
        return 1
    grads = grads if isinstance(grads, tuple) else (grads,)
    print(f"{g.fun.__qualname__}({_call(args.arguments)}) = {_show(value)}")
    for i, (name, grad) in enumerate(zip(g.wrt, grads)):
        line = f"d{name} = {_show(grad)}"
        if numeric is not None:
            line += f"    (central differences: {_show(numeric[i])})"
        print(line)
    return 0


def _call(words) -> str:
    return ", ".join(words)


def _show(value) -> str:
    if isinstance(value, np.ndarray):
        return np.array2string(value, precision=6, suppress_small=True)
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.10g}"
    return repr(value)
