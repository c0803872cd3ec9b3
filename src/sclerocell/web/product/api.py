"""HTTP API of the product chain: the same access functions and actions as the pages.

Every operation names its recipient by study code only (the batch goes in the body), so the
site-isolation sweep covers it: another site's participant answers 404, a role without the
permission 403, bad input 422 with the errors keyed by field (translated).
"""

import datetime
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from sclerocell.product.feasibility import FeasibilityStep
from sclerocell.web.accounts.api_auth import TokenAuth
from sclerocell.web.accounts.roles import Permission
from sclerocell.web.trial import access
from sclerocell.web.trial.api import READ, WRITE, Code, answers_like_the_pages
from sclerocell.web.trial.api import api_user as _user
from sclerocell.web.trial.models import Participant

from . import actions, chain
from .feasibility import feasibility_report
from .models import Batch, BedsideCheckAttempt, Harvest, Infusion, ReleaseDecision

router = Router(auth=TokenAuth(), tags=["product"])

BATCH_EXAMPLE = "L2016-007"


# --- Schemas -----------------------------------------------------------------------------------


class HarvestOut(Schema):
    id: int = Field(..., examples=[3])
    donor: str = Field(..., examples=["01-D007-9"])
    harvested_on: datetime.date = Field(..., examples=["2016-02-01"])
    puncture_site: str = Field(..., examples=["posterior_iliac_crest"])
    volume_ml: Decimal = Field(..., examples=["60.0"])
    local_anaesthetic: str = Field(..., examples=["lidocaine 1 %"])
    operator: str | None = Field(None, examples=["investigateur.a"])
    operator_role: str = Field("", examples=[""])

    @staticmethod
    def resolve_donor(obj: Harvest) -> str:
        return obj.donor.code

    @staticmethod
    def resolve_operator(obj: Harvest) -> str | None:
        return obj.operator.get_username() if obj.operator else None


class AssessmentLine(Schema):
    test: str = Field(..., examples=["viability"])
    outcome: Literal["pass", "fail", "missing"] = Field(..., examples=["pass"])
    limit: str = Field(..., examples=["≥ 70 %"])
    fr: str = Field(..., examples=["Viabilité 92 % (limite ≥ 70 %) : conforme."])
    en: str = Field(..., examples=["Viability 92 % (limit ≥ 70 %): pass."])


class ReleaseOut(Schema):
    batch: str = Field(..., examples=[BATCH_EXAMPLE])
    outcome: Literal["released", "rejected"] = Field(..., examples=["released"])
    conforming: bool = Field(..., examples=[True])
    deviation: str = Field("", examples=[""])
    specification_version: str = Field(..., examples=["v1 (ISCT 2006 + centre release tests)"])
    signer: str = Field(..., examples=["therapie-cellulaire.a"])
    signed_at: datetime.datetime = Field(..., examples=["2016-03-11T16:05:00Z"])
    meaning: str = Field(..., examples=["I, therapie-cellulaire.a (…), release batch …"])
    assessment: list[AssessmentLine]

    @staticmethod
    def resolve_batch(obj: ReleaseDecision) -> str:
        return obj.batch.number

    @staticmethod
    def resolve_signer(obj: ReleaseDecision) -> str:
        return obj.signer_username


class BatchOut(Schema):
    number: str = Field(..., examples=[BATCH_EXAMPLE])
    harvest: int = Field(..., examples=[3])
    donor: str = Field(..., examples=["01-D007-9"])
    recipient: str = Field(..., examples=["01-R007-4"])
    manufactured_on: datetime.date = Field(..., examples=["2016-03-01"])
    passages: int = Field(..., examples=[2])
    cell_count: int = Field(..., examples=[70000000])
    volume_ml: Decimal = Field(..., examples=["50.0"])
    expires_at: datetime.datetime = Field(..., examples=["2016-03-12T18:00:00Z"])
    version: int = Field(..., examples=[1])
    decision: ReleaseOut | None = None

    @staticmethod
    def resolve_harvest(obj: Batch) -> int:
        return obj.harvest_id

    @staticmethod
    def resolve_donor(obj: Batch) -> str:
        return obj.harvest.donor.code

    @staticmethod
    def resolve_recipient(obj: Batch) -> str:
        return obj.recipient.code

    @staticmethod
    def resolve_decision(obj: Batch) -> ReleaseDecision | None:
        return chain.decision_of(obj)


