"""Every change of safety data, one function per action.

Each action checks the caller's permission (the roles MATRIX) and site, validates its input
(a translated ``ValidationError`` keyed by the argument that caused it, raised before anything
is written), and runs in one ``audit_scope`` transaction. Views and API handlers call these.

- ``record_adverse_event`` / ``update_adverse_event`` — investigators, research nurses and
  pharmacovigilance (``RECORD_ADVERSE_EVENT``). A fatal event ends the participation with cause
  death through ``trial.actions.end_participation`` in the same transaction (an investigator's
  act: ``END_PARTICIPATION``).
- ``assess_serious_event`` — the sponsor's SUSAR assessment (``ASSESS_SERIOUS_EVENT``).
- ``record_report`` — when a report was sent: the notification to the sponsor (whoever records
  adverse events, or pharmacovigilance), the SUSAR reports (pharmacovigilance only).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sclerocell.clinical import ctcae
from sclerocell.clinical.errors import ClinicalInputError
from sclerocell.followup.reporting import ClockKind, Seriousness
from sclerocell.web.accounts.models import User
from sclerocell.web.accounts.roles import Permission
from sclerocell.web.audit.context import audit_scope
from sclerocell.web.followup.actions import reconcile_rule_queries
from sclerocell.web.trial import actions as trial_actions
from sclerocell.web.trial.access import may_act_at
from sclerocell.web.trial.identityguard import refuse_identifiers
from sclerocell.web.trial.models import EndCause, Participant

from . import clocks
from .models import (
    ENDED_OUTCOMES,
    OPEN_OUTCOMES,
    SERIOUSNESS_FIELDS,
    SUSPECTED,
    ActionTaken,
    AdverseEvent,
    CtcaeVersion,
    Expectedness,
    Outcome,
    Relation,
    ReportKind,
    SafetyReport,
)

Errors = dict[str, list[Any]]
REASON_MAX_LENGTH = 500
TEXT_MAX_LENGTH = 2000

# The fields an entry or a correction gives; ``seriousness`` stands for the six booleans.
EVENT_FIELDS = frozenset(
    {
        "ctcae_version",
        "meddra_code",
        "grade",
        "onset_date",
        "end_date",
        "outcome",
        "relation_to_msc",
        "relation_to_procedure",
        "expectedness",
        "action_taken",
        "seriousness",
        "investigator_aware_at",
        "death_cause",
        "malignancy",
        "description",
    }
)
DEFAULTS: Mapping[str, Any] = {
    "ctcae_version": CtcaeVersion.V5_0.value,
    "end_date": None,
    "relation_to_procedure": Relation.NOT_APPLICABLE.value,
    "expectedness": Expectedness.NOT_ASSESSED.value,
    "action_taken": ActionTaken.NOT_APPLICABLE.value,
    "seriousness": frozenset(),
    "investigator_aware_at": None,
    "death_cause": "",
    "malignancy": False,
    "description": "",
}
# A relation to the MSC before any MSC was given can only be one of these.
BEFORE_INFUSION_RELATIONS = frozenset({Relation.NOT_RELATED, Relation.NOT_APPLICABLE})


# --- Shared checks -----------------------------------------------------------------------------


def _authorise(by: User, permission: Permission, participant: Participant) -> None:
    if not may_act_at(by, permission, participant.site):
        raise PermissionDenied


def _now() -> datetime.datetime:
    return timezone.now()


def _add(errors: Errors, key: str, message: Any) -> None:
    errors.setdefault(key, []).append(message)


def _raise_if(errors: Mapping[str, list[Any]]) -> None:
    if any(errors.values()):
        raise ValidationError({key: value for key, value in errors.items() if value})


def _is_date(value: Any) -> bool:
    return isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)


def _check_date(errors: Errors, key: str, value: Any, *, required: bool) -> bool:
    """A calendar date, not in the future; True when usable for further checks."""
    if value is None:
        if required:
            _add(errors, key, _("This date is required."))
        return False
    if not _is_date(value):
        _add(errors, key, _("Enter a valid date."))
        return False
    if value > timezone.localdate():
        _add(errors, key, _("This date is in the future."))
        return False
    return True


def _check_instant(errors: Errors, key: str, value: Any, *, required: bool) -> bool:
    """An aware date and time, not in the future; True when usable for further checks."""
    if value is None:
        if required:
            _add(errors, key, _("This date and time is required."))
        return False
    if not isinstance(value, datetime.datetime):
        _add(errors, key, _("Enter a valid date and time."))
        return False
    if timezone.is_naive(value):
        _add(errors, key, _("Enter a date and time with its time zone."))
        return False
    if value > _now():
        _add(errors, key, _("This date and time is in the future."))
        return False
    return True


def _check_text(errors: Errors, key: str, text: Any, limit: int = TEXT_MAX_LENGTH) -> str:
    if text is not None and not isinstance(text, str):
        _add(errors, key, _("Enter a text."))
        return ""
    value = (text or "").strip()
    if len(value) > limit:
        _add(errors, key, _("Keep this text under %(n)d characters.") % {"n": limit})
    try:
        refuse_identifiers(value)
    except ValidationError as exc:
        errors.setdefault(key, []).extend(exc.messages)
    return value


def _check_reason(errors: Errors, reason: Any, *, required: bool) -> str:
    text = _check_text(errors, "reason", reason, REASON_MAX_LENGTH)
    if required and not text:
        _add(
            errors, "reason", _("Give the reason for this change (it is kept in the audit trail).")
        )
    return text


def _check_choice(errors: Errors, key: str, value: Any, choices: type[Any]) -> bool:
    if value not in choices.values:
        _add(errors, key, _("Select a valid choice."))
        return False
    return True


def _check_version(row: AdverseEvent | SafetyReport, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != row.version:
        message = _(
            "Someone else changed this record since you opened the form. "
            "Reload the page and enter your change again."
        )
        raise ValidationError({NON_FIELD_ERRORS: [ValidationError(message, code="stale")]})


def _local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


# --- The event ---------------------------------------------------------------------------------


def _seriousness(errors: Errors, value: Any) -> frozenset[Seriousness]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        _add(errors, "seriousness", _("Select valid seriousness criteria."))
        return frozenset()
    try:
        return frozenset(Seriousness(item) for item in value)
    except ValueError:
        _add(errors, "seriousness", _("Select valid seriousness criteria."))
        return frozenset()


def _term(errors: Errors, data: Mapping[str, Any]) -> ctcae.CtcaeTerm | None:
    try:
        term = ctcae.get_term(str(data["meddra_code"] or ""))
    except ClinicalInputError:
        _add(errors, "meddra_code", _("Choose a term of the CTCAE table."))
        return None
    grade = data["grade"]
    if isinstance(grade, bool) or not isinstance(grade, int) or not 1 <= grade <= 5:
        _add(errors, "grade", _("Choose a grade from 1 to 5."))
        return term
    # The table shipped is v5.0: an event graded under an earlier version keeps its grade 1–5.
    if data["ctcae_version"] == CtcaeVersion.V5_0 and grade not in term.allowed_grades:
        _add(
            errors,
            "grade",
            _(
                "Grade %(grade)d does not exist for “%(term)s” in CTCAE v%(version)s: "
                "choose %(allowed)s."
            )
            % {
                "grade": grade,
                "term": term.term,
                "version": ctcae.VERSION,
                "allowed": ", ".join(str(g) for g in term.allowed_grades),
            },
        )
    return term


def _check_dates(errors: Errors, participant: Participant, data: dict[str, Any]) -> None:
    onset, end = data["onset_date"], data["end_date"]
    onset_ok = _check_date(errors, "onset_date", onset, required=True)
    if onset_ok and onset < participant.screening_date:
        _add(errors, "onset_date", _("Adverse events are recorded from the screening onwards."))
    if onset_ok and participant.end_date is not None and onset > participant.end_date:
        _add(errors, "onset_date", _("This date is after the end of the participation."))
    outcome = data["outcome"]
    if outcome in ENDED_OUTCOMES:
        end_ok = _check_date(errors, "end_date", end, required=True)
        if end_ok and onset_ok and end < onset:
            _add(errors, "end_date", _("The event ends on or after its onset."))
    elif end is not None and outcome in OPEN_OUTCOMES:
        _add(errors, "end_date", _("An event that is not resolved has no end date."))
    elif end is not None:
        if _check_date(errors, "end_date", end, required=False) and onset_ok and end < onset:
            _add(errors, "end_date", _("The event ends on or after its onset."))


def _check_relations(errors: Errors, participant: Participant, data: dict[str, Any]) -> None:
    msc_ok = _check_choice(errors, "relation_to_msc", data["relation_to_msc"], Relation)
    _check_choice(errors, "relation_to_procedure", data["relation_to_procedure"], Relation)
    relation = data["relation_to_msc"]
    if participant.is_donor:
        if msc_ok and relation != Relation.NOT_APPLICABLE:
            _add(errors, "relation_to_msc", _("A donor receives no MSC: choose “not applicable”."))
        if data["relation_to_procedure"] == Relation.NOT_APPLICABLE:
            _add(
                errors,
                "relation_to_procedure",
                _("Assess the relation of a donor's event to the bone-marrow harvest."),
            )
        return
    infusion, onset = participant.infusion_date, data["onset_date"]
    before = infusion is None or (_is_date(onset) and onset < infusion)
    if msc_ok and before and relation not in BEFORE_INFUSION_RELATIONS:
        _add(
            errors,
            "relation_to_msc",
            _("The event began before the infusion: it cannot be related to the MSC."),
        )
    if msc_ok and not before and relation == Relation.NOT_APPLICABLE:
        _add(errors, "relation_to_msc", _("Assess the relation of this event to the MSC."))


def _check_infusion_action(errors: Errors, participant: Participant, data: dict[str, Any]) -> None:
    action = data["action_taken"]
    if not _check_choice(errors, "action_taken", action, ActionTaken):
        return
    if action == ActionTaken.NOT_APPLICABLE:
        return
    infused_that_day = participant.is_recipient and participant.infusion_date == data["onset_date"]
    if not infused_that_day:
        _add(
            errors,
            "action_taken",
            _("An action on the infusion concerns an event that began on the infusion day."),
        )


def _check_seriousness(
    errors: Errors, data: dict[str, Any], criteria: frozenset[Seriousness]
) -> None:
    aware = data["investigator_aware_at"]
    aware_ok = _check_instant(errors, "investigator_aware_at", aware, required=bool(criteria))
    onset = data["onset_date"]
    if aware_ok and _is_date(onset) and _local_date(aware) < onset:
        _add(errors, "investigator_aware_at", _("The investigator learnt of it after its onset."))
    suspected = data["relation_to_msc"] in SUSPECTED
    if criteria and suspected and data["expectedness"] == Expectedness.NOT_ASSESSED:
        _add(
            errors,
            "expectedness",
            _("A serious event suspected to be related to the MSC needs its expectedness."),
        )


def _check_death(
    errors: Errors,
    by: User,
    participant: Participant,
    data: dict[str, Any],
    criteria: frozenset[Seriousness],
) -> None:
    fatal = data["outcome"] == Outcome.FATAL
    if fatal and Seriousness.DEATH not in criteria:
        _add(errors, "seriousness", _("A fatal event is serious: tick “death”."))
    if not fatal and Seriousness.DEATH in criteria:
        _add(errors, "outcome", _("The “death” criterion goes with a fatal outcome."))
    if data["grade"] == 5 and not fatal:
        _add(errors, "outcome", _("Grade 5 is death: the outcome is fatal."))
    if fatal and data["grade"] != 5:
        _add(errors, "grade", _("A fatal event is grade 5."))
    if fatal and not data["death_cause"]:
        _add(errors, "death_cause", _("Give the cause of death."))
    if not fatal and data["death_cause"]:
        _add(errors, "death_cause", _("Only a fatal event has a cause of death."))
    if not fatal:
        return
    if participant.end_cause == EndCause.DEATH:
        if data["end_date"] != participant.end_date:
            _add(
                errors,
                "end_date",
                _("The participant's death is recorded on %(date)s.")
                % {"date": participant.end_date.isoformat() if participant.end_date else ""},
            )
        return
    if participant.has_ended:
        _add(
            errors,
            "outcome",
            _("This participant's participation has already ended for another cause."),
        )
        return
    if not by.can(Permission.END_PARTICIPATION):
        _add(
            errors,
            "outcome",
            _("A death ends the participation: an investigator records a fatal event."),
        )


def _validated(
    by: User, participant: Participant, data: dict[str, Any]
) -> tuple[ctcae.CtcaeTerm, frozenset[Seriousness], dict[str, Any]]:
    errors: Errors = {}
    _check_choice(errors, "ctcae_version", data["ctcae_version"], CtcaeVersion)
    term = _term(errors, data)
    _check_choice(errors, "outcome", data["outcome"], Outcome)
    _check_choice(errors, "expectedness", data["expectedness"], Expectedness)
    data["death_cause"] = _check_text(errors, "death_cause", data["death_cause"])
    data["description"] = _check_text(errors, "description", data["description"])
    if not isinstance(data["malignancy"], bool):
        _add(errors, "malignancy", _("Select a valid choice."))
    criteria = _seriousness(errors, data["seriousness"])
    _check_dates(errors, participant, data)
    _check_relations(errors, participant, data)
    _check_infusion_action(errors, participant, data)
    _check_seriousness(errors, data, criteria)
    _check_death(errors, by, participant, data, criteria)
    _raise_if(errors)
    assert term is not None  # noqa: S101 — a missing term is an error above
    return term, criteria, data


def _columns(
    term: ctcae.CtcaeTerm, criteria: frozenset[Seriousness], data: dict[str, Any]
) -> dict[str, Any]:
    columns = {key: data[key] for key in EVENT_FIELDS - {"seriousness"} if key in data}
    columns.update(meddra_code=term.meddra_code, term=term.term, soc=term.soc)
    columns.update({field: c in criteria for c, field in SERIOUSNESS_FIELDS.items()})
    return columns


def _death_reason(event: AdverseEvent) -> str:
    text = f"Décès — événement indésirable n° {event.number} ({event.term}) : {event.death_cause}"
    return text[:REASON_MAX_LENGTH]


def _end_by_death(event: AdverseEvent, by: User) -> None:
    """End the participation with cause death (the trial's own action), in this transaction."""
    participant = Participant.objects.get(pk=event.participant_id)
    if participant.end_cause == EndCause.DEATH:
        return
    assert event.end_date is not None  # noqa: S101 — a fatal event has an end date (checked)
    try:
        trial_actions.end_participation(
            participant,
            by=by,
            date=event.end_date,
            cause=EndCause.DEATH,
            reason=_death_reason(event),
        )
    except ValidationError as error:
        raise ValidationError(_rekeyed(error)) from error


def _rekeyed(error: ValidationError) -> dict[str, list[str]]:
    """end_participation's errors, at the fields of the event form."""
    if not hasattr(error, "error_dict"):
        return {"outcome": list(error.messages)}
    keys = {"date": "end_date", "reason": "death_cause"}
    rekeyed: dict[str, list[str]] = {}
    for key, messages in error.message_dict.items():
        rekeyed.setdefault(keys.get(key, "outcome"), []).extend(messages)
    return rekeyed


def _next_number(participant: Participant) -> int:
    # The participant's row lock serialises two entries for the same participant.
    Participant.objects.select_for_update().filter(pk=participant.pk).first()
    last = (
        AdverseEvent.objects.filter(participant=participant)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return (last or 0) + 1


def record_adverse_event(
    participant: Participant,
    *,
    by: User,
    meddra_code: str,
    grade: int,
    onset_date: datetime.date,
    outcome: str,
    relation_to_msc: str,
    **optional: Any,
) -> AdverseEvent:
    """Record an adverse event; a fatal one also ends the participation (cause death).

    ``optional``: ``ctcae_version`` (default "5.0"), ``end_date``, ``relation_to_procedure``,
    ``expectedness``, ``action_taken``, ``seriousness`` (criteria of
    ``followup.reporting.Seriousness``), ``investigator_aware_at`` (required when serious),
    ``death_cause``, ``malignancy``, ``description``.
    """
    _authorise(by, Permission.RECORD_ADVERSE_EVENT, participant)
    unknown = set(optional) - EVENT_FIELDS
    if unknown:
        raise TypeError(f"record_adverse_event does not take {sorted(unknown)}")
    data = {**DEFAULTS, **optional}
    data.update(
        meddra_code=meddra_code,
        grade=grade,
        onset_date=onset_date,
        outcome=outcome,
        relation_to_msc=relation_to_msc,
    )
    term, criteria, data = _validated(by, participant, data)
    with audit_scope(by=by, reason="", action="record_adverse_event"):
        event = AdverseEvent.objects.create(
            participant=participant,
            number=_next_number(participant),
            **_columns(term, criteria, data),
        )
        if event.is_fatal:
            _end_by_death(event, by)
        clocks.changed()
        _reconcile_surveillance(participant)
        return event


def _reconcile_surveillance(participant: Participant) -> None:
    """The surveillance forms' malignancy queries follow the adverse events (see docs/safety.md)."""
    reconcile_rule_queries(participant, changed="surveillance")


def _current(event: AdverseEvent) -> dict[str, Any]:
    values = {key: getattr(event, key) for key in EVENT_FIELDS - {"seriousness"}}
    values["seriousness"] = event.seriousness
    return values


def update_adverse_event(
    event: AdverseEvent,
    *,
    by: User,
    reason: str,
    expected_version: int | None = None,
    **changes: Any,
) -> AdverseEvent:
    """Correct an adverse event (a reason is required: it is kept in the audit trail)."""
    participant = Participant.objects.select_related("site").get(pk=event.participant_id)
    _authorise(by, Permission.RECORD_ADVERSE_EVENT, participant)
    unknown = set(changes) - EVENT_FIELDS
    if unknown:
        raise TypeError(f"update_adverse_event cannot change {sorted(unknown)}")
    errors: Errors = {}
    text = _check_reason(errors, reason, required=True)
    data = {**_current(event), **changes}
    if event.is_fatal and data["outcome"] != Outcome.FATAL:
        _add(
            errors,
            "outcome",
            _("This event recorded the participant's death; its outcome stays fatal."),
        )
    _check_against_reports(errors, event, data)
    _raise_if(errors)
    term, criteria, data = _validated(by, participant, data)
    columns = _columns(term, criteria, data)
    with audit_scope(by=by, reason=text, action="update_adverse_event", change=True):
        locked = AdverseEvent.objects.select_for_update().get(pk=event.pk)
        _check_version(locked, expected_version)
        changed = [key for key, value in columns.items() if getattr(locked, key) != value]
        if not changed:
            return locked
        for key in changed:
            setattr(locked, key, columns[key])
        locked.version += 1
        locked.save(update_fields=[*changed, "version"])
        if locked.is_fatal:
            _end_by_death(locked, by)
        clocks.changed()
        _reconcile_surveillance(participant)
        return locked


def _check_against_reports(errors: Errors, event: AdverseEvent, data: Mapping[str, Any]) -> None:
    aware = data.get("investigator_aware_at")
    if not isinstance(aware, datetime.datetime) or timezone.is_naive(aware):
        return
    first = event.reports.order_by("sent_at").values_list("sent_at", flat=True).first()
    if first is not None and aware > first:
        _add(
            errors,
            "investigator_aware_at",
            _("A report was sent on %(when)s, before this time.")
            % {"when": timezone.localtime(first).strftime("%Y-%m-%d %H:%M")},
        )


# --- The sponsor's assessment and the reports --------------------------------------------------


def _refuse_if_not_serious(event: AdverseEvent) -> None:
    if not event.is_serious:
        message = _("Only a serious adverse event is assessed and reported.")
        raise ValidationError({NON_FIELD_ERRORS: [ValidationError(message, code="not_serious")]})


def assess_serious_event(
    event: AdverseEvent,
    *,
    by: User,
    susar: bool,
    sponsor_aware_at: datetime.datetime | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> AdverseEvent:
    """Pharmacovigilance's assessment: is this serious event a SUSAR? When was the sponsor aware?

    A reason is needed to change an assessment, or to depart from the suggestion (serious,
    suspected and unexpected ⇒ SUSAR).
    """
    participant = Participant.objects.select_related("site").get(pk=event.participant_id)
    _authorise(by, Permission.ASSESS_SERIOUS_EVENT, participant)
    _refuse_if_not_serious(event)
    errors: Errors = {}
    if not isinstance(susar, bool):
        _add(errors, "susar", _("Select a valid choice."))
    if _check_instant(errors, "sponsor_aware_at", sponsor_aware_at, required=False):
        assert sponsor_aware_at is not None  # noqa: S101 — checked above
        assert event.investigator_aware_at is not None  # noqa: S101 — a serious event has one
        if sponsor_aware_at < event.investigator_aware_at:
            _add(
                errors,
                "sponsor_aware_at",
                _("The sponsor cannot have been aware before the investigator."),
            )
    departs = isinstance(susar, bool) and susar != event.suggested_susar
    text = _check_reason(errors, reason, required=event.susar is not None or departs)
    _raise_if(errors)
    with audit_scope(by=by, reason=text, action="assess_serious_event"):
        locked = AdverseEvent.objects.select_for_update().get(pk=event.pk)
        _check_version(locked, expected_version)
        locked.susar, locked.sponsor_aware_at = susar, sponsor_aware_at
        locked.version += 1
        locked.save(update_fields=["susar", "sponsor_aware_at", "version"])
        clocks.changed()
        return locked


REPORT_PERMISSIONS: Mapping[ClockKind, tuple[Permission, ...]] = {
    ClockKind.SPONSOR_NOTIFICATION: (
        Permission.RECORD_ADVERSE_EVENT,
        Permission.ASSESS_SERIOUS_EVENT,
    ),
    ClockKind.SUSAR_INITIAL: (Permission.ASSESS_SERIOUS_EVENT,),
    ClockKind.SUSAR_FOLLOW_UP: (Permission.ASSESS_SERIOUS_EVENT,),
}


def may_record_report(user: Any, kind: ClockKind, participant: Participant) -> bool:
    return any(may_act_at(user, p, participant.site) for p in REPORT_PERMISSIONS[kind])


def record_report(
    event: AdverseEvent,
    *,
    by: User,
    kind: str,
    sent_at: datetime.datetime,
    reference: str = "",
    reason: str = "",
    expected_version: int | None = None,
) -> SafetyReport:
    """Record when a report of a serious event was sent (a correction needs a reason)."""
    participant = Participant.objects.select_related("site").get(pk=event.participant_id)
    if kind not in ReportKind.values:
        raise ValidationError({"kind": [_("Select a valid choice.")]})
    clock_kind = ClockKind(kind)
    if not may_record_report(by, clock_kind, participant):
        raise PermissionDenied
    _refuse_if_not_serious(event)
    errors: Errors = {}
    running = {clock.kind: clock for clock in clocks.clocks_of(event)}
    if clock_kind not in running:
        _add(errors, "kind", _("This event calls for no such report."))
    sent_ok = _check_instant(errors, "sent_at", sent_at, required=True)
    if sent_ok and event.investigator_aware_at and sent_at < event.investigator_aware_at:
        _add(errors, "sent_at", _("A report is sent after the investigator became aware."))
    if sent_ok and clock_kind == ClockKind.SUSAR_FOLLOW_UP:
        initial = running.get(ClockKind.SUSAR_INITIAL)
        if initial is None or initial.state.reported_at is None:
            _add(errors, "kind", _("Record the initial SUSAR report first."))
        elif sent_at < initial.state.reported_at:
            _add(errors, "sent_at", _("The follow-up report comes after the initial report."))
    text_reference = _check_text(errors, "reference", reference, 100)
    existing = SafetyReport.objects.filter(event=event, kind=kind).first()
    text = _check_reason(errors, reason, required=existing is not None)
    _raise_if(errors)
    action = "correct_safety_report" if existing else "record_safety_report"
    with audit_scope(by=by, reason=text, action=action):
        clocks.changed()
        if existing is None:
            return SafetyReport.objects.create(
                event=event, kind=kind, sent_at=sent_at, reference=text_reference
            )
        locked = SafetyReport.objects.select_for_update().get(pk=existing.pk)
        _check_version(locked, expected_version)
        locked.sent_at, locked.reference = sent_at, text_reference
        locked.version += 1
        locked.save(update_fields=["sent_at", "reference", "version"])
        return locked
