"""Adverse events, the reports sent for serious ones, and the alerts sent for overdue reports.

Rows are written only by ``sclerocell.web.safety.actions`` (and the alert command); the audit
app records every write. The reporting clocks themselves are not stored: they are computed from
the event by ``sclerocell.followup.reporting`` (see ``clocks``), so a correction of the event
(a later awareness time, a SUSAR assessment) moves its deadlines with it.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from sclerocell.followup.reporting import ClockKind, Seriousness
from sclerocell.web.audit.registry import audited
from sclerocell.web.trial.identityguard import refuse_identifiers
from sclerocell.web.trial.models import Participant


class CtcaeVersion(models.TextChoices):
    """The CTCAE version the event was graded with (the trial started under v4.03)."""

    V5_0 = "5.0", "CTCAE v5.0"
    V4_03 = "4.03", "CTCAE v4.03"
    V3_0 = "3.0", "CTCAE v3.0"


class Relation(models.TextChoices):
    """Causality, WHO-UMC categories, plus "not related" and "not applicable"."""

    CERTAIN = "certain", _("certain")
    PROBABLE = "probable", _("probable / likely")
    POSSIBLE = "possible", _("possible")
    UNLIKELY = "unlikely", _("unlikely")
    CONDITIONAL = "conditional", _("conditional / unclassified")
    UNASSESSABLE = "unassessable", _("unassessable / unclassifiable")
    NOT_RELATED = "not_related", _("not related")
    NOT_APPLICABLE = "not_applicable", _("not applicable")


# A "reasonable possibility" of a causal relationship (EU CT-3 §7.2.3). Conditional and
# unassessable count as suspected until the causality is settled: the conservative reading.
SUSPECTED = frozenset(
    {
        Relation.CERTAIN,
        Relation.PROBABLE,
        Relation.POSSIBLE,
        Relation.CONDITIONAL,
        Relation.UNASSESSABLE,
    }
)


class Expectedness(models.TextChoices):
    NOT_ASSESSED = "", _("not assessed")
    EXPECTED = "expected", _("expected (listed in the reference safety information)")
    UNEXPECTED = "unexpected", _("unexpected")


class Outcome(models.TextChoices):
    RECOVERED = "recovered", _("recovered / resolved")
    RECOVERING = "recovering", _("recovering / resolving")
    NOT_RECOVERED = "not_recovered", _("not recovered / not resolved")
    SEQUELAE = "sequelae", _("recovered with sequelae")
    FATAL = "fatal", _("fatal")
    UNKNOWN = "unknown", _("unknown")


# Outcomes that close the event: an end date is required; the others have none.
ENDED_OUTCOMES = frozenset({Outcome.RECOVERED, Outcome.SEQUELAE, Outcome.FATAL})
OPEN_OUTCOMES = frozenset({Outcome.RECOVERING, Outcome.NOT_RECOVERED})


class ActionTaken(models.TextChoices):
    """Action taken with the MSC infusion (a single infusion: nothing to withdraw later)."""

    NOT_APPLICABLE = "not_applicable", _("not applicable (event outside the infusion)")
    NONE = "none", _("infusion not changed")
    SLOWED = "slowed", _("infusion slowed")
    INTERRUPTED = "interrupted", _("infusion interrupted, then resumed")
    STOPPED = "stopped", _("infusion stopped")


class SeriousnessCriterion(models.TextChoices):
    """The criteria of ``followup.reporting.Seriousness``, with labels for the pages."""

    DEATH = Seriousness.DEATH.value, _("death")
    LIFE_THREATENING = Seriousness.LIFE_THREATENING.value, _("life-threatening")
    HOSPITALISATION = (
        Seriousness.HOSPITALISATION.value,
        _("hospitalisation or prolongation of hospitalisation"),
    )
    DISABILITY = Seriousness.DISABILITY.value, _("persistent or significant disability")
    CONGENITAL_ANOMALY = Seriousness.CONGENITAL_ANOMALY.value, _("congenital anomaly")
    MEDICALLY_IMPORTANT = (
        Seriousness.MEDICALLY_IMPORTANT.value,
        _("other medically important event"),
    )


# One boolean column per criterion: the audit trail then shows each criterion's change.
SERIOUSNESS_FIELDS: dict[Seriousness, str] = {
    criterion: f"serious_{criterion.value}" for criterion in Seriousness
}


def _any_criterion() -> Q:
    condition = Q()
    for field in SERIOUSNESS_FIELDS.values():
        condition |= Q(**{field: True})
    return condition


#: The event is serious: at least one criterion ticked.
SERIOUS_Q = _any_criterion()


class ReportKind(models.TextChoices):
    """The reports a serious event may call for: one per ``followup.reporting`` clock."""

    SPONSOR_NOTIFICATION = ClockKind.SPONSOR_NOTIFICATION.value, _("notification to the sponsor")
    SUSAR_INITIAL = ClockKind.SUSAR_INITIAL.value, _("SUSAR report to the authorities")
    SUSAR_FOLLOW_UP = ClockKind.SUSAR_FOLLOW_UP.value, _("SUSAR follow-up report")


@audited(participant="participant")
class AdverseEvent(models.Model):
    """One adverse event of one participant, coded with a CTCAE term and grade."""

    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="adverse_events",
        verbose_name=_("participant"),
    )
    #: 1, 2, … for each participant, in order of entry ("AE 3" of 01-R007-4).
    number = models.PositiveSmallIntegerField(_("number"), editable=False)

    ctcae_version = models.CharField(
        _("CTCAE version"), max_length=8, choices=CtcaeVersion.choices, default=CtcaeVersion.V5_0
    )
    meddra_code = models.CharField(_("MedDRA code"), max_length=8)
    # The term and its system organ class as the table named them when the event was coded.
    term = models.CharField(_("CTCAE term"), max_length=200)
    soc = models.CharField(_("system organ class"), max_length=120)
    grade = models.PositiveSmallIntegerField(
        _("grade"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    onset_date = models.DateField(_("onset date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)

    relation_to_msc = models.CharField(
        _("relation to the MSC"), max_length=16, choices=Relation.choices
    )
    relation_to_procedure = models.CharField(
        _("relation to the bone-marrow procedure"),
        max_length=16,
        choices=Relation.choices,
        default=Relation.NOT_APPLICABLE,
    )
    expectedness = models.CharField(
        _("expectedness"), max_length=16, choices=Expectedness.choices, blank=True
    )
    action_taken = models.CharField(
        _("action taken with the infusion"),
        max_length=16,
        choices=ActionTaken.choices,
        default=ActionTaken.NOT_APPLICABLE,
    )

    serious_death = models.BooleanField(_("death"), default=False)
    serious_life_threatening = models.BooleanField(_("life-threatening"), default=False)
    serious_hospitalisation = models.BooleanField(_("hospitalisation"), default=False)
    serious_disability = models.BooleanField(_("disability"), default=False)
    serious_congenital_anomaly = models.BooleanField(_("congenital anomaly"), default=False)
    serious_medically_important = models.BooleanField(_("medically important"), default=False)
    #: When the investigator became aware that the event is serious: the 24 h clock starts here.
    investigator_aware_at = models.DateTimeField(
        _("investigator aware of the serious event at"), null=True, blank=True
    )
    death_cause = models.TextField(_("cause of death"), blank=True, validators=[refuse_identifiers])
    malignancy = models.BooleanField(
        _("malignancy"),
        default=False,
        help_text=_("Tick for a cancer coded outside the neoplasms system organ class."),
    )
    description = models.TextField(_("description"), blank=True, validators=[refuse_identifiers])

    # The sponsor's (pharmacovigilance) assessment. ``susar`` is None until assessed.
    susar = models.BooleanField(_("SUSAR"), null=True, blank=True)
    sponsor_aware_at = models.DateTimeField(_("sponsor aware at"), null=True, blank=True)

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["participant", "number"]
        verbose_name = _("adverse event")
        verbose_name_plural = _("adverse events")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "number"], name="safety_event_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(grade__gte=1, grade__lte=5), name="safety_event_grade_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("onset_date")),
                name="safety_event_ends_after_onset",
            ),
            models.CheckConstraint(
                condition=~SERIOUS_Q | Q(investigator_aware_at__isnull=False),
                name="safety_serious_event_has_awareness",
            ),
        ]
        indexes = [models.Index(fields=["grade"], name="safety_event_grade")]

    def __str__(self) -> str:
        return f"{self.participant_id} AE {self.number}: {self.term} (grade {self.grade})"

    @property
    def seriousness(self) -> frozenset[Seriousness]:
        return frozenset(c for c, field in SERIOUSNESS_FIELDS.items() if getattr(self, field))

    @property
    def is_serious(self) -> bool:
        return bool(self.seriousness)

    @property
    def is_fatal(self) -> bool:
        return self.outcome == Outcome.FATAL

    @property
    def suspected(self) -> bool:
        """A reasonable possibility that the MSC caused it."""
        return self.relation_to_msc in SUSPECTED

    @property
    def suggested_susar(self) -> bool:
        """Serious, suspected and unexpected: what the sponsor's assessment starts from."""
        return self.is_serious and self.suspected and self.expectedness == Expectedness.UNEXPECTED

    @property
    def effective_susar(self) -> bool:
        """The sponsor's assessment, or the suggestion while it is pending (clocks run)."""
        return self.suggested_susar if self.susar is None else bool(self.susar)

    def seriousness_labels(self) -> list[str]:
        return [str(SeriousnessCriterion(c.value).label) for c in sorted(self.seriousness)]


