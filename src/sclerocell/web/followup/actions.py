"""Every change of follow-up data, one function per action.

Each action checks the caller's permission (the roles MATRIX) at the participant's site, runs in
one ``audit_scope`` transaction, locks the row it changes, refuses a stale ``expected_version``,
validates (a translated ``ValidationError`` keyed by the field at fault: nothing is written), and
returns what it wrote. Views and API handlers call these and never ``save()`` themselves.

Forms follow ``lifecycle.FORM_TRANSITIONS``; a locked form is refused here and, for every other
write path, by the database (``lockguard``). Once a form is complete, its findings are kept in step
with data queries raised by the checks (:func:`reconcile_rule_queries`).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import DatabaseError
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sclerocell.web.accounts.models import User
from sclerocell.web.accounts.roles import Permission
from sclerocell.web.accounts.signing import LOCKED_OUT, PasswordCheck, check_signature_password
from sclerocell.web.audit.context import audit_scope
from sclerocell.web.trial.access import may_act_at
from sclerocell.web.trial.identityguard import refuse_identifiers
from sclerocell.web.trial.models import Participant

from . import checks, visits
from .casebook import load_casebook
from .definitions import BASELINE, FORMS, UNSCHEDULED, FieldSpec, FormSpec, Kind
from .lifecycle import (
    BEYOND_DRAFT,
    FORM_TRANSITIONS,
    QUERY_TRANSITIONS,
    REVIEWED,
    SIGNATURE_MEANING,
    UNRESOLVED,
)
from .lockguard import is_lock_refusal
from .models import (
    FORM_MODELS,
    VISIT_CODES,
    FormStatus,
    MessageKind,
    OutcomeForm,
    Query,
    QueryMessage,
    QueryStatus,
    Visit,
)

REASON_MAX_LENGTH = 500
MESSAGE_MAX_LENGTH = 2000
Errors = dict[str, list[Any]]
P = Permission


# --- Shared checks -----------------------------------------------------------------------------


def _authorise(by: User, permission: Permission, participant: Participant) -> None:
    if not may_act_at(by, permission, participant.site):
        raise PermissionDenied


def _raise_if(errors: Mapping[str, list[Any]]) -> None:
    if any(errors.values()):
        raise ValidationError({key: value for key, value in errors.items() if value})


def _refusal(message: Any, code: str) -> ValidationError:
    return ValidationError({NON_FIELD_ERRORS: [ValidationError(message, code=code)]})


STALE = _(
    "Someone else changed this record since you opened it. Your entries are shown again: "
    "compare them with the saved values, then save again."
)
LOCKED = _("This form is locked: it can no longer change.")


def _check_version(row: Visit | OutcomeForm | Query, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != row.version:
        raise _refusal(STALE, "stale")


def _check_text(
    errors: Errors, key: str, text: str, *, required: bool, limit: int, missing: Any
) -> str:
    clean = (text or "").strip()
    if required and not clean:
        errors.setdefault(key, []).append(missing)
    if len(clean) > limit:
        errors.setdefault(key, []).append(_("Keep this under %(n)d characters.") % {"n": limit})
    try:
        refuse_identifiers(clean)
    except ValidationError as error:
        errors.setdefault(key, []).extend(error.messages)
    return clean


REASON_MISSING = _("Give the reason for this change (it is kept in the audit trail).")


# --- Visits ------------------------------------------------------------------------------------


def _check_visit_date(errors: Errors, participant: Participant, code: str, day: Any) -> None:
    if not isinstance(day, datetime.date) or isinstance(day, datetime.datetime):
        errors.setdefault("visit_date", []).append(_("Enter a valid date."))
        return
    infusion = participant.infusion_date
    problems: list[Any] = []
    if day > timezone.localdate():
        problems.append(_("This date is in the future."))
    if participant.end_date is not None and day > participant.end_date:
        problems.append(_("This date is after the end of participation."))
    if code == BASELINE:
        if day < participant.screening_date:
            problems.append(_("A baseline visit follows the screening date."))
        if infusion is not None and day > infusion:
            problems.append(
                _("A baseline visit comes before the infusion (%(date)s).")
                % {"date": infusion.isoformat()}
            )
    elif infusion is not None and day < infusion:
        problems.append(
            _("A follow-up visit comes after the infusion (%(date)s).")
            % {"date": infusion.isoformat()}
        )
    errors.setdefault("visit_date", []).extend(problems)


def record_visit(
    participant: Participant, *, by: User, code: str, visit_date: datetime.date
) -> Visit:
    """Record that a visit took place: baseline, a scheduled visit, or an unscheduled one."""
    _authorise(by, P.ENTER_FOLLOWUP, participant)
    errors: Errors = {}
    if not participant.is_recipient:
        errors.setdefault(NON_FIELD_ERRORS, []).append(_("Only recipients have follow-up visits."))
    if code not in VISIT_CODES:
        errors.setdefault("code", []).append(_("Select a valid visit."))
    elif code not in (BASELINE, UNSCHEDULED) and code not in visits.schedule_codes():
        errors.setdefault("code", []).append(
            _("This visit is not in the schedule in force (setting SCLEROCELL_VISIT_SCHEDULE).")
        )
    elif code != BASELINE and participant.infusion_date is None:
        errors.setdefault("code", []).append(
            _("Record the infusion before the visits that follow it.")
        )
    _check_visit_date(errors, participant, code, visit_date)
    _raise_if(errors)
    with audit_scope(by=by, action="record_visit"):
        # The participant's row orders concurrent recordings of the same visit.
        Participant.objects.select_for_update().filter(pk=participant.pk).first()
        if code != UNSCHEDULED and participant.visits.filter(code=code).exists():
            raise ValidationError({"code": [_("This visit is already recorded.")]})
        return Visit.objects.create(participant=participant, code=code, visit_date=visit_date)


def _locked_forms(visit: Visit) -> bool:
    return any(
        model.objects.filter(visit=visit, status=FormStatus.LOCKED).exists()
        for model in FORM_MODELS.values()
    )


def update_visit(
    visit: Visit,
    *,
    by: User,
    visit_date: datetime.date,
    reason: str,
    expected_version: int | None = None,
) -> Visit:
    """Correct the date of a visit (a reason is required; refused once a form is locked)."""
    participant = visit.participant
    _authorise(by, P.ENTER_FOLLOWUP, participant)
    errors: Errors = {}
    _check_visit_date(errors, participant, visit.code, visit_date)
    text = _check_text(
        errors, "reason", reason, required=True, limit=REASON_MAX_LENGTH, missing=REASON_MISSING
    )
    _raise_if(errors)
    with audit_scope(by=by, reason=text, action="update_visit"):
        locked = Visit.objects.select_for_update().select_related("participant").get(pk=visit.pk)
        _check_version(locked, expected_version)
        if _locked_forms(locked):
            raise _refusal(
                _("A form of this visit is locked: the visit can no longer change."), "locked"
            )
        if locked.visit_date == visit_date:
            return locked
        locked.visit_date = visit_date
        locked.version += 1
        locked.save(update_fields=["visit_date", "version"])
        return locked


# --- Outcome forms: entry ----------------------------------------------------------------------

INVALID = _("Enter a valid value.")


def _coerce(spec: FieldSpec, value: Any) -> Any:
    """A value given by a page, the API or a test, as the column stores it; ValueError if not."""
    empty = "" if spec.kind in (Kind.CHOICE, Kind.TEXT) else None
    if value is None or value == "":
        return empty
    if spec.kind is Kind.INTEGER:
        if isinstance(value, bool):
            raise ValueError(spec.name)
        number = Decimal(str(value))
        if number != number.to_integral_value():
            raise ValueError(spec.name)
        return int(number)
    if spec.kind is Kind.DECIMAL:
        if isinstance(value, bool):
            raise ValueError(spec.name)
        number = Decimal(str(value))
        step = Decimal(1).scaleb(-spec.decimals)
        if not number.is_finite() or number != number.quantize(step):
            raise ValueError(spec.name)
        return number.quantize(step)
    if spec.kind is Kind.BOOLEAN:
        if not isinstance(value, bool):
            raise ValueError(spec.name)
        return value
    if spec.kind is Kind.DATE:
        if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
            raise ValueError(spec.name)
        return value
    if not isinstance(value, str):
        raise ValueError(spec.name)
    return value.strip()


def coerce_values(spec: FormSpec, values: Mapping[str, Any]) -> dict[str, Any]:
    """Typed values for the fields given; a ValidationError names unknown or malformed fields."""
    errors: Errors = {}
    typed: dict[str, Any] = {}
    for name, value in values.items():
        if not spec.has_field(name):
            errors.setdefault(name, []).append(_("This form has no such field."))
            continue
        try:
            typed[name] = _coerce(spec.field(name), value)
        except (ValueError, InvalidOperation):
            errors.setdefault(name, []).append(INVALID)
    _raise_if(errors)
    return typed


def _empty(value: Any) -> bool:
    return value is None or value == ""


def get_form(visit: Visit, code: str) -> OutcomeForm | None:
    return FORM_MODELS[code].objects.filter(visit=visit).first()


def _spec(code: str) -> FormSpec:
    spec = FORMS.get(code)
    if spec is None:
        raise ValueError(f"unknown outcome form {code!r}")
    return spec


def _void_review(form: OutcomeForm) -> list[str]:
    form.verified_by = form.verified_at = form.signed_by = form.signed_at = None
    form.signature_meaning = ""
    return ["verified_by", "verified_at", "signed_by", "signed_at", "signature_meaning"]


def save_form(
    visit: Visit,
    code: str,
    *,
    by: User,
    values: Mapping[str, Any],
    reason: str = "",
    expected_version: int | None = None,
) -> OutcomeForm:
    """Enter or change the values of one outcome form of a visit.

    ``values`` holds the fields to set (the others keep their values). ``expected_version`` is
    the version the user opened (0 for a form not yet started). A change to a value already
    entered, or any change once the form is complete, needs a ``reason``; a change to a
    verified or signed form voids the verification and the signature.
    """
    spec = _spec(code)
    participant = visit.participant
    _authorise(by, P.ENTER_FOLLOWUP, participant)
    typed = coerce_values(spec, values)
    model = FORM_MODELS[code]
    text = (reason or "").strip()
    with audit_scope(by=by, reason=text, action="save_outcome_form"):
        form = model.objects.select_for_update().filter(visit=visit).first()
        if form is not None and expected_version == 0:
            raise _refusal(STALE, "stale")
        if form is not None:
            _check_version(form, expected_version)
            if form.is_locked:
                raise _refusal(LOCKED, "locked")
        before = (
            form.values() if form is not None else {f.name: _coerce(f, None) for f in spec.fields}
        )
        merged = {**before, **typed}
        changed = [name for name in before if merged[name] != before[name]]
        if not changed:
            if form is None:
                raise _refusal(_("Enter at least one value."), "empty")
            return form
        status = form.status if form is not None else FormStatus.DRAFT
        errors = checks.as_errors(checks.check(spec, merged, visit))
        needs_reason = status in BEYOND_DRAFT or any(not _empty(before[n]) for n in changed)
        _check_text(
            errors,
            "reason",
            text,
            required=needs_reason,
            limit=REASON_MAX_LENGTH,
            missing=REASON_MISSING,
        )
        _raise_if(errors)
        if form is None:
            form = model.objects.create(visit=visit, **merged)
        else:
            updated = [*changed, "status", "version"]
            for name in changed:
                setattr(form, name, merged[name])
            if status in REVIEWED:
                updated += _void_review(form)
            if status in BEYOND_DRAFT:
                missing = checks.completeness(spec, merged)
                form.status = FormStatus.DRAFT if missing else FormStatus.COMPLETE
            form.version += 1
            form.save(update_fields=updated)
        if status in BEYOND_DRAFT:
            reconcile_rule_queries(participant, code)
        return form


# --- Outcome forms: life cycle -----------------------------------------------------------------


def _check_password(by: User, password: str) -> None:
    checked = check_signature_password(by, password)
    if checked is PasswordCheck.LOCKED_OUT:
        raise ValidationError({"password": [LOCKED_OUT]})
    if checked is not PasswordCheck.RIGHT:
        raise ValidationError(
            {"password": [_("This is not your password: the form is not signed.")]}
        )


def _transition(
    form: OutcomeForm,
    name: str,
    *,
    by: User,
    expected_version: int | None,
    password_checked: bool = False,
) -> OutcomeForm:
    transition = FORM_TRANSITIONS[name]
    spec = form.SPEC
    participant = form.visit.participant
    _authorise(by, transition.permission, participant)
    model = FORM_MODELS[spec.code]
    with audit_scope(by=by, action=f"{name}_form"):
        locked = (
            model.objects.select_for_update().select_related("visit__participant").get(pk=form.pk)
        )
        _check_version(locked, expected_version)
        if locked.is_locked:
            raise _refusal(LOCKED, "locked")
        if locked.status not in transition.sources:
            raise _refusal(transition.refusal, "status")
        updated = ["status", "version"]
        if name == "complete":
            values = locked.values()
            findings = checks.check(spec, values, locked.visit)
            errors = checks.as_errors([*findings, *checks.completeness(spec, values)])
            _raise_if(errors)
        elif name == "verify":
            locked.verified_by, locked.verified_at = by, Now()
            updated += ["verified_by", "verified_at"]
        elif name == "sign":
            if not password_checked:
                raise ValueError("sign through sign_forms(), which checks the password")
            locked.signed_by, locked.signed_at = by, Now()
            locked.signature_meaning = str(SIGNATURE_MEANING)
            updated += ["signed_by", "signed_at", "signature_meaning"]
        elif name == "lock":
            waiting = _form_queries(locked).filter(status__in=UNRESOLVED).count()
            if waiting:
                raise _refusal(
                    _("Close the %(n)d query(ies) still open on this form before locking it.")
                    % {"n": waiting},
                    "queries",
                )
            locked.locked_by, locked.locked_at = by, Now()
            updated += ["locked_by", "locked_at"]
        locked.status = transition.target
        locked.version += 1
        try:
            locked.save(update_fields=updated)
        except DatabaseError as error:
            if is_lock_refusal(error):
                raise _refusal(LOCKED, "locked") from error
            raise
        if name == "complete":
            reconcile_rule_queries(participant, spec.code)
    locked.refresh_from_db()
    return locked


def complete_form(
    form: OutcomeForm, *, by: User, expected_version: int | None = None
) -> OutcomeForm:
    """Draft → complete: every required field entered and no impossible value."""
    return _transition(form, "complete", by=by, expected_version=expected_version)


def verify_form(form: OutcomeForm, *, by: User, expected_version: int | None = None) -> OutcomeForm:
    """Complete → verified: the monitor compared the form with the source documents."""
    return _transition(form, "verify", by=by, expected_version=expected_version)


def sign_form(
    form: OutcomeForm, *, by: User, password: str, expected_version: int | None = None
) -> OutcomeForm:
    """Verified → signed: the investigator re-enters their password; the meaning is recorded."""
    versions = {} if expected_version is None else {form.pk: expected_version}
    return sign_forms([form], by=by, password=password, expected_versions=versions)[0]


def sign_forms(
    forms: list[OutcomeForm],
    *,
    by: User,
    password: str,
    expected_versions: Mapping[int, int] | None = None,
) -> list[OutcomeForm]:
    """Sign several verified forms of one participant with one password entry (a visit's forms,
    say): all of them or none. ``expected_versions`` maps a form's pk to the version read."""
    if not forms:
        raise _refusal(_("There is no verified form to sign."), "empty")
    participants = {form.visit.participant_id for form in forms}
    if len(participants) != 1:
        raise ValueError("sign_forms signs the forms of one participant")
    _authorise(by, P.SIGN_FORMS, forms[0].visit.participant)
    _check_password(by, password)
    versions = expected_versions or {}
    with audit_scope(by=by, action="sign_form"):
        return [
            _transition(
                form,
                "sign",
                by=by,
                expected_version=versions.get(form.pk),
                password_checked=True,
            )
            for form in forms
        ]


