"""The screening eCRF of one participant, and the investigator's eligibility signatures.

A few form models, each tied to its participant and audited by the database triggers:

- ``ScreeningProfile``: one per participant — the index date, the yes/no attributes (childbearing
  potential, contraception, social security) and whether high-dose IV cyclophosphamide was ever
  given;
- ``FindingAnswer`` and ``StatementAnswer``: one row per question answered (a finding, an
  investigator's statement), with its date (and, for a statement, who answered);
- repeatable rows: ``Measurement`` (lung function, blood gases, heart tests, labs with units and
  normal range, weight, height), ``BloodPressure`` readings, ``SkinScore`` examinations (the
  17-site mRSS grid or a total), ``CyclophosphamideCourse``;
- ``EligibilitySignature``: the signed decision with the facts it was made on, frozen.

"Answered no" and "not answered" differ everywhere: an answer is ``yes``, ``no`` or blank, and a
blank (or no row) yields no fact, which the criteria read as missing. Rows are written only by
``screening.actions``.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from sclerocell.clinical.mrss import MAX_SITE_SCORE, MAX_TOTAL, SITE_IDS
from sclerocell.web.accounts.models import User
from sclerocell.web.audit.registry import audited
from sclerocell.web.trial.identityguard import refuse_identifiers
from sclerocell.web.trial.models import Eligibility, Participant


class Answer(models.TextChoices):
    UNANSWERED = "", _("not answered")
    YES = "yes", _("yes")
    NO = "no", _("no")


def _answer(label: Any) -> models.CharField[str, str]:
    return models.CharField(label, max_length=3, choices=Answer.choices, blank=True, default="")


def _note() -> models.CharField[str, str]:
    return models.CharField(
        _("note"), max_length=300, blank=True, default="", validators=[refuse_identifiers]
    )


@audited(participant="participant")
class ScreeningProfile(models.Model):
    participant = models.OneToOneField(
        Participant, on_delete=models.PROTECT, related_name="screening_profile"
    )
    index_date = models.DateField(
        _("index date of the evaluation"),
        null=True,
        blank=True,
        help_text=_("The date the criteria are evaluated at; blank: the screening date."),
    )
    childbearing_potential = _answer(_("woman of childbearing potential"))
    effective_contraception = _answer(_("effective contraception"))
    social_security = _answer(_("affiliated to social security"))
    cyclophosphamide_given = _answer(_("high-dose IV cyclophosphamide ever given"))
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("screening profile")

    def __str__(self) -> str:
        return f"profile {self.participant_id}"


@audited(participant="participant")
class FindingAnswer(models.Model):
    """A finding (exam, history item, qualitative test) recorded present or absent."""

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="screening_findings"
    )
    code = models.CharField(_("finding"), max_length=64)
    answer = _answer(_("answer"))
    date = models.DateField(_("date"), null=True, blank=True)
    note = _note()
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("screening finding")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "code"], name="screening_finding_one_per_code"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code}={self.answer}"


@audited(participant="participant")
class StatementAnswer(models.Model):
    """An investigator's answer to a question no data can decide, with who answered and when."""

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="screening_statements"
    )
    code = models.CharField(_("statement"), max_length=64)
    answer = _answer(_("answer"))
    answered_on = models.DateField(_("date of the statement"), null=True, blank=True)
    answered_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    note = _note()
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("investigator statement")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "code"], name="screening_statement_one_per_code"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code}={self.answer}"


