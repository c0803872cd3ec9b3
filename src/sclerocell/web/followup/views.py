"""Follow-up pages: visits and their calendar, outcome forms, queries, response.

Every page fetches through the access functions (the participant first: 403 for a role that may
not see participants, 404 for another site's; then the write's permission: 403; then the visit,
form or query of that participant: 404) and writes only through ``actions``. A refused save
shows the user's values again with the reason at the field, and nothing is written.
"""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseBase,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sclerocell.web.accounts.decorators import staff_user as _user
from sclerocell.web.accounts.roles import Permission
from sclerocell.web.trial.access import participants_for
from sclerocell.web.trial.forms import apply_errors
from sclerocell.web.trial.models import Participant

from . import access, actions, checks
from .casebook import Casebook, VisitData, load_casebook
from .chart import progression_labels, timeline_svg
from .definitions import FORMS, FormSpec, Kind
from .forms import (
    CalendarForm,
    OutcomeEntryForm,
    QueryFilterForm,
    QueryTransitionForm,
    RaiseQueryForm,
    SignatureForm,
    TransitionForm,
    VisitDateForm,
    VisitForm,
    initial_values,
    outcome_form,
    visit_choices,
)
from .lifecycle import FORM_TRANSITIONS, QUERY_TRANSITIONS, SIGNATURE_MEANING, UNRESOLVED, allowed
from .models import FormStatus, OutcomeForm, Query, QueryStatus, Visit
from .response import patient_response
from .summaries import form_scores
from .visits import (
    VISIT_NAMES,
    RowStatus,
    calendar,
    expected_forms,
    participant_schedule,
    schedule_codes,
    schedule_identity,
)

P = Permission
PAGE_SIZE = 50


def _can(request: HttpRequest) -> dict[str, bool]:
    user: Any = request.user
    return {permission.value: user.can(permission) for permission in Permission}


def _stale(error: ValidationError) -> bool:
    """Whether an action refused a save made on an old version."""
    if not hasattr(error, "error_dict"):
        return error.code == "stale"
    return any(e.code == "stale" for e in error.error_dict.get(NON_FIELD_ERRORS, []))


def _unresolved_counts(participant: Participant) -> Counter[tuple[int | None, str]]:
    rows = (
        Query.objects.filter(participant=participant, status__in=UNRESOLVED)
        .values("visit_id", "form")
        .annotate(n=Count("pk"))
    )
    return Counter({(row["visit_id"], row["form"]): row["n"] for row in rows})


# --- Visits ------------------------------------------------------------------------------------