class BedsideCheckOut(Schema):
    id: int = Field(..., examples=[5])
    accepted: bool = Field(..., examples=[False])
    refusals: list[str] = Field(..., examples=[["recipient_mismatch"]])
    message_fr: str = Field(..., examples=["PERFUSION REFUSÉE — Receveur discordant : …"])
    message_en: str = Field(..., examples=["INFUSION REFUSED — Recipient mismatch: …"])
    batch: str | None = Field(None, examples=[BATCH_EXAMPLE])
    checked_at: datetime.datetime = Field(..., examples=["2016-03-12T09:25:00Z"])

    @staticmethod
    def resolve_batch(obj: BedsideCheckAttempt) -> str | None:
        return obj.batch.number if obj.batch else None


class InfusionOut(Schema):
    recipient: str = Field(..., examples=["01-R007-4"])
    batch: str = Field(..., examples=[BATCH_EXAMPLE])
    started_at: datetime.datetime = Field(..., examples=["2016-03-12T09:30:00Z"])
    ended_at: datetime.datetime = Field(..., examples=["2016-03-12T10:10:00Z"])
    volume_ml: Decimal = Field(..., examples=["50.0"])
    rate_ml_per_min: Decimal = Field(..., examples=["1.25"])
    rate_flagged: bool = Field(..., examples=[False])
    cells_infused: int = Field(..., examples=[70000000])
    dose_per_kg: float = Field(..., examples=[1.0e6])
    target_per_kg: float = Field(..., examples=[1.0e6])
    dose_deviation: float = Field(..., examples=[0.0])
    dose_flagged: bool = Field(..., examples=[False])

    @staticmethod
    def resolve_recipient(obj: Infusion) -> str:
        return obj.recipient.code

    @staticmethod
    def resolve_batch(obj: Infusion) -> str:
        return obj.batch.number


class ChainOut(Schema):
    recipient: str = Field(..., examples=["01-R007-4"])
    rank: int | None = Field(None, examples=[7], description="Rank of inclusion.")
    dose_level: int | None = Field(None, examples=[1])
    target_cells_per_kg: float | None = Field(None, examples=[1.0e6])
    donor: str | None = Field(None, examples=["01-D007-9"], description="The chosen donor.")
    harvests: list[HarvestOut]
    batches: list[BatchOut]
    bedside_checks: list[BedsideCheckOut]
    infusion: InfusionOut | None = None


class HarvestIn(Schema):
    harvested_on: datetime.date = Field(..., examples=["2016-02-01"])
    puncture_site: Literal["posterior_iliac_crest", "anterior_iliac_crest", "sternum"] = Field(
        ..., examples=["posterior_iliac_crest"]
    )
    volume_ml: Decimal = Field(..., examples=["60.0"], description="Marrow aspirated (mL).")
    local_anaesthetic: str = Field(..., examples=["lidocaïne 1 %, 20 mL"])
    operator_role: str = Field(
        ..., examples=["hématologue de garde"], description="The operator's role, never a name."
    )
    note: str = Field("", examples=[""])


class BatchIn(Schema):
    harvest: int | None = Field(
        None, examples=[None], description="Harvest id; default: the latest of the chosen donor."
    )
    number: str = Field(..., examples=[BATCH_EXAMPLE])
    manufactured_on: datetime.date = Field(..., examples=["2016-03-01"])
    passages: int = Field(..., examples=[2])
    cell_count: int = Field(..., examples=[70000000])
    volume_ml: Decimal = Field(..., examples=["50.0"])
    expires_at: datetime.datetime = Field(..., examples=["2016-03-12T18:00:00Z"])
    viability_pct: Decimal | None = Field(None, examples=["92.5"])
    cd73_pct: Decimal | None = Field(None, examples=["99.1"])
    cd90_pct: Decimal | None = Field(None, examples=["98.7"])
    cd105_pct: Decimal | None = Field(None, examples=["97.2"])
    cd45_pct: Decimal | None = Field(None, examples=["0.4"])
    cd34_pct: Decimal | None = Field(None, examples=["0.3"])
    cd14_cd11b_pct: Decimal | None = Field(None, examples=["0.5"])
    cd19_cd79a_pct: Decimal | None = Field(None, examples=["0.2"])
    hla_dr_pct: Decimal | None = Field(None, examples=["0.6"])
    sterility: Literal["", "no_growth", "growth"] = Field("", examples=["no_growth"])
    endotoxin_eu_per_ml: Decimal | None = Field(None, examples=["0.5"])
    mycoplasma: Literal["", "negative", "positive"] = Field("", examples=["negative"])
    karyotype: Literal["", "normal", "abnormal"] = Field("", examples=["normal"])


