"""Pages of the enrolment and the product chain.

A participant page first finds the participant among those the user may see (403 for a role
that sees no participant, 404 for another site's), then checks the permission of the page (403),
and writes only through the actions. Every page is addressed by the study code alone; a batch is
chosen in the form (or ``?batch=`` for the label and the late results), so the site-isolation
sweep covers every page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sclerocell.product.feasibility import STEP_NAMES, FeasibilityStep
from sclerocell.web.accounts.decorators import staff_user as _user
from sclerocell.web.accounts.models import User
from sclerocell.web.accounts.roles import Permission
from sclerocell.web.trial import access, enrolment
from sclerocell.web.trial import actions as trial_actions
from sclerocell.web.trial.forms import apply_errors
from sclerocell.web.trial.models import (
    Enrolment,
    InclusionCounter,
    Participant,
    ProtocolAmendment,
    SafetyBoardDecision,
)
from sclerocell.web.trial.pages import action_form_page

from . import actions, chain
from .feasibility import feasibility_report
from .forms import (
    AmendmentForm,
    BatchForm,
    BatchResultsForm,
    BedsideCheckForm,
    DonorSelectionForm,
    HarvestForm,
    InfusionForm,
    ReleaseForm,
    SafetyBoardDecisionForm,
    donor_choices,
)
from .label_pdf import label_pdf
from .models import RESULT_FIELDS, Batch, Harvest
from .timeline import readable_adverse_events, timeline

P = Permission


def _participant(
    request: HttpRequest, code: str, permission: Permission | None = None
) -> Participant:
    """The participant if the user sees it (403/404 otherwise), then the page's permission."""
    participant = access.get_participant_for(request.user, code)
    if permission is not None:
        access.require(request.user, permission)
    return participant


def _can(request: HttpRequest) -> dict[str, bool]:
    user: Any = request.user
    return {permission.value: user.can(permission) for permission in Permission}


def _form_page(
    request: HttpRequest,
    form: Form,
    run: Callable[[Any], Any],
    *,
    title: str,
    participant: Participant | None,
    success: str,
    next_url: Callable[[Any], str],
    context: dict[str, Any] | None = None,
    template: str = "product/form.html",
) -> HttpResponseBase:
    """Show ``form``; on a valid POST run the action and go to ``next_url(result)``."""
    return action_form_page(
        request,
        form,
        run,
        template=template,
        context={"title": title, "participant": participant, **(context or {})},
        success=success,
        next_url=next_url,
    )


def _product_url(participant: Participant) -> str:
    return reverse("product:chain", args=[participant.code])


# --- Reading -----------------------------------------------------------------------------------


@login_required
@require_GET
def chain_page(request: HttpRequest, code: str) -> HttpResponse:
    """The product chain of a recipient (or of a donor's recipient): the batch page."""
    participant = _participant(request, code)
    recipient = chain.recipient_of(participant)
    found = chain.chain_of(recipient)
    former = {batch.pk for batch in found.former_donor_batches()}
    batches = [
        {
            "batch": batch,
            "decision": chain.decision_of(batch),
            "lines": _lines(batch),
            "former_donor": batch.pk in former,
        }
        for batch in found.batches
    ]
    return render(
        request,
        "product/chain.html",
        {
            "participant": participant,
            "recipient": recipient,
            "chain": found,
            "batches": batches,
            "checks": [
                (check, _localized(check.message_fr, check.message_en)) for check in found.checks
            ],
            "can": _can(request),
            "french": _is_french(),
        },
    )


def _lines(batch: Batch) -> list[dict[str, Any]]:
    decision = chain.decision_of(batch)
    rows = (
        decision.assessment if decision is not None else chain.assessment_rows(chain.assess(batch))
    )
    key = "fr" if _is_french() else "en"
    return [{"outcome": row["outcome"], "text": row[key], "limit": row["limit"]} for row in rows]


def _is_french() -> bool:
    return (translation.get_language() or "fr").startswith("fr")


def _localized(french: str, english: str) -> str:
    return french if _is_french() else english


