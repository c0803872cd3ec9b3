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
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sclerocell.web.accounts.models import Site, User
from sclerocell.web.accounts.roles import Permission
from sclerocell.web.audit.context import audit_scope

from . import studycode
from .access import may_act_at
from .identityguard import refuse_identifiers
from .models import (
    Consent,
    Eligibility,
    EndCause,
    Participant,
    Relationship,
    Sex,
    SiteCounter,
)
from .studycode import Kind

# The inclusion period opened in March 2014 (CRITERIA.md, study frame).
STUDY_START = datetime.date(2014, 3, 1)
# Participation lasts 2 years after the infusion; the M24 visit window is ± 30 days.
FOLLOW_UP_MONTHS = 24
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


def _check_version(participant: Participant | Consent, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != participant.version:
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
        return Consent.objects.create(
            participant=participant, form_version=version_text, signed_date=signed_date
        )


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
        return _save(locked, changed)


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
    """Record the investigator's eligibility decision (a later issue adds the signed checklist)."""
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


def enrol(
    participant: Participant,
    *,
    by: User,
    date: datetime.date,
    reason: str = "",
    expected_version: int | None = None,
) -> Participant:
    """Record the inclusion date of an eligible participant with a consent in force."""
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
    if isinstance(date, datetime.date) and not _has_consent_on(participant, date):
        errors.setdefault("date", []).append(
            _("No consent in force on this date: record the signed consent first.")
        )
    text = _check_reason(errors, reason, required=participant.inclusion_date is not None)
    _raise_if(errors)
    with audit_scope(by=by, reason=text, action="enrol"):
        locked = _lock(participant)
        _check_version(locked, expected_version)
        locked.inclusion_date = date
        return _save(locked, ["inclusion_date"])


def _has_consent_on(participant: Participant, day: datetime.date) -> bool:
    in_force = participant.consents.filter(signed_date__lte=day)
    return (
        in_force.filter(withdrawn_date__isnull=True).exists()
        or in_force.filter(withdrawn_date__gt=day).exists()
    )


def record_infusion_date(
    participant: Participant,
    *,
    by: User,
    date: datetime.date,
    reason: str = "",
    expected_version: int | None = None,
) -> Participant:
    """Record the day of the MSC infusion (a later issue replaces this with the infusion record)."""
    _authorise(by, Permission.RECORD_INFUSION, participant.site)
    _refuse_if_ended(participant)
    errors: Errors = {}
    if not participant.is_recipient:
        errors.setdefault(NON_FIELD_ERRORS, []).append(_("Only recipients are infused."))
    if participant.inclusion_date is None:
        errors.setdefault(NON_FIELD_ERRORS, []).append(
            _("Include the participant before recording the infusion.")
        )
    _check_date(
        errors,
        "date",
        date,
        not_before=(participant.inclusion_date, _("The infusion follows the inclusion date.")),
    )
    text = _check_reason(errors, reason, required=participant.infusion_date is not None)
    _raise_if(errors)
    with audit_scope(by=by, reason=text, action="record_infusion_date"):
        locked = _lock(participant)
        _check_version(locked, expected_version)
        locked.infusion_date = date
        return _save(locked, ["infusion_date"])


def end_participation(
    participant: Participant,
    *,
    by: User,
    date: datetime.date,
    cause: str,
    reason: str,
    expected_version: int | None = None,
) -> Participant:
    """End a participant's participation: completed, withdrawal, lost to follow-up or death."""
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
    text = _check_reason(errors, reason, required=True)
    _raise_if(errors)
    with audit_scope(by=by, reason=text, action="end_participation"):
        locked = _lock(participant)
        _check_version(locked, expected_version)
        locked.end_date, locked.end_cause = date, cause
        return _save(locked, ["end_date", "end_cause"])


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
    earliest = _months_later(participant.infusion_date, FOLLOW_UP_MONTHS) - datetime.timedelta(
        days=LAST_VISIT_WINDOW_DAYS
    )
    if isinstance(date, datetime.date) and date < earliest:
        errors.setdefault("date", []).append(
            _("The two-year follow-up ends on %(date)s at the earliest.")
            % {"date": earliest.isoformat()}
        )
