"""Stage 4, forward mode: tangent statements beside the primal ones (see emitter.py)."""
