"""HTTP API of adverse events and safety: the same access functions and actions as the pages.

Another site's participant (or another participant's event) answers 404; a role without the
permission, 403; bad input, 422 with the errors keyed by the field that caused them.
"""

import datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status

from sclerocell.followup.reporting import ClockKind
from sclerocell.web.accounts.api_auth import TokenAuth
from sclerocell.web.accounts.roles import Permission
from sclerocell.web.trial.api import ErrorOut, answers_like_the_pages
from sclerocell.web.trial.api import api_user as _user

from . import access, actions, clocks, monitoring, terms
from .clocks import EventClock
from .models import AdverseEvent

router = Router(auth=TokenAuth(), tags=["adverse events"])

CODE_EXAMPLE = "01-R007-4"
Code = Annotated[
    str,
    Path(description="Study code of the participant.", examples=[CODE_EXAMPLE]),
]
EventId = Annotated[int, Path(description="Identifier of the adverse event.", examples=[12])]
RelationName = Literal[
    "certain",
    "probable",
    "possible",
    "unlikely",
    "conditional",
    "unassessable",
    "not_related",
    "not_applicable",
]
OutcomeName = Literal["recovered", "recovering", "not_recovered", "sequelae", "fatal", "unknown"]
CriterionName = Literal[
    "death",
    "life_threatening",
    "hospitalisation",
    "disability",
    "congenital_anomaly",
    "medically_important",
]
ActionName = Literal["not_applicable", "none", "slowed", "interrupted", "stopped"]
ReportName = Literal["sponsor_notification", "susar_initial", "susar_follow_up"]


# --- Schemas -----------------------------------------------------------------------------------


class ClockOut(Schema):
    kind: ReportName = Field(..., examples=["sponsor_notification"])
    status: Literal["pending", "met", "overdue", "late"] = Field(..., examples=["pending"])
    start: datetime.datetime = Field(..., examples=["2015-06-02T08:00:00Z"])
    deadline: datetime.datetime = Field(..., examples=["2015-06-03T08:00:00Z"])
    provisional: bool = Field(..., examples=[False])
    reported_at: datetime.datetime | None = Field(None, examples=[None])
    message: dict[str, str] = Field(..., examples=[{"fr": "…", "en": "…"}])


def _clock(clock: EventClock) -> ClockOut:
    state = clock.state
    return ClockOut(
        kind=clock.kind.value,
        status=state.status.value,
        start=state.clock.start,
        deadline=state.clock.deadline,
        provisional=state.clock.provisional,
        reported_at=state.reported_at,
        message=state.message.as_dict(),
    )


class ReportOut(Schema):
    kind: ReportName = Field(..., examples=["sponsor_notification"])
    sent_at: datetime.datetime = Field(..., examples=["2015-06-02T15:30:00Z"])
    reference: str = Field("", examples=["AP-HP-2015-0042"])
    version: int = Field(..., examples=[1])


class ClassificationOut(Schema):
    period: Literal["before_infusion", "immediate", "early", "late"] = Field(
        ..., examples=["immediate"]
    )
    day: int = Field(..., examples=[0], description="Days from the infusion day (D0).")
    severe: bool = Field(..., examples=[False], description="Grade ≥ 3.")
    malignancy: bool = Field(..., examples=[False])


