"""Seed 000's second derivatives: the Hessian of J = 3 * (a + b * c), and the code that computes it.

The course notes differentiate J = 3v, v = a + u, u = bc once, backward:
dJ/da = 3, dJ/db = 3c, dJ/dc = 3b (6 and 9 at a = 5, b = 3, c = 2).
Differentiating those once more: dJ/da is a constant, so its row is 0;
dJ/db = 3c changes only with c, and dJ/dc = 3b only with b, so
d2J/db dc = d2J/dc db = 3 and every other entry is 0.

s2sgrad gets there by differentiating the gradient's own generated code in
forward mode (forward over reverse). This script prints the gradient code,
then its forward-mode derivative, where `<name>_dot` is the tangent of
`<name>`: each line of the reverse sweep gets its tangent beside it, so the
second derivatives are textbook lines too. Then the Hessian's nine numbers.

    python examples/seed000_second_derivatives.py
"""
import s2sgrad


def J(a, b, c):
    u = b * c
    v = a + u
    J = 3 * v
    return J


def main() -> None:
    a, b, c = 5.0, 3.0, 2.0
    gradient = s2sgrad.grad(J, wrt=(0, 1, 2))
    print(f"Seed 000: J = 3 * (a + b * c) at a = {a:g}, b = {b:g}, c = {c:g}\n")
    print("The gradient s2sgrad generates for scalar arguments:\n")
    print(gradient.source_for(a, b, c))
    print("Its derivative in forward mode, also generated: a tangent line beside each line of the gradient.")
    print("Called with b_dot=1 (the other tangents 0), db_dot and dc_dot are the column d(dJ/d.)/db:\n")
    print(s2sgrad.jvp_source(gradient.generated_for(a, b, c), a, b, c))

    (value, grads), (_, column_b) = s2sgrad.jvp(gradient.generated_for(a, b, c), (a, b, c), (0.0, 1.0, 0.0))
    print(f"jvp along b: dJ/d(a, b, c) = {grads}, its derivative along b = {column_b}\n")

    hessian = s2sgrad.hessian(J, wrt=(0, 1, 2))(a, b, c)
    # grad of grad gives one entry, through the same forward-over-reverse code
    d2J_db_dc = s2sgrad.grad(s2sgrad.grad(J, wrt=1), wrt=2)(a, b, c)
    assert d2J_db_dc == hessian[1][2]

    # the seed's derivation of each number, in the order a, b, c
    first = ["dJ/da = 3", "dJ/db = 3c = 6", "dJ/dc = 3b = 9"]
    second = [["dJ/da = 3 is constant"] * 3,
              ["3c is free of a", "3c is free of b", "d(3c)/dc = 3"],
              ["3b is free of a", "d(3b)/db = 3", "3b is free of c"]]
    print("The seed's numbers, computed by s2sgrad:\n")
    rows = [("J", value, "J = 3 * v = 33")]
    rows += [(f"d{x}", g, reason) for x, g, reason in zip("abc", grads, first)]
    rows += [(f"d2J_d{x}_d{y}", hessian[i][j], second[i][j])
             for i, x in enumerate("abc") for j, y in enumerate("abc")]
    for name, ours, reason in rows:
        print(f"{name:>9} = {ours:<6.12g} (seed: {reason})")

if __name__ == "__main__":
    main()
