"""HTTP API of the follow-up: visits and their statuses, outcome forms, queries, response.

The same access functions and actions as the pages: another site's participant answers 404, a
role without the permission 403, bad input 422 with the errors keyed by field (translated).
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from sclerocell.web.accounts.api_auth import TokenAuth
from sclerocell.web.accounts.roles import Permission
from sclerocell.web.trial.api import Code, ErrorOut, answers_like_the_pages
from sclerocell.web.trial.api import api_user as _user

from . import access, actions, checks
from .casebook import load_casebook
from .definitions import FormSpec, Kind
from .models import FormStatus, OutcomeForm, Query
from .response import VisitResponse, patient_response
from .visits import participant_schedule

router = Router(auth=TokenAuth(), tags=["follow-up"])

READ = {403: ErrorOut, 404: ErrorOut}
WRITE = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class ScheduleRowOut(Schema):
    code: str = Field(..., examples=["M3"], description="BL, D10 … M24, or UNS (unscheduled).")
    target: datetime.date | None = Field(None, examples=["2015-07-15"])
    window_start: datetime.date | None = Field(None, examples=["2015-07-01"])
    window_end: datetime.date | None = Field(None, examples=["2015-07-29"])
    status: str = Field(..., examples=["done"], description="due, open, done, late, missed…")
    visit_id: int | None = Field(None, examples=[12], description="The recorded visit, if any.")
    visit_date: datetime.date | None = Field(None, examples=["2015-07-16"])


class FindingOut(Schema):
    field: str = Field(..., examples=["fvc_percent"])
    rule: str = Field(..., examples=["pft_jump"])
    severity: str = Field(..., examples=["warning"])
    message: str = Field(..., examples=["FVC changed by 32 points of predicted since M3…"])


class FormOut(Schema):
    form: str = Field(..., examples=["vitals"])
    visit_id: int = Field(..., examples=[12])
    status: str = Field(..., examples=["draft"])
    version: int = Field(..., examples=[2], description="Row version, for `expected_version`.")
    values: dict[str, Any] = Field(..., examples=[{"systolic_bp": 120, "diastolic_bp": 75}])
    findings: list[FindingOut] = Field(default_factory=list)


class FormIn(Schema):
    values: dict[str, Any] = Field(
        ...,
        examples=[{"systolic_bp": 120}],
        description="The fields to set (others keep their values); dates as YYYY-MM-DD.",
    )
    reason: str = Field(
        "", examples=[""], description="Needed to change an entered value or a complete form."
    )
    expected_version: int | None = Field(
        None, examples=[0], description="The version read (0 for a form not yet started)."
    )


class QueryOut(Schema):
    id: int = Field(..., examples=[7])
    status: str = Field(..., examples=["open"])
    visit_id: int | None = Field(None, examples=[12])
    form: str = Field("", examples=["pft"])
    field: str = Field("", examples=["fvc_percent"])
    rule: str = Field("", examples=["pft_jump"], description="The check, for an automatic query.")
    question: str = Field(..., examples=["FVC changed by 32 points of predicted since M3…"])
    version: int = Field(..., examples=[1])


class AnswerIn(Schema):
    text: str = Field(..., examples=["Checked against the lab report: the value is right."])
    expected_version: int | None = Field(None, examples=[1])


class ResponseOut(Schema):
    visit: str = Field(..., examples=["M12"])
    visit_date: datetime.date = Field(..., examples=["2016-04-14"])
    months: float | None = Field(None, examples=[12.0])
    mrss: int | None = Field(None, examples=[18])
    mrss_change_points: int | None = Field(None, examples=[-9])
    mrss_change_percent: float | None = Field(None, examples=[-33.3])
    mrss_minimal_important_improvement: bool | None = Field(None, examples=[True])
    fvc_percent: float | None = Field(None, examples=[78.0])
    fvc_change_points: float | None = Field(None, examples=[3.0])
    dlco_percent: float | None = Field(None, examples=[51.0])
    dlco_change_points: float | None = Field(None, examples=[-2.0])
    haq_di: float | None = Field(None, examples=[1.125])
    eustar_index: float | None = Field(None, examples=[1.5])
    acr_criss_probability: float | None = Field(None, examples=[0.83])
    acr_criss_improved: bool | None = Field(None, examples=[True])
    acr_criss_exploratory: bool = Field(..., examples=[False])
    revised_criss_improved: bool | None = Field(None, examples=[True])
    progression: list[str] = Field(default_factory=list, examples=[[]])


def _json(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | str):
        return value
    return float(value)


def _form_out(form: OutcomeForm) -> dict[str, Any]:
    spec = form.SPEC
    findings = checks.check(spec, form.values(), form.visit)
    return {
        "form": spec.code,
        "visit_id": form.visit_id,
        "status": form.status,
        "version": form.version,
        "values": {name: _json(value) for name, value in form.values().items()},
        "findings": [
            {"field": f.field, "rule": f.rule, "severity": f.severity, "message": f.message}
            for f in findings
        ],
    }


def _parse(spec: FormSpec, values: dict[str, Any]) -> dict[str, Any]:
    """JSON values as the actions take them: ISO dates become dates (others pass through)."""
    parsed = dict(values)
    for name, value in values.items():
        if spec.has_field(name) and spec.field(name).kind is Kind.DATE and isinstance(value, str):
            try:
                parsed[name] = datetime.date.fromisoformat(value) if value else None
            except ValueError:
                raise ValidationError({name: [actions.INVALID]}) from None
    return parsed


def _question(query: Query) -> str:
    if query.rule:
        return checks.render(query.rule, query.params)
    first = query.messages.order_by("pk").first()
    return first.text if first else ""


@router.get(
    "/participants/{code}/visits",
    response={200: list[ScheduleRowOut], **READ},
    summary="The visits of a recipient: baseline, the schedule with statuses, unscheduled",
    operation_id="list_visits",
)
@answers_like_the_pages
def list_visits(request: HttpRequest, code: Code) -> list[dict[str, Any]]:
    participant = access.recipient(access.get_participant_for(request.user, code))
    rows = participant_schedule(participant, participant.visits.all(), timezone.localdate())
    return [
        {
            "code": row.code,
            "target": row.target,
            "window_start": row.window_start,
            "window_end": row.window_end,
            "status": row.status,
            "visit_id": row.visit.pk if row.visit else None,
            "visit_date": row.visit.visit_date if row.visit else None,
        }
        for row in rows
    ]


def _form_of(request: HttpRequest, code: str, visit_id: int, form: str) -> OutcomeForm:
    participant = access.recipient(access.get_participant_for(request.user, code))
    visit = access.get_visit_for(participant, visit_id)
    spec = access.get_spec(form)
    found = actions.get_form(visit, spec.code)
    if found is None:
        raise Http404("This form has not been started")
    found.visit = visit
    return found


@router.get(
    "/participants/{code}/visits/{visit_id}/forms/{form}",
    response={200: FormOut, **READ},
    summary="One outcome form of a visit: values, status, version and check findings",
    operation_id="get_outcome_form",
)
@answers_like_the_pages
def get_outcome_form(request: HttpRequest, code: Code, visit_id: int, form: str) -> dict[str, Any]:
    return _form_out(_form_of(request, code, visit_id, form))


@router.patch(
    "/participants/{code}/visits/{visit_id}/forms/{form}",
    response={200: FormOut, **WRITE},
    summary="Enter or change values of an outcome form (a locked form refuses)",
    operation_id="save_outcome_form",
)
@answers_like_the_pages
def save_outcome_form(
    request: HttpRequest, code: Code, visit_id: int, form: str, payload: FormIn
) -> dict[str, Any]:
    participant = access.get_participant_for(request.user, code)
    access.require(request.user, Permission.ENTER_FOLLOWUP)
    visit = access.get_visit_for(access.recipient(participant), visit_id)
    spec = access.get_spec(form)
    saved = actions.save_form(
        visit,
        spec.code,
        by=_user(request),
        values=_parse(spec, payload.values),
        reason=payload.reason,
        expected_version=payload.expected_version,
    )
    saved.visit = visit
    return _form_out(saved)


@router.get(
    "/participants/{code}/queries",
    response={200: list[QueryOut], **READ},
    summary="The data queries about a participant",
    operation_id="list_participant_queries",
)
@answers_like_the_pages
def list_participant_queries(request: HttpRequest, code: Code) -> list[dict[str, Any]]:
    participant = access.get_participant_for(request.user, code)
    return [
        {
            "id": q.pk,
            "status": q.status,
            "visit_id": q.visit_id,
            "form": q.form,
            "field": q.field,
            "rule": q.rule,
            "question": _question(q),
            "version": q.version,
        }
        for q in Query.objects.filter(participant=participant)
    ]


@router.post(
    "/participants/{code}/queries/{query_id}/answer",
    response={200: QueryOut, **WRITE},
    summary="Answer an open query (the site)",
    operation_id="answer_query",
)
@answers_like_the_pages
def answer_query(
    request: HttpRequest, code: Code, query_id: int, payload: AnswerIn
) -> dict[str, Any]:
    participant = access.get_participant_for(request.user, code)
    access.require(request.user, Permission.ANSWER_QUERY)
    query = access.get_query_for(participant, query_id)
    answered = actions.answer_query(
        query, by=_user(request), text=payload.text, expected_version=payload.expected_version
    )
    return {
        "id": answered.pk,
        "status": answered.status,
        "visit_id": answered.visit_id,
        "form": answered.form,
        "field": answered.field,
        "rule": answered.rule,
        "question": _question(answered),
        "version": answered.version,
    }


def _response_row(item: VisitResponse) -> dict[str, Any]:
    scores = item.scores
    mrss_change, fvc, dlco = item.mrss_change, item.fvc_change, item.dlco_change
    return {
        "visit": scores.visit.code,
        "visit_date": scores.visit.visit_date,
        "months": None if scores.month is None else round(scores.month, 2),
        "mrss": scores.mrss_total,
        "mrss_change_points": mrss_change.points if mrss_change else None,
        "mrss_change_percent": mrss_change.percent if mrss_change else None,
        "mrss_minimal_important_improvement": mrss_change.minimal_important_improvement
        if mrss_change
        else None,
        "fvc_percent": scores.fvc,
        "fvc_change_points": fvc.absolute_points if fvc else None,
        "dlco_percent": scores.dlco,
        "dlco_change_points": dlco.absolute_points if dlco else None,
        "haq_di": scores.haq_index,
        "eustar_index": scores.eustar.score if scores.eustar else None,
        "acr_criss_probability": item.acr_criss.probability,
        "acr_criss_improved": item.acr_criss.improved,
        "acr_criss_exploratory": item.acr_criss.exploratory,
        "revised_criss_improved": item.revised_criss.improved,
        "progression": list(item.progression),
    }


@router.get(
    "/participants/{code}/response",
    response={200: list[ResponseOut], **READ},
    summary="Response per visit against baseline (from forms at least complete)",
    operation_id="get_response",
)
@answers_like_the_pages
def get_response(request: HttpRequest, code: Code) -> list[dict[str, Any]]:
    participant = access.recipient(access.get_participant_for(request.user, code))
    result = patient_response(load_casebook(participant, at_least=FormStatus.COMPLETE))
    return [_response_row(item) for item in result.visits]
