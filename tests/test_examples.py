"""Every script in examples/ runs; each scalar seed script prints the seed's numbers (../shared/README.md).

A seed script prints one line per number, `name = value (seed: ...)`, where
value is what s2sgrad computed. The numbers below are the seeds' own.
"""
import math
import pathlib
import re
import subprocess
import sys

import pytest

EXAMPLES = pathlib.Path(__file__).resolve().parents[1] / "examples"
SCRIPTS = sorted(p.name for p in EXAMPLES.glob("*.py"))
TIMEOUT = 120

SEED_NUMBERS = {
    "seed000_computation_graph.py": {"u": 6, "v": 11, "J": 33, "dv": 3, "da": 3, "du": 3, "db": 6, "dc": 9},
    # t1 and t2 are the seed's a = x + y and b = max(y, z)
    "seed001_max_node.py": {"t1": 3, "t2": 2, "f": 6, "dt1": 2, "dt2": 3, "dx": 2, "dy": 5, "dz": 0},
    "seed003_shared_input.py": {"u": 5, "f": 10, "du": 2, "dx": 2, "dy": 7},
    "seed003_linear_model.py": {"yhat": 2, "L": 9, "dyhat": -6, "dw": -12, "db": -6, "new_w": 2.2, "new_b": 0.6},
    # the seed gives formulas; the script evaluates them at x = 0.5, y = 2
    "seed004_sin_of_product.py": {"z": 1.0, "f": math.sin(1.0), "dz": math.cos(1.0),
                                  "dx": math.cos(1.0) * 2.0, "dy": math.cos(1.0) * 0.5},
    # seed 000 differentiated twice: only d2J/db dc = d2J/dc db = 3 is not zero
    "seed000_second_derivatives.py": {"J": 33, "da": 3, "db": 6, "dc": 9,
                                      **{f"d2J_d{x}_d{y}": 3 if {x, y} == {"b", "c"} else 0
                                         for x in "abc" for y in "abc"}},
}

_ROW = re.compile(r"^\s*(\w+) = (\S+)\s+\(seed: .*\)$", re.MULTILINE)
_outputs: dict = {}


# scripts whose default run is a demonstration at scale: the tests run a small version
ARGUMENTS = {
    "dask_logistic_regression.py": ["--rows", "8000", "--chunk-rows", "2000", "--steps", "2", "--threads",
                                    "--check-rows", "4000", "--check-steps", "2", "--no-progress"],
}
NEEDS = {"dask_logistic_regression.py": "dask.distributed"}


def run(script: str) -> subprocess.CompletedProcess:
    if script in NEEDS:
        pytest.importorskip(NEEDS[script], reason=f"{script} needs {NEEDS[script]}")
    if script not in _outputs:
        _outputs[script] = subprocess.run(
            [sys.executable, str(EXAMPLES / script), *ARGUMENTS.get(script, [])], cwd=EXAMPLES.parent,
            capture_output=True, text=True, timeout=TIMEOUT,
        )
    return _outputs[script]


@pytest.mark.parametrize("script", SCRIPTS)
def test_example_runs(script):
    result = run(script)
    assert result.returncode == 0, f"{script} failed:\n{result.stderr}"
    assert result.stdout.strip(), f"{script} printed nothing"


def test_every_seed_script_has_the_seeds_numbers():
    seed_scripts = {name for name in SCRIPTS if name.startswith("seed")}
    assert seed_scripts == set(SEED_NUMBERS)


@pytest.mark.parametrize("script", sorted(SEED_NUMBERS))
def test_seed_script_prints_the_seeds_numbers(script):
    output = run(script).stdout
    printed = {name: float(value) for name, value in _ROW.findall(output)}
    for name, stated in SEED_NUMBERS[script].items():
        assert name in printed, f"{script} prints no `{name} = ...` line:\n{output}"
        assert printed[name] == pytest.approx(stated, rel=1e-10, abs=1e-12), f"{script}: {name}"


@pytest.mark.parametrize("script", sorted(SEED_NUMBERS))
def test_seed_script_prints_the_scalar_gradient_code(script):
    output = run(script).stdout
    assert re.search(r"^def grad_\w+\(", output, re.MULTILINE), output
    assert "# reverse sweep" in output
    assert "unbroadcast" not in output          # the version specialized for scalar arguments


def test_second_derivative_script_prints_the_tangent_code():
    output = run("seed000_second_derivatives.py").stdout
    assert re.search(r"^def jvp_grad_J\(", output, re.MULTILINE), output
    # d(dJ/dc) = d(du * b) = b_dot * du: the seed's second derivative, as a line of code
    assert re.search(r"^    dc_dot = .*b_dot \* du", output, re.MULTILINE), output
