"""Stage 5: make the emitted code read like a derivation and run like hand-written code."""
from .simplify import simplify

__all__ = ["simplify"]
