"""The command line: show, run and graph a function named FILE.py:FUNC."""
import os
import subprocess
import sys

import pytest

from s2sgrad.cli import main

SEEDS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "seed_functions.py")


def test_show_prints_ssa_and_specialized_gradient(capsys):
    assert main(["show", f"{SEEDS}:seed000_J", "--wrt", "a,b,c", "5.0", "3.0", "2.0"]) == 0
    out = capsys.readouterr().out
    assert "def seed000_J(a, b, c):" in out and "u = b * c" in out
    assert "db = du * c" in out and "dc = du * b" in out


def test_run_prints_value_gradients_and_numeric_check(capsys):
    assert main(["run", f"{SEEDS}:seed001_f", "1", "2", "0", "--wrt", "x,y,z", "--check"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "seed001_f(1, 2, 0) = 6"
    assert out[1].startswith("dx = 2 ") and out[2].startswith("dy = 5 ") and out[3].startswith("dz = 0 ")
    assert "central differences: 5" in out[2]


def test_errors_are_one_clear_line(capsys):
    assert main(["show", "no_such_file.py:f"]) == 1
    assert "no such file" in capsys.readouterr().err
    assert main(["run", f"{SEEDS}:not_there", "1"]) == 1
    assert "defines no 'not_there'" in capsys.readouterr().err


def test_python_dash_m_runs_the_command():
    done = subprocess.run([sys.executable, "-m", "s2sgrad", "run", f"{SEEDS}:seed004_f", "0.5", "1.0"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1].startswith("dx = ")


@pytest.mark.parametrize("fmt, marker", [("mermaid", "flowchart LR"), ("dot", "digraph")])
def test_graph_subcommand_is_wired(capsys, fmt, marker):
    assert main(["graph", f"{SEEDS}:seed000_J", "5", "3", "2", "--wrt", "a,b,c", "--format", fmt]) == 0
    assert marker in capsys.readouterr().out
