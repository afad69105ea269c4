"""Seed 004: f(x, y) = sin(x * y), as z = x * y, f = sin(z).

The course notes derive, by the chain rule along the graph
x, y -> [mul] -> z -> [sin] -> f:

    df/dx = df/dz * dz/dx = cos(z) * y
    df/dy = df/dz * dz/dy = cos(z) * x

They state no particular inputs; this script takes x = 0.5, y = 2 (so z = 1),
prints the gradient code s2sgrad generates, and compares s2sgrad's numbers
with the seed's formulas evaluated at that point.

    python examples/seed004_sin_of_product.py
"""
import math

import s2sgrad


def f(x, y):
    z = x * y
    f = math.sin(z)
    return f


def main() -> None:
    x, y = 0.5, 2.0
    f_and_grads = s2sgrad.value_and_grad(f, wrt=("x", "y"))
    print(f"Seed 004: f = sin(x * y) at x = {x:g}, y = {y:g}\n")
    print("The gradient s2sgrad generates for scalar arguments:\n")
    print(f_and_grads.source_for(x, y))

    value, (dx, dy) = f_and_grads(x, y)
    # the graph of this call holds every intermediate value and its adjoint
    node = {v.name: v for v in s2sgrad.graph(f, x, y, wrt=("x", "y")).trace.variables}
    rows = [
        ("z", node["z"].value, f"z = x * y = {x * y:.12g}"),
        ("f", value, f"f = sin(z) = {math.sin(x * y):.12g}"),
        ("dz", node["z"].adjoint, f"df/dz = cos(z) = {math.cos(x * y):.12g}"),
        ("dx", dx, f"df/dx = cos(x * y) * y = {math.cos(x * y) * y:.12g}"),
        ("dy", dy, f"df/dy = cos(x * y) * x = {math.cos(x * y) * x:.12g}"),
    ]
    print("The seed's numbers, computed by s2sgrad:\n")
    for name, ours, stated in rows:
        print(f"{name:>4} = {ours:<15.12g} (seed: {stated})")
    print("\nThe seed's Mermaid flowchart, with values and gradients: "
          "python -m s2sgrad graph examples/seed004_sin_of_product.py:f 0.5 2 --wrt x,y")


if __name__ == "__main__":
    main()
