"""Every change of screening data, one function per action, and the eligibility sign-off.

Like ``trial.actions``: each action checks the caller's permission and site, validates its input
(a translated ``ValidationError`` keyed by the field that caused it, raised before anything is
written), then writes in one ``audit_scope`` transaction under a lock on the participant's row
(so two writers of one participant's screening queue up, and the signature check sees the final
data). Changing an answer already entered needs a reason (kept in the audit trail).

After every write, ``signatures.recheck`` compares the facts with those of the eligibility
signature, if any: a change invalidates the signature and, before inclusion, sends the
participant back to "not decided".

Who may do what: screening forms ``EDIT_SCREENING`` (investigators, research nurses); the
investigator's statements and the sign-off ``SIGN_ELIGIBILITY`` (investigators only).
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sclerocell.clinical.errors import ClinicalInputError
from sclerocell.clinical.mrss import MAX_SITE_SCORE, MAX_TOTAL, SITE_IDS
from sclerocell.criteria.status import Status
from sclerocell.facts.units import normalise, normalise_reference
from sclerocell.protocol.screen import Screening
from sclerocell.web.accounts.models import User
from sclerocell.web.accounts.roles import Permission
from sclerocell.web.accounts.signing import LOCKED_OUT, PasswordCheck, check_signature_password
from sclerocell.web.audit.context import audit_scope
from sclerocell.web.trial import actions as trial_actions
from sclerocell.web.trial.access import may_act_at
from sclerocell.web.trial.identityguard import refuse_identifiers
from sclerocell.web.trial.models import Participant, Sex

from . import catalogue, signatures
from .evaluation import evaluate, reasons
from .inputs import canonical_facts, digest, index_date_of
from .models import (
    Answer,
    BloodPressure,
    CyclophosphamideCourse,
    Decision,
    EligibilitySignature,
    FindingAnswer,
    Measurement,
    ScreeningProfile,
    SkinScore,
    StatementAnswer,
)

Errors = dict[str, list[Any]]
REASON_MAX_LENGTH = 500
NOTE_MAX_LENGTH = 300


# --- Shared checks -----------------------------------------------------------------------------


def _authorise(by: User, permission: Permission, participant: Participant) -> None:
    if not may_act_at(by, permission, participant.site):
        raise PermissionDenied


def _today() -> datetime.date:
    return timezone.localdate()


def _add(errors: Errors, key: str, message: Any) -> None:
    errors.setdefault(key, []).append(message)


def _raise_if(errors: Errors) -> None:
    if any(errors.values()):
        raise ValidationError({key: value for key, value in errors.items() if value})


def _check_day(
    errors: Errors, key: str, value: Any, *, required: bool, not_before: datetime.date | None = None
) -> None:
    if value is None:
        if required:
            _add(errors, key, _("This date is required."))
        return
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        _add(errors, key, _("Enter a valid date."))
        return
    if value > _today():
        _add(errors, key, _("This date is in the future."))
    if not_before is not None and value < not_before:
        _add(errors, key, _("This date is before %(date)s.") % {"date": not_before.isoformat()})


def _check_text(errors: Errors, key: str, text: Any, limit: int = NOTE_MAX_LENGTH) -> str:
    value = (text or "").strip() if isinstance(text, str) or text is None else ""
    if len(value) > limit:
        _add(errors, key, _("Keep this under %(n)d characters.") % {"n": limit})
    try:
        refuse_identifiers(value)
    except ValidationError as exc:
        errors.setdefault(key, []).extend(exc.messages)
    return value


def _check_reason(errors: Errors, reason: str, *, required: bool) -> str:
    text = _check_text(errors, "reason", reason, REASON_MAX_LENGTH)
    if required and not text:
        _add(
            errors, "reason", _("Give the reason for this change (it is kept in the audit trail).")
        )
    return text


def _check_answer(errors: Errors, key: str, value: Any) -> str:
    if value not in Answer.values:
        _add(errors, key, _("Select a valid choice."))
        return ""
    return str(value)


def _lock(participant: Participant) -> Participant:
    return Participant.objects.select_for_update().select_related("site").get(pk=participant.pk)


def stamp(rows: Mapping[str, int]) -> str:
    """A short fingerprint of the versions of the rows a form shows (optimistic concurrency)."""
    text = json.dumps(sorted(rows.items()), separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _refuse_stale() -> None:
    message = _(
        "Someone else changed this form since you opened it. "
        "Reload the page and enter your change again."
    )
    raise ValidationError({NON_FIELD_ERRORS: [ValidationError(message, code="stale")]})


def _check_stamp(current: str, expected: str | None) -> None:
    if expected is not None and expected != current:
        _refuse_stale()


def _after_write(participant: Participant, by: User, action: str) -> None:
    signatures.recheck(participant, by=by, action=action)


# --- The profile: index date, yes/no attributes ------------------------------------------------

PROFILE_FIELDS = (
    "index_date",
    "childbearing_potential",
    "effective_contraception",
    "social_security",
    "cyclophosphamide_given",
)


def profile_for(participant: Participant) -> ScreeningProfile:
    """The participant's profile, or an unsaved empty one (by id: assigning the instance would
    cache the unsaved profile on it)."""
    found = ScreeningProfile.objects.filter(participant_id=participant.pk).first()
    return found or ScreeningProfile(participant_id=participant.pk)


def save_profile(
    participant: Participant,
    *,
    by: User,
    reason: str = "",
    expected_version: int | None = None,
    **changes: Any,
) -> ScreeningProfile:
    """Record the index date, childbearing potential, contraception, social security and whether
    high-dose IV cyclophosphamide was ever given (recipients)."""
    _authorise(by, Permission.EDIT_SCREENING, participant)
    allowed = set(PROFILE_FIELDS) - (
        set() if participant.is_recipient else {"cyclophosphamide_given"}
    )
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"save_profile cannot change {sorted(unknown)}")
    current = profile_for(participant)
    errors: Errors = {}
    merged = {name: changes.get(name, getattr(current, name)) for name in allowed}
    _check_day(
        errors,
        "index_date",
        merged["index_date"],
        required=False,
        not_before=participant.screening_date,
    )
    for name in allowed - {"index_date"}:
        merged[name] = _check_answer(errors, name, merged[name])
    if participant.sex == Sex.MALE and merged["childbearing_potential"] == Answer.YES:
        _add(errors, "childbearing_potential", _("Only a woman can be of childbearing potential."))
    if (
        merged.get("cyclophosphamide_given") == Answer.NO
        and CyclophosphamideCourse.objects.filter(participant=participant).exists()
    ):
        _add(
            errors,
            "cyclophosphamide_given",
            _("Courses are recorded: remove them before answering “never given”."),
        )
    changed = [name for name in sorted(allowed) if merged[name] != getattr(current, name)]
    entered = [name for name in changed if getattr(current, name) not in (None, "")]
    text = _check_reason(errors, reason, required=bool(entered))
    _raise_if(errors)
    with audit_scope(by=by, reason=text, action="save_screening_profile"):
        locked = _lock(participant)
        profile = profile_for(locked)
        if expected_version is not None and expected_version != profile.version:
            _refuse_stale()
        if not changed:
            return profile
        for name in changed:
            setattr(profile, name, merged[name])
        if profile.pk:
            profile.version += 1
            profile.save(update_fields=[*changed, "version"])
        else:
            profile.save()
        _after_write(locked, by, "save_screening_profile")
        return profile


# --- Findings and statements (one row per question) --------------------------------------------


@dataclass(frozen=True)
class Reply:
    """One question's answer as a form gives it."""

    answer: str
    date: datetime.date | None = None
    note: str = ""


