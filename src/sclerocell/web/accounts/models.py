"""Sites of the trial and the staff accounts who work in them."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
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
    """A staff account: one role, one or more sites. Participants never have accounts."""

    role = models.CharField(_("role"), max_length=32, choices=ROLE_CHOICES)
    sites = models.ManyToManyField(Site, related_name="staff", blank=True, verbose_name=_("sites"))

    class Meta:
        verbose_name = _("staff account")
        verbose_name_plural = _("staff accounts")

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    def can(self, permission: Permission) -> bool:
        return self.is_active and bool(self.role) and has_permission(self.role, permission)
