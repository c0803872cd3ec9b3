"""Template helpers shared by every page: what the signed-in user's role allows."""

from __future__ import annotations

from typing import Any

from django import template

from sclerocell.web.accounts.roles import Permission

register = template.Library()


@register.filter
def can(user: Any, permission: str) -> bool:
    """``{% if user|can:"view_subjects" %}`` — the roles MATRIX, for showing links and buttons."""
    checker = getattr(user, "can", None)
    return bool(checker and checker(Permission(permission)))
