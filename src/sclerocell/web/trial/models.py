"""Participants of the trial — recipients and their MSC donors — and their consents.

Identity-free by construction (CNIL MR-001, see docs/data-protection.md): a participant is a
study code, a site, a month and year of birth, a sex and the dates of their path through the
study. No name, full birth date, address, phone, e-mail, NIR or hospital identifier has a field
here, and free text refuses anything that looks like one (``identityguard``).

Rows are written only by ``sclerocell.web.trial.actions``; the audit app records every write.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sclerocell.web.accounts.models import Site
from sclerocell.web.audit.registry import audited

from .identityguard import refuse_identifiers
from .studycode import Kind


class ParticipantKind(models.TextChoices):
    RECIPIENT = Kind.RECIPIENT.value, _("recipient")
    DONOR = Kind.DONOR.value, _("donor")


class Sex(models.TextChoices):
    FEMALE = "F", _("female")
    MALE = "M", _("male")


class Relationship(models.TextChoices):
    """The donor's family tie to the recipient (criterion D-I2)."""

    SIBLING = "sibling", _("sibling")
    PARENT = "parent", _("parent")
    CHILD = "child", _("child")
    COUSIN = "cousin", _("cousin")
    OTHER_FAMILY = "other_family", _("other family member")
    SPOUSE = "spouse", _("spouse")


# Protocol priority when several donors are available (D-I2): siblings, then parents, then
# cousins or other family members (children included), the spouse last unless the investigator
# decides otherwise and records why. Lower ranks first.
RELATIONSHIP_PRIORITY: dict[str, int] = {
    Relationship.SIBLING: 1,
    Relationship.PARENT: 2,
    Relationship.CHILD: 3,
    Relationship.COUSIN: 3,
    Relationship.OTHER_FAMILY: 3,
    Relationship.SPOUSE: 4,
}


class Eligibility(models.TextChoices):
    """Placeholder for the eligibility sign-off of a later issue."""

    PENDING = "", _("not decided")
    ELIGIBLE = "eligible", _("eligible")
    NOT_ELIGIBLE = "not_eligible", _("not eligible")


class EndCause(models.TextChoices):
    COMPLETED = "completed", _("completed the study")
    WITHDRAWAL = "withdrawal", _("withdrawal")
    LOST_TO_FOLLOW_UP = "lost_to_follow_up", _("lost to follow-up")
    DEATH = "death", _("death")


