"""Stage 1 of the pipeline: from a Python callable to its gast syntax tree."""
from .reading import FunctionSource, read_function

__all__ = ["FunctionSource", "read_function"]
