"""Bilingual messages and the input error of follow-up and safety.

``Message`` is the core's bilingual text (:class:`sclerocell.criteria.text.Text`); follow-up
does not depend on the product chain.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sclerocell.criteria.text import Text

#: One explanation in French and English (the core's one bilingual text type).
Message = Text


class FollowUpInputError(ValueError):
    """A value given to follow-up or safety is invalid; ``field`` names the input at fault."""

    def __init__(self, message: Message, *, field: str | None = None) -> None:
        super().__init__(f"{field}: {message.en}" if field else message.en)
        self.message = message
        self.field = field


def aware_utc(value: object, field: str) -> datetime:
    """An aware datetime converted to UTC; naive datetimes and other types are refused."""
    if not isinstance(value, datetime):
        raise FollowUpInputError(
            Message("Date et heure attendues.", "A date and time is expected."), field=field
        )
    if value.tzinfo is None or value.utcoffset() is None:
        raise FollowUpInputError(
            Message(
                "Date et heure sans fuseau horaire : UTC attendu.",
                "Naive date and time: an aware UTC datetime is expected.",
            ),
            field=field,
        )
    return value.astimezone(UTC)


def calendar_date(value: object, field: str) -> date:
    """A calendar date (not a datetime)."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise FollowUpInputError(
            Message("Date calendaire attendue.", "A calendar date is expected."), field=field
        )
    return value