@login_required
@require_GET
def visit_list(request: HttpRequest, code: str) -> HttpResponse:
    participant = access.get_participant_for(request.user, code)
    context: dict[str, Any] = {"participant": participant, "can": _can(request)}
    if not participant.is_recipient:
        return render(request, "followup/visit_list.html", context)
    book = load_casebook(participant)
    dated = CalendarForm(request.GET or None)
    as_of = (dated.cleaned_data["as_of"] if dated.is_valid() else None) or timezone.localdate()
    rows = participant_schedule(participant, [v.visit for v in book], as_of)
    queries = _unresolved_counts(participant)
    progress = {}
    for data in book:
        expected = expected_forms(data.visit.code)
        statuses = Counter(form.status for form in data.forms.values())
        progress[data.visit.pk] = {
            "entered": len(data.forms),
            "expected": len(expected),
            "complete": sum(n for status, n in statuses.items() if status != FormStatus.DRAFT),
            "locked": statuses.get(FormStatus.LOCKED, 0),
            "queries": sum(n for (visit_id, _f), n in queries.items() if visit_id == data.visit.pk),
        }
    version, digest = schedule_identity()
    context.update(
        schedule_version=version,
        schedule_hash=digest,
        rows=[(row, progress.get(row.visit.pk) if row.visit else None) for row in rows],
        participant_queries=sum(queries.values()),
        as_of=as_of,
    )
    return render(request, "followup/visit_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def record_visit(request: HttpRequest, code: str) -> HttpResponseBase:
    participant = access.get_participant_for(request.user, code)
    access.require(request.user, P.ENTER_FOLLOWUP)
    access.recipient(participant)
    taken = set(participant.visits.values_list("code", flat=True))
    choices = visit_choices(
        taken,
        dict(VISIT_NAMES),
        infused=participant.infusion_date is not None,
        scheduled=schedule_codes(),
    )
    form = VisitForm(
        request.POST or None,
        initial={"code": request.GET.get("code", ""), "visit_date": timezone.localdate()},
        codes=choices,
    )
    if request.method == "POST" and form.is_valid():
        try:
            visit = actions.record_visit(participant, by=_user(request), **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Visit recorded."))
            return redirect("followup:visit_detail", code=participant.code, visit_id=visit.pk)
    return render(
        request,
        "followup/record_visit.html",
        {"participant": participant, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_detail(request: HttpRequest, code: str, visit_id: int) -> HttpResponseBase:
    participant = access.get_participant_for(request.user, code)
    if request.method == "POST":
        access.require(request.user, P.ENTER_FOLLOWUP)
    access.recipient(participant)
    visit = access.get_visit_for(participant, visit_id)
    date_form = VisitDateForm(
        request.POST or None, initial={"visit_date": visit.visit_date, "version": visit.version}
    )
    if request.method == "POST" and date_form.is_valid():
        try:
            actions.update_visit(
                visit,
                by=_user(request),
                visit_date=date_form.cleaned_data["visit_date"],
                reason=date_form.cleaned_data["reason"],
                expected_version=date_form.expected_version(),
            )
        except ValidationError as error:
            apply_errors(date_form, error)
        else:
            messages.success(request, _("Visit date corrected."))
            return redirect("followup:visit_detail", code=participant.code, visit_id=visit.pk)
    book = load_casebook(participant)
    data = book.get(visit.pk) or VisitData(visit)
    row = next(
        (r for r in participant_schedule(participant, [visit], timezone.localdate()) if r.visit),
        None,
    )
    queries = _unresolved_counts(participant)
    forms = []
    expected = {spec.code for spec in expected_forms(visit.code)}
    for spec in FORMS.values():
        form = data.forms.get(spec.code)
        warnings = []
        if form is not None:
            warnings = [f for f in checks.check(spec, form.values(), visit, book) if not f.is_error]
        forms.append(
            {
                "spec": spec,
                "form": form,
                "expected": spec.code in expected,
                "queries": queries.get((visit.pk, spec.code), 0),
                "warnings": len(warnings),
            }
        )
    forms.sort(key=lambda item: (not item["expected"] and item["form"] is None,))
    return render(
        request,
        "followup/visit_detail.html",
        {
            "participant": participant,
            "visit": visit,
            "row": row,
            "forms": forms,
            "visit_queries": queries.get((visit.pk, ""), 0),
            "to_sign": sum(1 for f in data.forms.values() if f.status == FormStatus.VERIFIED),
            "date_form": date_form,
            "can": _can(request),
        },
        status=400 if request.method == "POST" else 200,
    )


# --- Outcome forms -----------------------------------------------------------------------------


def _display(spec: Any, value: Any) -> str:
    """A stored value as text, for read-only pages and for the saved values beside a stale form."""
    if value is None or value == "":
        return "—"
    labels = {code: label for code, label in spec.choices}
    if value in labels and spec.kind is not Kind.TEXT:
        return str(labels[value])
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _differs(entry: OutcomeEntryForm, name: str, saved: dict[str, Any]) -> bool:
    """Whether the user's (valid) entry differs from the saved value (blank and None alike)."""
    mine, theirs = entry.cleaned_data.get(name), saved.get(name)
    return (mine if mine != "" else None) != (theirs if theirs != "" else None)


def _form_context(
    request: HttpRequest,
    participant: Participant,
    visit: Visit,
    spec: FormSpec,
    book: Casebook,
    entry: OutcomeEntryForm,
    *,
    stale: bool = False,
    refusal: ValidationError | None = None,
) -> dict[str, Any]:
    """The form page; ``refusal`` is a life-cycle step's refusal, shown at its fields."""
    refused: dict[str, list[str]] = {}
    if refusal is not None:
        refused = refusal.message_dict if hasattr(refusal, "error_dict") else {"": refusal.messages}
    data = book.get(visit.pk) or VisitData(visit)
    form = data.forms.get(spec.code)
    saved = form.values() if form is not None else {}
    findings = checks.by_field(checks.check(spec, saved, visit, book)) if form is not None else {}
    field_queries: Counter[str] = Counter()
    form_queries = Query.objects.filter(visit=visit, form=spec.code).prefetch_related("messages")
    for query in form_queries:
        if query.status in UNRESOLVED:
            field_queries[query.field] += 1
    user: Any = request.user
    editable = user.can(P.ENTER_FOLLOWUP) and not (form is not None and form.is_locked)
    sections = [
        {
            "title": section.title,
            "rows": [
                {
                    "spec": field,
                    "bound": entry[field.name],
                    "display": _display(field, saved.get(field.name)),
                    "saved_differs": stale and _differs(entry, field.name, saved),
                    "warnings": [f for f in findings.get(field.name, []) if not f.is_error],
                    "errors": [f for f in findings.get(field.name, []) if f.is_error],
                    "refused": refused.get(field.name, []),
                    "queries": field_queries.get(field.name, 0),
                }
                for field in section.fields
            ],
        }
        for section in spec.sections
    ]
    transitions = []
    if form is not None:
        transitions = [t for t in allowed(FORM_TRANSITIONS, form.status, user) if t.name != "sign"]
    return {
        "participant": participant,
        "visit": visit,
        "spec": spec,
        "form": form,
        "entry": entry,
        "sections": sections,
        "editable": editable,
        "needs_reason": form is not None,
        "scores": form_scores(spec.code, saved, data) if form is not None else [],
        "transitions": transitions,
        "can_sign": form is not None
        and form.status == FormStatus.VERIFIED
        and user.can(P.SIGN_FORMS),
        "queries": form_queries,
        "can": _can(request),
        "stale": stale,
        "refused": [m for key, ms in refused.items() if not spec.has_field(key) for m in ms],
    }


def _entry_for(spec: FormSpec, form: OutcomeForm | None) -> OutcomeEntryForm:
    initial = initial_values(spec, form.values()) if form is not None else {}
    initial["version"] = form.version if form is not None else 0
    return outcome_form(spec, initial=initial)


@login_required
@require_http_methods(["GET", "POST"])
def form_page(request: HttpRequest, code: str, visit_id: int, form: str) -> HttpResponseBase:
    participant = access.get_participant_for(request.user, code)
    if request.method == "POST":
        access.require(request.user, P.ENTER_FOLLOWUP)
    access.recipient(participant)
    visit = access.get_visit_for(participant, visit_id)
    spec = access.get_spec(form)
    status, stale = 200, False
    if request.method == "POST":
        entry = outcome_form(spec, request.POST)
        if entry.is_valid():
            version = entry.expected_version()
            try:
                actions.save_form(
                    visit,
                    spec.code,
                    by=_user(request),
                    values=entry.values(),
                    reason=entry.cleaned_data["reason"],
                    expected_version=0 if version is None else version,
                )
            except ValidationError as error:
                apply_errors(entry, error)
                stale = _stale(error)
            else:
                messages.success(request, _("Form saved."))
                return redirect(
                    "followup:form", code=participant.code, visit_id=visit.pk, form=spec.code
                )
        status = 409 if stale else 400
    else:
        entry = _entry_for(spec, actions.get_form(visit, spec.code))
    book = load_casebook(participant)
    context = _form_context(request, participant, visit, spec, book, entry, stale=stale)
    return render(request, "followup/form.html", context, status=status)


def _form_or_404(visit: Visit, spec: FormSpec) -> OutcomeForm:
    form = actions.get_form(visit, spec.code)
    if form is None:
        raise Http404("This form has not been started")
    form.visit = visit
    return form


FORM_WRITE_PERMISSIONS = {t.permission for t in FORM_TRANSITIONS.values() if t.name != "sign"}


@login_required
@require_POST
def form_transition(request: HttpRequest, code: str, visit_id: int, form: str) -> HttpResponseBase:
    participant = access.get_participant_for(request.user, code)
    access.require_any(request.user, FORM_WRITE_PERMISSIONS)
    access.recipient(participant)
    visit = access.get_visit_for(participant, visit_id)
    spec = access.get_spec(form)
    instance = _form_or_404(visit, spec)
    posted = TransitionForm(request.POST)
    if not posted.is_valid() or posted.cleaned_data["transition"] not in actions.TRANSITION_ACTIONS:
        return HttpResponseBadRequest(_("Unknown step of the form's life cycle."))
    name = posted.cleaned_data["transition"]
    try:
        actions.TRANSITION_ACTIONS[name](
            instance, by=_user(request), expected_version=posted.expected_version()
        )
    except ValidationError as error:
        entry = _entry_for(spec, actions.get_form(visit, spec.code))
        book = load_casebook(participant)
        context = _form_context(request, participant, visit, spec, book, entry, refusal=error)
        return render(request, "followup/form.html", context, status=409 if _stale(error) else 400)
    messages.success(
        request,
        _("%(form)s: %(step)s.") % {"form": spec.title, "step": FORM_TRANSITIONS[name].label},
    )
    return redirect("followup:form", code=participant.code, visit_id=visit.pk, form=spec.code)


@login_required
@require_http_methods(["GET", "POST"])
def sign_form(request: HttpRequest, code: str, visit_id: int, form: str) -> HttpResponseBase:
    participant = access.get_participant_for(request.user, code)
    access.require(request.user, P.SIGN_FORMS)
    access.recipient(participant)
    visit = access.get_visit_for(participant, visit_id)
    spec = access.get_spec(form)
    instance = _form_or_404(visit, spec)
    signature = SignatureForm(request.POST or None, initial={"version": instance.version})
    if request.method == "POST" and signature.is_valid():
        try:
            actions.sign_form(
                instance,
                by=_user(request),
                password=signature.cleaned_data["password"],
                expected_version=signature.expected_version(),
            )
        except ValidationError as error:
            apply_errors(signature, error)
        else:
            messages.success(request, _("Form signed."))
            return redirect(
                "followup:form", code=participant.code, visit_id=visit.pk, form=spec.code
            )
    values = instance.values()
    return render(
        request,
        "followup/sign_form.html",
        {
            "participant": participant,
            "visit": visit,
            "spec": spec,
            "form": instance,
            "signature": signature,
            "meaning": SIGNATURE_MEANING,
            "values": [(field, _display(field, values[field.name])) for field in spec.fields],
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def sign_visit(request: HttpRequest, code: str, visit_id: int) -> HttpResponseBase:
    """The investigator signs every verified form of a visit with one password entry."""
    participant = access.get_participant_for(request.user, code)
    access.require(request.user, P.SIGN_FORMS)
    access.recipient(participant)
    visit = access.get_visit_for(participant, visit_id)
    data = load_casebook(participant).get(visit.pk) or VisitData(visit)
    verified = [f for f in data.forms.values() if f.status == FormStatus.VERIFIED]
    shown = ",".join(f"{f.pk}:{f.version}" for f in verified)
    signature = SignatureForm(request.POST or None, initial={"version": 0, "forms": shown})
    if request.method == "POST" and signature.is_valid():
        try:
            if request.POST.get("forms", "") != shown:
                raise ValidationError(actions.STALE, code="stale")
            actions.sign_forms(
                verified, by=_user(request), password=signature.cleaned_data["password"]
            )
        except ValidationError as error:
            apply_errors(signature, error)
        else:
            messages.success(request, _("Forms signed."))
            return redirect("followup:visit_detail", code=participant.code, visit_id=visit.pk)
    return render(
        request,
        "followup/sign_visit.html",
        {
            "participant": participant,
            "visit": visit,
            "forms": verified,
            "shown": shown,
            "signature": signature,
            "meaning": SIGNATURE_MEANING,
        },
        status=400 if request.method == "POST" else 200,
    )


# --- Queries -----------------------------------------------------------------------------------


def _query_rows(queries: Any) -> Any:
    return queries.select_related("participant", "participant__site", "visit").prefetch_related(
        "messages"
    )


def _status_filter(request: HttpRequest) -> tuple[QueryFilterForm, str]:
    form = QueryFilterForm(
        request.GET or None,
        statuses=[("unresolved", _("open or answered")), *QueryStatus.choices],
    )
    chosen = form.cleaned_data["status"] if form.is_valid() else ""
    return form, chosen


def _filtered(queries: Any, chosen: str) -> Any:
    if chosen == "unresolved":
        return queries.filter(status__in=UNRESOLVED)
    if chosen:
        return queries.filter(status=chosen)
    return queries


@login_required
@require_GET
def query_list(request: HttpRequest) -> HttpResponse:
    """The queries of the user's sites."""
    form, chosen = _status_filter(request)
    queries = _filtered(access.queries_for(request.user), chosen)
    page = Paginator(_query_rows(queries), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "followup/query_list.html",
        {"page": page, "filter": form, "participant": None, "query": query.urlencode()},
    )


@login_required
@require_GET
def participant_queries(request: HttpRequest, code: str) -> HttpResponse:
    participant = access.get_participant_for(request.user, code)
    form, chosen = _status_filter(request)
    queries = _filtered(Query.objects.filter(participant=participant), chosen)
    page = Paginator(_query_rows(queries), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "followup/query_list.html",
        {"page": page, "filter": form, "participant": participant, "can": _can(request)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def raise_query(request: HttpRequest, code: str) -> HttpResponseBase:
    participant = access.get_participant_for(request.user, code)
    access.require(request.user, P.RAISE_QUERY)
    visits = list(Visit.objects.filter(participant=participant))
    names = [
        (v.pk, f"{VISIT_NAMES.get(v.code, v.code)} — {v.visit_date.isoformat()}") for v in visits
    ]
    form = RaiseQueryForm(request.POST or None, initial=request.GET.dict(), visits=names)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        visit = next((v for v in visits if v.pk == data["visit"]), None)
        try:
            query = actions.raise_query(
                participant,
                by=_user(request),
                text=data["text"],
                visit=visit,
                form=data["form"],
                field=data["field"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Query raised."))
            return redirect("followup:query_detail", code=participant.code, query_id=query.pk)
    return render(
        request,
        "followup/raise_query.html",
        {"participant": participant, "form": form},
        status=400 if request.method == "POST" else 200,
    )


QUERY_WRITE_PERMISSIONS = {t.permission for t in QUERY_TRANSITIONS.values()}


@login_required
@require_http_methods(["GET", "POST"])
def query_detail(request: HttpRequest, code: str, query_id: int) -> HttpResponseBase:
    participant = access.get_participant_for(request.user, code)
    if request.method == "POST":
        access.require_any(request.user, QUERY_WRITE_PERMISSIONS)
    query = access.get_query_for(participant, query_id)
    posted = QueryTransitionForm(request.POST or None, initial={"version": query.version})
    if request.method == "POST" and posted.is_valid():
        name = posted.cleaned_data["transition"]
        try:
            actions.QUERY_ACTIONS[name](
                query,
                by=_user(request),
                text=posted.cleaned_data["text"],
                expected_version=posted.expected_version(),
            )
        except ValidationError as error:
            apply_errors(posted, error)
        else:
            messages.success(request, _("Query updated."))
            return redirect("followup:query_detail", code=participant.code, query_id=query.pk)
    form_url = None
    if query.visit_id and query.form:
        form_url = reverse(
            "followup:form",
            kwargs={"code": participant.code, "visit_id": query.visit_id, "form": query.form},
        )
        if query.field:
            form_url += f"#field-{query.field}"
    spec = FORMS.get(query.form)
    return render(
        request,
        "followup/query_detail.html",
        {
            "participant": participant,
            "query": query,
            "thread": list(query.messages.select_related("author")),
            "transitions": allowed(QUERY_TRANSITIONS, query.status, request.user),
            "posted": posted,
            "form_url": form_url,
            "spec": spec,
            "field_label": spec.field(query.field).label
            if spec and query.field and spec.has_field(query.field)
            else "",
            "visit_name": VISIT_NAMES.get(query.visit.code) if query.visit else "",
        },
        status=400 if request.method == "POST" else 200,
    )


# --- Response and calendar ---------------------------------------------------------------------


@login_required
@require_GET
def response_page(request: HttpRequest, code: str) -> HttpResponse:
    participant = access.get_participant_for(request.user, code)
    context: dict[str, Any] = {"participant": participant}
    if participant.is_recipient:
        result = patient_response(load_casebook(participant, at_least=FormStatus.COMPLETE))
        context.update(
            result=result,
            chart=timeline_svg(result),
            labels=progression_labels(),
            visit_names=VISIT_NAMES,
        )
    return render(request, "followup/response.html", context)


@login_required
@require_GET
def calendar_page(request: HttpRequest) -> HttpResponse:
    """What is due next at the user's sites."""
    recipients = participants_for(request.user).filter(
        kind="recipient", infusion_date__isnull=False
    )
    form = CalendarForm(request.GET or None)
    as_of, horizon = timezone.localdate(), None
    if form.is_valid():
        as_of = form.cleaned_data["as_of"] or as_of
        horizon = form.cleaned_data["horizon"]
    entries = calendar(
        list(recipients),
        Visit.objects.filter(participant__in=recipients),
        as_of,
        horizon,
    )
    return render(
        request,
        "followup/calendar.html",
        {"entries": entries, "form": form, "as_of": as_of, "statuses": RowStatus},
    )
