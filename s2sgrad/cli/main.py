"""Argument parsing for `s2sgrad show | run | graph`."""
from __future__ import annotations

import argparse
import sys

from .commands import add_run_command, add_show_command
from .graph_command import add_graph_command


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="s2sgrad", description="Source-to-source automatic differentiation: read the gradient code "
                                    "s2sgrad generates for a function, run it, or draw its computation graph.")
    commands = parser.add_subparsers(dest="command", required=True)
    add_show_command(commands)
    add_run_command(commands)
    add_graph_command(commands)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    # ARGS may follow options (`--wrt a,b 5.0 3.0`); argparse leaves those over
    if extra and hasattr(args, "arguments") and not any(word.startswith("--") for word in extra):
        args.arguments += extra
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
