"""The algebraic clean-up of adjoint expressions (optimize/simplify.py): each rewrite keeps the value."""
import gast
import pytest

from s2sgrad.optimize.simplify import simplify


def _simplified(text: str) -> str:
    return gast.unparse(simplify(gast.parse(text, mode="eval").body)).strip()


@pytest.mark.parametrize("text, expected", [
    ("dv * 1", "dv"),
    ("2 * t1 ** (2 - 1)", "2 * t1"),
    ("-(2 - 5)", "3"),
    ("- -x", "x"),
    ("-(1j)", "-1j"),                 # a negative imaginary literal is written as Python writes it
    ("2j * 3 * x", "6j * x"),
    ("(1j - 2) * x", "(-2+1j) * x"),
    # a rule's tests of defaults the call left alone fold away with the branch they guard
    ("dv if True and 1 == 1 else x", "dv"),
    ("dv if x > 1 and True else t1", "dv if x > 1 and True else t1"),
    ("False or x", "x"),
    ("True or x", "True"),
    ("0 and x", "0"),
])
def test_rewrites_read_as_written_and_keep_the_value(text, expected):
    assert _simplified(text) == expected
    x = dv = t1 = 1.7
    assert eval(_simplified(text)) == pytest.approx(eval(text))
