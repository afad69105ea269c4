"""Print what s2sgrad made of a function."""
from __future__ import annotations

from .gradient_function import GradientFunction


def show(g, *args, file=None, **kwargs) -> None:
    """Print the single-assignment form and the generated gradient of `g`.

    `g` is a gradient function (or a plain function, differentiated with
    respect to its first parameter). With arguments, shows the code a call
    with those arguments runs.
    """
    if not isinstance(g, GradientFunction):
        g = GradientFunction(g)
    source = g.source_for(*args, **kwargs) if (args or kwargs) else g.source
    print(f"# {g.fun.__qualname__} in single-assignment form", file=file)
    print(g.ssa_source, file=file)
    print(f"# its gradient with respect to {', '.join(g.wrt)}", file=file)
    print(source, file=file)
