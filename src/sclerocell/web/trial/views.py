"""Participant pages: lists, detail, and the forms that call the actions.

Every page fetches through ``access`` (403 for a role without the permission, 404 for another
site's participant) and writes only through ``actions``.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sclerocell.web.accounts.decorators import staff_user as _user
from sclerocell.web.accounts.roles import Permission

from . import access, actions
from .forms import (
    ConsentForm,
    DatedStepForm,
    DonorForm,
    EditParticipantForm,
    EndParticipationForm,
    ParticipantSearchForm,
    RecipientForm,
    WithdrawConsentForm,
)
from .models import RELATIONSHIP_PRIORITY, Participant, ParticipantKind
from .pages import action_form_page
from .stages import ENDED_STAGES, Stage, stage_of
from .studycode import Kind

PAGE_SIZE = 50
P = Permission


def _permissions(request: HttpRequest) -> dict[str, bool]:
    user: Any = request.user
    return {permission.value: user.can(permission) for permission in Permission}


# --- Lists -------------------------------------------------------------------------------------


def _search(
    request: HttpRequest, kind: Kind
) -> tuple[QuerySet[Participant], ParticipantSearchForm]:
    stages = [(stage.value, stage.label) for stage in Stage]
    if kind is Kind.DONOR:
        stages = [item for item in stages if item[0] != Stage.FOLLOW_UP]
    form = ParticipantSearchForm(request.GET or None, stages=stages)
    queryset = access.participants_for(request.user).filter(kind=kind.value)
    if form.is_valid():
        code = form.cleaned_data["q"].strip().upper()
        if code:
            queryset = queryset.filter(code__contains=code)
        if form.cleaned_data["stage"]:
            queryset = queryset.filter(stage=form.cleaned_data["stage"])
    return queryset, form


def _participant_list(request: HttpRequest, kind: Kind) -> HttpResponse:
    queryset, form = _search(request, kind)
    if kind is Kind.RECIPIENT:
        visible = access.participants_for(request.user)
        donors = visible.select_related(None).only("code", "recipient_id", "relationship")
        donors = donors.order_by("code")
        queryset = queryset.prefetch_related(Prefetch("donors", queryset=donors))
    else:
        queryset = queryset.select_related("recipient")
    page = Paginator(queryset.order_by("site__number", "sequence"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "trial/participant_list.html",
        {
            "kind": kind.value,
            "title": ParticipantKind(kind.value).label,
            "form": form,
            "page": page,
            "can": _permissions(request),
            "query": _query_without_page(request),
        },
    )


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
@require_GET
def recipient_list(request: HttpRequest) -> HttpResponse:
    return _participant_list(request, Kind.RECIPIENT)


@login_required
@require_GET
def donor_list(request: HttpRequest) -> HttpResponse:
    return _participant_list(request, Kind.DONOR)


EXPORT_COLUMNS = [
    "code",
    "kind",
    "site",
    "sex",
    "birth_year",
    "birth_month",
    "recipient",
    "relationship",
    "screening_date",
    "eligibility",
    "eligibility_date",
    "inclusion_date",
    "infusion_date",
    "end_date",
    "end_cause",
    "stage",
]


@login_required
@require_GET
def participant_export(request: HttpRequest) -> HttpResponse:
    """The participants of the caller's sites as CSV (codes and dates only, no free text)."""
    queryset = access.participants_for(request.user, P.EXPORT_DATA).select_related("recipient")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="participants.csv"'
    writer = csv.writer(response)
    writer.writerow(EXPORT_COLUMNS)
    for p in queryset.order_by("site__number", "-kind", "sequence"):
        writer.writerow(
            [
                p.code,
                p.kind,
                f"{p.site.number:02d}",
                p.sex,
                p.birth_year,
                p.birth_month,
                p.recipient.code if p.recipient else "",
                p.relationship,
                p.screening_date,
                p.eligibility,
                p.eligibility_date or "",
                p.inclusion_date or "",
                p.infusion_date or "",
                p.end_date or "",
                p.end_cause,
                p.stage,
            ]
        )
    return response


# --- Detail ------------------------------------------------------------------------------------


def audit_url(participant: Participant) -> str | None:
    """The audit trail page of the participant, once the audit app provides it."""
    for args in ([participant.code], [participant.pk]):
        try:
            return reverse("audit:participant", args=args)
        except NoReverseMatch:
            continue
    return None


@login_required
@require_GET
def participant_detail(request: HttpRequest, code: str) -> HttpResponse:
    participant = access.get_participant_for(request.user, code)
    consents = list(participant.consents.all())
    donors = sorted(
        access.participants_for(request.user).filter(recipient=participant),
        key=lambda donor: (RELATIONSHIP_PRIORITY.get(donor.relationship, 9), donor.sequence),
    )
    stage = stage_of(participant)
    can = _permissions(request)
    return render(
        request,
        "trial/participant_detail.html",
        {
            "participant": participant,
            "stage": stage,
            "ended": stage in ENDED_STAGES,
            "consents": consents,
            "donors": donors,
            "can": can,
            "audit_url": audit_url(participant) if can[P.VIEW_AUDIT_TRAIL] else None,
        },
    )


# --- Forms -------------------------------------------------------------------------------------


def _form_page(
    request: HttpRequest,
    form: Form,
    run: Callable[[Form], Participant | Any],
    *,
    title: str,
    participant: Participant | None,
    success: str,
) -> HttpResponseBase:
    """Show ``form``; on a valid POST run the action and go to the participant's page."""

    def next_url(result: Participant | Any) -> str:
        target = result if isinstance(result, Participant) else participant
        assert target is not None  # noqa: S101 — every action returns or concerns a participant
        return reverse("trial:participant_detail", kwargs={"code": target.code})

    return action_form_page(
        request,
        form,
        run,
        template="trial/participant_form.html",
        context={"title": title, "participant": participant},
        success=success,
        next_url=next_url,
    )


