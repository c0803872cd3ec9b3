"""Bilingual messages and the input error of the product chain.

Every result and every error of :mod:`sclerocell.product` explains itself in French and
English, so the screen can show the reason in the user's language without a lookup table.
"""

from __future__ import annotations

import math

from sclerocell.criteria.text import Text

#: One explanation in French and English (the core's one bilingual text type).
Message = Text


class ProductInputError(ValueError):
    """A value given to the product chain is invalid; ``field`` names the input at fault.

    Nothing has been computed or stored; the shell shows :attr:`message` next to the field.
    """

    def __init__(self, message: Message, *, field: str | None = None) -> None:
        super().__init__(f"{field}: {message.en}" if field else message.en)
        self.message = message
        self.field = field


def positive_number(value: object, field: str, *, allow_zero: bool = False) -> float:
    """``value`` as a finite float > 0 (≥ 0 with ``allow_zero``), else an input error."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ProductInputError(
            Message(f"{value!r} n'est pas un nombre.", f"{value!r} is not a number."), field=field
        )
    result = float(value)
    if not math.isfinite(result):
        raise ProductInputError(
            Message(f"{value!r} n'est pas un nombre fini.", f"{value!r} is not a finite number."),
            field=field,
        )
    if result < 0 or (result == 0 and not allow_zero):
        bound_fr, bound_en = ("≥ 0", "≥ 0") if allow_zero else ("> 0", "> 0")
        raise ProductInputError(
            Message(f"{value!r} doit être {bound_fr}.", f"{value!r} must be {bound_en}."),
            field=field,
        )
    return result


def required_text(value: object, field: str) -> str:
    """A non-blank string, stripped; else :class:`ProductInputError`."""
    if not isinstance(value, str) or not value.strip():
        raise ProductInputError(
            Message("Valeur obligatoire (texte non vide).", "Required (non-blank text)."),
            field=field,
        )
    return value.strip()
