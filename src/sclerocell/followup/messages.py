"""Bilingual messages and the input error of follow-up and safety.

Same shape as :class:`sclerocell.product.messages.Message` (``{"fr": ..., "en": ...}``); kept
separate so that follow-up does not depend on the product chain.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime


@dataclass(frozen=True, slots=True)
class Message:
    """One explanation in French and English."""

    fr: str
    en: str

    def as_dict(self) -> dict[str, str]:
        """``{"fr": ..., "en": ...}``, the shape the UI and the HTTP API use."""
        return {"fr": self.fr, "en": self.en}

    def __str__(self) -> str:
        return self.en


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
