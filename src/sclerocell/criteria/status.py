"""The four outcomes of a criterion and how groups combine them (Kleene logic).

`not_assessable` (nothing in the data can decide it: a person must record the answer) takes part
in the logic exactly like `unknown` — it neither proves nor refutes anything — but it is reported
distinctly: an undetermined group is `unknown` when at least one of its undetermined members is
`unknown` (data are missing), and `not_assessable` when all of them wait for a person.

The integer codes are the storage form used by the compiled (SQL) path. They are ordered so that
AND is `min`: not_met 0 < unknown 1 < not_assessable 2 < met 3. OR is `max` after swapping 1 and 2.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Status(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"
    NOT_ASSESSABLE = "not_assessable"

    @property
    def code(self) -> int:
        return CODES[self]

    @property
    def determined(self) -> bool:
        return self in (Status.MET, Status.NOT_MET)

    @classmethod
    def from_code(cls, code: int) -> Status:
        return BY_CODE[code]


CODES: dict[Status, int] = {
    Status.NOT_MET: 0,
    Status.UNKNOWN: 1,
    Status.NOT_ASSESSABLE: 2,
    Status.MET: 3,
}
BY_CODE: dict[int, Status] = {code: status for status, code in CODES.items()}

# OR is max over this order: not_met < not_assessable < unknown < met.
_OR_RANK: dict[Status, int] = {
    Status.NOT_MET: 0,
    Status.NOT_ASSESSABLE: 1,
    Status.UNKNOWN: 2,
    Status.MET: 3,
}


def all_of(statuses: Iterable[Status]) -> Status:
    """Kleene AND: any not_met → not_met; all met (or none) → met; else undetermined."""
    return min(statuses, key=CODES.__getitem__, default=Status.MET)


def any_of(statuses: Iterable[Status]) -> Status:
    """Kleene OR: any met → met; all not_met (or none) → not_met; else undetermined."""
    return max(statuses, key=_OR_RANK.__getitem__, default=Status.NOT_MET)


def negate(status: Status) -> Status:
    if status is Status.MET:
        return Status.NOT_MET
    if status is Status.NOT_MET:
        return Status.MET
    return status


def at_least(k: int, statuses: Iterable[Status]) -> Status:
    """At least ``k`` members met: decided as soon as the undetermined members cannot change it."""
    items = list(statuses)
    met = sum(s is Status.MET for s in items)
    undetermined = [s for s in items if not s.determined]
    if met >= k:
        return Status.MET
    if met + len(undetermined) < k:
        return Status.NOT_MET
    return Status.UNKNOWN if Status.UNKNOWN in undetermined else Status.NOT_ASSESSABLE