def lock_form(form: OutcomeForm, *, by: User, expected_version: int | None = None) -> OutcomeForm:
    """Signed → locked (data manager): no query may be open; nothing changes afterwards."""
    return _transition(form, "lock", by=by, expected_version=expected_version)


TRANSITION_ACTIONS = {
    "complete": complete_form,
    "verify": verify_form,
    "lock": lock_form,
}


# --- Queries -----------------------------------------------------------------------------------


def _form_queries(form: OutcomeForm) -> Any:
    return Query.objects.filter(visit_id=form.visit_id, form=form.SPEC.code)


def raise_query(
    participant: Participant,
    *,
    by: User,
    text: str,
    visit: Visit | None = None,
    form: str = "",
    field: str = "",
) -> Query:
    """A data manager or a monitor asks the site about a participant, a visit, a form or a field."""
    _authorise(by, P.RAISE_QUERY, participant)
    errors: Errors = {}
    message = _check_text(
        errors,
        "text",
        text,
        required=True,
        limit=MESSAGE_MAX_LENGTH,
        missing=_("Write the question."),
    )
    if visit is not None and visit.participant_id != participant.pk:
        errors.setdefault("visit", []).append(_("Select a visit of this participant."))
    spec = FORMS.get(form) if form else None
    if form and (spec is None or visit is None):
        errors.setdefault("form", []).append(_("Select a form of a visit."))
    if field and (spec is None or not spec.has_field(field)):
        errors.setdefault("field", []).append(_("Select a field of the form."))
    _raise_if(errors)
    with audit_scope(by=by, action="raise_query"):
        query = Query.objects.create(
            participant=participant, visit=visit, form=form, field=field, raised_by=by
        )
        QueryMessage.objects.create(query=query, kind=MessageKind.RAISE, text=message, author=by)
        return query