def finding_stamp(participant: Participant, codes: tuple[str, ...]) -> str:
    rows = FindingAnswer.objects.filter(participant=participant, code__in=codes)
    return stamp({row.code: row.version for row in rows})


def statement_stamp(participant: Participant, codes: tuple[str, ...]) -> str:
    rows = StatementAnswer.objects.filter(participant=participant, code__in=codes)
    return stamp({row.code: row.version for row in rows})


def _check_replies(
    errors: Errors, replies: Mapping[str, Reply], allowed: tuple[str, ...], *, date_required: bool
) -> dict[str, Reply]:
    checked = {}
    for code, reply in replies.items():
        if code not in allowed:
            raise TypeError(f"{code!r} is not a question of this form")
        answer = _check_answer(errors, f"{code}-answer", reply.answer)
        _check_day(errors, f"{code}-date", reply.date, required=bool(answer) and date_required)
        note = _check_text(errors, f"{code}-note", reply.note)
        checked[code] = Reply(answer, reply.date if answer else None, note if answer else "")
    return checked


def _save_rows(
    model: type[FindingAnswer] | type[StatementAnswer],
    participant: Participant,
    replies: Mapping[str, Reply],
    *,
    date_field: str,
    by: User | None,
) -> None:
    existing = {row.code: row for row in model.objects.filter(participant=participant)}
    for code, reply in replies.items():
        row = existing.get(code)
        values: dict[str, Any] = {
            "answer": reply.answer,
            date_field: reply.date,
            "note": reply.note,
        }
        unchanged = row is not None and all(getattr(row, k) == v for k, v in values.items())
        if by is not None:  # a statement: whoever changes the answer answers it
            values["answered_by"] = by if reply.answer else None
        if row is None:
            if reply.answer:
                model.objects.create(participant=participant, code=code, **values)
            continue
        if unchanged:
            continue
        for name, value in values.items():
            setattr(row, name, value)
        row.version += 1
        row.save(update_fields=[*values, "version"])