@audited(participant="event__participant")
class SafetyReport(models.Model):
    """When one expedited report of a serious event was sent (one per clock)."""

    event = models.ForeignKey(
        AdverseEvent, on_delete=models.PROTECT, related_name="reports", verbose_name=_("event")
    )
    kind = models.CharField(_("report"), max_length=24, choices=ReportKind.choices)
    sent_at = models.DateTimeField(_("sent at"))
    reference = models.CharField(
        _("reference"),
        max_length=100,
        blank=True,
        validators=[refuse_identifiers],
        help_text=_("The sponsor's or the authority's case number, if any."),
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["event", "kind"]
        verbose_name = _("safety report")
        verbose_name_plural = _("safety reports")
        constraints = [
            models.UniqueConstraint(fields=["event", "kind"], name="safety_one_report_per_clock")
        ]

    def __str__(self) -> str:
        return f"{self.event_id} {self.kind} {self.sent_at:%Y-%m-%d %H:%M}"


@audited(participant="event__participant")
class SafetyAlert(models.Model):
    """One e-mail alert about one overdue clock at one escalation level — sent once.

    Written by ``sclerocell safety-alerts`` only; every field is bookkeeping.
    """

    event = models.ForeignKey(
        AdverseEvent, on_delete=models.PROTECT, related_name="alerts", editable=False
    )
    kind = models.CharField(max_length=24, choices=ReportKind.choices, editable=False)
    level = models.PositiveSmallIntegerField(editable=False)
    deadline = models.DateTimeField(editable=False)
    created_at = models.DateTimeField(db_default=Now(), editable=False)
    #: Set when the mail is handed to the mail backend; reset if sending fails (retried).
    sent_at = models.DateTimeField(null=True, editable=False)
    recipients = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["event", "kind", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "kind", "level"], name="safety_one_alert_per_clock_level"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_id} {self.kind} level {self.level}"
