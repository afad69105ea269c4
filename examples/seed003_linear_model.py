"""Seed 003: one gradient-descent step for the model yhat = w * x + b.

The course notes fit the data point (x, y) = (2, 5) with the loss
L = (yhat - y) ** 2, starting from w = 1, b = 0 with learning rate 0.1.
Forward: yhat = 2, L = 9. Backward: dL/dyhat = 2 * (yhat - y) = -6,
dL/dw = -6 * x = -12, dL/db = -6. The step w - 0.1 * dw, b - 0.1 * db
gives w = 2.2, b = 0.6. This script prints the gradient code s2sgrad
generates for the loss, then takes that step with s2sgrad's gradients.

    python examples/seed003_linear_model.py
"""
import s2sgrad


def loss(w, b, x, y):
    yhat = w * x + b
    L = (yhat - y) ** 2
    return L


def main() -> None:
    w, b = 1.0, 0.0
    x, y = 2.0, 5.0
    learning_rate = 0.1
    loss_and_grads = s2sgrad.value_and_grad(loss, wrt=("w", "b"))
    print("Seed 003: one gradient-descent step for yhat = w * x + b, L = (yhat - y) ** 2")
    print(f"from w = {w:g}, b = {b:g} on the point x = {x:g}, y = {y:g}, learning rate {learning_rate:g}\n")
    print("The gradient s2sgrad generates for scalar arguments:\n")
    print(loss_and_grads.source_for(w, b, x, y))

    L, (dw, db) = loss_and_grads(w, b, x, y)
    # the graph of this call holds every intermediate value and its adjoint
    node = {v.name: v for v in s2sgrad.graph(loss, w, b, x, y, wrt=("w", "b")).trace.variables}
    new_w = w - learning_rate * dw
    new_b = b - learning_rate * db
    rows = [
        ("yhat", node["yhat"].value, "yhat = 1 * 2 + 0 = 2"),
        ("L", L, "L = (2 - 5) ** 2 = 9"),
        ("dyhat", node["yhat"].adjoint, "dL/dyhat = 2 * (2 - 5) = -6"),
        ("dw", dw, "dL/dw = -6 * 2 = -12"),
        ("db", db, "dL/db = -6 * 1 = -6"),
        ("new_w", new_w, "w - 0.1 * dL/dw = 1 - 0.1 * (-12) = 2.2"),
        ("new_b", new_b, "b - 0.1 * dL/db = 0 - 0.1 * (-6) = 0.6"),
    ]
    print("The seed's numbers, computed by s2sgrad:\n")
    for name, ours, stated in rows:
        print(f"{name:>5} = {ours:<8.12g} (seed: {stated})")

    after = loss(new_w, new_b, x, y)
    print(f"\nAfter the step yhat = {new_w * x + new_b:.12g} and L = {after:.12g}: "
          "this one step fits the point.")


if __name__ == "__main__":
    main()
