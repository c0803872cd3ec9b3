"""Every change of participant data, one function per action.

Each action checks the caller's permission (the roles MATRIX) and site, validates its input
(a translated ``ValidationError`` keyed by the argument that caused it, raised before anything
is written), runs in one ``audit_scope`` transaction, and returns the object it wrote. Views and
API handlers call these; they never ``save()`` trial data themselves.

A change after the first entry needs a reason (it is written to the audit trail). Actions that
edit an existing participant lock its row and, when given ``expected_version``, refuse to
overwrite a change made by someone else since the form was opened.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Mapping
from typing import Any, Protocol

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sclerocell.product.dosing import dose_level
from sclerocell.web.accounts.models import Site, User
from sclerocell.web.accounts.roles import Permission
from sclerocell.web.audit.context import audit_scope

from . import enrolment, studycode
from .access import may_act_at, sites_for
from .identityguard import refuse_identifiers
from .models import (
    Consent,
    DonorSelection,
    Eligibility,
    EndCause,
    Enrolment,
    InclusionCounter,
    Participant,
    ProtocolAmendment,
    Relationship,
    SafetyBoardDecision,
    SafetyBoardOutcome,
    Sex,
    SiteCounter,
)
from .studycode import Kind

# The inclusion period opened in March 2014 (CRITERIA.md, study frame).
STUDY_START = datetime.date(2014, 3, 1)
# Participation lasts 2 years after the infusion (``enrolment.PROTOCOL_FRAME``, amendable); the
# last visit's window is ± 30 days.
LAST_VISIT_WINDOW_DAYS = 30
EARLIEST_BIRTH_YEAR = 1900
REASON_MAX_LENGTH = 500

Errors = dict[str, list[Any]]


# --- Checks shared by the actions --------------------------------------------------------------


def _authorise(by: User, permission: Permission, site: Site) -> None:
    if not may_act_at(by, permission, site):
        raise PermissionDenied


def _today() -> datetime.date:
    return timezone.localdate()


def _raise_if(errors: Mapping[str, list[Any]]) -> None:
    if any(errors.values()):
        raise ValidationError({key: value for key, value in errors.items() if value})


def _check_date(
    errors: Errors,
    key: str,
    value: datetime.date | None,
    *,
    required: bool = True,
    not_before: tuple[datetime.date | None, Any] | None = None,
) -> None:
    """Not in the future, and not before ``not_before`` (a date and its translated message)."""
    if value is None:
        if required:
            errors.setdefault(key, []).append(_("This date is required."))
        return
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        errors.setdefault(key, []).append(_("Enter a valid date."))
        return
    if value > _today():
        errors.setdefault(key, []).append(_("This date is in the future."))
    if not_before is not None and not_before[0] is not None and value < not_before[0]:
        errors.setdefault(key, []).append(not_before[1])


def _check_reason(errors: Errors, reason: str, *, required: bool) -> str:
    text = (reason or "").strip()
    if required and not text:
        errors.setdefault("reason", []).append(
            _("Give the reason for this change (it is kept in the audit trail).")
        )
    if len(text) > REASON_MAX_LENGTH:
        errors.setdefault("reason", []).append(
            _("Keep the reason under %(n)d characters.") % {"n": REASON_MAX_LENGTH}
        )
    try:
        refuse_identifiers(text)
    except ValidationError as exc:
        errors.setdefault("reason", []).extend(exc.messages)
    return text


def _check_free_text(errors: Errors, key: str, text: str) -> str:
    try:
        refuse_identifiers(text or "")
    except ValidationError as exc:
        errors.setdefault(key, []).extend(exc.messages)
    return (text or "").strip()


def _check_birth(
    errors: Errors, birth_year: Any, birth_month: Any, screening_date: datetime.date | None
) -> None:
    if not isinstance(birth_month, int) or not 1 <= birth_month <= 12:
        errors.setdefault("birth_month", []).append(_("Enter a month between 1 and 12."))
        return
    if not isinstance(birth_year, int) or birth_year < EARLIEST_BIRTH_YEAR:
        errors.setdefault("birth_year", []).append(
            _("Enter a year of birth after %(year)d.") % {"year": EARLIEST_BIRTH_YEAR}
        )
        return
    latest = screening_date if isinstance(screening_date, datetime.date) else _today()
    if (birth_year, birth_month) > (latest.year, latest.month):
        errors.setdefault("birth_year", []).append(
            _("The month of birth is after the screening date.")
        )


def _check_choice(errors: Errors, key: str, value: Any, choices: type[Any]) -> None:
    if value not in choices.values:
        errors.setdefault(key, []).append(_("Select a valid choice."))


class Versioned(Protocol):
    version: int


def _check_version(row: Versioned, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != row.version:
        message = _(
            "Someone else changed this record since you opened the form. "
            "Reload the page and enter your change again."
        )
        raise ValidationError({NON_FIELD_ERRORS: [ValidationError(message, code="stale")]})


def _refuse_if_ended(participant: Participant) -> None:
    if participant.has_ended:
        message = _("This participant's participation has ended.")
        raise ValidationError({NON_FIELD_ERRORS: [ValidationError(message, code="ended")]})


def _lock(participant: Participant) -> Participant:
    return Participant.objects.select_for_update().select_related("site").get(pk=participant.pk)


def _save(participant: Participant, fields: list[str]) -> Participant:
    participant.version += 1
    participant.save(update_fields=[*fields, "version"])
    return participant


def _next_sequence(site: Site, kind: Kind) -> int:
    """The next sequence number at ``site`` for ``kind``, under a lock on the site's counter."""
    SiteCounter.objects.bulk_create(
        [SiteCounter(site=site, kind=kind.value)], ignore_conflicts=True
    )
    counter = SiteCounter.objects.select_for_update().get(site=site, kind=kind.value)
    if counter.last_sequence >= studycode.MAX_SEQUENCE:
        raise ValidationError(
            {NON_FIELD_ERRORS: [_("This site has used every study code of this kind.")]}
        )
    counter.last_sequence += 1
    counter.save(update_fields=["last_sequence"])
    return counter.last_sequence