def _query_transition(
    query: Query, name: str, *, by: User, text: str, expected_version: int | None
) -> Query:
    transition = QUERY_TRANSITIONS[name]
    _authorise(by, transition.permission, query.participant)
    errors: Errors = {}
    message = _check_text(
        errors,
        "text",
        text,
        required=transition.needs_text,
        limit=MESSAGE_MAX_LENGTH,
        missing=_("Write a message."),
    )
    _raise_if(errors)
    with audit_scope(by=by, action=f"{name}_query"):
        locked = Query.objects.select_for_update().get(pk=query.pk)
        _check_version(locked, expected_version)
        if locked.status not in transition.sources:
            raise _refusal(transition.refusal, "status")
        locked.status = transition.target
        locked.version += 1
        locked.save(update_fields=["status", "version"])
        QueryMessage.objects.create(query=locked, kind=name, text=message, author=by)
        return locked


def answer_query(
    query: Query, *, by: User, text: str, expected_version: int | None = None
) -> Query:
    """The site answers (open → answered)."""
    return _query_transition(query, "answer", by=by, text=text, expected_version=expected_version)


def close_query(
    query: Query, *, by: User, text: str = "", expected_version: int | None = None
) -> Query:
    """The data manager or the monitor closes it (open or answered → closed)."""
    return _query_transition(query, "close", by=by, text=text, expected_version=expected_version)


