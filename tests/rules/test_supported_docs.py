"""docs/functions_supported.md lists every entry of the primitive table by module; this test keeps it in step.

The page is rendered from s2sgrad.rules.DEFAULT_RULES, so it cannot drift
from what s2sgrad actually differentiates. After adding or removing rules,
regenerate it with

    python -m tests.rules.test_supported_docs

(SciPy must be installed: its rules are listed too.)
"""
from __future__ import annotations

import pathlib

import pytest

from s2sgrad.rules import DEFAULT_RULES, NonDifferentiable, Rule, load_scipy_rules

PAGE = pathlib.Path(__file__).resolve().parents[2] / "docs" / "functions_supported.md"
REGENERATE = "python -m tests.rules.test_supported_docs"

# (section title, does this entry's name belong to it); the first that matches wins
SECTIONS = [
    ("Python operators", lambda n: n.startswith("operator ")),
    ("Array methods and attributes (`x.T`, `x.sum()`)", lambda n: n.startswith(".")),
    ("Python builtins", lambda n: "." not in n),
    ("math", lambda n: n.startswith("math.")),
    ("numpy", lambda n: n.startswith("np.") and n.count(".") == 1),
    ("numpy.linalg", lambda n: n.startswith("np.linalg.")),
    ("numpy.fft", lambda n: n.startswith("np.fft.")),
    ("numpy.random", lambda n: n.startswith("np.random.")),
    ("numpy ufunc methods", lambda n: n.startswith("np.") and n.count(".") == 2),
    ("scipy.special (with SciPy installed)", lambda n: n.startswith("scipy.special.")),
    ("scipy.stats (with SciPy installed)", lambda n: n.startswith("scipy.stats.")),
    ("scipy.linalg (with SciPy installed)", lambda n: n.startswith("scipy.linalg.")),
    ("scipy.integrate (with SciPy installed)", lambda n: n.startswith("scipy.integrate.")),
    ("scipy.signal (with SciPy installed)", lambda n: n.startswith("scipy.signal.")),
    ("scipy.optimize (with SciPy installed)", lambda n: n.startswith("scipy.optimize.")),
    ("Other", lambda n: n.startswith(("functools.", "s2sgrad."))),
]

HEADER = f"""# Supported functions

Every function, method and operator s2sgrad has an entry for, by module.
**Differentiable** entries have a reverse rule (grad, vjp) and a forward rule
(jvp), each checked against central differences by tests/rules/test_table.py.
**No derivative** entries are piecewise constant or not numbers (comparisons,
rounding, shapes, random draws of fixed distributions): they pass values
through and carry no derivative. A function not listed stops with a located
"no derivative rule" error; docs/functions.md says how to add a rule.

Generated from `s2sgrad.rules.DEFAULT_RULES`; do not edit by hand. Regenerate with
`{REGENERATE}`. Some names exist only in some versions (`np.trapz` is gone from NumPy 2.4);
this page was generated with {{versions}}.
"""


COMPLEX_HEADER = """
## Complex values

The gradient of a real-valued function of z = x + iy is df/dx - i df/dy (the
convention of autograd and JAX: holomorphic rules need no conjugate). These
entries' rules hold for complex operands, checked on complex inputs by
tests/rules/test_complex_table.py; any other entry that would differentiate a
complex value stops the transform with a located error. A real input that
passes through complex values gets a real gradient.
"""


def render() -> str:
    load_scipy_rules()                         # every SciPy submodule with entries, whatever ran before
    groups: dict[str, tuple[set, set]] = {title: (set(), set()) for title, _ in SECTIONS}
    for key, entry in DEFAULT_RULES.items():
        if not isinstance(entry, (Rule, NonDifferentiable)) or (isinstance(key, tuple)
                                                                 and key[0] not in ("method", "attr")):
            continue                           # the language's own operations (copy, subscript, constants)
        if entry.name.startswith("s2sgrad.runtime."):
            continue                           # helpers of generated code, there for derivatives of derivatives
        for title, belongs in SECTIONS:
            if belongs(entry.name):
                groups[title][0 if isinstance(entry, Rule) else 1].add(entry.name)
                break
    complex_names = {entry.name for key, entry in DEFAULT_RULES.items()
                     if isinstance(entry, Rule) and entry.facts.complex and not entry.name.startswith("s2sgrad.")}
    parts = [HEADER.format(versions=_versions())]
    for title, _ in SECTIONS:
        differentiable, constant = groups[title]
        if not differentiable and not constant:
            continue
        parts.append(f"\n## {title}\n")
        for label, names in (("Differentiable", differentiable), ("No derivative", constant)):
            if names:
                listed = ", ".join(f"`{name}`" for name in sorted(names))
                parts.append(f"\n**{label}** ({len(names)}): {listed}\n")
    parts.append(COMPLEX_HEADER)
    parts.append(f"\n**Complex operands** ({len(complex_names)}): "
                 + ", ".join(f"`{name}`" for name in sorted(complex_names)) + "\n")
    return "".join(parts)


def _versions() -> str:
    """NumPy's and SciPy's major.minor versions: the table holds what they define."""
    import numpy
    import scipy
    short = [".".join(module.__version__.split(".")[:2]) for module in (numpy, scipy)]
    return f"NumPy {short[0]} and SciPy {short[1]}"


def test_supported_functions_page_is_generated_from_the_table():
    pytest.importorskip("scipy")                # the page lists the SciPy rules too
    assert PAGE.exists(), f"docs/functions_supported.md is missing: run `{REGENERATE}`"
    if _versions() not in PAGE.read_text(encoding="utf-8"):
        pytest.skip(f"the page was generated with other versions than {_versions()}")
    assert PAGE.read_text(encoding="utf-8") == render(), (
        f"docs/functions_supported.md is out of date with the rule table: run `{REGENERATE}`")


if __name__ == "__main__":
    PAGE.write_text(render(), encoding="utf-8")
    print(f"wrote {PAGE}")