class EventOut(Schema):
    id: int = Field(..., examples=[12])
    participant: str = Field(..., examples=[CODE_EXAMPLE])
    number: int = Field(..., examples=[1], description="1, 2, … for each participant.")
    ctcae_version: str = Field(..., examples=["5.0"])
    meddra_code: str = Field(..., examples=["10051792"])
    term: str = Field(..., examples=["Infusion related reaction"])
    soc: str = Field(..., examples=["Injury, poisoning and procedural complications"])
    grade: int = Field(..., examples=[2])
    onset_date: datetime.date = Field(..., examples=["2015-06-01"])
    end_date: datetime.date | None = Field(None, examples=["2015-06-02"])
    outcome: str = Field(..., examples=["recovered"])
    relation_to_msc: str = Field(..., examples=["probable"])
    relation_to_procedure: str = Field(..., examples=["not_applicable"])
    expectedness: str = Field(..., examples=["expected"])
    action_taken: str = Field(..., examples=["slowed"])
    seriousness: list[str] = Field(default_factory=list, examples=[[]])
    investigator_aware_at: datetime.datetime | None = Field(None, examples=[None])
    death_cause: str = Field("", examples=[""])
    malignancy: bool = Field(..., examples=[False], description="Neoplasms SOC or flagged.")
    description: str = Field("", examples=[""])
    susar: bool | None = Field(None, examples=[None], description="None: not assessed.")
    sponsor_aware_at: datetime.datetime | None = Field(None, examples=[None])
    classification: ClassificationOut | None = Field(None)
    clocks: list[ClockOut] = Field(default_factory=list)
    reports: list[ReportOut] = Field(default_factory=list)
    version: int = Field(..., examples=[1])


def _event_out(event: AdverseEvent) -> EventOut:
    found = monitoring.classify(event)
    return EventOut(
        id=event.pk,
        participant=event.participant.code,
        number=event.number,
        ctcae_version=event.ctcae_version,
        meddra_code=event.meddra_code,
        term=event.term,
        soc=event.soc,
        grade=event.grade,
        onset_date=event.onset_date,
        end_date=event.end_date,
        outcome=event.outcome,
        relation_to_msc=event.relation_to_msc,
        relation_to_procedure=event.relation_to_procedure,
        expectedness=event.expectedness,
        action_taken=event.action_taken,
        seriousness=sorted(c.value for c in event.seriousness),
        investigator_aware_at=event.investigator_aware_at,
        death_cause=event.death_cause,
        malignancy=monitoring.is_malignancy(event),
        description=event.description,
        susar=event.susar,
        sponsor_aware_at=event.sponsor_aware_at,
        classification=None
        if found is None
        else ClassificationOut(
            period=found.period.value,
            day=found.day,
            severe=found.severe,
            malignancy=found.malignancy,
        ),
        clocks=[_clock(c) for c in clocks.clocks_of(event)],
        reports=[
            ReportOut(
                kind=r.kind,  # type: ignore[arg-type]
                sent_at=r.sent_at,
                reference=r.reference,
                version=r.version,
            )
            for r in event.reports.all()
        ],
        version=event.version,
    )


class EventIn(Schema):
    meddra_code: str = Field(..., examples=["10051792"], description="CTCAE v5.0 MedDRA code.")
    grade: int = Field(..., examples=[2], description="A grade that exists for the term.")
    onset_date: datetime.date = Field(..., examples=["2015-06-01"])
    outcome: OutcomeName = Field(..., examples=["recovered"])
    relation_to_msc: RelationName = Field(..., examples=["probable"])
    ctcae_version: Literal["5.0", "4.03", "3.0"] = Field("5.0", examples=["5.0"])
    end_date: datetime.date | None = Field(None, examples=["2015-06-02"])
    relation_to_procedure: RelationName = Field("not_applicable", examples=["not_applicable"])
    expectedness: Literal["", "expected", "unexpected"] = Field("", examples=["expected"])
    action_taken: ActionName = Field("not_applicable", examples=["not_applicable"])
    seriousness: list[CriterionName] = Field(default_factory=list, examples=[[]])
    investigator_aware_at: datetime.datetime | None = Field(
        None, examples=[None], description="Required when serious; with its time zone."
    )
    death_cause: str = Field("", examples=[""])
    malignancy: bool = Field(False, examples=[False])
    description: str = Field("", examples=[""], description="No identities.")


