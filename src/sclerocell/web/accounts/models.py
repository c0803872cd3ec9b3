"""Sites of the trial, the staff accounts who work in them, and their HTTP API tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .roles import ROLE_CHOICES, Permission, Role, has_permission


class Site(models.Model):
    """An investigating centre. Its number opens every study code it issues."""

    number = models.PositiveSmallIntegerField(
        _("site number"),
        unique=True,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
    )
    name = models.CharField(_("name"), max_length=200)
    city = models.CharField(_("city"), max_length=100, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self) -> str:
        return f"{self.number:02d} · {self.name}"


class User(AbstractUser):
    """A staff account: one role, one or more sites. Participants never have accounts.

    Rights come from the role matrix (`roles.py`) only: Django's superuser flag is never set,
    and the staff flag (entry to the Django admin) follows the administrator role.
    """

    role = models.CharField(_("role"), max_length=32, choices=ROLE_CHOICES)
    sites = models.ManyToManyField(Site, related_name="staff", blank=True, verbose_name=_("sites"))

    class Meta:
        verbose_name = _("staff account")
        verbose_name_plural = _("staff accounts")

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.is_superuser = False
        self.is_staff = self.role == Role.ADMINISTRATOR
        super().save(*args, **kwargs)

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    def can(self, permission: Permission) -> bool:
        return self.is_active and bool(self.role) and has_permission(self.role, permission)


class ApiToken(models.Model):
    """A bearer token for the HTTP API, owned by one user and holding that user's rights.

    Only the SHA-256 digest of the token is stored; the token itself is shown once, when it is
    issued. The prefix (the token's first characters, not secret) finds the row to compare.
    A read-only token is refused on every method that could change data.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    digest = models.CharField(_("digest"), max_length=64, editable=False)
    read_only = models.BooleanField(_("read-only"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > now
