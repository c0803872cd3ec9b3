"""The one error type the clinical calculators raise for bad input.

The web shell catches :class:`ClinicalInputError` and shows its message (translated) next to
the field named in :attr:`ClinicalInputError.field`; nothing has been computed or stored.
"""

from __future__ import annotations


class ClinicalInputError(ValueError):
    """A value given to a clinical calculator is invalid; ``field`` names the input at fault."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
