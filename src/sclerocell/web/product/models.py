"""The cell-product chain as an append-only log of events: donor → harvest → batch → release →
bedside check → infusion → recipient.

Each row records one event, written once by ``sclerocell.web.product.actions``; where a product
stands is read from the rows that exist (a batch is released when it has a release decision
saying so), never from a status flag. Every table is audited (database triggers) and its rows
lead to a participant, so the donor → product → recipient trace is in the audit trail too
(kept 30 years for advanced-therapy products, DOMAIN.md §8).

No identity: operators are staff accounts or a role in free text, scanned codes that are not
study or product codes are stored redacted.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sclerocell.product.specification import Karyotype, Mycoplasma, Sterility
from sclerocell.web.audit.registry import audited
from sclerocell.web.trial.identityguard import refuse_identifiers
from sclerocell.web.trial.models import Participant

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]
# The characters a product code can carry (sclerocell.product.label).
BATCH_NUMBER = RegexValidator(
    r"^[A-Za-z0-9._/-]+$", _("Only letters, digits and “- . _ /” are allowed.")
)


class PunctureSite(models.TextChoices):
    POSTERIOR_ILIAC_CREST = "posterior_iliac_crest", _("posterior iliac crest")
    ANTERIOR_ILIAC_CREST = "anterior_iliac_crest", _("anterior iliac crest")
    STERNUM = "sternum", _("sternum")


@audited(participant="donor")
class Harvest(models.Model):
    """A bone-marrow aspiration of the donor, under local anaesthesia."""

    donor = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="harvests", verbose_name=_("donor")
    )
    harvested_on = models.DateField(_("date of the harvest"))
    puncture_site = models.CharField(
        _("puncture site"), max_length=32, choices=PunctureSite.choices
    )
    volume_ml = models.DecimalField(_("marrow volume (mL)"), max_digits=6, decimal_places=1)
    local_anaesthetic = models.CharField(
        _("local anaesthetic"), max_length=120, validators=[refuse_identifiers]
    )
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("operator"),
    )
    operator_role = models.CharField(
        _("operator (role)"), max_length=120, blank=True, validators=[refuse_identifiers]
    )
    note = models.TextField(_("note"), blank=True, validators=[refuse_identifiers])

    class Meta:
        ordering = ["harvested_on", "pk"]
        verbose_name = _("bone-marrow harvest")
        verbose_name_plural = _("bone-marrow harvests")
        constraints = [
            models.CheckConstraint(
                condition=Q(operator__isnull=False) | ~Q(operator_role=""),
                name="product_harvest_has_an_operator",
            )
        ]

    def __str__(self) -> str:
        return f"{self.donor_id} {self.harvested_on}"


@audited(participant="recipient")
class Batch(models.Model):
    """An MSC batch manufactured from one harvest for one intended recipient, with its QC.

    A result left empty is not available yet (the release sees it as missing).
    """

    number = models.CharField(
        _("batch number"), max_length=30, unique=True, validators=[BATCH_NUMBER]
    )
    harvest = models.ForeignKey(
        Harvest, on_delete=models.PROTECT, related_name="batches", verbose_name=_("harvest")
    )
    recipient = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="batches",
        verbose_name=_("intended recipient"),
    )
    manufactured_on = models.DateField(_("date of manufacture"))
    passages = models.PositiveSmallIntegerField(_("passages"))
    cell_count = models.PositiveBigIntegerField(_("cells in the bag"))
    volume_ml = models.DecimalField(_("volume (mL)"), max_digits=6, decimal_places=1)
    expires_at = models.DateTimeField(_("expiry"))
    viability_pct = models.DecimalField(
        _("viability (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
    )
    cd73_pct = models.DecimalField(
        "CD73 (%)", max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    cd90_pct = models.DecimalField(
        "CD90 (%)", max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    cd105_pct = models.DecimalField(
        "CD105 (%)", max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    cd45_pct = models.DecimalField(
        "CD45 (%)", max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    cd34_pct = models.DecimalField(
        "CD34 (%)", max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    cd14_cd11b_pct = models.DecimalField(
        "CD14/CD11b (%)", max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    cd19_cd79a_pct = models.DecimalField(
        "CD19/CD79α (%)", max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    hla_dr_pct = models.DecimalField(
        "HLA-DR (%)", max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    sterility = models.CharField(
        _("sterility"),
        max_length=16,
        blank=True,
        choices=[(Sterility.NO_GROWTH, _("no growth")), (Sterility.GROWTH, _("growth"))],
    )
    endotoxin_eu_per_ml = models.DecimalField(
        _("endotoxin (EU/mL)"), max_digits=8, decimal_places=3, null=True, blank=True
    )
    mycoplasma = models.CharField(
        _("mycoplasma"),
        max_length=16,
        blank=True,
        choices=[(Mycoplasma.NEGATIVE, _("negative")), (Mycoplasma.POSITIVE, _("positive"))],
    )
    karyotype = models.CharField(
        _("karyotype"),
        max_length=16,
        blank=True,
        choices=[(Karyotype.NORMAL, _("normal")), (Karyotype.ABNORMAL, _("abnormal"))],
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["manufactured_on", "pk"]
        verbose_name = _("MSC batch")
        verbose_name_plural = _("MSC batches")

    def __str__(self) -> str:
        return self.number


RESULT_FIELDS = (
    "viability_pct",
    "cd73_pct",
    "cd90_pct",
    "cd105_pct",
    "cd45_pct",
    "cd34_pct",
    "cd14_cd11b_pct",
    "cd19_cd79a_pct",
    "hla_dr_pct",
    "sterility",
    "endotoxin_eu_per_ml",
    "mycoplasma",
    "karyotype",
)


class ReleaseOutcome(models.TextChoices):
    RELEASED = "released", _("released")
    REJECTED = "rejected", _("rejected")


@audited(participant="batch__recipient")
class ReleaseDecision(models.Model):
    """The cell-therapy unit's signed decision on a batch, against the release specification.

    The electronic signature is the signer's password entered again at the decision; the row
    keeps who signed (account, name and role as they were), when (server clock), and the
    statement they signed.
    """

    batch = models.OneToOneField(
        Batch, on_delete=models.PROTECT, related_name="release", verbose_name=_("batch")
    )
    outcome = models.CharField(_("decision"), max_length=16, choices=ReleaseOutcome.choices)
    conforming = models.BooleanField(_("within specification"))
    deviation = models.TextField(
        _("documented deviation"), blank=True, validators=[refuse_identifiers]
    )
    specification_version = models.CharField(_("specification"), max_length=80)
    assessment = models.JSONField(_("assessment, test by test"))
    recipient_weight_kg = models.DecimalField(
        _("recipient weight (kg)"), max_digits=5, decimal_places=1
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("signed by"),
    )
    signer_username = models.CharField(_("signer's account"), max_length=150)
    signer_role = models.CharField(_("signer's role"), max_length=32)
    signed_at = models.DateTimeField(_("signed at"))
    meaning = models.TextField(_("meaning of the signature"))

    class Meta:
        ordering = ["signed_at", "pk"]
        verbose_name = _("release decision")
        verbose_name_plural = _("release decisions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome=ReleaseOutcome.RELEASED)
                | Q(conforming=True)
                | ~Q(deviation=""),
                name="product_release_out_of_spec_needs_a_deviation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}: {self.outcome}"

    @property
    def released(self) -> bool:
        return self.outcome == ReleaseOutcome.RELEASED


@audited(participant="recipient")
class BedsideCheckAttempt(models.Model):
    """One bedside check: the bag's product code and the wristband scanned before infusing.

    Refusals are kept too: a wrong bag brought to a bed is an event to investigate.
    """

    recipient = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="bedside_checks",
        verbose_name=_("recipient"),
    )
    batch = models.ForeignKey(
        Batch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bedside_checks",
        verbose_name=_("expected batch"),
    )
    product_code = models.CharField(_("product code scanned"), max_length=200)
    recipient_code = models.CharField(_("recipient code scanned"), max_length=40)
    weight_kg = models.DecimalField(_("weight on the day (kg)"), max_digits=5, decimal_places=1)
    checked_at = models.DateTimeField(_("checked at"))
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("checked by"),
    )
    accepted = models.BooleanField(_("accepted"))
    refusals = models.JSONField(_("reasons for refusal"), default=list, blank=True)
    message_fr = models.TextField(_("message (French)"))
    message_en = models.TextField(_("message (English)"))

    class Meta:
        ordering = ["checked_at", "pk"]
        verbose_name = _("bedside check")
        verbose_name_plural = _("bedside checks")

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.checked_at:%Y-%m-%d %H:%M} {self.accepted}"


@audited(participant="recipient")
class Infusion(models.Model):
    """The recipient's one slow intravenous MSC infusion, after an accepted bedside check.

    The dose is computed when the infusion is recorded: cells in the bag × volume infused /
    volume of the bag, per kg of the weight on the day, against the cohort's target.
    """

    recipient = models.OneToOneField(
        Participant,
        on_delete=models.PROTECT,
        related_name="infusion",
        verbose_name=_("recipient"),
    )
    batch = models.ForeignKey(
        Batch, on_delete=models.PROTECT, related_name="infusions", verbose_name=_("batch")
    )
    bedside_check = models.OneToOneField(
        BedsideCheckAttempt,
        on_delete=models.PROTECT,
        related_name="infusion",
        verbose_name=_("bedside check"),
    )
    started_at = models.DateTimeField(_("start"))
    ended_at = models.DateTimeField(_("end"))
    volume_ml = models.DecimalField(_("volume infused (mL)"), max_digits=6, decimal_places=1)
    rate_ml_per_min = models.DecimalField(_("rate (mL/min)"), max_digits=6, decimal_places=2)
    rate_flagged = models.BooleanField(_("rate above the protocol's maximum"))
    premedication = models.TextField(
        _("premedication"), blank=True, validators=[refuse_identifiers]
    )
    weight_kg = models.DecimalField(_("weight on the day (kg)"), max_digits=5, decimal_places=1)
    cells_infused = models.PositiveBigIntegerField(_("cells infused"))
    dose_per_kg = models.FloatField(_("dose (cells/kg)"))
    target_per_kg = models.FloatField(_("target dose (cells/kg)"))
    dose_deviation = models.FloatField(_("deviation from the target"))
    dose_flagged = models.BooleanField(_("dose outside tolerance"))
    immediate_reaction = models.BooleanField(_("immediate reaction"))
    reaction_description = models.TextField(
        _("description of the reaction"), blank=True, validators=[refuse_identifiers]
    )

    class Meta:
        verbose_name = _("infusion")
        verbose_name_plural = _("infusions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__gt=models.F("started_at")),
                name="product_infusion_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.started_at:%Y-%m-%d}"


class Moment(models.TextChoices):
    BEFORE = "before", _("before")
    DURING = "during", _("during")
    AFTER = "after", _("after")


@audited(participant="infusion__recipient")
class VitalSigns(models.Model):
    """Vital signs before, during and after the infusion."""

    infusion = models.ForeignKey(
        Infusion, on_delete=models.PROTECT, related_name="vital_signs", verbose_name=_("infusion")
    )
    moment = models.CharField(_("moment"), max_length=8, choices=Moment.choices)
    systolic_mmhg = models.PositiveSmallIntegerField(_("systolic pressure (mmHg)"))
    diastolic_mmhg = models.PositiveSmallIntegerField(_("diastolic pressure (mmHg)"))
    heart_rate_bpm = models.PositiveSmallIntegerField(_("heart rate (/min)"))
    temperature_c = models.DecimalField(_("temperature (°C)"), max_digits=3, decimal_places=1)
    spo2_pct = models.PositiveSmallIntegerField(
        _("SpO₂ (%)"), null=True, blank=True, validators=PERCENT
    )

    class Meta:
        verbose_name = _("vital signs")
        verbose_name_plural = _("vital signs")
        constraints = [
            models.UniqueConstraint(
                fields=["infusion", "moment"], name="product_vital_signs_once_per_moment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.infusion_id} {self.moment}"
