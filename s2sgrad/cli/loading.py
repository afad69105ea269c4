"""Turn command-line words into a function and its arguments."""
from __future__ import annotations

import ast
import importlib.util
import os
import re
import sys

import numpy as np

from ..errors import S2SGradError


class CommandError(S2SGradError):
    """The command line names a file, function or argument that cannot be used."""


def load_function(target: str):
    """The object `FILE.py:NAME` names (NAME may be dotted: `Model.loss`)."""
    path, separator, name = target.rpartition(":")
    if not separator or not path or not name:
        raise CommandError(f"{target!r}: name the function as FILE.py:FUNC, e.g. examples/model.py:loss")
    if not os.path.isfile(path):
        raise CommandError(f"{path!r}: no such file")
    module_name = "_s2sgrad_cli_" + re.sub(r"\W", "_", os.path.splitext(os.path.basename(path))[0])
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