class ReleaseIn(Schema):
    batch: str = Field(..., examples=[BATCH_EXAMPLE])
    outcome: Literal["released", "rejected"] = Field(..., examples=["released"])
    recipient_weight_kg: Decimal = Field(..., examples=["70.0"])
    deviation: str = Field("", examples=[""], description="Required out of specification.")
    meaning_confirmed: bool = Field(
        ..., examples=[True], description="The signer confirms the meaning of the signature."
    )
    password: str = Field(
        ..., examples=["…"], description="The signer's password: the electronic signature."
    )


class BedsideCheckIn(Schema):
    product_code: str = Field(
        ..., examples=["MSC|v1|L2016-007|01-D007-9|01-R007-4|20160312T1800Z|0A1B2C3D"]
    )
    recipient_code: str = Field(..., examples=["01-R007-4"], description="From the wristband.")
    weight_kg: Decimal = Field(..., examples=["70.0"])


class VitalsIn(Schema):
    systolic_mmhg: int = Field(..., examples=[124])
    diastolic_mmhg: int = Field(..., examples=[76])
    heart_rate_bpm: int = Field(..., examples=[78])
    temperature_c: Decimal = Field(..., examples=["36.8"])
    spo2_pct: int | None = Field(None, examples=[98])


VITALS_EXAMPLE = {
    "systolic_mmhg": 124,
    "diastolic_mmhg": 76,
    "heart_rate_bpm": 78,
    "temperature_c": "36.8",
    "spo2_pct": 98,
}


class InfusionIn(Schema):
    started_at: datetime.datetime = Field(..., examples=["2016-03-12T09:30:00Z"])
    ended_at: datetime.datetime = Field(..., examples=["2016-03-12T10:10:00Z"])
    volume_ml: Decimal = Field(..., examples=["50.0"])
    rate_ml_per_min: Decimal = Field(..., examples=["1.25"])
    weight_kg: Decimal = Field(..., examples=["70.0"])
    premedication: str = Field("", examples=["paracétamol 1 g"])
    vital_signs: dict[Literal["before", "during", "after"], VitalsIn] = Field(
        ...,
        examples=[{"before": VITALS_EXAMPLE, "during": VITALS_EXAMPLE, "after": VITALS_EXAMPLE}],
    )
    immediate_reaction: bool = Field(..., examples=[False])
    reaction_description: str = Field("", examples=[""])


class ProportionOut(Schema):
    step: str = Field(..., examples=["infused"])
    count: int = Field(..., examples=[9])
    total: int = Field(..., examples=[10])
    estimate: float | None = Field(None, examples=[0.9])
    ci_low: float | None = Field(None, examples=[0.555])
    ci_high: float | None = Field(None, examples=[0.997])


class FeasibilityOut(Schema):
    included: int = Field(..., examples=[10])
    steps: list[ProportionOut]
    days_median: float | None = Field(None, examples=[28.0])
    days_min: int | None = Field(None, examples=[15])
    days_max: int | None = Field(None, examples=[41])


# --- Operations --------------------------------------------------------------------------------


def _recipient_for(
    request: HttpRequest, code: str, permission: Permission | None = None
) -> Participant:
    """The recipient the operation is about: 404 for another site's participant whatever the
    role (403 for a role that sees no participant), then 403 without ``permission``."""
    recipient = chain.recipient_of(access.get_participant_for(request.user, code))
    if permission is not None:
        access.require(request.user, permission)
    return recipient


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def _chain(recipient: Participant) -> dict[str, Any]:
    found = chain.chain_of(recipient)
    return {
        "recipient": recipient.code,
        "rank": found.enrolment.rank if found.enrolment else None,
        "dose_level": found.enrolment.dose_level if found.enrolment else None,
        "target_cells_per_kg": found.enrolment.target_cells_per_kg if found.enrolment else None,
        "donor": found.donor.code if found.donor else None,
        "harvests": found.harvests,
        "batches": found.batches,
        "bedside_checks": found.checks,
        "infusion": found.infusion,
    }


@router.get(
    "/participants/{code}/product",
    response={200: ChainOut, **READ},
    summary="The product chain of a recipient (a donor's: their recipient's)",
    operation_id="get_product_chain",
)
@answers_like_the_pages
def get_product_chain(request: HttpRequest, code: Code) -> dict[str, Any]:
    return _chain(_recipient_for(request, code))