def _changed_entered(
    model: type[FindingAnswer] | type[StatementAnswer],
    participant: Participant,
    replies: Mapping[str, Reply],
    date_field: str,
) -> bool:
    """Whether a question that already holds an answer would change (a reason is then needed)."""
    rows = model.objects.filter(participant=participant, code__in=list(replies)).exclude(answer="")
    for row in rows:
        reply = replies[row.code]
        if (row.answer, getattr(row, date_field), row.note) != (
            reply.answer,
            reply.date,
            reply.note,
        ):
            return True
    return False


def save_findings(
    participant: Participant,
    *,
    by: User,
    section: str,
    replies: Mapping[str, Reply],
    reason: str = "",
    expected_stamp: str | None = None,
) -> None:
    """Record the findings of one form section: present / absent (with the date), or blank."""
    _authorise(by, Permission.EDIT_SCREENING, participant)
    form = catalogue.FINDING_BY_SLUG[section]
    if form.role != participant.kind:
        raise TypeError(f"the section {section!r} is for a {form.role}")
    errors: Errors = {}
    checked = _check_replies(errors, replies, form.codes, date_required=True)
    needs_reason = _changed_entered(FindingAnswer, participant, checked, "date")
    text = _check_reason(errors, reason, required=needs_reason)
    _raise_if(errors)
    action = "record_screening_findings"
    with audit_scope(by=by, reason=text, action=action):
        locked = _lock(participant)
        _check_stamp(finding_stamp(locked, form.codes), expected_stamp)
        _save_rows(FindingAnswer, locked, checked, date_field="date", by=None)
        _after_write(locked, by, action)


def save_statements(
    participant: Participant,
    *,
    by: User,
    replies: Mapping[str, Reply],
    reason: str = "",
    expected_stamp: str | None = None,
) -> None:
    """Record the investigator's statements (R-I3a, R-I3e, R-E3, R-E10; D-E2): yes / no, the date
    and who answered (the signed-in investigator)."""
    _authorise(by, Permission.SIGN_ELIGIBILITY, participant)
    allowed = catalogue.statement_codes(participant.kind)
    errors: Errors = {}
    checked = _check_replies(errors, replies, allowed, date_required=True)
    needs_reason = _changed_entered(StatementAnswer, participant, checked, "answered_on")
    text = _check_reason(errors, reason, required=needs_reason)
    _raise_if(errors)
    action = "record_investigator_statements"
    with audit_scope(by=by, reason=text, action=action):
        locked = _lock(participant)
        _check_stamp(statement_stamp(locked, allowed), expected_stamp)
        _save_rows(StatementAnswer, locked, checked, date_field="answered_on", by=by)
        _after_write(locked, by, action)


# --- Repeatable rows ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    """One measured value as entered: the number, its unit and the laboratory's normal range."""

    value: float
    unit: str
    ref_low: float | None = None
    ref_high: float | None = None