def _months_later(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- Registration ------------------------------------------------------------------------------


def _validate_person(
    errors: Errors,
    *,
    birth_year: Any,
    birth_month: Any,
    sex: Any,
    screening_date: Any,
) -> None:
    _check_date(
        errors,
        "screening_date",
        screening_date,
        not_before=(STUDY_START, _("Screening opened in March 2014.")),
    )
    _check_birth(errors, birth_year, birth_month, screening_date)
    _check_choice(errors, "sex", sex, Sex)


def register_recipient(
    site: Site,
    *,
    by: User,
    birth_year: int,
    birth_month: int,
    sex: str,
    screening_date: datetime.date,
) -> Participant:
    """Register a recipient at screening and issue their study code."""
    _authorise(by, Permission.REGISTER_SUBJECT, site)
    errors: Errors = {}
    _validate_person(
        errors,
        birth_year=birth_year,
        birth_month=birth_month,
        sex=sex,
        screening_date=screening_date,
    )
    _raise_if(errors)
    with audit_scope(by=by, reason="", action="register_recipient"):
        return _create_participant(
            site,
            Kind.RECIPIENT,
            birth_year=birth_year,
            birth_month=birth_month,
            sex=sex,
            screening_date=screening_date,
        )


def register_donor(
    recipient: Participant,
    *,
    by: User,
    relationship: str,
    birth_year: int,
    birth_month: int,
    sex: str,
    screening_date: datetime.date,
    selection_note: str = "",
) -> Participant:
    """Register an MSC donor for ``recipient`` (at the recipient's site) and issue their code."""
    _authorise(by, Permission.REGISTER_SUBJECT, recipient.site)
    if not recipient.is_recipient:
        raise ValidationError({NON_FIELD_ERRORS: [_("A donor gives to a recipient.")]})
    _refuse_if_ended(recipient)
    errors: Errors = {}
    _check_choice(errors, "relationship", relationship, Relationship)
    _validate_person(
        errors,
        birth_year=birth_year,
        birth_month=birth_month,
        sex=sex,
        screening_date=screening_date,
    )
    note = _check_free_text(errors, "selection_note", selection_note)
    _raise_if(errors)
    with audit_scope(by=by, reason="", action="register_donor"):
        return _create_participant(
            recipient.site,
            Kind.DONOR,
            birth_year=birth_year,
            birth_month=birth_month,
            sex=sex,
            screening_date=screening_date,
            recipient=recipient,
            relationship=relationship,
            selection_note=note,
        )


def _create_participant(site: Site, kind: Kind, **fields: Any) -> Participant:
    sequence = _next_sequence(site, kind)
    return Participant.objects.create(
        site=site,
        kind=kind.value,
        sequence=sequence,
        code=studycode.format_code(site.number, kind, sequence),
        **fields,
    )


# --- Consent -----------------------------------------------------------------------------------


def record_consent(
    participant: Participant,
    *,
    by: User,
    form_version: str,
    signed_date: datetime.date,
) -> Consent:
    """Record a signed informed-consent form (a new form version is a new record)."""
    _authorise(by, Permission.RECORD_CONSENT, participant.site)
    _refuse_if_ended(participant)
    errors: Errors = {}
    version_text = _check_free_text(errors, "form_version", form_version)
    if not version_text:
        errors.setdefault("form_version", []).append(_("Enter the version of the consent form."))
    if len(version_text) > Consent._meta.get_field("form_version").max_length:  # type: ignore[operator]
        errors.setdefault("form_version", []).append(_("This version label is too long."))
    _check_date(
        errors,
        "signed_date",
        signed_date,
        not_before=(STUDY_START, _("The study opened in March 2014.")),
    )
    _raise_if(errors)
    with audit_scope(by=by, reason="", action="record_consent"):
        consent = Consent.objects.create(
            participant=participant, form_version=version_text, signed_date=signed_date
        )
        _screening_data_changed(participant, by, "record_consent")
        return consent


def withdraw_consent(
    consent: Consent,
    *,
    by: User,
    date: datetime.date,
    reason: str,
    expected_version: int | None = None,
) -> Consent:
    """Record that the participant withdrew this consent on ``date``."""
    participant = consent.participant
    _authorise(by, Permission.RECORD_CONSENT, participant.site)
    errors: Errors = {}
    if consent.withdrawn_date is not None:
        errors.setdefault(NON_FIELD_ERRORS, []).append(_("This consent is already withdrawn."))
    _check_date(
        errors,
        "date",
        date,
        not_before=(consent.signed_date, _("A consent is withdrawn after it was signed.")),
    )
    text = _check_reason(errors, reason, required=True)
    _raise_if(errors)
    with audit_scope(by=by, reason=text, action="withdraw_consent"):
        locked = Consent.objects.select_for_update().get(pk=consent.pk)
        _check_version(locked, expected_version)
        locked.withdrawn_date = date
        locked.version += 1
        locked.save(update_fields=["withdrawn_date", "version"])
        _screening_data_changed(participant, by, "withdraw_consent")
        return locked


# --- Corrections -------------------------------------------------------------------------------

EDITABLE_FIELDS = frozenset({"birth_year", "birth_month", "sex", "screening_date"})
DONOR_EDITABLE_FIELDS = frozenset({"relationship", "selection_note"})


def update_participant(
    participant: Participant,
    *,
    by: User,
    reason: str,
    expected_version: int | None = None,
    **changes: Any,
) -> Participant:
    """Correct the month/year of birth, sex, screening date (and a donor's relationship)."""
    _authorise(by, Permission.EDIT_SCREENING, participant.site)
    allowed = EDITABLE_FIELDS | (DONOR_EDITABLE_FIELDS if participant.is_donor else frozenset())
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"update_participant cannot change {sorted(unknown)}")
    merged = {field: changes.get(field, getattr(participant, field)) for field in allowed}
    errors: Errors = {}
    _validate_person(
        errors,
        birth_year=merged["birth_year"],
        birth_month=merged["birth_month"],
        sex=merged["sex"],
        screening_date=merged["screening_date"],
    )
    if participant.is_donor:
        _check_choice(errors, "relationship", merged["relationship"], Relationship)
        merged["selection_note"] = _check_free_text(
            errors, "selection_note", merged["selection_note"]
        )
    first_milestone = participant.eligibility_date or participant.inclusion_date
    if isinstance(merged["screening_date"], datetime.date) and first_milestone is not None:
        if merged["screening_date"] > first_milestone:
            errors.setdefault("screening_date", []).append(
                _("The screening date must come before the later dates of the participant.")
            )
    text = _check_reason(errors, reason, required=True)
    _raise_if(errors)
    changed = [field for field in sorted(allowed) if merged[field] != getattr(participant, field)]
    with audit_scope(by=by, reason=text, action="update_participant"):
        locked = _lock(participant)
        _check_version(locked, expected_version)
        if not changed:
            return locked
        for field in changed:
            setattr(locked, field, merged[field])
        saved = _save(locked, changed)
        _screening_data_changed(saved, by, "update_participant")
        return saved


