"""The Jacobian of one step of a small physics simulation, by forward mode (jacfwd) and reverse mode (jacrev).

Two unit masses in the plane joined by a spring of rest length 1, with
velocity damping, advanced by ten symplectic-Euler substeps in a Python loop.
The state is one vector (x1, y1, x2, y2, vx1, vy1, vx2, vy2); the Jacobian of
the step, d(next state)/d(state), is the 8 x 8 sensitivity matrix that a
shooting method, an extended Kalman filter or a stability analysis needs.
jacfwd runs the step's tangent code once per input (the loop stays a loop),
jacrev its reverse sweep once per output; the two must agree.

    python examples/physics_jacobian.py
"""
import numpy as np

import s2sgrad

STIFFNESS, REST_LENGTH, DAMPING = 4.0, 1.0, 0.1
DT, SUBSTEPS = 0.05, 10


def step(state):
    """One step of length DT: SUBSTEPS substeps of symplectic Euler (velocities first, then positions)."""
    positions = np.reshape(state[:4], (2, 2))
    velocities = np.reshape(state[4:], (2, 2))
    h = DT / SUBSTEPS
    for _ in range(SUBSTEPS):
        # the spring's forces on the two masses
        separation = positions[1] - positions[0]
        length = np.sqrt(np.sum(separation ** 2))
        pull = STIFFNESS * (length - REST_LENGTH) * separation / length
        forces = np.stack([pull, -pull])
        velocities = velocities + h * (forces - DAMPING * velocities)
        positions = positions + h * velocities
    return np.concatenate([np.reshape(positions, -1), np.reshape(velocities, -1)])


def main():
    # the spring stretched to length 1.5 and spinning a little
    state = np.array([0.0, 0.0, 1.5, 0.0, 0.0, -0.2, 0.0, 0.2])
    forward = s2sgrad.jacfwd(step)(state)
    reverse = s2sgrad.jacrev(step)(state)
    assert forward.shape == reverse.shape == (8, 8)
    assert np.allclose(forward, reverse, rtol=1e-12, atol=1e-14)
    # and both against central differences of the step itself
    h = 1e-6
    numeric = np.stack([(step(state + h * e) - step(state - h * e)) / (2 * h) for e in np.eye(8)], axis=1)
    assert np.allclose(forward, numeric, atol=1e-8)

    print("state      =", np.array2string(state, precision=4, floatmode="fixed"))
    print("next state =", np.array2string(step(state), precision=4, floatmode="fixed"))
    print("\nd(next state)/d(state); row i is the i-th of x1 y1 x2 y2 vx1 vy1 vx2 vy2 after the step:")
    print(np.array2string(np.round(forward, 4) + 0.0, precision=4, floatmode="fixed", suppress_small=True,
                          max_line_width=120))
    print(f"\njacfwd and jacrev agree to {np.max(np.abs(forward - reverse)):.1e}, "
          f"central differences to {np.max(np.abs(forward - numeric)):.1e}")
    # each substep is symplectic but for the damping, which scales the 4 velocities by (1 - h * DAMPING)
    volume = (1 - DT / SUBSTEPS * DAMPING) ** (4 * SUBSTEPS)
    print(f"det = {np.linalg.det(forward):.12f}; phase-space volume (1 - h * damping) ** 40 = {volume:.12f}")
    assert np.isclose(np.linalg.det(forward), volume, rtol=1e-10)


if __name__ == "__main__":
    main()