class SiteCounter(models.Model):
    """The last sequence number issued at one site for one kind; locked while a code is issued."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=ParticipantKind.choices)
    last_sequence = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "kind"], name="trial_counter_one_per_site_kind")
        ]

    def __str__(self) -> str:
        return f"{self.site_id}/{self.kind}: {self.last_sequence}"


@audited(participant="self")
class Participant(models.Model):
    """A recipient or a donor, known only by a study code."""

    kind = models.CharField(_("kind"), max_length=16, choices=ParticipantKind.choices)
    code = models.CharField(_("study code"), max_length=12, unique=True, editable=False)
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="participants", verbose_name=_("site")
    )
    sequence = models.PositiveSmallIntegerField(_("sequence number"), editable=False)
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"), validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    birth_month = models.PositiveSmallIntegerField(
        _("month of birth"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)

    # Donors only: the recipient this donor gives to, and how they are related.
    recipient = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="donors",
        verbose_name=_("recipient"),
        limit_choices_to={"kind": Kind.RECIPIENT.value},
    )
    relationship = models.CharField(
        _("relationship to the recipient"), max_length=16, choices=Relationship.choices, blank=True
    )
    selection_note = models.TextField(
        _("donor selection note"),
        blank=True,
        validators=[refuse_identifiers],
        help_text=_("Why this donor was chosen, when not in the protocol's priority order."),
    )

    # Path through the study. The stage is computed from these (see ``stages``).
    screening_date = models.DateField(_("screening date"))
    eligibility = models.CharField(
        _("eligibility"), max_length=16, choices=Eligibility.choices, blank=True
    )
    eligibility_date = models.DateField(_("eligibility decision date"), null=True, blank=True)
    inclusion_date = models.DateField(_("inclusion date"), null=True, blank=True)
    infusion_date = models.DateField(_("infusion date"), null=True, blank=True)
    end_date = models.DateField(_("end of participation"), null=True, blank=True)
    end_cause = models.CharField(
        _("cause of the end of participation"),
        max_length=24,
        choices=EndCause.choices,
        blank=True,
    )
    # Kept with the participant, not only in the audit trail. Blank for the participations
    # ended before this field existed when the trail held no reason (migration 0004).
    end_reason = models.TextField(
        _("reason for the end of participation"),
        blank=True,
        validators=[refuse_identifiers],
    )

    # Optimistic concurrency: every action that changes the row increments it.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["site__number", "kind", "sequence"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "kind", "sequence"], name="trial_participant_sequence_unique"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind=Kind.RECIPIENT.value, recipient__isnull=True, relationship="")
                    | Q(kind=Kind.DONOR.value, recipient__isnull=False) & ~Q(relationship="")
                ),
                name="trial_participant_donor_has_recipient",
            ),
            models.CheckConstraint(
                condition=Q(kind=Kind.RECIPIENT.value) | Q(infusion_date__isnull=True),
                name="trial_participant_only_recipients_are_infused",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True, end_cause="")
                | Q(end_date__isnull=False) & ~Q(end_cause=""),
                name="trial_participant_end_has_date_and_cause",
            ),
        ]
        indexes = [models.Index(fields=["site", "kind"], name="trial_participant_site_kind")]

    def __str__(self) -> str:
        return self.code

    @property
    def is_recipient(self) -> bool:
        return self.kind == Kind.RECIPIENT.value

    @property
    def is_donor(self) -> bool:
        return self.kind == Kind.DONOR.value

    @property
    def has_ended(self) -> bool:
        return self.end_date is not None

    @property
    def birth_month_year(self) -> str:
        return f"{self.birth_month:02d}/{self.birth_year}"

    @property
    def relationship_priority(self) -> int | None:
        return RELATIONSHIP_PRIORITY.get(self.relationship)


@audited(participant="participant")
class Consent(models.Model):
    """One signed informed-consent form of one participant (a new version means a new row)."""

    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="consents",
        verbose_name=_("participant"),
    )
    form_version = models.CharField(
        _("consent form version"),
        max_length=40,
        validators=[refuse_identifiers],
        help_text=_("As printed on the form, e.g. “v2.0 of 10/02/2014”."),
    )
    signed_date = models.DateField(_("date signed"))
    withdrawn_date = models.DateField(_("date withdrawn"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["participant", "signed_date", "pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_date__isnull=True)
                | Q(withdrawn_date__gte=models.F("signed_date")),
                name="trial_consent_withdrawn_after_signed",
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.form_version} {self.signed_date}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_date is None


# --- Enrolment: donor selection, inclusion rank and dose cohort, the study frame ---------------
# Written only by ``actions`` (select_donor, enrol, record_safety_board_decision,
# record_protocol_amendment); the rules live in ``enrolment``.


@audited(participant="recipient")
class DonorSelection(models.Model):
    """The one donor chosen for a recipient (D-I2), with the reason when not top-ranked."""

    recipient = models.OneToOneField(
        Participant,
        on_delete=models.PROTECT,
        related_name="donor_selection",
        verbose_name=_("recipient"),
    )
    donor = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="selections",
        verbose_name=_("donor"),
    )
    selected_on = models.DateField(_("date of the choice"))
    top_ranked = models.BooleanField(_("highest available priority"))
    justification = models.TextField(
        _("why this donor rather than a higher-priority one"),
        blank=True,
        validators=[refuse_identifiers],
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("donor selection")
        verbose_name_plural = _("donor selections")

    def __str__(self) -> str:
        return f"{self.recipient_id} ← {self.donor_id}"


class InclusionCounter(models.Model):
    """How many participants of one kind were included, study-wide; locked while including.

    The lock serialises inclusions, so the rank (and with it the dose cohort) is assigned once
    and the capacity is never exceeded, whatever the number of concurrent requests.
    """

    kind = models.CharField(max_length=16, choices=ParticipantKind.choices, unique=True)
    last_rank = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.kind}: {self.last_rank}"


@audited(participant="participant")
class Enrolment(models.Model):
    """A participant's inclusion: rank in the study, and for a recipient the dose cohort."""

    participant = models.OneToOneField(
        Participant,
        on_delete=models.PROTECT,
        related_name="enrolment",
        verbose_name=_("participant"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ParticipantKind.choices)
    rank = models.PositiveSmallIntegerField(_("rank of inclusion"))
    dose_level = models.PositiveSmallIntegerField(_("dose level"), null=True, blank=True)
    target_cells_per_kg = models.FloatField(_("target dose (cells/kg)"), null=True, blank=True)
    frame_version = models.CharField(_("protocol version applied"), max_length=40)

    class Meta:
        ordering = ["kind", "rank"]
        verbose_name = _("inclusion")
        verbose_name_plural = _("inclusions")
        constraints = [
            models.UniqueConstraint(fields=["kind", "rank"], name="trial_enrolment_rank_unique"),
            models.CheckConstraint(
                condition=Q(kind=Kind.DONOR.value, dose_level__isnull=True)
                | Q(kind=Kind.RECIPIENT.value, dose_level__isnull=False),
                name="trial_enrolment_recipients_have_a_dose_level",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} #{self.rank}"


class SafetyBoardOutcome(models.TextChoices):
    ESCALATE = "escalate", _("open the next dose level")
    HOLD = "hold", _("hold: stay at this level")
    STOP = "stop", _("stop the escalation")


@audited()
class SafetyBoardDecision(models.Model):
    """The safety board's decision on one dose level, as written in its minutes."""

    dose_level = models.PositiveSmallIntegerField(_("dose level reviewed"))
    outcome = models.CharField(_("decision"), max_length=16, choices=SafetyBoardOutcome.choices)
    decided_on = models.DateField(_("date of the decision"))
    minutes_reference = models.CharField(
        _("reference of the minutes"), max_length=120, validators=[refuse_identifiers]
    )
    note = models.TextField(_("note"), blank=True, validators=[refuse_identifiers])

    class Meta:
        ordering = ["decided_on", "pk"]
        verbose_name = _("safety board decision")
        verbose_name_plural = _("safety board decisions")

    def __str__(self) -> str:
        return f"{self.dose_level}: {self.outcome} ({self.decided_on})"


@audited()
class ProtocolAmendment(models.Model):
    """A protocol amendment that changes the study frame from its effective date.

    A blank value leaves the previous value in force.
    """

    version = models.CharField(
        _("protocol version"), max_length=40, unique=True, validators=[refuse_identifiers]
    )
    reference = models.CharField(
        _("approval reference"), max_length=200, validators=[refuse_identifiers]
    )
    approved_on = models.DateField(_("date of approval"))
    effective_from = models.DateField(_("in force from"))
    recipients_max = models.PositiveSmallIntegerField(
        _("maximum recipients included"), null=True, blank=True
    )
    donors_max = models.PositiveSmallIntegerField(
        _("maximum donors included"), null=True, blank=True
    )
    inclusion_end = models.DateField(_("last day of the inclusion period"), null=True, blank=True)
    participation_months = models.PositiveSmallIntegerField(
        _("participation (months)"), null=True, blank=True
    )
    summary = models.TextField(_("summary"), blank=True, validators=[refuse_identifiers])

    class Meta:
        ordering = ["effective_from", "pk"]
        verbose_name = _("protocol amendment")
        verbose_name_plural = _("protocol amendments")

    def __str__(self) -> str:
        return self.version
