"""Visits, the outcome forms recorded at them, and the data queries about them.

- A :class:`Visit` is a visit that took place: baseline (``BL``, before the infusion), one of the
  protocol's scheduled visits (``D10`` … ``M24``, at most one each), or an unscheduled one
  (``UNS``). Visits not yet done have no row: their status (due, open, missed) is computed from
  the infusion date by ``sclerocell.followup.schedule``.
- One table per outcome form type, generated from ``definitions.FORMS`` on the abstract
  :class:`OutcomeForm`, which carries the life cycle: draft → complete → verified → signed →
  locked. A locked row never changes: the action refuses, and so does a database trigger
  (``lockguard``) for every other write path.
- A :class:`Query` is a question about a participant's data (a visit, a form, a field), raised by a
  data manager or a monitor or by a check (``rule``), answered by the site and closed; its thread
  is :class:`QueryMessage`.

Rows are written only by ``actions``; the audit app records every write. Life-cycle stamps and
versions are ``editable=False``: the audit trail counts them as bookkeeping, the data as entries.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from sclerocell.web.audit.registry import audited
from sclerocell.web.trial.identityguard import refuse_identifiers
from sclerocell.web.trial.models import Participant

from .definitions import BASELINE, FORMS, SCHEDULED, UNSCHEDULED, FieldSpec, FormSpec, Kind

VISIT_CODES = (BASELINE, *SCHEDULED, UNSCHEDULED)


@audited(participant="participant")
class Visit(models.Model):
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="visits", verbose_name=_("participant")
    )
    code = models.CharField(_("visit"), max_length=8)
    visit_date = models.DateField(_("visit date"))
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["participant", "visit_date", "pk"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "code"],
                condition=~Q(code=UNSCHEDULED),
                name="followup_visit_one_per_scheduled_code",
            ),
            models.CheckConstraint(
                condition=Q(code__in=VISIT_CODES), name="followup_visit_known_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.code} {self.visit_date}"

    @property
    def is_baseline(self) -> bool:
        return self.code == BASELINE

    @property
    def is_unscheduled(self) -> bool:
        return self.code == UNSCHEDULED


class FormStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    COMPLETE = "complete", _("complete")
    VERIFIED = "verified", _("source data verified")
    SIGNED = "signed", _("signed")
    LOCKED = "locked", _("locked")


def _by() -> models.ForeignKey[Any, Any]:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )


def _at() -> models.DateTimeField[Any, Any]:
    return models.DateTimeField(null=True, blank=True, editable=False)


class OutcomeForm(models.Model):
    """The life cycle shared by every outcome form; the data columns come from its spec."""

    SPEC: ClassVar[FormSpec]
    # Each generated model has Django's default manager; declared for the type checker.
    objects: ClassVar[models.Manager[OutcomeForm]]

    visit = models.OneToOneField(Visit, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=16, choices=FormStatus.choices, default=FormStatus.DRAFT, editable=False
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    verified_by = _by()
    verified_at = _at()
    signed_by = _by()
    signed_at = _at()
    signature_meaning = models.TextField(blank=True, editable=False)
    locked_by = _by()
    locked_at = _at()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.SPEC.code} {self.visit_id} ({self.status})"

    @property
    def is_locked(self) -> bool:
        return self.status == FormStatus.LOCKED

    def values(self) -> dict[str, Any]:
        """The entered values, by field name."""
        return {spec.name: getattr(self, spec.name) for spec in self.SPEC.fields}


def _column(spec: FieldSpec) -> models.Field[Any, Any]:
    """The column of one field: structure only (labels and checks live in the spec)."""
    if spec.kind is Kind.INTEGER:
        return models.SmallIntegerField(null=True, blank=True)
    if spec.kind is Kind.DECIMAL:
        return models.DecimalField(
            max_digits=spec.digits, decimal_places=spec.decimals, null=True, blank=True
        )
    if spec.kind is Kind.BOOLEAN:
        return models.BooleanField(null=True, blank=True)
    if spec.kind is Kind.CHOICE:
        return models.CharField(max_length=spec.max_length, blank=True)
    if spec.kind is Kind.DATE:
        return models.DateField(null=True, blank=True)
    return models.TextField(blank=True, validators=[refuse_identifiers])


def _constraints(form: FormSpec) -> list[models.BaseConstraint]:
    table = f"followup_{form.code}"
    done = [FormStatus.VERIFIED, FormStatus.SIGNED, FormStatus.LOCKED]
    constraints: list[models.BaseConstraint] = [
        models.CheckConstraint(
            condition=Q(status__in=FormStatus.values), name=f"{table}_known_status"
        ),
        models.CheckConstraint(
            condition=~Q(status__in=done) | Q(verified_by__isnull=False, verified_at__isnull=False),
            name=f"{table}_verified_stamp",
        ),
        models.CheckConstraint(
            condition=~Q(status__in=done[1:]) | Q(signed_by__isnull=False, signed_at__isnull=False),
            name=f"{table}_signed_stamp",
        ),
        models.CheckConstraint(
            condition=~Q(status=FormStatus.LOCKED) | Q(locked_by__isnull=False),
            name=f"{table}_locked_stamp",
        ),
    ]
    for spec in form.fields:
        name = f"{table}_{spec.name}"
        if spec.kind is Kind.CHOICE:
            allowed = Q(**{spec.name: ""}) | Q(**{f"{spec.name}__in": list(spec.choice_codes)})
            constraints.append(models.CheckConstraint(condition=allowed, name=f"{name}_code"))
        elif spec.minimum is not None and spec.maximum is not None:
            in_range = Q(**{f"{spec.name}__isnull": True}) | Q(
                **{f"{spec.name}__gte": spec.minimum, f"{spec.name}__lte": spec.maximum}
            )
            constraints.append(models.CheckConstraint(condition=in_range, name=f"{name}_range"))
    return constraints


def _form_model(form: FormSpec) -> type[OutcomeForm]:
    meta = type(
        "Meta",
        (),
        {"db_table": f"followup_{form.code}", "constraints": _constraints(form)},
    )
    attrs: dict[str, Any] = {"__module__": __name__, "SPEC": form, "Meta": meta}
    attrs.update({spec.name: _column(spec) for spec in form.fields})
    model = type(form.model_name, (OutcomeForm,), attrs)
    return audited(participant="visit__participant")(model)


#: The model of each outcome form, by form code (``FORM_MODELS["mrss"]`` …).
FORM_MODELS: dict[str, type[OutcomeForm]] = {
    code: _form_model(spec) for code, spec in FORMS.items()
}


# --- Queries -----------------------------------------------------------------------------------


class QueryStatus(models.TextChoices):
    OPEN = "open", _("open")
    ANSWERED = "answered", _("answered")
    CLOSED = "closed", _("closed")


@audited(participant="participant")
class Query(models.Model):
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="queries", verbose_name=_("participant")
    )
    visit = models.ForeignKey(
        Visit, on_delete=models.PROTECT, null=True, blank=True, related_name="queries"
    )
    form = models.CharField(_("form"), max_length=24, blank=True)
    field = models.CharField(_("field"), max_length=64, blank=True)
    #: The check that raised it ("" for a query raised by a person), and the values it named.
    rule = models.CharField(_("check"), max_length=48, blank=True)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=16, choices=QueryStatus.choices, default=QueryStatus.OPEN, editable=False
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    raised_at = models.DateTimeField(db_default=Now(), editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-raised_at", "-pk"]
        verbose_name = _("query")
        verbose_name_plural = _("queries")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=QueryStatus.values), name="followup_query_known_status"
            ),
            models.CheckConstraint(
                condition=Q(form="") | Q(visit__isnull=False), name="followup_query_form_has_visit"
            ),
            models.CheckConstraint(
                condition=Q(field="") | ~Q(form=""), name="followup_query_field_has_form"
            ),
        ]
        indexes = [models.Index(fields=["visit", "form", "status"], name="followup_query_form")]

    def __str__(self) -> str:
        return f"Q{self.pk} {self.status}"

    @property
    def is_automatic(self) -> bool:
        return bool(self.rule)


class MessageKind(models.TextChoices):
    RAISE = "raise", _("raised")
    ANSWER = "answer", _("answered")
    CLOSE = "close", _("closed")
    REOPEN = "reopen", _("reopened")
    RESOLVED = "resolved", _("resolved by a correction")


@audited(participant="query__participant")
class QueryMessage(models.Model):
    query = models.ForeignKey(Query, on_delete=models.PROTECT, related_name="messages")
    kind = models.CharField(max_length=16, choices=MessageKind.choices)
    text = models.TextField(_("message"), blank=True, validators=[refuse_identifiers])
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    written_at = models.DateTimeField(db_default=Now(), editable=False)

    class Meta:
        ordering = ["query", "pk"]
        verbose_name = _("query message")
        verbose_name_plural = _("query messages")

    def __str__(self) -> str:
        return f"{self.query_id} {self.kind}"
