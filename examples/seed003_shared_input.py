"""Seed 003: f(x, y) = (x + y) * y at x = 3, y = 2, where y is used twice.

The course notes compute u = x + y = 5 and f = u * y = 10 going forward.
At the product node the local partials are df/du = y = 2 and df/dy = u = 5;
then df/dx = df/du * du/dx = 2. The total df/dy adds the path through u:
5 + 2 = 7. The generated code does the same addition: `dy = dy + du`.

    python examples/seed003_shared_input.py
"""
import s2sgrad


def f(x, y):
    u = x + y
    f = u * y
    return f


def main() -> None:
    x, y = 3.0, 2.0
    f_and_grads = s2sgrad.value_and_grad(f, wrt=("x", "y"))
    print(f"Seed 003: f = (x + y) * y at x = {x:g}, y = {y:g}\n")
    print("The gradient s2sgrad generates for scalar arguments:\n")
    print(f_and_grads.source_for(x, y))

    value, (dx, dy) = f_and_grads(x, y)
    # the graph of this call holds every intermediate value and its adjoint
    node = {v.name: v for v in s2sgrad.graph(f, x, y, wrt=("x", "y")).trace.variables}
    rows = [
        ("u", node["u"].value, "u = x + y = 5"),
        ("f", value, "f = u * y = 10"),
        ("du", node["u"].adjoint, "df/du = y = 2"),
        ("dx", dx, "df/dx = df/du * du/dx = 2 * 1 = 2"),
        ("dy", dy, "df/dy = u + df/du = 5 + 2 = 7"),
    ]
    print("The seed's numbers, computed by s2sgrad:\n")
    for name, ours, stated in rows:
        print(f"{name:>4} = {ours:<8.12g} (seed: {stated})")


if __name__ == "__main__":
    main()