# --- Path through the study (placeholders until the eligibility and infusion issues) -----------


def record_eligibility(
    participant: Participant,
    *,
    by: User,
    eligibility: str,
    date: datetime.date,
    reason: str = "",
    expected_version: int | None = None,
) -> Participant:
    """Record the eligibility decision on the participant.

    Called by the investigator's electronic sign-off (``screening.actions.sign_eligibility``),
    which freezes the facts and the verdict it was made on; there is no page for an unsigned
    decision. Tests may call it directly to set up an eligible participant.
    """
    _authorise(by, Permission.SIGN_ELIGIBILITY, participant.site)
    _refuse_if_ended(participant)
    errors: Errors = {}
    if eligibility not in (Eligibility.ELIGIBLE, Eligibility.NOT_ELIGIBLE):
        errors.setdefault("eligibility", []).append(_("Select a valid choice."))
    if eligibility == Eligibility.NOT_ELIGIBLE and participant.inclusion_date is not None:
        errors.setdefault("eligibility", []).append(
            _("This participant is already included; end their participation instead.")
        )
    _check_date(
        errors,
        "date",
        date,
        not_before=(participant.screening_date, _("The decision follows the screening date.")),
    )
    text = _check_reason(errors, reason, required=bool(participant.eligibility))
    _raise_if(errors)
    with audit_scope(by=by, reason=text, action="record_eligibility"):
        locked = _lock(participant)
        _check_version(locked, expected_version)
        locked.eligibility, locked.eligibility_date = eligibility, date
        return _save(locked, ["eligibility", "eligibility_date"])


