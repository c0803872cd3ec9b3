"""Template helpers of the participant pages."""

from __future__ import annotations

from typing import Any

from django import template

from ..stages import Stage

register = template.Library()


@register.filter
def stage_label(value: Any) -> str:
    """The translated label of a stage value (``follow_up`` → « en suivi »)."""
    try:
        return str(Stage(value).label)
    except ValueError:
        return str(value)
