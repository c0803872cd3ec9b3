"""``{{ text|text }}``: a core ``Text`` (French and English) in the active language."""

from __future__ import annotations

from typing import Any

from django import template

from ..catalogue import render

register = template.Library()


@register.filter
def text(value: Any) -> str:
    return "" if value is None else render(value)
