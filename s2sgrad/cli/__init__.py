"""The `s2sgrad` command (also `python -m s2sgrad`): show, run and graph a function from a file."""
from .main import main

__all__ = ["main"]
