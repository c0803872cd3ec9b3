"""Study codes: the only identifier of a participant in the research database (CNIL MR-001).

Format ``SS-KNNN-C``, e.g. ``01-R007-4`` (recipient) or ``01-D007-9`` (donor):

- ``SS``  the site number, two digits (01 = Hôpital Saint-Louis);
- ``K``   the kind, ``R`` (recipient) or ``D`` (donor);
- ``NNN`` the sequence number, per site and kind, from 001;
- ``C``   a Damm check digit computed over the six digits ``S S k N N N``, where the kind
  letter is encoded as a digit (R = 1, D = 2).

The Damm algorithm (a totally anti-symmetric quasigroup of order 10) detects every
single-digit error and every transposition of two adjacent digits, including the check digit
itself. Typing R for D (or the reverse) changes one encoded digit, so it is caught as well;
any other slip (a swapped hyphen, a letter in a digit position) breaks the format.

Plain Python, no Django: usable from the CLI and property-tested with hypothesis.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

# The Damm quasigroup (H. Michael Damm, 2004), as published.
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)

MAX_SEQUENCE = 999
PATTERN = r"[0-9]{2}-[RD][0-9]{3}-[0-9]"
_CODE = re.compile(rf"^{PATTERN}$")


class Kind(StrEnum):
    RECIPIENT = "recipient"
    DONOR = "donor"

    @property
    def letter(self) -> str:
        return "R" if self is Kind.RECIPIENT else "D"

    @property
    def digit(self) -> int:
        return 1 if self is Kind.RECIPIENT else 2


_KIND_BY_LETTER = {kind.letter: kind for kind in Kind}


class InvalidStudyCode(ValueError):
    """The text is not a well-formed study code, or its check digit does not match."""


def damm(digits: str) -> int:
    """The Damm interim digit of a string of decimal digits (0 when a checked string is valid)."""
    interim = 0
    for char in digits:
        interim = _DAMM[interim][int(char)]
    return interim


def check_digit(digits: str) -> int:
    return damm(digits)


def is_valid_digits(digits_with_check: str) -> bool:
    return digits_with_check.isdigit() and damm(digits_with_check) == 0


@dataclass(frozen=True, order=True)
class StudyCode:
    site: int
    kind: Kind
    sequence: int

    def __post_init__(self) -> None:
        if not 1 <= self.site <= 99:
            raise InvalidStudyCode(f"site number out of range: {self.site}")
        if not 1 <= self.sequence <= MAX_SEQUENCE:
            raise InvalidStudyCode(f"sequence out of range: {self.sequence}")

    @property
    def payload(self) -> str:
        """The six digits the check digit protects."""
        return f"{self.site:02d}{self.kind.digit}{self.sequence:03d}"

    @property
    def check(self) -> int:
        return check_digit(self.payload)

    def __str__(self) -> str:
        return f"{self.site:02d}-{self.kind.letter}{self.sequence:03d}-{self.check}"


def format_code(site: int, kind: Kind | str, sequence: int) -> str:
    return str(StudyCode(site, Kind(kind), sequence))


def parse(text: str) -> StudyCode:
    """The study code written in ``text`` (spaces around it and letter case are forgiven)."""
    candidate = text.strip().upper()
    if not _CODE.match(candidate):
        raise InvalidStudyCode(f"not a study code: {text!r}")
    site, kind, sequence = int(candidate[0:2]), _KIND_BY_LETTER[candidate[3]], int(candidate[4:7])
    if site == 0 or sequence == 0:
        raise InvalidStudyCode(f"not a study code: {text!r}")
    code = StudyCode(site, kind, sequence)
    if not is_valid_digits(code.payload + candidate[8]):
        raise InvalidStudyCode(f"wrong check digit: {text!r}")
    return code


def is_valid(text: str) -> bool:
    try:
        parse(text)
    except InvalidStudyCode:
        return False
    return True
