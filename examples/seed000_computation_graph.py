"""Seed 000: J = 3v, v = a + u, u = bc, at a = 5, b = 3, c = 2.

The course notes work this example by hand. Forward: u = 6, v = 11, J = 33.
Backward, right to left: dv = 3, da = 3, du = 3, db = 6, dc = 9, where dv
means dJ/dv. This script prints the gradient code s2sgrad generates for J,
then each of those numbers as s2sgrad computes it, beside the seed's value.

    python examples/seed000_computation_graph.py
"""
import s2sgrad


def J(a, b, c):
    u = b * c
    v = a + u
    J = 3 * v
    return J


def main() -> None:
    a, b, c = 5.0, 3.0, 2.0
    J_and_grads = s2sgrad.value_and_grad(J, wrt=("a", "b", "c"))
    print(f"Seed 000: J = 3 * (a + b * c) at a = {a:g}, b = {b:g}, c = {c:g}\n")
    print("The gradient s2sgrad generates for scalar arguments:\n")
    print(J_and_grads.source_for(a, b, c))

    value, (da, db, dc) = J_and_grads(a, b, c)
    # the graph of this call holds every intermediate value and its adjoint
    node = {v.name: v for v in s2sgrad.graph(J, a, b, c, wrt=("a", "b", "c")).trace.variables}
    rows = [
        ("u", node["u"].value, "u = b * c = 6"),
        ("v", node["v"].value, "v = a + u = 11"),
        ("J", value, "J = 3 * v = 33"),
        ("dv", node["v"].adjoint, "dJ/dv = 3"),
        ("da", da, "dJ/da = dv * 1 = 3"),
        ("du", node["u"].adjoint, "dJ/du = dv * 1 = 3"),
        ("db", db, "dJ/db = du * c = 6"),
        ("dc", dc, "dJ/dc = du * b = 9"),
    ]
    print("The seed's numbers, computed by s2sgrad:\n")
    for name, ours, stated in rows:
        print(f"{name:>4} = {ours:<8.12g} (seed: {stated})")
    print("\nDraw them on the graph: python -m s2sgrad graph examples/seed000_computation_graph.py:J 5 3 2 --wrt a,b,c")


if __name__ == "__main__":
    main()
