"""What normalization records about each compound statement.

Later stages (adjoint emission, tape recording) need to know, for a loop, which
variables it carries from one iteration to the next and how to replay its
iterations backwards; for an `if`, which names its branches merge. This data
rides on the gast node itself (attribute `s2s`), so it follows the node through
every pass and can be renamed with it.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class LoopInfo:
    kind: str                          # "for" or "while"
    carried: list[str]                 # SSA names live across iterations
    in_place: bool                     # carried names are the names the loop was entered with
    n_carry_copies: int = 0            # trailing statements of the body that copy the next values
    trip_counter: str | None = None    # counts iterations when the reverse sweep cannot re-derive them
    exit_flags: list[str] = field(default_factory=list)
    fresh: list[str] = field(default_factory=list)    # carried names first assigned inside the loop

    def rename(self, mapping: dict[str, str]) -> None:
        self.carried = [mapping.get(n, n) for n in self.carried]
        self.fresh = [mapping.get(n, n) for n in self.fresh]
        if self.trip_counter:
            self.trip_counter = mapping.get(self.trip_counter, self.trip_counter)
        self.exit_flags = [mapping.get(n, n) for n in self.exit_flags]


@dataclass
class IfInfo:
    merged: set[str]                   # names assigned in both branches, read after the `if`

    def rename(self, mapping: dict[str, str]) -> None:
        self.merged = {mapping.get(n, n) for n in self.merged}


def info_of(node):
    return getattr(node, "s2s", None)