def withdraw_eligibility(participant: Participant, *, by: User, reason: str) -> Participant:
    """Send a participant not yet included back to "not decided": the screening data the signed
    decision rested on changed (``screening.signatures.recheck``). The decision is signed again
    on the new data."""
    _authorise(by, Permission.EDIT_SCREENING, participant.site)
    errors: Errors = {}
    if participant.inclusion_date is not None:
        errors.setdefault(NON_FIELD_ERRORS, []).append(
            _("This participant is already included; end their participation instead.")
        )
    text = _check_reason(errors, reason, required=True)
    _raise_if(errors)
    with audit_scope(by=by, reason=text, action="withdraw_eligibility"):
        locked = _lock(participant)
        if not locked.eligibility:
            return locked
        locked.eligibility, locked.eligibility_date = Eligibility.PENDING, None
        return _save(locked, ["eligibility", "eligibility_date"])


def _screening_data_changed(participant: Participant, by: User, action: str) -> None:
    """Data the screening reads changed: a signature made on other facts no longer holds."""
    from sclerocell.web.screening.signatures import recheck  # the screening app builds on trial

    recheck(participant, by=by, action=action)


def enrol(
    participant: Participant,
    *,
    by: User,
    date: datetime.date,
    reason: str = "",
    expected_version: int | None = None,
) -> Participant:
    """Include a participant: assigns the rank of inclusion and, for a recipient, the dose cohort.

    A recipient needs the signed eligibility, a consent in force on the date and a chosen donor
    who is eligible, participating and consenting on that date (``select_donor``); a donor must
    be the one chosen for their recipient. The date falls inside the inclusion period of the
    study frame in force (``enrolment.frame_on``). The first inclusion takes the next rank under
    a lock on the study-wide counter, refused beyond the capacity and, for a recipient opening a
    dose level, before the safety board has opened it. Changing a recorded inclusion date needs
    a reason and keeps the rank.
    """
    _authorise(by, Permission.ENROL_SUBJECT, participant.site)
    _refuse_if_ended(participant)
    errors: Errors = {}
    if participant.eligibility != Eligibility.ELIGIBLE:
        errors.setdefault(NON_FIELD_ERRORS, []).append(
            _("Only an eligible participant can be included.")
        )
    _check_date(
        errors,
        "date",
        date,
        not_before=(
            participant.eligibility_date,
            _("The inclusion follows the eligibility decision."),
        ),
    )
    first = participant.inclusion_date is None
    frame = enrolment.PROTOCOL_FRAME
    if isinstance(date, datetime.date) and not isinstance(date, datetime.datetime):
        frame = enrolment.frame_on(date)
        _check_inclusion_date(errors, participant, date, frame)
        if first:
            counter = InclusionCounter.objects.filter(kind=participant.kind).first()
            next_rank = (counter.last_rank if counter else 0) + 1
            errors.setdefault(NON_FIELD_ERRORS, []).extend(
                _inclusion_problems(participant, next_rank, date, frame)
            )
    text = _check_reason(errors, reason, required=not first)
    _raise_if(errors)
    with audit_scope(by=by, reason=text, action="enrol"):
        locked = _lock(participant)
        _check_version(locked, expected_version)
        if locked.inclusion_date is None:
            _assign_rank(locked, date, frame)
        locked.inclusion_date = date
        return _save(locked, ["inclusion_date"])


