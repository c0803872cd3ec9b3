"""Screening pages: the live verdict, the eCRF forms, the sign-off, the screening log.

Every page fetches its participant through ``trial.access`` (403 for a role without the
permission, 404 for another site's participant — or for a form of the other role) and writes only
through ``screening.actions``. Saving a form redirects to the same form with the verdict it
produces, so the effect of each answer is visible at once.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sclerocell.criteria.logic import status_label
from sclerocell.criteria.status import Status
from sclerocell.web.accounts.decorators import staff_user as _user
from sclerocell.web.accounts.models import User
from sclerocell.web.accounts.roles import Permission
from sclerocell.web.trial import access
from sclerocell.web.trial.forms import apply_errors
from sclerocell.web.trial.models import Participant

from . import actions, catalogue, log
from .evaluation import Evaluation, evaluate, missing, nodes, reasons
from .forms import (
    BloodPressureForm,
    CourseForm,
    CyclophosphamideAnswerForm,
    IndexDateForm,
    MeasurementsForm,
    ProfileForm,
    QuestionsForm,
    RemoveRowForm,
    SignForm,
    SkinScoreForm,
    question_initial,
)
from .inputs import index_date_of, screening_input
from .models import (
    BloodPressure,
    CyclophosphamideCourse,
    FindingAnswer,
    Measurement,
    SkinScore,
    StatementAnswer,
)
from .signatures import SignatureState, state_of

P = Permission


def _can(request: HttpRequest) -> dict[str, bool]:
    user: Any = request.user
    return {permission.value: user.can(permission) for permission in Permission}


def _participant(
    request: HttpRequest, code: str, permission: Permission, *, role: str | None = None
) -> Participant:
    participant = access.get_participant_for(request.user, code, permission)
    if role is not None and participant.kind != role:
        raise Http404("No such form for this participant")
    return participant


def _sections(request: HttpRequest, participant: Participant) -> list[tuple[str, str]]:
    """The forms the user may fill for this participant: (URL, title), in the eCRF's order."""
    user: Any = request.user
    code = participant.code
    if not user.can(P.EDIT_SCREENING):
        return []
    found = [(reverse("screening:profile", args=[code]), str(_("Situation and index date")))]
    for section in catalogue.FINDING_SECTIONS:
        if section.role == participant.kind:
            found.append(
                (
                    reverse(f"screening:findings_{_name(section.slug)}", args=[code]),
                    str(section.title),
                )
            )
    if participant.is_recipient:
        found += [
            (reverse("screening:skin_scores", args=[code]), str(_("Skin score (mRSS)"))),
            (reverse("screening:measurements", args=[code]), str(_("Measurements"))),
            (reverse("screening:blood_pressures", args=[code]), str(_("Blood pressure"))),
            (reverse("screening:courses", args=[code]), str(_("Cyclophosphamide"))),
        ]
    if user.can(P.SIGN_ELIGIBILITY):
        found.append(
            (reverse("screening:statements", args=[code]), str(_("Investigator statements")))
        )
    return found


def _name(slug: str) -> str:
    return slug.replace("-", "_")


def _verdict_context(request: HttpRequest, evaluation: Evaluation) -> dict[str, Any]:
    screening = evaluation.screening
    verdict = evaluation.verdict
    user: Any = request.user
    return {
        "evaluation": evaluation,
        "verdict": verdict.value if verdict else "",
        "verdict_label": catalogue.render(screening.result.evidence.summary) if screening else "",
        "nodes": nodes(evaluation, forms=user.can(P.EDIT_SCREENING)),
        "missing": missing(evaluation),
        "reasons": reasons(screening.result) if screening and verdict is Status.NOT_MET else [],
    }


def _page(
    request: HttpRequest,
    participant: Participant,
    template: str,
    context: dict[str, Any],
    *,
    status: int = 200,
) -> HttpResponse:
    evaluation = evaluate(participant)
    base = {
        "participant": participant,
        "sections": _sections(request, participant),
        "current": request.path,
        "can": _can(request),
        "index_date": evaluation.index_date,
        **_verdict_context(request, evaluation),
    }
    return render(request, template, {**base, **context}, status=status)


def _saved(request: HttpRequest) -> HttpResponse:
    messages.success(request, _("Saved. The verdict below is re-evaluated."))
    return redirect(request.path)


def _run(form: Form, action: Callable[[], Any]) -> bool:
    """Run the action; on a refusal put its errors on the form. True when it ran."""
    try:
        action()
    except ValidationError as error:
        apply_errors(form, error)
        return False
    return True


# --- The screening page ------------------------------------------------------------------------


