"""Reading the product chain of one recipient: what exists, what is expected next.

Pure reads over the event rows of ``models`` (no writes): the pages, the API, the actions and
the feasibility counts share them, so "released", "expected batch" and the QC assessment mean
the same thing everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sclerocell.product.dosing import DoseLevel
from sclerocell.product.specification import (
    BatchResults,
    Karyotype,
    Mycoplasma,
    ReleaseAssessment,
    Sterility,
    evaluate_batch,
)
from sclerocell.web.trial.models import DonorSelection, Enrolment, Participant

from . import conf
from .models import Batch, BedsideCheckAttempt, Harvest, Infusion, ReleaseDecision, ReleaseOutcome


def recipient_of(participant: Participant) -> Participant:
    """The recipient whose chain a participant belongs to (a donor's: their recipient's)."""
    if participant.is_recipient:
        return participant
    assert participant.recipient is not None  # noqa: S101 — a donor always has a recipient
    return participant.recipient


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def batch_results(batch: Batch, recipient_weight_kg: Decimal | float | None) -> BatchResults:
    """The batch's QC results as the release specification reads them."""
    return BatchResults(
        batch=batch.number,
        cd73_pct=_float(batch.cd73_pct),
        cd90_pct=_float(batch.cd90_pct),
        cd105_pct=_float(batch.cd105_pct),
        cd45_pct=_float(batch.cd45_pct),
        cd34_pct=_float(batch.cd34_pct),
        cd14_cd11b_pct=_float(batch.cd14_cd11b_pct),
        cd19_cd79a_pct=_float(batch.cd19_cd79a_pct),
        hla_dr_pct=_float(batch.hla_dr_pct),
        viability_pct=_float(batch.viability_pct),
        sterility=Sterility(batch.sterility) if batch.sterility else None,
        endotoxin_eu_per_ml=_float(batch.endotoxin_eu_per_ml),
        infused_volume_ml=float(batch.volume_ml),
        recipient_weight_kg=None if recipient_weight_kg is None else float(recipient_weight_kg),
        mycoplasma=Mycoplasma(batch.mycoplasma) if batch.mycoplasma else None,
        karyotype=Karyotype(batch.karyotype) if batch.karyotype else None,
        passage=batch.passages,
    )


def assess(batch: Batch, recipient_weight_kg: Decimal | float | None = None) -> ReleaseAssessment:
    """The batch against the release specification in force (endotoxin per kg needs a weight)."""
    return evaluate_batch(batch_results(batch, recipient_weight_kg), conf.specification())


def assessment_rows(assessment: ReleaseAssessment) -> list[dict[str, Any]]:
    """The assessment as stored with a release decision and shown on the pages."""
    return [
        {
            "test": line.test.value,
            "outcome": line.outcome.value,
            "value": line.value,
            "limit": line.limit,
            "fr": line.explanation.fr,
            "en": line.explanation.en,
        }
        for line in assessment.lines
    ]


def decision_of(batch: Batch) -> ReleaseDecision | None:
    try:
        return batch.release
    except ReleaseDecision.DoesNotExist:
        return None


def is_released(batch: Batch) -> bool:
    decision = decision_of(batch)
    return decision is not None and decision.outcome == ReleaseOutcome.RELEASED


def donor_of(batch: Batch) -> Participant:
    """The donor whose marrow the batch was made from."""
    return batch.harvest.donor


def chosen_donor(recipient: Participant) -> Participant | None:
    """The donor chosen for the recipient now (``trial.actions.select_donor``)."""
    selection = DonorSelection.objects.filter(recipient=recipient).select_related("donor").first()
    return selection.donor if selection is not None else None


def is_of_chosen_donor(batch: Batch, donor: Participant | None) -> bool:
    """A batch is usable for its recipient only while its donor is the one chosen."""
    return donor is not None and batch.harvest.donor_id == donor.pk


def expected_batch(recipient: Participant) -> Batch | None:
    """The batch the bedside check expects, among the batches of the donor chosen now: the last
    one released, else the last one made. A former donor's batch is never expected."""
    donor = chosen_donor(recipient)
    if donor is None:
        return None
    batches = Batch.objects.filter(recipient=recipient, harvest__donor=donor).select_related(
        "release", "harvest__donor"
    )
    released = batches.filter(release__outcome=ReleaseOutcome.RELEASED)
    return (
        released.order_by("-release__signed_at", "-pk").first()
        or batches.order_by("-manufactured_on", "-pk").first()
    )


def enrolment_of(participant: Participant) -> Enrolment | None:
    try:
        return participant.enrolment
    except Enrolment.DoesNotExist:
        return None


def selection_of(recipient: Participant) -> DonorSelection | None:
    try:
        return recipient.donor_selection
    except DonorSelection.DoesNotExist:
        return None


def infusion_of(recipient: Participant) -> Infusion | None:
    try:
        return recipient.infusion
    except Infusion.DoesNotExist:
        return None


def cohort_level(enrolment: Enrolment) -> DoseLevel:
    """The recipient's dose level as assigned at inclusion (only the target matters here)."""
    assert enrolment.dose_level is not None  # noqa: S101 — a recipient's inclusion has one
    assert enrolment.target_cells_per_kg is not None  # noqa: S101
    return DoseLevel(
        enrolment.dose_level, enrolment.rank, enrolment.rank, enrolment.target_cells_per_kg
    )


def last_bedside_check(recipient: Participant) -> BedsideCheckAttempt | None:
    return (
        BedsideCheckAttempt.objects.filter(recipient=recipient)
        .select_related("batch__harvest__donor")
        .order_by("-checked_at", "-pk")
        .first()
    )


@dataclass
class Chain:
    """Everything recorded about one recipient's product, oldest first."""

    recipient: Participant
    enrolment: Enrolment | None
    selection: DonorSelection | None
    harvests: list[Harvest]
    batches: list[Batch]
    checks: list[BedsideCheckAttempt]
    infusion: Infusion | None

    @property
    def donor(self) -> Participant | None:
        return self.selection.donor if self.selection else None

    def undecided_batches(self) -> list[Batch]:
        return [batch for batch in self.batches if decision_of(batch) is None]

    def released_batches(self) -> list[Batch]:
        return [batch for batch in self.batches if is_released(batch)]

    def former_donor_batches(self) -> list[Batch]:
        """Batches of a donor replaced since: never released, checked or infused any more."""
        return [batch for batch in self.batches if not is_of_chosen_donor(batch, self.donor)]


def chain_of(recipient: Participant) -> Chain:
    """The recipient's chain (a donor's page shows the chain of their recipient)."""
    selection = DonorSelection.objects.filter(recipient=recipient).select_related("donor").first()
    return Chain(
        recipient=recipient,
        enrolment=Enrolment.objects.filter(participant=recipient).first(),
        selection=selection,
        harvests=list(
            Harvest.objects.filter(donor__recipient=recipient).select_related("donor", "operator")
        ),
        batches=list(
            Batch.objects.filter(recipient=recipient).select_related(
                "release", "release__signed_by", "harvest__donor"
            )
        ),
        checks=list(
            BedsideCheckAttempt.objects.filter(recipient=recipient).select_related("batch")
        ),
        infusion=Infusion.objects.filter(recipient=recipient)
        .select_related("batch")
        .prefetch_related("vital_signs")
        .first(),
    )