def _check_inclusion_date(
    errors: Errors, participant: Participant, date: datetime.date, frame: enrolment.StudyFrame
) -> None:
    if not enrolment.has_consent_on(participant, date):
        errors.setdefault("date", []).append(
            _("No consent in force on this date: record the signed consent first.")
        )
    if not frame.inclusion_start <= date <= frame.inclusion_end:
        errors.setdefault("date", []).append(
            _("Inclusions are open from %(start)s to %(end)s (protocol %(version)s).")
            % {
                "start": frame.inclusion_start.isoformat(),
                "end": frame.inclusion_end.isoformat(),
                "version": frame.version,
            }
        )
    if participant.is_recipient:
        selection = DonorSelection.objects.filter(recipient=participant).first()
        if selection is None:
            errors.setdefault(NON_FIELD_ERRORS, []).append(
                _("Choose the donor first: a recipient is included only with an eligible donor.")
            )
        elif not enrolment.donor_is_available(selection.donor, date):
            errors.setdefault(NON_FIELD_ERRORS, []).append(
                _(
                    "The chosen donor %(code)s is not eligible, no longer participates or has "
                    "no consent in force on this date."
                )
                % {"code": selection.donor.code}
            )
    elif not DonorSelection.objects.filter(donor=participant).exists():
        errors.setdefault(NON_FIELD_ERRORS, []).append(
            _("Only the donor chosen for the recipient is included.")
        )


def _inclusion_problems(
    participant: Participant, rank: int, date: datetime.date, frame: enrolment.StudyFrame
) -> list[Any]:
    """Why the participant cannot take ``rank`` on ``date``: capacity, then the dose level."""
    capacity = frame.capacity(participant.kind)
    if rank > capacity:
        message = (
            _(
                "The study has already included its %(n)d recipients (protocol %(version)s): "
                "no further inclusion without a protocol amendment."
            )
            if participant.is_recipient
            else _(
                "The study has already included its %(n)d donors (protocol %(version)s): "
                "no further inclusion without a protocol amendment."
            )
        )
        return [message % {"n": capacity, "version": frame.version}]
    if not participant.is_recipient:
        return []
    level = dose_level(rank, frame.dose_settings())
    if enrolment.level_is_open(level.level, date):
        return enrolment.stopping_rule_holds(rank, level, date)
    decision = enrolment.decision_in_force(level.level - 1, date)
    values = {
        "rank": rank,
        "level": enrolment.localized(level.label()),
        "previous": level.level - 1,
        "date": date.isoformat(),
    }
    if decision is None:
        return [
            _(
                "On hold: inclusion no. %(rank)d opens %(level)s, which needs the safety "
                "board's decision on level %(previous)d; none is recorded on or before "
                "%(date)s."
            )
            % values
        ]
    values.update(
        outcome=decision.get_outcome_display(),
        decided_on=decision.decided_on.isoformat(),
        minutes=decision.minutes_reference,
    )
    return [
        _(
            "On hold: inclusion no. %(rank)d opens %(level)s, but the safety board decided "
            "“%(outcome)s” on level %(previous)d on %(decided_on)s (minutes %(minutes)s)."
        )
        % values
    ]


def _assign_rank(
    participant: Participant, date: datetime.date, frame: enrolment.StudyFrame
) -> None:
    """Take the next rank under the row lock of the kind's counter (re-checking everything)."""
    InclusionCounter.objects.bulk_create(
        [InclusionCounter(kind=participant.kind)], ignore_conflicts=True
    )
    counter = InclusionCounter.objects.select_for_update().get(kind=participant.kind)
    rank = counter.last_rank + 1
    problems = _inclusion_problems(participant, rank, date, frame)
    if problems:
        raise ValidationError({NON_FIELD_ERRORS: problems})
    level = dose_level(rank, frame.dose_settings()) if participant.is_recipient else None
    counter.last_rank = rank
    counter.save(update_fields=["last_rank"])
    Enrolment.objects.create(
        participant=participant,
        kind=participant.kind,
        rank=rank,
        dose_level=level.level if level else None,
        target_cells_per_kg=level.cells_per_kg if level else None,
        frame_version=frame.version,
    )