@login_required
@require_http_methods(["GET", "POST"])
def register_recipient(request: HttpRequest) -> HttpResponseBase:
    access.require(request.user, P.REGISTER_SUBJECT)
    sites = access.sites_for(request.user)
    form = RecipientForm(request.POST or None, sites=sites)

    def run(form: Form) -> Participant:
        data = dict(form.cleaned_data)
        site = data.pop("site")
        return actions.register_recipient(site, by=_user(request), **data)

    return _form_page(
        request,
        form,
        run,
        title=_("Register a recipient"),
        participant=None,
        success=_("Recipient registered."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def register_donor(request: HttpRequest, code: str) -> HttpResponseBase:
    recipient = access.get_participant_for(request.user, code, P.REGISTER_SUBJECT)
    form = DonorForm(request.POST or None)

    def run(form: Form) -> Participant:
        return actions.register_donor(recipient, by=_user(request), **form.cleaned_data)

    return _form_page(
        request,
        form,
        run,
        title=_("Register a donor for %(code)s") % {"code": recipient.code},
        participant=recipient,
        success=_("Donor registered."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_consent(request: HttpRequest, code: str) -> HttpResponseBase:
    participant = access.get_participant_for(request.user, code, P.RECORD_CONSENT)
    form = ConsentForm(request.POST or None)

    def run(form: Form) -> Any:
        return actions.record_consent(participant, by=_user(request), **form.cleaned_data)

    return _form_page(
        request,
        form,
        run,
        title=_("Record a consent of %(code)s") % {"code": participant.code},
        participant=participant,
        success=_("Consent recorded."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw_consent(request: HttpRequest, code: str, consent_id: int) -> HttpResponseBase:
    participant = access.get_participant_for(request.user, code, P.RECORD_CONSENT)
    consent = access.get_consent_for(request.user, participant, consent_id, P.RECORD_CONSENT)
    form = WithdrawConsentForm(request.POST or None, initial={"version": consent.version})

    def run(form: WithdrawConsentForm) -> Any:
        return actions.withdraw_consent(
            consent,
            by=_user(request),
            date=form.cleaned_data["date"],
            reason=form.cleaned_data["reason"],
            expected_version=form.expected_version(),
        )

    return _form_page(
        request,
        form,
        run,  # type: ignore[arg-type]
        title=_("Withdraw the consent %(version)s of %(code)s")
        % {"version": consent.form_version, "code": participant.code},
        participant=participant,
        success=_("Consent withdrawal recorded."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_participant(request: HttpRequest, code: str) -> HttpResponseBase:
    participant = access.get_participant_for(request.user, code, P.EDIT_SCREENING)
    initial: dict[str, Any] = {
        field: getattr(participant, field)
        for field in ("birth_month", "birth_year", "sex", "screening_date")
    }
    if participant.is_donor:
        initial.update(
            relationship=participant.relationship, selection_note=participant.selection_note
        )
    initial["version"] = participant.version
    form = EditParticipantForm(request.POST or None, initial=initial, participant=participant)

    def run(form: EditParticipantForm) -> Participant:
        return actions.update_participant(
            participant,
            by=_user(request),
            reason=form.cleaned_data["reason"],
            expected_version=form.expected_version(),
            **form.changes(),
        )

    return _form_page(
        request,
        form,
        run,  # type: ignore[arg-type]
        title=_("Correct %(code)s") % {"code": participant.code},
        participant=participant,
        success=_("Changes saved."),
    )


def _step_page(
    request: HttpRequest,
    code: str,
    permission: Permission,
    action: Callable[..., Participant],
    *,
    title: str,
    success: str,
    form_class: type[DatedStepForm] = DatedStepForm,
    field: str,
) -> HttpResponseBase:
    participant = access.get_participant_for(request.user, code, permission)
    initial = {"version": participant.version, "date": getattr(participant, field)}
    form = form_class(request.POST or None, initial=initial)

    def run(form: Any) -> Participant:
        data = dict(form.cleaned_data)
        data.pop("version", None)
        return action(
            participant, by=_user(request), expected_version=form.expected_version(), **data
        )

    return _form_page(
        request,
        form,
        run,
        title=title % {"code": participant.code},
        participant=participant,
        success=success,
    )


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest, code: str) -> HttpResponseBase:
    return _step_page(
        request,
        code,
        P.ENROL_SUBJECT,
        actions.enrol,
        title=_("Inclusion of %(code)s"),
        success=_("Inclusion recorded."),
        field="inclusion_date",
    )


@login_required
@require_http_methods(["GET", "POST"])
def end_participation(request: HttpRequest, code: str) -> HttpResponseBase:
    participant = access.get_participant_for(request.user, code, P.END_PARTICIPATION)
    form = EndParticipationForm(request.POST or None, initial={"version": participant.version})

    def run(form: Any) -> Participant:
        return actions.end_participation(
            participant,
            by=_user(request),
            date=form.cleaned_data["date"],
            cause=form.cleaned_data["cause"],
            reason=form.cleaned_data["reason"],
            expected_version=form.expected_version(),
        )

    return _form_page(
        request,
        form,
        run,
        title=_("End the participation of %(code)s") % {"code": participant.code},
        participant=participant,
        success=_("End of participation recorded."),
    )
