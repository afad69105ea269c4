"""Stage 5: make the emitted code read like a derivation and run like hand-written code."""
from .accumulate import accumulate_in_place
from .carries import coalesce_carries
from .copies import propagate_copies_in_loops
from .release import release_dead_values
from .simplify import simplify
from .terms import merge_repeated_terms

__all__ = ["accumulate_in_place", "coalesce_carries", "merge_repeated_terms", "propagate_copies_in_loops",
           "release_dead_values", "simplify"]
