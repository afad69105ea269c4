"""Stage 6: turn the emitted syntax tree into source text and a callable function."""
