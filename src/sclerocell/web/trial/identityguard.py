"""Refuse free text that looks like a direct identifier (CNIL MR-001, DOMAIN.md §9).

Every free-text field of the trial app (and every audit reason written by a trial action) goes
through ``refuse_identifiers``: a French social security number (NIR), a phone number, an
e-mail address or a long run of digits (a hospital patient identifier, IPP) is refused with a
translated message naming what it looks like. Dates, doses, protocol versions and study codes
pass.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# NIR: sex (1, 2, or 3/4/7/8 for provisional numbers), year, month, département (2A/2B for
# Corsica), commune, order number, and the optional two-digit key; spaces, dots or dashes
# between groups are tolerated.
_SEP = r"[\s.\-]?"
_NIR = re.compile(
    rf"(?<![0-9A-Za-z])[1-478]{_SEP}\d{{2}}{_SEP}\d{{2}}{_SEP}(?:\d{{2}}|2[ABab])"
    rf"{_SEP}\d{{3}}{_SEP}\d{{3}}(?:{_SEP}\d{{2}})?(?![0-9])"
)
# Phone: French national (0X XX XX XX XX) or international (+33 / 0033 …) numbers.
_PHONE = re.compile(
    rf"(?<![0-9])(?:(?:\+|00)\d{{1,3}}{_SEP}(?:\(0\))?{_SEP}[1-9]|0[1-9])(?:{_SEP}\d{{2}}){{4}}(?![0-9])"
)
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
# Eight or more digits in a row: a hospital identifier (IPP), a record number…
_LONG_NUMBER = re.compile(r"(?<![0-9])\d{8,}(?![0-9])")

_CHECKS = (
    (_EMAIL, _("This looks like an e-mail address. Do not enter identities: study codes only.")),
    (
        _NIR,
        _(
            "This looks like a social security number (NIR). "
            "Do not enter identities: study codes only."
        ),
    ),
    (_PHONE, _("This looks like a phone number. Do not enter identities: study codes only.")),
    (
        _LONG_NUMBER,
        _(
            "This looks like a patient identifier (a long number). "
            "Do not enter identities: study codes only."
        ),
    ),
)


def identifier_kind(text: str) -> str | None:
    """The translated reason ``text`` is refused, or None when it looks identity-free."""
    for pattern, message in _CHECKS:
        if pattern.search(text):
            return str(message)
    return None


def refuse_identifiers(text: str) -> None:
    """Django validator: raise a translated ValidationError when ``text`` looks identifying."""
    for pattern, message in _CHECKS:
        if pattern.search(text or ""):
            raise ValidationError(message, code="identifier")
