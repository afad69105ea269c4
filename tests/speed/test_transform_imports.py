"""`import s2sgrad` does not import SciPy; SciPy's rules arrive when the user's program imports it.

Importing SciPy took most of `import s2sgrad` (seconds in a new process).
The rule table registers SciPy's entries at its first look-up after SciPy
was imported (rules/registry.py `define_when_imported`), so a function
calling SciPy finds them, and a user's own rule for a SciPy function wins
whichever came first. Each check runs in a new process: this one has SciPy
loaded already.
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

pytest.importorskip("scipy")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run(tmp_path, code: str) -> str:
    script = tmp_path / "program.py"            # a file: s2sgrad reads the functions' source
    script.write_text(textwrap.dedent(code))
    env = {**os.environ, "S2SGRAD_NO_CACHE": "1", "PYTHONPATH": ROOT}
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_scipy_rules_load_when_scipy_is_imported(tmp_path):
    out = run(tmp_path, """
        import sys
        import s2sgrad
        from s2sgrad.rules import BUILTIN_KEYS, DEFAULT_RULES
        print("scipy" in sys.modules)
        version = DEFAULT_RULES.version
        import scipy.special
        print(scipy.special.erf in DEFAULT_RULES, scipy.special.erf in BUILTIN_KEYS, DEFAULT_RULES.version > version)

        def f(x):
            return scipy.special.erf(x) * x

        g = s2sgrad.grad(f)(0.3)
        expected = scipy.special.erf(0.3) + 0.3 * 2.0 / 3.141592653589793 ** 0.5 * 2.718281828459045 ** (-0.09)
        print(abs(g - expected) < 1e-12)
    """)
    assert out.split() == ["False", "True", "True", "True", "True"]


def test_a_users_rule_for_a_scipy_function_wins_over_the_deferred_one(tmp_path):
    out = run(tmp_path, """
        import s2sgrad
        import scipy.special

        s2sgrad.defvjp(scipy.special.erf, "x", dx="dy * 7.0")      # before the table's first look-up

        def f(x):
            return scipy.special.erf(x)

        print(s2sgrad.grad(f)(0.3))
    """)
    assert float(out) == 7.0
