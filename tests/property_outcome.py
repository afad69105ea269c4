"""What a forward-mode property run tallies, shared by tests/property/ and tests/property_arrays/."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from s2sgrad import UnsupportedConstructError


@dataclass
class Outcome:
    checked: int = 0
    second_checked: int = 0                          # second derivatives: grad of grad, Hessians
    refused: dict = field(default_factory=dict)      # program name -> the refusal's first line
    skipped: int = 0
    failures: list = field(default_factory=list)


def refusal(exc: UnsupportedConstructError) -> str:
    """The first line of a refusal, which must name the user's line."""
    message = str(exc)
    assert re.search(r"line \d+", message), f"a refusal that names no line:\n{message}"
    return message.splitlines()[0]