class EventPatch(Schema):
    reason: str = Field(..., examples=["Grade corrected after source-data verification"])
    expected_version: int | None = Field(None, examples=[1])
    meddra_code: str | None = Field(None, examples=["10051792"])
    grade: int | None = Field(None, examples=[3])
    onset_date: datetime.date | None = Field(None, examples=[None])
    outcome: OutcomeName | None = Field(None, examples=[None])
    relation_to_msc: RelationName | None = Field(None, examples=[None])
    ctcae_version: Literal["5.0", "4.03", "3.0"] | None = Field(None, examples=[None])
    end_date: datetime.date | None = Field(None, examples=[None])
    relation_to_procedure: RelationName | None = Field(None, examples=[None])
    expectedness: Literal["", "expected", "unexpected"] | None = Field(None, examples=[None])
    action_taken: ActionName | None = Field(None, examples=[None])
    seriousness: list[CriterionName] | None = Field(None, examples=[None])
    investigator_aware_at: datetime.datetime | None = Field(None, examples=[None])
    death_cause: str | None = Field(None, examples=[None])
    malignancy: bool | None = Field(None, examples=[None])
    description: str | None = Field(None, examples=[None])


class AssessmentIn(Schema):
    susar: bool = Field(..., examples=[True])
    sponsor_aware_at: datetime.datetime | None = Field(None, examples=[None])
    reason: str = Field("", examples=[""])
    expected_version: int | None = Field(None, examples=[None])


class ReportIn(Schema):
    kind: ReportName = Field(..., examples=["sponsor_notification"])
    sent_at: datetime.datetime = Field(..., examples=["2015-06-02T15:30:00+02:00"])
    reference: str = Field("", examples=["AP-HP-2015-0042"])
    reason: str = Field("", examples=[""], description="Required to correct a recorded report.")
    expected_version: int | None = Field(None, examples=[None])


class TermOut(Schema):
    meddra_code: str = Field(..., examples=["10016558"])
    term: str = Field(..., examples=["Fever"])
    french: str | None = Field(None, examples=["fièvre"])
    soc: str = Field(..., examples=["General disorders and administration site conditions"])
    grades: dict[int, str] = Field(..., examples=[{1: "38.0 - 39.0 degrees C"}])
    definition: str | None = Field(None, examples=[None])


def _term_out(hit: terms.Hit) -> TermOut:
    return TermOut(
        meddra_code=hit.term.meddra_code,
        term=hit.term.term,
        french=hit.french,
        soc=hit.term.soc,
        grades={g: hit.term.grade_text(g) or "" for g in hit.term.allowed_grades},
        definition=hit.term.definition,
    )


class TermQuery(Schema):
    q: str = Field("", examples=["fièvre"], description="English words, MedDRA code or French.")


class ClockRowOut(ClockOut):
    participant: str = Field(..., examples=[CODE_EXAMPLE])
    event_id: int = Field(..., examples=[12])
    event_number: int = Field(..., examples=[1])
    term: str = Field(..., examples=["Lung infection"])


class AssessmentOut(Schema):
    treated: int = Field(..., examples=[10])
    toxicities: int = Field(..., examples=[1])
    posterior_a: float = Field(..., examples=[2.0])
    posterior_b: float = Field(..., examples=[10.0])
    probability: float = Field(..., examples=[0.1130])
    stop: bool = Field(..., examples=[False])
    message: dict[str, str] = Field(..., examples=[{"fr": "…", "en": "…"}])


class LevelOut(AssessmentOut):
    level: int = Field(..., examples=[1])
    cells_per_kg: float = Field(..., examples=[1e6])


class BoundaryOut(Schema):
    treated: int = Field(..., examples=[3])
    min_toxicities: int | None = Field(None, examples=[3])
    probability: float | None = Field(None, examples=[0.9919])


