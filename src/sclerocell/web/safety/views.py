"""Safety pages: a participant's adverse events and their forms, and the trial-wide safety pages.

Every page fetches through ``access`` (403 for a role that may not read or act, 404 for another
site's participant or event) and writes only through ``actions``. The term picker works without
JavaScript (search → results → choose); ``static/safety/term-picker.js`` only searches as you type.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sclerocell.clinical import ctcae
from sclerocell.followup.reporting import ClockKind
from sclerocell.followup.tolerance import EventClassification
from sclerocell.web.accounts.decorators import staff_user as _user
from sclerocell.web.accounts.roles import Permission
from sclerocell.web.trial import access as trial_access
from sclerocell.web.trial.forms import apply_errors
from sclerocell.web.trial.models import Participant
from sclerocell.web.trial.pages import action_form_page

from . import access, actions, clocks, monitoring, terms
from .clocks import EventClock
from .forms import AdverseEventForm, AssessmentForm, ReportForm, TermSearchForm
from .models import AdverseEvent, ReportKind, SafetyReport

P = Permission


def _can(request: HttpRequest) -> dict[str, bool]:
    user: Any = request.user
    return {permission.value: user.can(permission) for permission in Permission}


def _events_url(participant: Participant, event: AdverseEvent | None = None) -> str:
    url = reverse("safety:participant_events", args=[participant.code])
    return f"{url}#ae-{event.number}" if event is not None else url


# --- A participant's events --------------------------------------------------------------------


@dataclass
class EventRow:
    event: AdverseEvent
    classification: EventClassification | None
    clocks: list[EventClock]
    reports: list[SafetyReport]
    malignancy: bool
    french: str | None


def event_rows(events: list[AdverseEvent]) -> list[EventRow]:
    now = timezone.now()
    return [
        EventRow(
            event,
            monitoring.classify(event),
            clocks.clocks_of(event, now),
            list(event.reports.all()),
            monitoring.is_malignancy(event),
            terms.french_name(event.meddra_code),
        )
        for event in events
    ]


@login_required
@require_GET
def participant_events(request: HttpRequest, code: str) -> HttpResponse:
    participant = access.get_participant_for(request.user, code)
    events = clocks.with_report_times(
        access.events_for(request.user).filter(participant=participant)
    ).prefetch_related("reports")
    can = _can(request)
    return render(
        request,
        "safety/participant_events.html",
        {
            "participant": participant,
            "rows": event_rows(list(events.order_by("number"))),
            "can": can,
            "can_report": any(
                can[p.value] for p in actions.REPORT_PERMISSIONS[ClockKind.SPONSOR_NOTIFICATION]
            ),
            "can_see_participant": can[P.VIEW_SUBJECTS],
        },
    )


# --- Entry and correction, with the term picker ------------------------------------------------


def _chosen_term(request: HttpRequest, event: AdverseEvent | None) -> terms.Hit | None:
    code = request.POST.get("meddra_code") or request.GET.get("term")
    if code is None and event is not None:
        code = event.meddra_code
    return terms.get(code.strip()) if code else None


def _initial(event: AdverseEvent | None, hit: terms.Hit) -> dict[str, Any]:
    if event is None:
        return {"meddra_code": hit.term.meddra_code}
    initial = {key: getattr(event, key) for key in actions.EVENT_FIELDS - {"seriousness"}}
    initial.update(
        seriousness=[c.value for c in event.seriousness],
        meddra_code=hit.term.meddra_code,
        version=event.version,
    )
    if event.investigator_aware_at is not None:
        initial["investigator_aware_at"] = timezone.localtime(event.investigator_aware_at)
    if event.grade not in hit.term.allowed_grades:
        initial.pop("grade")
    return initial


def _event_page(
    request: HttpRequest, participant: Participant, event: AdverseEvent | None
) -> HttpResponseBase:
    search = TermSearchForm(request.GET or None)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    results = terms.search(query) if query else []
    hit = _chosen_term(request, event)
    form = None
    status = 200
    if hit is not None:
        form = AdverseEventForm(
            request.POST or None,
            term=hit.term,
            editing=event is not None,
            initial=_initial(event, hit),
        )
    if request.method == "POST":
        status = 400
        if form is None:
            messages.error(request, _("Choose a term of the CTCAE table."))
        elif form.is_valid():
            try:
                saved = _save_event(request, participant, event, form)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Adverse event saved."))
                return redirect(_events_url(participant, saved))
    return render(
        request,
        "safety/event_form.html",
        {
            "participant": participant,
            "event": event,
            "search": search,
            "query": query,
            "results": results,
            "hit": hit,
            "form": form,
            "grade_meanings": ctcae.GRADE_MEANINGS,
            "search_url": reverse("safety:term_search"),
        },
        status=status,
    )


def _save_event(
    request: HttpRequest,
    participant: Participant,
    event: AdverseEvent | None,
    form: AdverseEventForm,
) -> AdverseEvent:
    data = form.event_data()
    if event is None:
        return actions.record_adverse_event(participant, by=_user(request), **data)
    return actions.update_adverse_event(
        event,
        by=_user(request),
        reason=form.cleaned_data.get("reason", ""),
        expected_version=form.expected_version(),
        **data,
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_event(request: HttpRequest, code: str) -> HttpResponseBase:
    participant = access.get_participant_for(request.user, code, P.RECORD_ADVERSE_EVENT)
    return _event_page(request, participant, None)


@login_required
@require_http_methods(["GET", "POST"])
def edit_event(request: HttpRequest, code: str, event_id: int) -> HttpResponseBase:
    participant = access.get_participant_for(request.user, code, P.RECORD_ADVERSE_EVENT)
    event = access.get_event_for(request.user, participant, event_id)
    return _event_page(request, participant, event)


@login_required
@require_GET
def term_search(request: HttpRequest) -> JsonResponse:
    """The picker's results as JSON, for the optional search-as-you-type script."""
    query = (request.GET.get("q") or "").strip()[:100]
    hits = terms.search(query) if query else []
    return JsonResponse(
        {
            "results": [
                {
                    "meddra_code": hit.term.meddra_code,
                    "term": hit.term.term,
                    "french": hit.french,
                    "soc": hit.term.soc,
                    "grades": list(hit.term.allowed_grades),
                }
                for hit in hits
            ]
        }
    )