def end_participation(
    participant: Participant,
    *,
    by: User,
    date: datetime.date,
    cause: str,
    reason: str,
    expected_version: int | None = None,
) -> Participant:
    """End a participant's participation: completed, withdrawal, lost to follow-up or death.

    The reason is kept on the participant (``end_reason``) as well as in the audit trail. A
    death needs the participant's grade 5 adverse event dated that day: it is recorded through
    ``safety.actions.record_adverse_event``, which ends the participation itself.
    """
    _authorise(by, Permission.END_PARTICIPATION, participant.site)
    _refuse_if_ended(participant)
    errors: Errors = {}
    _check_choice(errors, "cause", cause, EndCause)
    latest = max(
        (
            day
            for day in (
                participant.screening_date,
                participant.eligibility_date,
                participant.inclusion_date,
                participant.infusion_date,
            )
            if day is not None
        ),
        default=None,
    )
    _check_date(
        errors,
        "date",
        date,
        not_before=(latest, _("The end of participation follows the participant's last date.")),
    )
    if cause == EndCause.COMPLETED:
        _check_completion(errors, participant, date)
    if cause == EndCause.DEATH:
        _check_death(errors, participant, date)
    text = _check_reason(errors, reason, required=True)
    _raise_if(errors)
    with audit_scope(by=by, reason=text, action="end_participation"):
        locked = _lock(participant)
        _check_version(locked, expected_version)
        locked.end_date, locked.end_cause, locked.end_reason = date, cause, text
        return _save(locked, ["end_date", "end_cause", "end_reason"])


def _check_death(errors: Errors, participant: Participant, date: Any) -> None:
    """A death goes through its grade 5 adverse event (cause of death, SAE clocks).

    ``safety.actions.record_adverse_event`` writes the fatal event, then calls
    ``end_participation`` in the same transaction: the event is there, dated the day of death.
    """
    from sclerocell.web.safety.models import AdverseEvent  # the safety app builds on trial

    fatal = AdverseEvent.objects.filter(participant=participant, grade=5).order_by("number")
    if not fatal.exists():
        errors.setdefault("cause", []).append(
            _(
                "Record the death as a grade 5 adverse event, with its cause (Adverse events "
                "page): recording it ends the participation on the date of death."
            )
        )
        return
    if isinstance(date, datetime.date) and not fatal.filter(end_date=date).exists():
        event = fatal.first()
        assert event is not None  # noqa: S101 — exists above
        errors.setdefault("date", []).append(
            _("The fatal adverse event no. %(number)d dates the death on %(date)s.")
            % {
                "number": event.number,
                "date": event.end_date.isoformat() if event.end_date else "—",
            }
        )


def _check_completion(errors: Errors, participant: Participant, date: Any) -> None:
    if participant.inclusion_date is None:
        errors.setdefault("cause", []).append(
            _("Only an included participant can complete the study.")
        )
        return
    if not participant.is_recipient:
        return
    if participant.infusion_date is None:
        errors.setdefault("cause", []).append(
            _("A recipient completes the study two years after the infusion.")
        )
        return
    months = enrolment.frame_on(participant.inclusion_date).participation_months
    earliest = _months_later(participant.infusion_date, months) - datetime.timedelta(
        days=LAST_VISIT_WINDOW_DAYS
    )
    if isinstance(date, datetime.date) and date < earliest:
        errors.setdefault("date", []).append(
            _("The two-year follow-up ends on %(date)s at the earliest.")
            % {"date": earliest.isoformat()}
        )


# --- Enrolment: the donor, the safety board, protocol amendments -------------------------------

JUSTIFICATION_MAX_LENGTH = 1000