def reopen_query(
    query: Query, *, by: User, text: str, expected_version: int | None = None
) -> Query:
    """The answer does not settle it (answered or closed → open)."""
    return _query_transition(query, "reopen", by=by, text=text, expected_version=expected_version)


QUERY_ACTIONS = {"answer": answer_query, "close": close_query, "reopen": reopen_query}


def _accepted(query: Query) -> bool:
    """Closed by a person (not resolved by a correction)."""
    last = list(query.messages.all())[-1:]
    return query.status == QueryStatus.CLOSED and bool(last) and last[0].kind == MessageKind.CLOSE


def reconcile_rule_queries(participant: Participant, changed: str | None = None) -> tuple[int, int]:
    """Keep the checks' queries in step with the data of the participant's non-draft forms.

    A finding without a query raises one (unless the same finding, same values, was closed by
    a person: it was accepted); a check's open or answered query whose finding is gone is closed
    as resolved. ``changed`` names the form type that changed: only the forms whose findings it
    can move are checked (all when None). Runs inside the caller's action.
    Returns (raised, resolved).
    """
    codes = None if changed is None else checks.affected_by(changed)
    loaded = None if codes is None else checks.needed_for(codes)
    book = load_casebook(participant, at_least=FormStatus.COMPLETE, codes=loaded)
    current = {
        (visit_id, code, finding.field, finding.rule): finding
        for (visit_id, code), findings in checks.form_findings(book, codes).items()
        for finding in findings
    }
    checked = {
        (data.visit.pk, form.SPEC.code)
        for data, form in book.forms()
        if codes is None or form.SPEC.code in codes
    }
    existing: dict[tuple[Any, str, str, str], list[Query]] = {}
    rule_queries = Query.objects.filter(participant=participant).exclude(rule="")
    if codes is not None:
        rule_queries = rule_queries.filter(form__in=codes)
    for query in rule_queries.prefetch_related("messages"):
        existing.setdefault((query.visit_id, query.form, query.field, query.rule), []).append(query)
    raised = resolved = 0
    with audit_scope(by=None, action="reconcile_rule_queries"):
        for key, finding in current.items():
            queries = existing.get(key, [])
            if any(q.status in UNRESOLVED for q in queries):
                continue
            if any(_accepted(q) and q.params == dict(finding.params) for q in queries):
                continue  # closed by a person with these very values: the values stand
            query = Query.objects.create(
                participant=participant,
                visit_id=key[0],
                form=key[1],
                field=key[2],
                rule=key[3],
                params=dict(finding.params),
            )
            QueryMessage.objects.create(query=query, kind=MessageKind.RAISE)
            raised += 1
        for key, queries in existing.items():
            if key in current or (key[0], key[1]) not in checked:
                continue
            for query in queries:
                if query.status in UNRESOLVED:
                    query.status = QueryStatus.CLOSED
                    query.version += 1
                    query.save(update_fields=["status", "version"])
                    QueryMessage.objects.create(query=query, kind=MessageKind.RESOLVED)
                    resolved += 1
    return raised, resolved