@login_required
@require_GET
def overview(request: HttpRequest, code: str) -> HttpResponse:
    participant = _participant(request, code, P.VIEW_SUBJECTS)
    chosen = IndexDateForm(request.GET or None)
    stored = index_date_of(participant)
    day = chosen.cleaned_data["index_date"] if chosen.is_valid() else None
    evaluation = evaluate(participant, day or stored)
    state = state_of(participant, known=(evaluation.index_date, evaluation.facts))
    return render(
        request,
        "screening/overview.html",
        {
            "participant": participant,
            "title": _("Screening"),
            "sections": _sections(request, participant),
            "current": request.path,
            "can": _can(request),
            "index_date": evaluation.index_date,
            "stored_index_date": stored,
            "other_date": evaluation.index_date != stored,
            "index_form": IndexDateForm(initial={"index_date": evaluation.index_date}),
            "state": state,
            "frozen_reasons": _frozen_reasons(state),
            "later_records": _later_records(participant, evaluation.index_date),
            "statuses": [(s.value, catalogue.render(status_label(s))) for s in Status],
            **_verdict_context(request, evaluation),
        },
    )


def _frozen_reasons(state: SignatureState | None) -> list[str]:
    if state is None:
        return []
    from .evaluation import reasons_from_dict

    return reasons_from_dict(state.signature.result["result"])


def _later_records(participant: Participant, day: datetime.date) -> int:
    """Rows dated after the index date: the criteria do not read them (a common slip)."""
    return (
        Measurement.objects.filter(participant=participant, date__gt=day).count()
        + BloodPressure.objects.filter(participant=participant, date__gt=day).count()
        + SkinScore.objects.filter(participant=participant, date__gt=day).count()
        + FindingAnswer.objects.filter(participant=participant, date__gt=day).count()
    )


@login_required
@require_GET
def input_json(request: HttpRequest, code: str) -> HttpResponse:
    """The participant's data in the screening input format (``sclerocell screen``)."""
    participant = _participant(request, code, P.VIEW_SUBJECTS)
    document = screening_input(participant)
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2) + "\n",
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="screening-{participant.code}.json"'
    return response


# --- Forms -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest, code: str) -> HttpResponse:
    participant = _participant(request, code, P.EDIT_SCREENING)
    current = actions.profile_for(participant)
    initial = {
        "version": current.version,
        "index_date": current.index_date,
        "childbearing_potential": current.childbearing_potential,
        "effective_contraception": current.effective_contraception,
        "social_security": current.social_security,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version, reason = data.pop("version"), data.pop("reason")
        data = {k: v or ("" if k != "index_date" else None) for k, v in data.items()}
        if _run(
            form,
            lambda: actions.save_profile(
                participant,
                by=_user(request),
                reason=reason,
                expected_version=version if current.pk else None,
                **data,
            ),
        ):
            return _saved(request)
    return _page(
        request,
        participant,
        "screening/profile.html",
        {"form": form, "title": _("Situation and index date")},
        status=400 if request.method == "POST" else 200,
    )


def _findings_view(slug: str) -> Callable[..., HttpResponse]:
    section = catalogue.FINDING_BY_SLUG[slug]

    @login_required
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest, code: str) -> HttpResponse:
        participant = _participant(request, code, P.EDIT_SCREENING, role=section.role)
        rows = list(FindingAnswer.objects.filter(participant=participant, code__in=section.codes))
        questions = [
            (
                c,
                catalogue.label(c),
                _("positive") if c in catalogue.TESTS else _("present"),
                _("negative") if c in catalogue.TESTS else _("absent"),
            )
            for c in section.codes
        ]
        initial = question_initial(rows, "date")
        initial["stamp"] = actions.finding_stamp(participant, section.codes)
        form = QuestionsForm(
            request.POST or None,
            initial=initial,
            questions=questions,
            date_label=_("date"),
            default_date=index_date_of(participant),
        )
        if request.method == "POST" and form.is_valid():
            if _run(
                form,
                lambda: actions.save_findings(
                    participant,
                    by=_user(request),
                    section=slug,
                    replies=form.replies_with_default_dates(),
                    reason=form.cleaned_data["reason"],
                    expected_stamp=form.cleaned_data["stamp"] or None,
                ),
            ):
                return _saved(request)
        return _page(
            request,
            participant,
            "screening/questions.html",
            {"form": form, "title": section.title, "groups": _groups(section, form)},
            status=400 if request.method == "POST" else 200,
        )

    view.__name__ = f"findings_{_name(slug)}"
    return view


def _groups(section: catalogue.FindingSection, form: QuestionsForm) -> list[tuple[str, list[Any]]]:
    rows = {code: row for code, *row in form.rows()}
    return [
        (str(group.title), [(c, *rows[c], None) for c in group.codes]) for group in section.groups
    ]


FINDING_VIEWS = {
    section.slug: _findings_view(section.slug) for section in catalogue.FINDING_SECTIONS
}


