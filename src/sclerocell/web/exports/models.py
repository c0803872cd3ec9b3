"""One row per data export: who took which data, in which format, to which cut-off, over which
sites, and the SHA-256 of the zip handed out. The table is audited, so the export is in the
audit trail too; an export never changes trial data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from sclerocell.web.audit.registry import audited


@audited()
class DataExport(models.Model):
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
        help_text=_("Empty for the system (a command run without --as)."),
    )
    created_at = models.DateTimeField(_("exported at"), db_default=Now(), editable=False)
    format = models.CharField(_("format"), max_length=16)
    cutoff = models.DateField(_("cut-off date"))
    #: The sites covered, as two-digit numbers separated by commas ("01,02").
    sites = models.CharField(_("sites"), max_length=300, blank=True)
    trial_wide = models.BooleanField(_("whole trial"), default=False)
    participants = models.PositiveIntegerField(_("participants"))
    file_name = models.CharField(_("file"), max_length=200)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    #: The last audit event when the data were read: what the export reflects.
    last_seq = models.BigIntegerField(_("last audit event"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")

    def __str__(self) -> str:
        return f"{self.format} {self.cutoff} {self.sha256[:12]}"