def _check_value(errors: Errors, code: str, v: Value) -> None:
    if v.unit not in catalogue.UNITS[code]:
        _add(errors, f"{code}-unit", _("Select a valid choice."))
        return
    if v.value < 0:
        _add(errors, f"{code}-value", _("Enter a value of zero or more."))
    try:
        normalise(code, v.value, v.unit)
        low = normalise_reference(code, v.ref_low, v.unit)
        high = normalise_reference(code, v.ref_high, v.unit)
    except ClinicalInputError:
        _add(errors, f"{code}-unit", _("This unit is not a unit of this measurement."))
        return
    if low is not None and high is not None and low > high:
        _add(errors, f"{code}-ref_high", _("The upper limit is below the lower limit."))


def add_measurements(
    participant: Participant,
    *,
    by: User,
    group: str,
    date: datetime.date,
    values: Mapping[str, Value],
    time: datetime.time | None = None,
    source: str = "",
) -> list[Measurement]:
    """Record the values of one group of measurements made on the same day (lung function tests,
    blood gases, heart tests, laboratory tests, weight and height)."""
    _authorise(by, Permission.EDIT_SCREENING, participant)
    form = catalogue.MEASUREMENT_BY_SLUG[group]
    if not participant.is_recipient:
        raise TypeError("measurements are recorded for recipients")
    errors: Errors = {}
    _check_day(errors, "date", date, required=True)
    text = _check_text(errors, "source", source, 80)
    if not values:
        _add(errors, NON_FIELD_ERRORS, _("Enter at least one value."))
    for code, value in values.items():
        if code not in form.codes:
            raise TypeError(f"{code!r} is not a measurement of {group!r}")
        _check_value(errors, code, value)
    _raise_if(errors)
    action = "record_screening_measurements"
    with audit_scope(by=by, action=action):
        locked = _lock(participant)
        rows = [
            Measurement.objects.create(
                participant=locked,
                code=code,
                date=date,
                time=time if form.with_time else None,
                value=v.value,
                unit=v.unit,
                ref_low=v.ref_low,
                ref_high=v.ref_high,
                source=text,
            )
            for code, v in values.items()
        ]
        _after_write(locked, by, action)
        return rows


def add_blood_pressure(
    participant: Participant,
    *,
    by: User,
    date: datetime.date,
    time: datetime.time | None,
    systolic: float | None,
    diastolic: float | None,
    unit: str = "mmHg",
) -> BloodPressure:
    """Record one blood pressure reading (R-V3 reads two readings at least 12 h apart: give the
    time)."""
    _authorise(by, Permission.EDIT_SCREENING, participant)
    if not participant.is_recipient:
        raise TypeError("blood pressures are recorded for recipients")
    errors: Errors = {}
    _check_day(errors, "date", date, required=True)
    if unit not in catalogue.BLOOD_PRESSURE_UNITS:
        _add(errors, "unit", _("Select a valid choice."))
    if systolic is None and diastolic is None:
        _add(errors, NON_FIELD_ERRORS, _("Enter the systolic or the diastolic pressure."))
    for key, value in (("systolic", systolic), ("diastolic", diastolic)):
        if value is not None and value <= 0:
            _add(errors, key, _("Enter a pressure above zero."))
    if systolic is not None and diastolic is not None and diastolic >= systolic:
        _add(errors, "diastolic", _("The diastolic pressure is below the systolic pressure."))
    _raise_if(errors)
    action = "record_blood_pressure"
    with audit_scope(by=by, action=action):
        locked = _lock(participant)
        row = BloodPressure.objects.create(
            participant=locked,
            date=date,
            time=time,
            systolic=systolic,
            diastolic=diastolic,
            unit=unit,
        )
        _after_write(locked, by, action)
        return row


