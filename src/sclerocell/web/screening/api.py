"""HTTP API of the screening: the live verdict tree, the screening input document and the
screening log — read-only, site-scoped through the same access functions as the pages (another
site's participant: 404; a role without the permission: 403)."""

import datetime
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema
from ninja.errors import HttpError

from sclerocell.web.accounts.api_auth import TokenAuth
from sclerocell.web.accounts.roles import Permission
from sclerocell.web.trial import access

from . import log
from .evaluation import evaluate
from .inputs import screening_input
from .signatures import state_of

router = Router(auth=TokenAuth(), tags=["screening"])

Code = Annotated[
    str,
    Path(
        description="Study code: site, R or D with sequence, check digit.", examples=["01-R007-4"]
    ),
]


class ErrorOut(Schema):
    detail: str = Field(..., examples=["Not Found"])


class SignatureOut(Schema):
    decision: str = Field(..., examples=["eligible"])
    meaning: str
    signed_by: str = Field(..., examples=["investigateur.a"])
    signed_at: datetime.datetime
    decision_date: datetime.date
    index_date: datetime.date
    protocol_version: str
    settings_hash: str
    facts_sha256: str
    valid: bool = Field(..., description="False once the facts signed have changed.")


class ScreeningOut(Schema):
    code: str = Field(..., examples=["01-R007-4"])
    role: str = Field(..., examples=["recipient"])
    index_date: datetime.date
    verdict: str | None = Field(..., examples=["met"], description="None: data unreadable.")
    protocol_version: str | None = None
    settings_hash: str | None = None
    screening: dict[str, Any] | None = Field(
        None, description="The verdict tree, as `sclerocell screen … --json` prints it."
    )
    errors: list[str] = Field(default_factory=list)
    signature: SignatureOut | None = None


class LogRowOut(Schema):
    code: str
    kind: str
    site: int
    screening_date: datetime.date
    stage: str
    decision: str = Field(..., description="'' when not decided.")
    decision_date: datetime.date | None
    reasons: list[str] = Field(..., examples=[["R-I3c"]])
    verdict_now: str
    signature_valid: bool | None


READ = {403: ErrorOut, 404: ErrorOut}


def _participant(request: HttpRequest, code: str) -> Any:
    try:
        return access.get_participant_for(request.user, code, Permission.VIEW_SUBJECTS)
    except PermissionDenied:
        raise HttpError(403, _("Your role does not allow this.")) from None


@router.get(
    "/participants/{code}/screening",
    response={200: ScreeningOut, **READ},
    summary="The live screening verdict of one participant, with the signature",
    operation_id="get_screening",
)
def get_screening(request: HttpRequest, code: Code) -> ScreeningOut:
    participant = _participant(request, code)
    evaluation = evaluate(participant)
    screening = evaluation.screening
    state = state_of(participant, known=(evaluation.index_date, evaluation.facts))
    signature = None
    if state is not None:
        s = state.signature
        signature = SignatureOut(
            decision=s.decision,
            meaning=s.meaning,
            signed_by=s.signed_by.get_username(),
            signed_at=s.signed_at,
            decision_date=s.decision_date,
            index_date=s.index_date,
            protocol_version=s.protocol_version,
            settings_hash=s.settings_hash,
            facts_sha256=s.facts_sha256,
            valid=state.valid,
        )
    return ScreeningOut(
        code=participant.code,
        role=participant.kind,
        index_date=evaluation.index_date,
        verdict=screening.verdict.value if screening else None,
        protocol_version=screening.protocol_version if screening else None,
        settings_hash=screening.settings.hash if screening else None,
        screening=screening.to_dict() if screening else None,
        errors=[f"{path}: {message}" for path, message in evaluation.errors],
        signature=signature,
    )


@router.get(
    "/participants/{code}/screening/input",
    response={200: dict[str, Any], **READ},
    summary="The participant's data in the screening input format (sclerocell screen)",
    operation_id="get_screening_input",
)
def get_screening_input(request: HttpRequest, code: Code) -> dict[str, Any]:
    return screening_input(_participant(request, code))


@router.get(
    "/screening-log",
    response={200: list[LogRowOut], 403: ErrorOut},
    summary="Everyone screened at the caller's sites, with the reasons of screen failures",
    operation_id="get_screening_log",
)
def get_screening_log(request: HttpRequest) -> list[LogRowOut]:
    try:
        participants = access.participants_for(request.user)
    except PermissionDenied:
        raise HttpError(403, _("Your role does not allow this.")) from None
    return [
        LogRowOut(
            code=r.participant.code,
            kind=r.participant.kind,
            site=r.participant.site.number,
            screening_date=r.participant.screening_date,
            stage=r.stage,
            decision=r.decision,
            decision_date=r.participant.eligibility_date,
            reasons=r.reasons,
            verdict_now=r.verdict,
            signature_valid=r.signature_valid,
        )
        for r in log.rows(participants)
    ]