# --- Pharmacovigilance: assessment and reports -------------------------------------------------


def _form_page(
    request: HttpRequest,
    form: Any,
    run: Any,
    *,
    participant: Participant,
    event: AdverseEvent,
    title: str,
    success: str,
) -> HttpResponseBase:
    return action_form_page(
        request,
        form,
        run,
        template="safety/simple_form.html",
        context={
            "title": title,
            "participant": participant,
            "event": event,
            "clocks": clocks.clocks_of(event),
        },
        success=success,
        next_url=lambda _result: _events_url(participant, event),
    )


@login_required
@require_http_methods(["GET", "POST"])
def assess_event(request: HttpRequest, code: str, event_id: int) -> HttpResponseBase:
    participant = access.get_participant_for(request.user, code, P.ASSESS_SERIOUS_EVENT)
    event = access.get_event_for(request.user, participant, event_id)
    initial: dict[str, Any] = {"version": event.version}
    if event.susar is not None or event.is_serious:
        initial["susar"] = "yes" if event.effective_susar else "no"
    if event.sponsor_aware_at is not None:
        initial["sponsor_aware_at"] = timezone.localtime(event.sponsor_aware_at)
    form = AssessmentForm(request.POST or None, initial=initial)

    def run(form: AssessmentForm) -> AdverseEvent:
        return actions.assess_serious_event(
            event,
            by=_user(request),
            susar=form.cleaned_data["susar"],
            sponsor_aware_at=form.cleaned_data["sponsor_aware_at"],
            reason=form.cleaned_data["reason"],
            expected_version=form.expected_version(),
        )

    return _form_page(
        request,
        form,
        run,
        participant=participant,
        event=event,
        title=_("SUSAR assessment of %(code)s, adverse event %(number)s")
        % {"code": participant.code, "number": event.number},
        success=_("Assessment recorded."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_report(request: HttpRequest, code: str, event_id: int) -> HttpResponseBase:
    participant = access.get_participant_for(request.user, code)
    user = request.user
    kinds = [kind for kind in ClockKind if actions.may_record_report(user, kind, participant)]
    if not kinds:
        raise PermissionDenied
    event = access.get_event_for(user, participant, event_id)
    running = {clock.kind: clock for clock in clocks.clocks_of(event)}
    choices = [(k.value, ReportKind(k.value).label) for k in kinds if k in running] or [
        (k.value, ReportKind(k.value).label) for k in kinds
    ]
    chosen = request.GET.get("kind")
    existing = SafetyReport.objects.filter(event=event, kind=chosen).first() if chosen else None
    initial: dict[str, Any] = {"kind": chosen}
    if existing is not None:
        initial.update(
            sent_at=timezone.localtime(existing.sent_at),
            reference=existing.reference,
            version=existing.version,
        )
    form = ReportForm(request.POST or None, kinds=choices, initial=initial)

    def run(form: ReportForm) -> SafetyReport:
        return actions.record_report(
            event,
            by=_user(request),
            kind=form.cleaned_data["kind"],
            sent_at=form.cleaned_data["sent_at"],
            reference=form.cleaned_data["reference"],
            reason=form.cleaned_data["reason"],
            expected_version=form.expected_version(),
        )

    return _form_page(
        request,
        form,
        run,
        participant=participant,
        event=event,
        title=_("Report sent for %(code)s, adverse event %(number)s")
        % {"code": participant.code, "number": event.number},
        success=_("Report recorded."),
    )


# --- Trial-wide safety pages (VIEW_SAFETY), scoped to the user's sites -------------------------


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    access.require_safety_view(request.user)
    visible = trial_access.participants_for(request.user, P.VIEW_SAFETY).filter(
        kind="recipient", infusion_date__isnull=False
    )
    events = access.events_for(request.user).filter(participant__kind="recipient")
    rows = monitoring.tolerance_by_recipient(visible, events)
    return render(
        request,
        "safety/overview.html",
        {
            "rows": rows,
            "state": monitoring.stopping_rule_state(),
            "overdue": sum(1 for c in clocks.clocks_for(request.user) if c.overdue),
        },
    )


@login_required
@require_GET
def clock_list(request: HttpRequest) -> HttpResponse:
    access.require_safety_view(request.user)
    board = clocks.clocks_for(request.user)
    user: Any = request.user
    return render(
        request,
        "safety/clocks.html",
        {
            "board": board,
            "overdue": [c for c in board if c.overdue],
            "others": [c for c in board if not c.overdue],
            "responsible": clocks.responsible_kinds(user.role),
            "reportable": {
                kind
                for kind, needed in actions.REPORT_PERMISSIONS.items()
                if any(user.can(p) for p in needed)
            },
        },
    )


@login_required
@require_GET
def malignancy_list(request: HttpRequest) -> HttpResponse:
    access.require_safety_view(request.user)
    visible = access.events_for(request.user).order_by("onset_date", "pk")
    events = [event for event in visible if monitoring.is_malignancy(event)]
    recipients = trial_access.participants_for(request.user, P.VIEW_SAFETY).filter(
        kind="recipient", infusion_date__isnull=False
    )
    coverage = monitoring.surveillance_coverage(recipients, events)
    return render(
        request,
        "safety/malignancies.html",
        {"rows": event_rows(events), "coverage": coverage},
    )


@login_required
@require_GET
def stopping_rule(request: HttpRequest) -> HttpResponse:
    access.require_safety_view(request.user)
    state = monitoring.stopping_rule_state()
    visible = dict(
        trial_access.participants_for(request.user, P.VIEW_SAFETY).values_list("pk", "code")
    )
    levels = [
        (level, sorted(visible[pk] for pk in level.toxic if pk in visible))
        for level in state.levels
    ]
    return render(
        request,
        "safety/stopping_rule.html",
        {"state": state, "levels": levels, "hidden_sites": len(visible) == 0},
    )
