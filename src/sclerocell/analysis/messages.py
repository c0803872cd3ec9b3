"""Bilingual messages and the input error of the analysis.

:class:`Message` is the follow-up one (``{"fr": ..., "en": ...}``), re-exported so that every
result of the analysis explains itself in the user's language with one type.
"""

from __future__ import annotations

from typing import Literal

from sclerocell.followup.messages import Message

__all__ = ["AnalysisInputError", "Lang", "Message"]

Lang = Literal["fr", "en"]


class AnalysisInputError(ValueError):
    """The analysis dataset is invalid; ``field`` names the record and field at fault.

    Raised at the door (when the dataset is built): nothing has been computed.
    """

    def __init__(self, message: Message, *, field: str | None = None) -> None:
        super().__init__(f"{field}: {message.en}" if field else message.en)
        self.message = message
        self.field = field