def select_donor(
    recipient: Participant,
    *,
    by: User,
    donor: Participant,
    date: datetime.date,
    justification: str = "",
    reason: str = "",
    expected_version: int | None = None,
) -> DonorSelection:
    """Choose the recipient's donor among their candidates, by the protocol's family priority.

    Only an eligible, participating donor with a consent in force is chosen; a donor below the
    highest available priority tier needs a ``justification`` (D-I2). Changing the choice needs
    a reason, and is refused once the recipient is infused. After a harvest the change is
    allowed (the former donor may have withdrawn or been found unfit) and every batch of the
    former donor becomes unusable for this recipient: the product chain releases, checks at the
    bedside and infuses only a batch of the donor chosen at that moment (ADR 0004, amendment).
    """
    _authorise(by, Permission.ENROL_SUBJECT, recipient.site)
    _refuse_if_ended(recipient)
    errors: Errors = {}
    if not recipient.is_recipient:
        raise ValidationError({NON_FIELD_ERRORS: [_("A donor is chosen for a recipient.")]})
    if donor.recipient_id != recipient.pk:
        errors.setdefault("donor", []).append(_("This donor is registered for another recipient."))
    _check_date(
        errors,
        "date",
        date,
        not_before=(donor.screening_date, _("The choice follows the donor's screening.")),
    )
    existing = DonorSelection.objects.filter(recipient=recipient).first()
    if existing is not None and recipient.infusion_date is not None:
        errors.setdefault(NON_FIELD_ERRORS, []).append(
            _("The infusion is recorded: the donor can no longer change.")
        )
    text = _check_free_text(errors, "justification", justification)
    if len(text) > JUSTIFICATION_MAX_LENGTH:
        errors.setdefault("justification", []).append(
            _("Keep the reason under %(n)d characters.") % {"n": JUSTIFICATION_MAX_LENGTH}
        )
    choice = None
    if not errors.get("donor") and isinstance(date, datetime.date):
        choice = enrolment.donor_choice(recipient, donor, date, text)
        if not choice.accepted:
            field = "justification" if choice.reason_missing else "donor"
            errors.setdefault(field, []).append(enrolment.localized(choice.message))
    changing = existing is not None and existing.donor_id != donor.pk
    if changing and not (reason or "").strip():
        assert existing is not None  # noqa: S101 — changing implies a selection
        _explain_former_batches(errors, existing)
    reason_text = _check_reason(errors, reason, required=changing)
    _raise_if(errors)
    assert choice is not None  # noqa: S101 — errors were raised otherwise
    with audit_scope(by=by, reason=reason_text, action="select_donor"):
        if existing is None:
            return DonorSelection.objects.create(
                recipient=recipient,
                donor=donor,
                selected_on=date,
                top_ranked=choice.top_ranked,
                justification=text,
            )
        locked = DonorSelection.objects.select_for_update().get(pk=existing.pk)
        _check_version(locked, expected_version)
        locked.donor, locked.selected_on = donor, date
        locked.top_ranked, locked.justification = choice.top_ranked, text
        locked.version += 1
        locked.save()
        return locked


def _explain_former_batches(errors: Errors, existing: DonorSelection) -> None:
    """Say which batches a change of donor makes unusable, before the reason is asked."""
    from sclerocell.web.product.models import Batch  # the product app builds on trial

    numbers = list(
        Batch.objects.filter(recipient=existing.recipient_id, harvest__donor=existing.donor_id)
        .order_by("manufactured_on", "pk")
        .values_list("number", flat=True)
    )
    if numbers:
        errors.setdefault("reason", []).append(
            _(
                "Batches %(batches)s come from %(donor)s: after this change they are never "
                "released, checked at the bedside or infused for %(recipient)s."
            )
            % {
                "batches": ", ".join(numbers),
                "donor": existing.donor.code,
                "recipient": existing.recipient.code,
            }
        )


def _authorise_study_wide(by: User, permission: Permission) -> None:
    """A study-wide record: the role grants ``permission`` and the user works at a site."""
    if not getattr(by, "is_authenticated", False) or not by.can(permission):
        raise PermissionDenied
    if not sites_for(by).exists():
        raise PermissionDenied


def _check_required_text(errors: Errors, key: str, value: str, max_length: int) -> str:
    text = _check_free_text(errors, key, value)
    if not text:
        errors.setdefault(key, []).append(_("This field is required."))
    if len(text) > max_length:
        errors.setdefault(key, []).append(
            _("Keep this under %(n)d characters.") % {"n": max_length}
        )
    return text