@login_required
@require_GET
def timeline_page(request: HttpRequest, code: str) -> HttpResponse:
    participant = _participant(request, code)
    adverse_events, may_read_events = readable_adverse_events(request.user, participant)
    return render(
        request,
        "product/timeline.html",
        {
            "participant": participant,
            "events": timeline(
                participant,
                adverse_events=adverse_events,
                link_adverse_events=may_read_events,
            ),
            "may_read_events": may_read_events,
        },
    )


@login_required
@require_GET
def label(request: HttpRequest, code: str) -> HttpResponse:
    """The PDF label of a released batch of the recipient (``?batch=``, else the last released)."""
    participant = _participant(request, code)
    user: Any = request.user
    if not (user.can(P.RECORD_PRODUCT) or user.can(P.RELEASE_BATCH)):
        raise PermissionDenied
    recipient = chain.recipient_of(participant)
    found = chain.chain_of(recipient)
    # A released batch of a donor replaced since gets no label: it can never be infused.
    released = [b for b in found.released_batches() if chain.is_of_chosen_donor(b, found.donor)]
    wanted = request.GET.get("batch")
    candidates = [batch for batch in released if not wanted or batch.number == wanted]
    if not candidates:
        raise Http404("No released batch")
    batch = candidates[-1]
    cohort = chain.enrolment_of(recipient)
    pdf = label_pdf(
        batch,
        cohort.dose_level if cohort else None,
        cohort.target_cells_per_kg if cohort else None,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="label-{batch.number}.pdf"'
    return response


# --- Enrolment ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def select_donor(request: HttpRequest, code: str) -> HttpResponseBase:
    recipient = _participant(request, code, P.ENROL_SUBJECT)
    if not recipient.is_recipient:
        raise Http404("Not a recipient")
    donors = list(recipient.donors.order_by("sequence"))
    day = timezone.localdate()
    tiers = enrolment.ranking(recipient, day)
    selection = chain.selection_of(recipient)
    initial: dict[str, Any] = {"date": day}
    if selection is not None:
        initial.update(
            donor=selection.donor.code,
            date=selection.selected_on,
            justification=selection.justification,
            version=selection.version,
        )
    form = DonorSelectionForm(
        request.POST or None, initial=initial, donors=donor_choices(donors, tiers)
    )
    by_code = {donor.code: donor for donor in donors}

    def run(form: DonorSelectionForm) -> Any:
        data = form.cleaned_data
        return trial_actions.select_donor(
            recipient,
            by=_user(request),
            donor=by_code[data["donor"]],
            date=data["date"],
            justification=data["justification"],
            reason=data["reason"],
            expected_version=form.expected_version(),
        )

    return _form_page(
        request,
        form,
        run,
        title=_("Choice of the donor of %(code)s") % {"code": recipient.code},
        participant=recipient,
        success=_("Donor choice recorded."),
        next_url=lambda _result: _detail_url(recipient),
        context={
            "help": _(
                "Protocol priority: siblings, then parents, then cousins or other family "
                "members, then the spouse."
            )
        },
    )


def _detail_url(participant: Participant) -> str:
    return reverse("trial:participant_detail", args=[participant.code])


@login_required
@require_GET
def enrolment_page(request: HttpRequest) -> HttpResponse:
    """The study frame in force, the inclusions against capacity, the dose cohorts."""
    access.require(request.user, P.VIEW_SUBJECTS)
    today = timezone.localdate()
    frame = enrolment.frame_on(today)
    counters = dict(InclusionCounter.objects.values_list("kind", "last_rank"))
    visible = access.participants_for(request.user)
    own = (
        Enrolment.objects.filter(participant__in=visible, kind="recipient")
        .select_related("participant")
        .order_by("rank")
    )
    levels = []
    for level in frame.dose_settings().levels:
        levels.append(
            {
                "level": level,
                "label": enrolment.localized(level.label()),
                "open": enrolment.level_is_open(level.level, today),
                "recipients": [e for e in own if e.dose_level == level.level],
            }
        )
    return render(
        request,
        "product/enrolment.html",
        {
            "frame": frame,
            "included_recipients": counters.get("recipient", 0),
            "included_donors": counters.get("donor", 0),
            "levels": levels,
            "decisions": SafetyBoardDecision.objects.all(),
            "amendments": ProtocolAmendment.objects.all(),
            "can": _can(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_safety_board_decision(request: HttpRequest) -> HttpResponseBase:
    access.require(request.user, P.ENROL_SUBJECT)
    levels = enrolment.frame_on(timezone.localdate()).dose_settings().levels
    form = SafetyBoardDecisionForm(
        request.POST or None,
        levels=[(level.level, enrolment.localized(level.label())) for level in levels],
    )

    def run(form: Form) -> Any:
        return trial_actions.record_safety_board_decision(by=_user(request), **form.cleaned_data)

    return _form_page(
        request,
        form,
        run,
        title=_("Safety board decision"),
        participant=None,
        success=_("Safety board decision recorded."),
        next_url=lambda _result: _enrolment_url(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_protocol_amendment(request: HttpRequest) -> HttpResponseBase:
    access.require(request.user, P.ENROL_SUBJECT)
    form = AmendmentForm(request.POST or None)

    def run(form: Form) -> Any:
        return trial_actions.record_protocol_amendment(by=_user(request), **form.cleaned_data)

    return _form_page(
        request,
        form,
        run,
        title=_("Protocol amendment"),
        participant=None,
        success=_("Protocol amendment recorded."),
        next_url=lambda _result: _enrolment_url(),
    )


def _enrolment_url() -> str:
    return reverse("product:enrolment")


# --- Product chain -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def record_harvest(request: HttpRequest, code: str) -> HttpResponseBase:
    participant = _participant(request, code, P.RECORD_PRODUCT)
    recipient = chain.recipient_of(participant)
    selection = chain.selection_of(recipient)
    staff = User.objects.filter(sites=recipient.site, is_active=True).order_by("username")
    form = HarvestForm(request.POST or None, staff=staff)

    def run(form: Form) -> Any:
        if selection is None:
            raise ValidationError(_("Choose the donor first."))
        return actions.record_harvest(selection.donor, by=_user(request), **form.cleaned_data)

    donor_code = selection.donor.code if selection else "—"
    return _form_page(
        request,
        form,
        run,
        title=_("Bone-marrow harvest of %(code)s") % {"code": donor_code},
        participant=recipient,
        success=_("Harvest recorded."),
        next_url=lambda _result: _product_url(recipient),
    )


def _harvests(recipient: Participant) -> QuerySet[Harvest]:
    return Harvest.objects.filter(donor__recipient=recipient).select_related("donor")


@login_required
@require_http_methods(["GET", "POST"])
def record_batch(request: HttpRequest, code: str) -> HttpResponseBase:
    participant = _participant(request, code, P.RECORD_PRODUCT)
    recipient = chain.recipient_of(participant)
    form = BatchForm(request.POST or None, harvests=_harvests(recipient))

    def run(form: Form) -> Any:
        data = dict(form.cleaned_data)
        harvest = data.pop("harvest")
        return actions.record_batch(harvest, by=_user(request), **data)

    return _form_page(
        request,
        form,
        run,
        title=_("MSC batch for %(code)s") % {"code": recipient.code},
        participant=recipient,
        success=_("Batch recorded."),
        next_url=lambda _result: _product_url(recipient),
    )


def _batch_of(recipient: Participant, number: str | None) -> Batch:
    batch = Batch.objects.filter(recipient=recipient, number=number or "").first()
    if batch is None:
        raise Http404("No such batch")
    return batch


@login_required
@require_http_methods(["GET", "POST"])
def update_batch_results(request: HttpRequest, code: str) -> HttpResponseBase:
    participant = _participant(request, code, P.RECORD_PRODUCT)
    recipient = chain.recipient_of(participant)
    batch = _batch_of(recipient, request.GET.get("batch"))
    initial = {field: getattr(batch, field) for field in RESULT_FIELDS}
    initial["version"] = batch.version
    form = BatchResultsForm(request.POST or None, initial=initial)

    def run(form: BatchResultsForm) -> Any:
        data = dict(form.cleaned_data)
        reason, _version = data.pop("reason"), data.pop("version")
        return actions.update_batch_results(
            batch,
            by=_user(request),
            reason=reason,
            expected_version=form.expected_version(),
            **data,
        )

    return _form_page(
        request,
        form,
        run,
        title=_("Quality-control results of batch %(number)s") % {"number": batch.number},
        participant=recipient,
        success=_("Results recorded."),
        next_url=lambda _result: _product_url(recipient),
    )


@login_required
@require_http_methods(["GET", "POST"])
def release_batch(request: HttpRequest, code: str) -> HttpResponseBase:
    participant = _participant(request, code, P.RELEASE_BATCH)
    recipient = chain.recipient_of(participant)
    batches = Batch.objects.filter(recipient=recipient, release__isnull=True).select_related(
        "harvest__donor"
    )
    form = ReleaseForm(request.POST or None, batches=batches)

    def run(form: Form) -> Any:
        data = dict(form.cleaned_data)
        batch = data.pop("batch")
        return actions.release_batch(batch, by=_user(request), **data)

    return _form_page(
        request,
        form,
        run,
        title=_("Release decision for %(code)s") % {"code": recipient.code},
        participant=recipient,
        success=_("Decision signed and recorded."),
        next_url=lambda _result: _product_url(recipient),
        context={
            "pending": [{"batch": batch, "lines": _lines(batch)} for batch in batches],
            "help": _(
                "Entering your password signs the decision electronically: your account, the "
                "time and the meaning of the signature are recorded with it."
            ),
        },
        template="product/release.html",
    )


@login_required
@require_http_methods(["GET", "POST"])
def bedside_check(request: HttpRequest, code: str) -> HttpResponseBase:
    """Scan the bag and the wristband; every attempt is recorded, a refusal says why."""
    participant = _participant(request, code, P.RECORD_INFUSION)
    recipient = chain.recipient_of(participant)
    form = BedsideCheckForm(request.POST or None)
    outcome = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                attempt = actions.check_at_bedside(
                    recipient, by=_user(request), **form.cleaned_data
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                if attempt.accepted:
                    messages.success(request, _localized(attempt.message_fr, attempt.message_en))
                    return redirect("product:record_infusion", code=recipient.code)
                outcome = _localized(attempt.message_fr, attempt.message_en)
                status = 200
                form = BedsideCheckForm(initial={"weight_kg": attempt.weight_kg})
    return render(
        request,
        "product/bedside_check.html",
        {
            "form": form,
            "participant": recipient,
            "refusal": outcome,
            "title": _("Bedside check for %(code)s") % {"code": recipient.code},
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_infusion(request: HttpRequest, code: str) -> HttpResponseBase:
    participant = _participant(request, code, P.RECORD_INFUSION)
    recipient = chain.recipient_of(participant)
    check = chain.last_bedside_check(recipient)
    ready = check is not None and check.accepted
    initial: dict[str, Any] = {"immediate_reaction": "no"}
    if ready and check is not None:
        initial.update(weight_kg=check.weight_kg, started_at=timezone.localtime(check.checked_at))
    form = InfusionForm(request.POST or None, initial=initial)

    def run(form: InfusionForm) -> Any:
        return actions.record_infusion(recipient, by=_user(request), **form.action_arguments())

    return _form_page(
        request,
        form,
        run,
        title=_("Infusion of %(code)s") % {"code": recipient.code},
        participant=recipient,
        success=_("Infusion recorded."),
        next_url=lambda _result: _product_url(recipient),
        context={
            "check": check if ready else None,
            "help": None
            if ready
            else _(
                "Do the bedside check first: this recipient's last check is missing or refused."
            ),
        },
    )


# --- Feasibility -------------------------------------------------------------------------------


@login_required
@require_GET
def feasibility_page(request: HttpRequest) -> HttpResponse:
    """Feasibility counts over the included recipients of the user's sites."""
    access.require(request.user, P.VIEW_REPORTS)
    recipients = Participant.objects.filter(site__in=access.sites_for(request.user))
    report = feasibility_report(recipients)
    rows = [
        {
            "name": enrolment.localized(STEP_NAMES[step]),
            "proportion": report.steps[step],
        }
        for step in FeasibilityStep
    ]
    return render(
        request,
        "product/feasibility.html",
        {"report": report, "rows": rows},
    )