@login_required
@require_http_methods(["GET", "POST"])
def statements(request: HttpRequest, code: str) -> HttpResponse:
    participant = _participant(request, code, P.SIGN_ELIGIBILITY)
    asked = catalogue.STATEMENTS[participant.kind]
    codes = tuple(c for c, _criterion in asked)
    rows = list(
        StatementAnswer.objects.filter(participant=participant, code__in=codes).select_related(
            "answered_by"
        )
    )
    questions = [(c, f"{criterion} — {catalogue.label(c)}", None, None) for c, criterion in asked]
    initial = question_initial(rows, "answered_on")
    initial["stamp"] = actions.statement_stamp(participant, codes)
    form = QuestionsForm(
        request.POST or None,
        initial=initial,
        questions=questions,
        date_label=_("date of the statement"),
        default_date=timezone.localdate(),
    )
    if request.method == "POST" and form.is_valid():
        if _run(
            form,
            lambda: actions.save_statements(
                participant,
                by=_user(request),
                replies=form.replies_with_default_dates(),
                reason=form.cleaned_data["reason"],
                expected_stamp=form.cleaned_data["stamp"] or None,
            ),
        ):
            return _saved(request)
    answered = {row.code: row for row in rows}
    groups = [
        (
            "",
            [(c, answer, day, note, answered.get(c)) for c, answer, day, note in form.rows()],
        )
    ]
    return _page(
        request,
        participant,
        "screening/questions.html",
        {
            "form": form,
            "title": _("Investigator statements"),
            "groups": groups,
            "statements": True,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def measurements(request: HttpRequest, code: str) -> HttpResponse:
    participant = _participant(request, code, P.EDIT_SCREENING, role="recipient")
    posted = request.POST.get("group") if request.method == "POST" else None
    forms = []
    failed = False
    for group in catalogue.MEASUREMENT_GROUPS:
        form = MeasurementsForm(
            request.POST if posted == group.slug else None,
            group=group,
            initial={"date": index_date_of(participant)},
        )
        if (
            posted == group.slug
            and form.is_valid()
            and _run(form, _adder(request, participant, form))
        ):
            return _saved(request)
        failed = failed or posted == group.slug
        forms.append(form)
    rows = list(Measurement.objects.filter(participant=participant))
    labels = {row.pk: catalogue.label(row.code) for row in rows}
    return _page(
        request,
        participant,
        "screening/measurements.html",
        {
            "forms": forms,
            "rows": [(row, labels[row.pk]) for row in rows],
            "title": _("Measurements"),
            "remove_form": RemoveRowForm(),
        },
        status=400 if failed else 200,
    )


def _adder(
    request: HttpRequest, participant: Participant, form: MeasurementsForm
) -> Callable[[], Any]:
    def add() -> Any:
        data = form.cleaned_data
        return actions.add_measurements(
            participant,
            by=_user(request),
            group=form.group.slug,
            date=data["date"],
            time=data.get("time"),
            values=form.values(),
            source=data.get("source", ""),
        )

    return add


def _rows_page(
    request: HttpRequest,
    code: str,
    form: Form,
    add: Callable[[Participant, User, dict[str, Any]], Any],
    *,
    template: str,
    title: str,
    rows: Callable[[Participant], list[Any]],
    extra: Callable[[Participant], dict[str, Any]] | None = None,
) -> HttpResponse:
    participant = _participant(request, code, P.EDIT_SCREENING, role="recipient")
    if "date" in form.fields:
        form.initial.setdefault("date", index_date_of(participant))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if _run(form, lambda: add(participant, _user(request), data)):
            return _saved(request)
    return _page(
        request,
        participant,
        template,
        {
            "form": form,
            "title": title,
            "rows": rows(participant),
            "remove_form": RemoveRowForm(),
            **(extra(participant) if extra else {}),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def blood_pressures(request: HttpRequest, code: str) -> HttpResponse:
    form = BloodPressureForm(request.POST or None)
    return _rows_page(
        request,
        code,
        form,
        lambda p, by, d: actions.add_blood_pressure(p, by=by, **d),
        template="screening/blood_pressures.html",
        title=_("Blood pressure"),
        rows=lambda p: list(BloodPressure.objects.filter(participant=p)),
    )


@login_required
@require_http_methods(["GET", "POST"])
def skin_scores(request: HttpRequest, code: str) -> HttpResponse:
    form = SkinScoreForm(request.POST or None)

    def add(p: Participant, by: User, data: dict[str, Any]) -> Any:
        assert isinstance(form, SkinScoreForm)  # noqa: S101 — narrows the type
        return actions.add_skin_score(
            p,
            by=by,
            date=data["date"],
            sites=form.sites(),
            total=data.get("total"),
            examiner=data.get("examiner", ""),
        )

    return _rows_page(
        request,
        code,
        form,
        add,
        template="screening/skin_scores.html",
        title=_("Modified Rodnan skin score"),
        rows=lambda p: list(SkinScore.objects.filter(participant=p)),
        extra=lambda p: {"sites": catalogue.MRSS_SITES},
    )


@login_required
@require_http_methods(["GET", "POST"])
def courses(request: HttpRequest, code: str) -> HttpResponse:
    participant = _participant(request, code, P.EDIT_SCREENING, role="recipient")
    current = actions.profile_for(participant)
    which = request.POST.get("form") if request.method == "POST" else None
    answer_form = CyclophosphamideAnswerForm(
        request.POST if which == "answer" else None,
        initial={
            "version": current.version,
            "cyclophosphamide_given": current.cyclophosphamide_given,
        },
    )
    course_form = CourseForm(request.POST if which == "course" else None)
    by = _user(request)
    if which == "answer" and answer_form.is_valid():
        data = answer_form.cleaned_data
        if _run(
            answer_form,
            lambda: actions.save_profile(
                participant,
                by=by,
                reason=data["reason"],
                expected_version=data["version"] if current.pk else None,
                cyclophosphamide_given=data["cyclophosphamide_given"] or "",
            ),
        ):
            return _saved(request)
    if which == "course" and course_form.is_valid():
        data = course_form.cleaned_data
        if _run(course_form, lambda: actions.add_course(participant, by=by, **data)):
            return _saved(request)
    return _page(
        request,
        participant,
        "screening/courses.html",
        {
            "answer_form": answer_form,
            "course_form": course_form,
            "title": _("High-dose IV cyclophosphamide"),
            "rows": list(CyclophosphamideCourse.objects.filter(participant=participant)),
            "remove_form": RemoveRowForm(),
        },
        status=400 if which else 200,
    )


REMOVE_TARGETS = {
    "measurement": "screening:measurements",
    "bp": "screening:blood_pressures",
    "mrss": "screening:skin_scores",
    "course": "screening:courses",
}


@login_required
@require_POST
def remove_row(request: HttpRequest, code: str) -> HttpResponseBase:
    participant = _participant(request, code, P.EDIT_SCREENING, role="recipient")
    form = RemoveRowForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
        kind = request.POST.get("kind", "")
        return redirect(REMOVE_TARGETS.get(kind, "screening:overview"), code=participant.code)
    data = form.cleaned_data
    try:
        actions.remove_row(
            participant, by=_user(request), kind=data["kind"], pk=data["row"], reason=data["reason"]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Row removed. The verdict is re-evaluated."))
    return redirect(REMOVE_TARGETS[data["kind"]], code=participant.code)


# --- Sign-off ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def sign(request: HttpRequest, code: str) -> HttpResponse:
    participant = _participant(request, code, P.SIGN_ELIGIBILITY)
    evaluation = evaluate(participant)
    screening = evaluation.screening
    decision = (
        actions.DECISION_FOR_VERDICT.get(screening.verdict) if screening is not None else None
    )
    today = timezone.localdate()
    meaning = (
        actions.meaning(participant, screening, decision, today)
        if screening is not None and decision is not None
        else ""
    )
    form = SignForm(request.POST or None, initial={"decision": decision or ""})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _run(
            form,
            lambda: actions.sign_eligibility(
                participant,
                by=_user(request),
                password=data["password"],
                decision=data["decision"],
                reason=data["reason"],
            ),
        ):
            messages.success(request, _("Eligibility decision signed."))
            return redirect("screening:overview", code=participant.code)
    state = state_of(participant, known=(evaluation.index_date, evaluation.facts))
    return render(
        request,
        "screening/sign.html",
        {
            "participant": participant,
            "title": _("Eligibility sign-off"),
            "sections": _sections(request, participant),
            "current": request.path,
            "can": _can(request),
            "index_date": evaluation.index_date,
            "form": form,
            "decision": decision,
            "meaning": meaning,
            "state": state,
            "already_signed": state is not None and state.valid,
            **_verdict_context(request, evaluation),
        },
        status=400 if request.method == "POST" else 200,
    )


# --- Screening log -----------------------------------------------------------------------------


@login_required
@require_GET
def screening_log(request: HttpRequest) -> HttpResponse:
    participants = access.participants_for(request.user)
    rows = log.rows(participants)
    return render(
        request,
        "screening/log.html",
        {"rows": rows, "boxes": log.consort(rows), "can": _can(request)},
    )


@login_required
@require_POST
def screening_log_csv(request: HttpRequest) -> HttpResponse:
    participants = access.participants_for(request.user)
    rows = log.rows(participants)
    content = log.to_csv(rows)
    log.record_export(_user(request), content, len(rows))
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="screening-log.csv"'
    return response