class StoppingRuleOut(Schema):
    as_of: datetime.date = Field(..., examples=["2018-06-30"])
    settings: str = Field(..., examples=["v1 (Beta(1,1), θ = 0.30, bound 0.80)"])
    prior_a: float = Field(..., examples=[1.0])
    prior_b: float = Field(..., examples=[1.0])
    threshold: float = Field(..., examples=[0.3])
    bound: float = Field(..., examples=[0.8])
    attribution: str = Field(..., examples=["suspected"])
    window_months: int = Field(..., examples=[24])
    dose_level_source: str = Field(..., examples=["inclusion order"])
    stop: bool = Field(..., examples=[False])
    levels: list[LevelOut]
    overall: AssessmentOut
    boundaries: list[BoundaryOut]


# --- Operations --------------------------------------------------------------------------------

READ = {403: ErrorOut, 404: ErrorOut}
WRITE = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _fresh(user: Any, event: AdverseEvent) -> AdverseEvent:
    return (
        access.events_for(user)
        .prefetch_related("reports")
        .select_related("participant")
        .get(pk=event.pk)
    )


@router.get(
    "/participants/{code}/adverse-events",
    response={200: list[EventOut], **READ},
    summary="The adverse events of one participant",
    operation_id="list_adverse_events",
)
@answers_like_the_pages
def list_adverse_events(request: HttpRequest, code: Code) -> list[EventOut]:
    participant = access.get_participant_for(request.user, code)
    events = access.events_for(request.user).filter(participant=participant)
    return [_event_out(e) for e in events.prefetch_related("reports").order_by("number")]


@router.get(
    "/participants/{code}/adverse-events/{event_id}",
    response={200: EventOut, **READ},
    summary="One adverse event, with its tolerance period, clocks and reports",
    operation_id="get_adverse_event",
)
@answers_like_the_pages
def get_adverse_event(request: HttpRequest, code: Code, event_id: EventId) -> EventOut:
    participant = access.get_participant_for(request.user, code)
    event = access.get_event_for(request.user, participant, event_id)
    return _event_out(_fresh(request.user, event))


@router.post(
    "/participants/{code}/adverse-events",
    response={201: EventOut, **WRITE},
    summary="Record an adverse event (a fatal one also ends the participation)",
    operation_id="record_adverse_event",
)
@answers_like_the_pages
def record_adverse_event(request: HttpRequest, code: Code, payload: EventIn) -> Status[Any]:
    participant = access.get_participant_for(request.user, code, Permission.RECORD_ADVERSE_EVENT)
    event = actions.record_adverse_event(participant, by=_user(request), **payload.model_dump())
    return Status(201, _event_out(_fresh(request.user, event)))


@router.patch(
    "/participants/{code}/adverse-events/{event_id}",
    response={200: EventOut, **WRITE},
    summary="Correct an adverse event (a reason is required)",
    operation_id="update_adverse_event",
)
@answers_like_the_pages
def update_adverse_event(
    request: HttpRequest, code: Code, event_id: EventId, payload: EventPatch
) -> EventOut:
    participant = access.get_participant_for(request.user, code, Permission.RECORD_ADVERSE_EVENT)
    event = access.get_event_for(request.user, participant, event_id)
    data = payload.model_dump(exclude_unset=True)
    reason, expected = data.pop("reason"), data.pop("expected_version", None)
    updated = actions.update_adverse_event(
        event, by=_user(request), reason=reason, expected_version=expected, **data
    )
    return _event_out(_fresh(request.user, updated))


@router.post(
    "/participants/{code}/adverse-events/{event_id}/assessment",
    response={200: EventOut, **WRITE},
    summary="Pharmacovigilance: SUSAR assessment of a serious adverse event",
    operation_id="assess_serious_event",
)
@answers_like_the_pages
def assess_serious_event(
    request: HttpRequest, code: Code, event_id: EventId, payload: AssessmentIn
) -> EventOut:
    participant = access.get_participant_for(request.user, code, Permission.ASSESS_SERIOUS_EVENT)
    event = access.get_event_for(request.user, participant, event_id)
    updated = actions.assess_serious_event(event, by=_user(request), **payload.model_dump())
    return _event_out(_fresh(request.user, updated))