def add_skin_score(
    participant: Participant,
    *,
    by: User,
    date: datetime.date,
    sites: Mapping[str, int | None],
    total: int | None = None,
    examiner: str = "",
) -> SkinScore:
    """Record one modified Rodnan skin score examination: the 17 sites scored 0 to 3, or the
    total alone when only the total is known (R-I3c)."""
    _authorise(by, Permission.EDIT_SCREENING, participant)
    if not participant.is_recipient:
        raise TypeError("skin scores are recorded for recipients")
    errors: Errors = {}
    _check_day(errors, "date", date, required=True)
    text = _check_text(errors, "examiner", examiner, 80)
    scored = {site: score for site, score in sites.items() if score is not None}
    for site, score in scored.items():
        if site not in SITE_IDS:
            raise TypeError(f"unknown mRSS site {site!r}")
        if not 0 <= score <= MAX_SITE_SCORE:
            _add(errors, site, _("Enter a score from 0 to 3."))
    if total is not None and not 0 <= total <= MAX_TOTAL:
        _add(errors, "total", _("Enter a total from 0 to 51."))
    if total is not None and scored:
        _add(errors, "total", _("Enter either the sites or the total, not both."))
    if total is None and not scored:
        _add(errors, NON_FIELD_ERRORS, _("Score the sites (or give the total)."))
    _raise_if(errors)
    action = "record_skin_score"
    with audit_scope(by=by, action=action):
        locked = _lock(participant)
        row = SkinScore.objects.create(
            participant=locked, date=date, examiner=text, total=total, **scored
        )
        _after_write(locked, by, action)
        return row


def add_course(
    participant: Participant,
    *,
    by: User,
    start: datetime.date | None,
    end: datetime.date | None,
    boluses: int | None = None,
) -> CyclophosphamideCourse:
    """Record one course of high-dose IV cyclophosphamide (R-I3b reads the end of the last)."""
    _authorise(by, Permission.EDIT_SCREENING, participant)
    if not participant.is_recipient:
        raise TypeError("cyclophosphamide courses are recorded for recipients")
    errors: Errors = {}
    _check_day(errors, "start", start, required=False)
    _check_day(errors, "end", end, required=False)
    if isinstance(start, datetime.date) and isinstance(end, datetime.date) and end < start:
        _add(errors, "end", _("The course ends before it starts."))
    if boluses is not None and not 1 <= boluses <= 100:
        _add(errors, "boluses", _("Enter a number of boluses from 1 to 100."))
    if profile_for(participant).cyclophosphamide_given == Answer.NO:
        _add(
            errors,
            NON_FIELD_ERRORS,
            _("The form says “never given”: change that answer before recording a course."),
        )
    _raise_if(errors)
    action = "record_cyclophosphamide_course"
    with audit_scope(by=by, action=action):
        locked = _lock(participant)
        row = CyclophosphamideCourse.objects.create(
            participant=locked, start=start, end=end, boluses=boluses
        )
        _after_write(locked, by, action)
        return row


REMOVABLE: dict[str, type[models.Model]] = {
    "measurement": Measurement,
    "bp": BloodPressure,
    "mrss": SkinScore,
    "course": CyclophosphamideCourse,
}


def remove_row(participant: Participant, *, by: User, kind: str, pk: int, reason: str) -> None:
    """Remove a measurement, blood pressure reading, skin score or course entered by mistake (the
    audit trail keeps it, with the reason)."""
    _authorise(by, Permission.EDIT_SCREENING, participant)
    model = REMOVABLE.get(kind)
    if model is None:
        raise TypeError(f"{kind!r} rows cannot be removed")
    errors: Errors = {}
    text = _check_reason(errors, reason, required=True)
    _raise_if(errors)
    action = f"remove_screening_{kind}"
    with audit_scope(by=by, reason=text, action=action):
        locked = _lock(participant)
        deleted, _rows = model._default_manager.filter(participant=locked, pk=pk).delete()
        if not deleted:
            raise ValidationError({NON_FIELD_ERRORS: [_("This row no longer exists.")]})
        _after_write(locked, by, action)


# --- The eligibility sign-off ------------------------------------------------------------------


def meaning(
    participant: Participant, screening: Screening, decision: str, day: datetime.date
) -> str:
    """What the investigator's signature means, in the active language."""
    values = {
        "code": participant.code,
        "protocol": screening.protocol_version,
        "date": day.isoformat(),
        "index": screening.index_date.isoformat(),
    }
    if decision == Decision.ELIGIBLE:
        return (
            _(
                "I confirm that participant %(code)s meets all eligibility criteria of "
                "%(protocol)s as evaluated on %(date)s (index date %(index)s)."
            )
            % values
        )
    values["reasons"] = ", ".join(reasons(screening.result))
    return (
        _(
            "I confirm that participant %(code)s does not meet the eligibility criteria of "
            "%(protocol)s as evaluated on %(date)s (index date %(index)s): %(reasons)s."
        )
        % values
    )