@router.post(
    "/participants/{code}/harvests",
    response={201: HarvestOut, **WRITE},
    summary="Record the bone-marrow harvest of the recipient's chosen donor",
    operation_id="record_harvest",
)
@answers_like_the_pages
def record_harvest(request: HttpRequest, code: Code, payload: HarvestIn) -> Status[Any]:
    recipient = _recipient_for(request, code, Permission.RECORD_PRODUCT)
    selection = chain.selection_of(recipient)
    if selection is None:
        raise _refuse("__all__", _("Choose the donor first."))
    harvest = actions.record_harvest(selection.donor, by=_user(request), **payload.model_dump())
    return Status(201, harvest)


@router.post(
    "/participants/{code}/batches",
    response={201: BatchOut, **WRITE},
    summary="Record an MSC batch for the recipient, with its quality-control results so far",
    operation_id="record_batch",
)
@answers_like_the_pages
def record_batch(request: HttpRequest, code: Code, payload: BatchIn) -> Status[Any]:
    recipient = _recipient_for(request, code, Permission.RECORD_PRODUCT)
    data = payload.model_dump()
    harvest_id = data.pop("harvest")
    harvests = Harvest.objects.filter(donor__recipient=recipient).select_related("donor")
    harvest = (
        harvests.filter(pk=harvest_id).first()
        if harvest_id is not None
        else harvests.order_by("-harvested_on", "-pk").first()
    )
    if harvest is None:
        raise _refuse("harvest", _("No such harvest for this recipient."))
    batch = actions.record_batch(harvest, by=_user(request), **data)
    return Status(201, batch)


@router.post(
    "/participants/{code}/release",
    response={201: ReleaseOut, **WRITE},
    summary="Sign the release (or rejection) of one of the recipient's batches",
    operation_id="release_batch",
)
@answers_like_the_pages
def release_batch(request: HttpRequest, code: Code, payload: ReleaseIn) -> Status[Any]:
    recipient = _recipient_for(request, code, Permission.RELEASE_BATCH)
    data = payload.model_dump()
    batch = Batch.objects.filter(recipient=recipient, number=data.pop("batch")).first()
    if batch is None:
        raise _refuse("batch", _("No such batch for this recipient."))
    decision = actions.release_batch(batch, by=_user(request), **data)
    return Status(201, decision)


@router.post(
    "/participants/{code}/bedside-checks",
    response={201: BedsideCheckOut, **WRITE},
    summary="Bedside check: the scanned bag and wristband against the records (always recorded)",
    operation_id="check_at_bedside",
)
@answers_like_the_pages
def check_at_bedside(request: HttpRequest, code: Code, payload: BedsideCheckIn) -> Status[Any]:
    recipient = _recipient_for(request, code, Permission.RECORD_INFUSION)
    attempt = actions.check_at_bedside(recipient, by=_user(request), **payload.model_dump())
    return Status(201, attempt)


@router.post(
    "/participants/{code}/infusion",
    response={201: InfusionOut, **WRITE},
    summary="Record the infusion that followed the last accepted bedside check",
    operation_id="record_infusion",
)
@answers_like_the_pages
def record_infusion(request: HttpRequest, code: Code, payload: InfusionIn) -> Status[Any]:
    recipient = _recipient_for(request, code, Permission.RECORD_INFUSION)
    infusion = actions.record_infusion(recipient, by=_user(request), **payload.model_dump())
    return Status(201, infusion)


@router.get(
    "/feasibility",
    response={200: FeasibilityOut, **READ},
    summary="Feasibility counts over the included recipients of the caller's sites",
    operation_id="get_feasibility",
)
@answers_like_the_pages
def get_feasibility(request: HttpRequest) -> dict[str, Any]:
    access.require(request.user, Permission.VIEW_REPORTS)
    report = feasibility_report(Participant.objects.filter(site__in=access.sites_for(request.user)))
    days = report.days_inclusion_to_infusion
    return {
        "included": report.included,
        "steps": [
            {
                "step": step.value,
                "count": report.steps[step].count,
                "total": report.steps[step].total,
                "estimate": report.steps[step].estimate,
                "ci_low": report.steps[step].ci_low,
                "ci_high": report.steps[step].ci_high,
            }
            for step in FeasibilityStep
        ],
        "days_median": days.median,
        "days_min": days.minimum,
        "days_max": days.maximum,
    }