@router.post(
    "/participants/{code}/adverse-events/{event_id}/reports",
    response={200: EventOut, **WRITE},
    summary="Record when a report of a serious adverse event was sent",
    operation_id="record_safety_report",
)
@answers_like_the_pages
def record_safety_report(
    request: HttpRequest, code: Code, event_id: EventId, payload: ReportIn
) -> EventOut:
    participant = access.get_participant_for(request.user, code)
    if not actions.may_record_report(request.user, ClockKind(payload.kind), participant):
        raise PermissionDenied
    event = access.get_event_for(request.user, participant, event_id)
    actions.record_report(event, by=_user(request), **payload.model_dump())
    return _event_out(_fresh(request.user, event))


@router.get(
    "/ctcae/terms",
    response=list[TermOut],
    summary="Search the CTCAE v5.0 terms (English words, MedDRA code, common French names)",
    operation_id="search_ctcae_terms",
)
def search_ctcae_terms(request: HttpRequest, query: Query[TermQuery]) -> list[TermOut]:
    return [_term_out(hit) for hit in terms.search(query.q)]


@router.get(
    "/safety/clocks",
    response={200: list[ClockRowOut], **READ},
    summary="Reporting clocks of the serious events at the caller's sites, overdue first",
    operation_id="list_reporting_clocks",
    tags=["safety"],
)
@answers_like_the_pages
def list_reporting_clocks(request: HttpRequest) -> list[ClockRowOut]:
    access.require_safety_view(request.user)
    return [
        ClockRowOut(
            **_clock(c).model_dump(),
            participant=c.event.participant.code,
            event_id=c.event.pk,
            event_number=c.event.number,
            term=c.event.term,
        )
        for c in clocks.clocks_for(request.user)
    ]


@router.get(
    "/safety/malignancies",
    response={200: list[EventOut], **READ},
    summary="Events flagged as malignancies at the caller's sites, whole follow-up",
    operation_id="list_malignancies",
    tags=["safety"],
)
@answers_like_the_pages
def list_malignancies(request: HttpRequest) -> list[EventOut]:
    access.require_safety_view(request.user)
    events = access.events_for(request.user).prefetch_related("reports")
    return [
        _event_out(e) for e in events.order_by("onset_date", "pk") if monitoring.is_malignancy(e)
    ]


def _assessment(assessment: Any) -> dict[str, Any]:
    return {
        "treated": assessment.treated,
        "toxicities": assessment.toxicities,
        "posterior_a": assessment.posterior_a,
        "posterior_b": assessment.posterior_b,
        "probability": assessment.probability,
        "stop": assessment.stop,
        "message": assessment.message.as_dict(),
    }


@router.get(
    "/safety/stopping-rule",
    response={200: StoppingRuleOut, **READ},
    summary="The Bayesian stopping rule per dose level and overall (all sites, counts only)",
    operation_id="get_stopping_rule",
    tags=["safety"],
)
@answers_like_the_pages
def get_stopping_rule(request: HttpRequest) -> StoppingRuleOut:
    access.require_safety_view(request.user)
    state = monitoring.stopping_rule_state()
    return StoppingRuleOut(
        as_of=state.as_of,
        settings=state.settings.version,
        prior_a=state.settings.prior_a,
        prior_b=state.settings.prior_b,
        threshold=state.settings.threshold,
        bound=state.settings.bound,
        attribution=state.attribution,
        window_months=state.window_months,
        dose_level_source=state.dose_level_source,
        stop=state.stop,
        levels=[
            LevelOut(
                level=level.level.level,
                cells_per_kg=level.level.cells_per_kg,
                **_assessment(level.assessment),
            )
            for level in state.levels
        ],
        overall=AssessmentOut(**_assessment(state.overall)),
        boundaries=[
            BoundaryOut(
                treated=b.treated, min_toxicities=b.min_toxicities, probability=b.probability
            )
            for b in state.boundaries
        ],
    )
