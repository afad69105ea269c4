"""Stage 3: analyses of the single-assignment form (what is active, what is a scalar)."""
