"""Each generation of the analysis report, recorded in the audit trail.

A :class:`ReportRun` row is written (in an ``audit_scope`` naming the user, or the system for the
command) every time a report is produced — page, PDF download or ``sclerocell report`` — so the
trail says who computed which snapshot, at which cut-off, over which sites, and when (the audit
event's timestamp). Nothing else is written by the report.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sclerocell.web.audit.registry import audited


@audited()
class ReportRun(models.Model):
    cutoff_date = models.DateField(_("data cut-off"))
    snapshot_hash = models.CharField(_("data snapshot (SHA-256)"), max_length=64)
    language = models.CharField(_("language"), max_length=8)
    format = models.CharField(_("format"), max_length=8)
    #: Site numbers covered, comma-separated ("01,02").
    sites = models.CharField(_("sites covered"), max_length=200)
    subjects = models.PositiveIntegerField(_("recipients included"))
    protocol_version = models.CharField(_("protocol version"), max_length=200)
    software_version = models.CharField(_("software version"), max_length=80)
    #: SHA-256 of the file produced (the HTML or the PDF).
    content_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)

    class Meta:
        verbose_name = _("analysis report")
        verbose_name_plural = _("analysis reports")

    def __str__(self) -> str:
        return f"{self.cutoff_date} {self.format}/{self.language} {self.snapshot_hash[:12]}"
