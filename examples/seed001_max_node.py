"""Seed 001: f(x, y, z) = (x + y) * max(y, z) at x = 1, y = 2, z = 0.

The course notes name the nodes a = x + y = 3 and b = max(y, z) = 2, so
f = a * b = 6. Going back from df = 1, the product sends 1 * b = 2 to a and
1 * a = 3 to b; the max node passes all of b's gradient to y, since y > z.
So dx = 2, dy = 2 + 3 = 5, dz = 0.

Written on one line, as here, the function's nodes get the names t1 (the
seed's a) and t2 (its b) in the generated code. This script prints that code,
then the seed's numbers as s2sgrad computes them, beside the seed's values.

    python examples/seed001_max_node.py
"""
import s2sgrad


def f(x, y, z):
    return (x + y) * max(y, z)


def main() -> None:
    x, y, z = 1.0, 2.0, 0.0
    f_and_grads = s2sgrad.value_and_grad(f, wrt=("x", "y", "z"))
    print(f"Seed 001: f = (x + y) * max(y, z) at x = {x:g}, y = {y:g}, z = {z:g}\n")
    print("The gradient s2sgrad generates for scalar arguments:\n")
    print(f_and_grads.source_for(x, y, z))

    value, (dx, dy, dz) = f_and_grads(x, y, z)
    # the graph of this call holds every intermediate value and its adjoint
    node = {v.name: v for v in s2sgrad.graph(f, x, y, z, wrt=("x", "y", "z")).trace.variables}
    rows = [
        ("t1", node["t1"].value, "a = x + y = 3"),
        ("t2", node["t2"].value, "b = max(y, z) = 2"),
        ("f", value, "f = a * b = 6"),
        ("dt1", node["t1"].adjoint, "df/da = 1 * b = 2"),
        ("dt2", node["t2"].adjoint, "df/db = 1 * a = 3"),
        ("dx", dx, "df/dx = 2"),
        ("dy", dy, "df/dy = 2 through the sum + 3 through max = 5"),
        ("dz", dz, "df/dz = 0, max ignores z since y > z"),
    ]
    print("The seed's numbers, computed by s2sgrad:\n")
    for name, ours, stated in rows:
        print(f"{name:>4} = {ours:<8.12g} (seed: {stated})")
    print("\nCheck them by central differences: "
          "python -m s2sgrad run examples/seed001_max_node.py:f 1 2 0 --wrt x,y,z --check")


if __name__ == "__main__":
    main()
