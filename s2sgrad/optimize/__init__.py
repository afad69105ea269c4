"""Stage 5: make the emitted code read like a derivation and run like hand-written code."""
from .carries import coalesce_carries
from .copies import propagate_copies_in_loops
from .release import release_dead_values
from .simplify import simplify

__all__ = ["coalesce_carries", "propagate_copies_in_loops", "release_dead_values", "simplify"]
