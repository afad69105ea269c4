"""Stage 4: reverse-mode emission (adjoint statements, tape recording)."""