def record_safety_board_decision(
    *,
    by: User,
    dose_level: int,
    outcome: str,
    decided_on: datetime.date,
    minutes_reference: str,
    note: str = "",
) -> SafetyBoardDecision:
    """Record the safety board's decision on a dose level, as written in its minutes.

    An investigator records it (``ENROL_SUBJECT``): the decision gates their inclusions. A
    decision is never edited; a later one supersedes it from its date.
    """
    _authorise_study_wide(by, Permission.ENROL_SUBJECT)
    errors: Errors = {}
    levels = enrolment.frame_on(_today()).dose_settings().levels
    if not isinstance(dose_level, int) or not 1 <= dose_level <= len(levels):
        errors.setdefault("dose_level", []).append(
            _("Enter a dose level between 1 and %(n)d.") % {"n": len(levels)}
        )
    _check_choice(errors, "outcome", outcome, SafetyBoardOutcome)
    _check_date(
        errors,
        "decided_on",
        decided_on,
        not_before=(STUDY_START, _("The study opened in March 2014.")),
    )
    minutes = _check_required_text(errors, "minutes_reference", minutes_reference, 120)
    note_text = _check_free_text(errors, "note", note)
    _raise_if(errors)
    with audit_scope(by=by, reason="", action="record_safety_board_decision"):
        return SafetyBoardDecision.objects.create(
            dose_level=dose_level,
            outcome=outcome,
            decided_on=decided_on,
            minutes_reference=minutes,
            note=note_text,
        )


MAX_CAPACITY = studycode.MAX_SEQUENCE
MAX_PARTICIPATION_MONTHS = 120


def record_protocol_amendment(
    *,
    by: User,
    version: str,
    reference: str,
    approved_on: datetime.date,
    effective_from: datetime.date,
    recipients_max: int | None = None,
    donors_max: int | None = None,
    inclusion_end: datetime.date | None = None,
    participation_months: int | None = None,
    summary: str = "",
) -> ProtocolAmendment:
    """Record an approved amendment that changes the study frame from ``effective_from``.

    Blank values keep the previous ones (an amendment about something else, e.g. a new consent
    form, still versions the frame). A capacity is never set below the number already included:
    the system does not over-enrol, and does not pretend it did not.
    """
    _authorise_study_wide(by, Permission.ENROL_SUBJECT)
    errors: Errors = {}
    version_text = _check_required_text(errors, "version", version, 40)
    if version_text and (
        version_text == enrolment.PROTOCOL_FRAME.version
        or ProtocolAmendment.objects.filter(version=version_text).exists()
    ):
        errors.setdefault("version", []).append(_("This protocol version is already recorded."))
    reference_text = _check_required_text(errors, "reference", reference, 200)
    _check_date(
        errors,
        "approved_on",
        approved_on,
        not_before=(STUDY_START, _("The study opened in March 2014.")),
    )
    if not isinstance(effective_from, datetime.date):
        errors.setdefault("effective_from", []).append(_("This date is required."))
    elif isinstance(approved_on, datetime.date) and effective_from < approved_on:
        errors.setdefault("effective_from", []).append(
            _("An amendment is in force after its approval.")
        )
    for key, value, kind in (
        ("recipients_max", recipients_max, Kind.RECIPIENT),
        ("donors_max", donors_max, Kind.DONOR),
    ):
        _check_capacity(errors, key, value, kind)
    if inclusion_end is not None and inclusion_end < enrolment.PROTOCOL_FRAME.inclusion_start:
        errors.setdefault("inclusion_end", []).append(
            _("The inclusion period ends after it opens (March 2014).")
        )
    if participation_months is not None and not (
        isinstance(participation_months, int)
        and 1 <= participation_months <= MAX_PARTICIPATION_MONTHS
    ):
        errors.setdefault("participation_months", []).append(
            _("Enter a number of months between 1 and %(n)d.") % {"n": MAX_PARTICIPATION_MONTHS}
        )
    summary_text = _check_free_text(errors, "summary", summary)
    _raise_if(errors)
    with audit_scope(by=by, reason="", action="record_protocol_amendment"):
        return ProtocolAmendment.objects.create(
            version=version_text,
            reference=reference_text,
            approved_on=approved_on,
            effective_from=effective_from,
            recipients_max=recipients_max,
            donors_max=donors_max,
            inclusion_end=inclusion_end,
            participation_months=participation_months,
            summary=summary_text,
        )


def _check_capacity(errors: Errors, key: str, value: int | None, kind: Kind) -> None:
    if value is None:
        return
    if not isinstance(value, int) or not 1 <= value <= MAX_CAPACITY:
        errors.setdefault(key, []).append(
            _("Enter a number between 1 and %(n)d.") % {"n": MAX_CAPACITY}
        )
        return
    counter = InclusionCounter.objects.filter(kind=kind.value).first()
    included = counter.last_rank if counter else 0
    if value < included:
        errors.setdefault(key, []).append(
            _("%(n)d are already included: the maximum cannot be lower.") % {"n": included}
        )