DECISION_FOR_VERDICT = {Status.MET: Decision.ELIGIBLE, Status.NOT_MET: Decision.NOT_ELIGIBLE}


def sign_eligibility(
    participant: Participant,
    *,
    by: User,
    password: str,
    decision: str,
    reason: str = "",
    date: datetime.date | None = None,
) -> EligibilitySignature:
    """The investigator's electronic signature of the eligibility decision.

    The signer re-enters their password. ``eligible`` is signed only on a verdict "met" (every
    inclusion criterion met, no non-inclusion criterion met), ``not_eligible`` (a signed screen
    failure) only on a verdict "not met"; an undetermined verdict cannot be signed. The facts, the
    verdict tree, the protocol version and the settings hash are frozen with the signature, and
    the decision is recorded on the participant (``trial.actions.record_eligibility``). A new
    signature is possible once the previous one is invalid. ``date`` (default today) is the
    decision date; the demo signs on its own calendar.
    """
    _authorise(by, Permission.SIGN_ELIGIBILITY, participant)
    checked = check_signature_password(by, password)
    if checked is PasswordCheck.LOCKED_OUT:
        raise ValidationError({"password": [LOCKED_OUT]})
    if checked is not PasswordCheck.RIGHT:
        raise ValidationError({"password": [_("This is not your password.")]})
    return record_signature(participant, by=by, decision=decision, reason=reason, date=date)


def record_signature(
    participant: Participant,
    *,
    by: User,
    decision: str,
    reason: str = "",
    date: datetime.date | None = None,
) -> EligibilitySignature:
    """``sign_eligibility`` once the signer is authenticated: the synthetic demo calls it directly
    (its investigators' Argon2 check would cost half a second per signature)."""
    _authorise(by, Permission.SIGN_ELIGIBILITY, participant)
    errors: Errors = {}
    if participant.has_ended:
        _add(errors, NON_FIELD_ERRORS, _("This participant's participation has ended."))
    if decision not in Decision.values:
        _add(errors, "decision", _("Select a valid choice."))
    day = date or _today()
    index = index_date_of(participant)
    if index > day:
        _add(errors, NON_FIELD_ERRORS, _("The index date is after the date of the decision."))
    if signatures.latest_signature(participant) is not None:
        current = signatures.state_of(participant)
        if current is not None and current.valid:
            _add(errors, NON_FIELD_ERRORS, _("The eligibility is already signed on these data."))
    text = _check_text(errors, "reason", reason, REASON_MAX_LENGTH)
    _raise_if(errors)
    with audit_scope(by=by, reason=text, action="sign_eligibility"):
        locked = _lock(participant)
        evaluation = evaluate(locked, index)
        screening = evaluation.screening
        if screening is None or DECISION_FOR_VERDICT.get(screening.verdict) != decision:
            raise ValidationError(
                {
                    "decision": [
                        _(
                            "The criteria do not support this decision: the verdict is "
                            "“%(verdict)s”."
                        )
                        % {"verdict": screening.verdict.value if screening else "?"}
                    ]
                }
            )
        facts = canonical_facts(evaluation.facts)
        signature = EligibilitySignature.objects.create(
            participant=locked,
            decision=decision,
            meaning=meaning(locked, screening, decision, day),
            language=(get_language() or "fr")[:8],
            signed_by=by,
            decision_date=day,
            index_date=index,
            verdict=screening.verdict.value,
            protocol_version=screening.protocol_version,
            settings_hash=screening.settings.hash,
            facts_json=facts,
            facts_sha256=digest(facts),
            result_json=json.dumps(screening.to_dict(), ensure_ascii=False, sort_keys=True),
        )
        if not (locked.inclusion_date is not None and locked.eligibility == decision):
            trial_actions.record_eligibility(
                locked, by=by, eligibility=decision, date=day, reason=text
            )
        if locked.is_donor and locked.recipient_id is not None:
            signatures.recheck(
                Participant.objects.get(pk=locked.recipient_id), by=by, action="sign_eligibility"
            )
        signature.refresh_from_db()
        return signature
