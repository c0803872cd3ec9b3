"""Every change to staff accounts and API tokens goes through one function per action.

Pages, the admin's custom actions and the management commands call these, so that the password
policy and the site rule hold on every path, inside one transaction with its audit context.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from sclerocell.web.audit.context import audit_scope

from . import tokens
from .models import ApiToken, Site, User
from .roles import Role


def check_sites(role: Role | str, sites: Iterable[Site]) -> None:
    """Every role but the administrator works at one site at least."""
    if Role(role) != Role.ADMINISTRATOR and not list(sites):
        raise ValidationError(_("Choose at least one site for this role."), code="no_site")


def create_staff_user(
    *,
    username: str,
    role: Role | str,
    sites: Iterable[Site],
    password: str,
    by: Any = None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Create an active staff account; the password must pass the policy (ValidationError)."""
    sites = list(sites)
    role = Role(role)
    check_sites(role, sites)
    user = User(
        username=username,
        role=role.value,
        email=email,
        first_name=first_name,
        last_name=last_name,
    )
    user.full_clean(exclude=["password"])
    validate_password(password, user)
    user.set_password(password)
    with audit_scope(by=by, action="create_staff_user"):
        user.save()
        user.sites.set(sites)
    return user


def issue_token(
    user: User,
    *,
    name: str,
    expires_at: datetime | None = None,
    read_only: bool = True,
    by: Any = None,
) -> tuple[ApiToken, str]:
    """A new API token for ``user``: the row, and the token itself (shown once, never stored)."""
    for _attempt in range(5):
        new = tokens.generate()
        try:
            with audit_scope(by=by or user, action="issue_api_token"):
                token = ApiToken.objects.create(
                    user=user,
                    name=name,
                    prefix=new.prefix,
                    digest=new.digest,
                    read_only=read_only,
                    expires_at=expires_at,
                )
        except IntegrityError:  # pragma: no cover - a prefix collision, one in four billion
            continue
        return token, new.raw
    raise RuntimeError("could not draw a free token prefix")  # pragma: no cover


def revoke_token(token: ApiToken, *, by: Any) -> None:
    """Revoke a token from now on; a revoked token stays listed for the record."""
    if token.revoked_at is not None:
        return
    with audit_scope(by=by, action="revoke_api_token"):
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