@audited(participant="participant")
class Measurement(models.Model):
    """One measured value, in the unit it was measured in, with the laboratory's normal range."""

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="screening_measurements"
    )
    code = models.CharField(_("measurement"), max_length=64)
    date = models.DateField(_("date"))
    time = models.TimeField(_("time"), null=True, blank=True)
    value = models.FloatField(_("value"))
    unit = models.CharField(_("unit"), max_length=16)
    ref_low = models.FloatField(_("lower limit of normal"), null=True, blank=True)
    ref_high = models.FloatField(_("upper limit of normal"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=80, blank=True, default="", validators=[refuse_identifiers]
    )

    class Meta:
        ordering = ["code", "date", "time", "pk"]
        verbose_name = _("screening measurement")

    def __str__(self) -> str:
        return f"{self.code} {self.value:g} {self.unit} {self.date}"


@audited(participant="participant")
class BloodPressure(models.Model):
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="screening_blood_pressures"
    )
    date = models.DateField(_("date"))
    time = models.TimeField(_("time"), null=True, blank=True)
    systolic = models.FloatField(_("systolic"), null=True, blank=True)
    diastolic = models.FloatField(_("diastolic"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=8, default="mmHg")

    class Meta:
        ordering = ["date", "time", "pk"]
        verbose_name = _("blood pressure reading")
        constraints = [
            models.CheckConstraint(
                condition=Q(systolic__isnull=False) | Q(diastolic__isnull=False),
                name="screening_bp_has_a_value",
            )
        ]

    def __str__(self) -> str:
        return f"{self.systolic}/{self.diastolic} {self.unit} {self.date}"


def _site_field(site_id: str) -> models.PositiveSmallIntegerField[int | None, int | None]:
    return models.PositiveSmallIntegerField(
        site_id, null=True, blank=True, validators=[MaxValueValidator(MAX_SITE_SCORE)]
    )


@audited(participant="participant")
class SkinScore(models.Model):
    """One modified Rodnan skin score examination: the 17 sites (0–3), or a total (0–51)."""

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="screening_skin_scores"
    )
    date = models.DateField(_("date of the examination"))
    examiner = models.CharField(
        _("examiner"), max_length=80, blank=True, default="", validators=[refuse_identifiers]
    )
    total = models.PositiveSmallIntegerField(
        _("total (when the sites are not available)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_TOTAL)],
    )
    face = _site_field("face")
    anterior_chest = _site_field("anterior_chest")
    abdomen = _site_field("abdomen")
    right_fingers = _site_field("right_fingers")
    left_fingers = _site_field("left_fingers")
    right_hand_dorsum = _site_field("right_hand_dorsum")
    left_hand_dorsum = _site_field("left_hand_dorsum")
    right_forearm = _site_field("right_forearm")
    left_forearm = _site_field("left_forearm")
    right_upper_arm = _site_field("right_upper_arm")
    left_upper_arm = _site_field("left_upper_arm")
    right_thigh = _site_field("right_thigh")
    left_thigh = _site_field("left_thigh")
    right_lower_leg = _site_field("right_lower_leg")
    left_lower_leg = _site_field("left_lower_leg")
    right_foot_dorsum = _site_field("right_foot_dorsum")
    left_foot_dorsum = _site_field("left_foot_dorsum")

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("skin score examination")

    def __str__(self) -> str:
        return f"mRSS {self.date}"

    def sites(self) -> dict[str, int]:
        """The sites scored (a site left blank is absent)."""
        scores = {site: getattr(self, site) for site in SITE_IDS}
        return {site: score for site, score in scores.items() if score is not None}

    @property
    def site_total(self) -> int | None:
        sites = self.sites()
        return sum(sites.values()) if len(sites) == len(SITE_IDS) else None


@audited(participant="participant")
class CyclophosphamideCourse(models.Model):
    """One course of high-dose IV cyclophosphamide (R-I3b reads the end of the last course)."""

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="screening_courses"
    )
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True, help_text=_("Blank when unknown."))
    boluses = models.PositiveSmallIntegerField(_("number of boluses"), null=True, blank=True)

    class Meta:
        ordering = ["start", "end", "pk"]
        verbose_name = _("cyclophosphamide course")

    def __str__(self) -> str:
        return f"cyclophosphamide {self.start}–{self.end}"


class Decision(models.TextChoices):
    ELIGIBLE = Eligibility.ELIGIBLE.value, _("eligible")
    NOT_ELIGIBLE = Eligibility.NOT_ELIGIBLE.value, _("not eligible")


@audited(participant="participant")
class EligibilitySignature(models.Model):
    """The investigator's electronic signature of an eligibility decision.

    Frozen at signing: the facts evaluated (canonical JSON and its SHA-256), the index date, the
    verdict tree, the protocol version and the settings hash. A later change of those facts makes
    the signature invalid: ``invalidated_at`` is set (by the action that changed them) and every
    page showing the signature compares the current facts' hash with the frozen one.
    """

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="eligibility_signatures"
    )
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices)
    meaning = models.TextField(_("meaning of the signature"))
    language = models.CharField(_("language"), max_length=8)
    signed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("signed by")
    )
    signed_at = models.DateTimeField(_("signed at (database clock)"), db_default=Now())
    decision_date = models.DateField(_("decision date"))
    index_date = models.DateField(_("index date"))
    verdict = models.CharField(_("verdict"), max_length=16)
    protocol_version = models.CharField(_("protocol version"), max_length=100)
    settings_hash = models.CharField(_("settings hash"), max_length=64)
    facts_json = models.TextField(_("facts evaluated (canonical JSON)"))
    facts_sha256 = models.CharField(_("SHA-256 of the facts"), max_length=64)
    result_json = models.TextField(_("verdict tree (JSON)"))
    invalidated_at = models.DateTimeField(_("invalidated at"), null=True, blank=True)
    invalidated_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invalidated by"),
    )
    invalidated_because = models.CharField(
        _("invalidated by the action"), max_length=100, blank=True, default=""
    )

    class Meta:
        ordering = ["participant", "signed_at", "pk"]
        verbose_name = _("eligibility signature")

    def __str__(self) -> str:
        return f"{self.participant_id} {self.decision} {self.facts_sha256[:12]}"

    @property
    def result(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.result_json)
        return data
