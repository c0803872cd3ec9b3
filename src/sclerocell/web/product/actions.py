"""Every event of the product chain, one function per action.

Like ``sclerocell.web.trial.actions``: each checks the role and site, validates its input (a
translated ``ValidationError`` keyed by the argument at fault, before anything is written), and
writes in one ``audit_scope``. Events are appended, never edited — except the QC results of a
batch not yet decided, which arrive over days (a changed result needs a reason).

``at`` (release, bedside check) is the server clock unless given: only the demo and the tests
give it, to place synthetic events on the study calendar.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sclerocell.product.dosing import check_dose
from sclerocell.product.label import DamagedCodeError, InfusionOrder, bedside_check, decode
from sclerocell.product.messages import ProductInputError
from sclerocell.product.specification import Karyotype, Mycoplasma, Sterility, can_release
from sclerocell.web.accounts.models import User
from sclerocell.web.accounts.roles import Permission
from sclerocell.web.accounts.signing import LOCKED_OUT, PasswordCheck, check_signature_password
from sclerocell.web.audit.context import audit_scope
from sclerocell.web.trial import studycode
from sclerocell.web.trial.access import sites_for
from sclerocell.web.trial.actions import (
    Errors,
    _authorise,
    _check_date,
    _check_free_text,
    _check_reason,
    _check_version,
    _raise_if,
    _refuse_if_ended,
)
from sclerocell.web.trial.enrolment import has_consent_on, localized
from sclerocell.web.trial.models import DonorSelection, Enrolment, Participant

from . import chain, conf
from .models import (
    BATCH_NUMBER,
    RESULT_FIELDS,
    Batch,
    BedsideCheckAttempt,
    Harvest,
    Infusion,
    Moment,
    PunctureSite,
    ReleaseDecision,
    ReleaseOutcome,
    VitalSigns,
)

MAX_VOLUME_ML = Decimal("9999.9")
MAX_WEIGHT_KG = Decimal("400")
MAX_PASSAGES = 50


# --- Checks ------------------------------------------------------------------------------------


def _add(errors: Errors, key: str, message: Any) -> None:
    errors.setdefault(key, []).append(message)


def _decimal(
    errors: Errors,
    key: str,
    value: Any,
    *,
    required: bool = True,
    minimum: Decimal = Decimal(0),
    maximum: Decimal | None = None,
    exclusive_minimum: bool = True,
    places: int = 2,
) -> Decimal | None:
    """A number within bounds as a Decimal rounded to ``places``; None when absent."""
    if value is None or value == "":
        if required:
            _add(errors, key, _("This field is required."))
        return None
    if isinstance(value, bool):
        _add(errors, key, _("Enter a number."))
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        _add(errors, key, _("Enter a number."))
        return None
    if not number.is_finite():
        _add(errors, key, _("Enter a number."))
        return None
    too_low = number <= minimum if exclusive_minimum else number < minimum
    if too_low:
        message = (
            _("Enter a number above %(n)s.") if exclusive_minimum else _("Enter at least %(n)s.")
        )
        _add(errors, key, message % {"n": minimum})
        return None
    if maximum is not None and number > maximum:
        _add(errors, key, _("Enter at most %(n)s.") % {"n": maximum})
        return None
    return number.quantize(Decimal(1).scaleb(-places))


def _whole(errors: Errors, key: str, value: Any, *, minimum: int, maximum: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        _add(errors, key, _("Enter a whole number."))
        return None
    if not minimum <= value <= maximum:
        _add(
            errors, key, _("Enter a number between %(a)d and %(b)d.") % {"a": minimum, "b": maximum}
        )
        return None
    return value


def _now() -> datetime.datetime:
    return timezone.now()


def _check_moment(
    errors: Errors,
    key: str,
    value: Any,
    *,
    not_before: tuple[datetime.datetime | None, Any] | None = None,
) -> datetime.datetime | None:
    """An aware date and time, not in the future, not before ``not_before``."""
    if value is None:
        _add(errors, key, _("This date and time are required."))
        return None
    if not isinstance(value, datetime.datetime) or timezone.is_naive(value):
        _add(errors, key, _("Enter a valid date and time."))
        return None
    if value > _now():
        _add(errors, key, _("This date and time are in the future."))
    if not_before is not None and not_before[0] is not None and value < not_before[0]:
        _add(errors, key, not_before[1])
    return value


def _at(errors: Errors, at: datetime.datetime | None) -> datetime.datetime:
    if at is None:
        return _now()
    moment = _check_moment(errors, NON_FIELD_ERRORS, at)
    return moment or _now()


def _required_text(errors: Errors, key: str, value: str, max_length: int) -> str:
    text = _check_free_text(errors, key, value)
    if not text:
        _add(errors, key, _("This field is required."))
    elif len(text) > max_length:
        _add(errors, key, _("Keep this under %(n)d characters.") % {"n": max_length})
    return text


def _input_error(errors: Errors, error: ProductInputError, default: str) -> None:
    _add(errors, error.field or default, localized(error.message))


def _donor_values(batch: Batch, recipient: Participant) -> dict[str, str] | None:
    """None when the batch is of the donor chosen now; else the codes a refusal names."""
    donor = chain.chosen_donor(recipient)
    if chain.is_of_chosen_donor(batch, donor):
        return None
    return {
        "batch": batch.number,
        "batch_donor": chain.donor_of(batch).code,
        "recipient": recipient.code,
        "donor": donor.code if donor is not None else "—",
    }


# --- Harvest -----------------------------------------------------------------------------------


def record_harvest(
    donor: Participant,
    *,
    by: User,
    harvested_on: datetime.date,
    puncture_site: str,
    volume_ml: Decimal | float,
    local_anaesthetic: str,
    operator: User | None = None,
    operator_role: str = "",
    note: str = "",
) -> Harvest:
    """Record the bone-marrow harvest of the chosen, included donor."""
    _authorise(by, Permission.RECORD_PRODUCT, donor.site)
    _refuse_if_ended(donor)
    errors: Errors = {}
    if not donor.is_donor:
        raise ValidationError({NON_FIELD_ERRORS: [_("A harvest is taken from a donor.")]})
    if not DonorSelection.objects.filter(donor=donor).exists():
        _add(errors, NON_FIELD_ERRORS, _("This donor is not the one chosen for the recipient."))
    if donor.inclusion_date is None:
        _add(errors, NON_FIELD_ERRORS, _("Include the donor before the harvest."))
    _check_date(
        errors,
        "harvested_on",
        harvested_on,
        not_before=(donor.inclusion_date, _("The harvest follows the donor's inclusion.")),
    )
    if isinstance(harvested_on, datetime.date) and not has_consent_on(donor, harvested_on):
        _add(errors, "harvested_on", _("The donor has no consent in force on this date."))
    if puncture_site not in PunctureSite.values:
        _add(errors, "puncture_site", _("Select a valid choice."))
    volume = _decimal(errors, "volume_ml", volume_ml, maximum=MAX_VOLUME_ML, places=1)
    anaesthetic = _required_text(errors, "local_anaesthetic", local_anaesthetic, 120)
    role = _check_free_text(errors, "operator_role", operator_role)
    if len(role) > 120:
        _add(errors, "operator_role", _("Keep this under %(n)d characters.") % {"n": 120})
    if operator is not None and not sites_for(operator).filter(pk=donor.site_id).exists():
        _add(errors, "operator", _("The operator is not a staff member of this site."))
    if operator is None and not role:
        _add(errors, "operator", _("Name the operator: a staff account, or their role."))
    note_text = _check_free_text(errors, "note", note)
    _raise_if(errors)
    assert volume is not None  # noqa: S101 — checked above
    with audit_scope(by=by, action="record_harvest"):
        return Harvest.objects.create(
            donor=donor,
            harvested_on=harvested_on,
            puncture_site=puncture_site,
            volume_ml=volume,
            local_anaesthetic=anaesthetic,
            operator=operator,
            operator_role=role,
            note=note_text,
        )


# --- Batch -------------------------------------------------------------------------------------

_PERCENT_FIELDS = tuple(field for field in RESULT_FIELDS if field.endswith("_pct"))
_CHOICE_FIELDS: dict[str, type[Any]] = {
    "sterility": Sterility,
    "mycoplasma": Mycoplasma,
    "karyotype": Karyotype,
}


def _check_results(errors: Errors, results: Mapping[str, Any]) -> dict[str, Any]:
    """The QC results given, validated; a missing one is None (or '' for a choice)."""
    unknown = set(results) - set(RESULT_FIELDS)
    if unknown:
        raise TypeError(f"unknown batch results {sorted(unknown)}")
    checked: dict[str, Any] = {}
    for field in _PERCENT_FIELDS:
        checked[field] = _decimal(
            errors,
            field,
            results.get(field),
            required=False,
            exclusive_minimum=False,
            maximum=Decimal(100),
        )
    checked["endotoxin_eu_per_ml"] = _decimal(
        errors,
        "endotoxin_eu_per_ml",
        results.get("endotoxin_eu_per_ml"),
        required=False,
        exclusive_minimum=False,
        maximum=Decimal("99999"),
        places=3,
    )
    for field, choices in _CHOICE_FIELDS.items():
        value = results.get(field) or ""
        if value and value not in {member.value for member in choices}:
            _add(errors, field, _("Select a valid choice."))
        checked[field] = value
    return checked


def record_batch(
    harvest: Harvest,
    *,
    by: User,
    number: str,
    manufactured_on: datetime.date,
    passages: int,
    cell_count: int,
    volume_ml: Decimal | float,
    expires_at: datetime.datetime,
    **results: Any,
) -> Batch:
    """Record an MSC batch made from ``harvest`` for the donor's recipient, with its QC so far."""
    recipient = harvest.donor.recipient
    assert recipient is not None  # noqa: S101 — a donor always has a recipient
    _authorise(by, Permission.RECORD_PRODUCT, recipient.site)
    _refuse_if_ended(recipient)
    errors: Errors = {}
    if recipient.inclusion_date is None:
        _add(errors, NON_FIELD_ERRORS, _("Include the recipient before making their batch."))
    if Infusion.objects.filter(recipient=recipient).exists():
        _add(errors, NON_FIELD_ERRORS, _("This recipient has already been infused."))
    if not DonorSelection.objects.filter(recipient=recipient, donor=harvest.donor_id).exists():
        _add(errors, NON_FIELD_ERRORS, _("This harvest is not from the donor chosen."))
    number_text = (number or "").strip()
    try:
        BATCH_NUMBER(number_text)
    except ValidationError as error:
        errors.setdefault("number", []).extend(error.messages)
    if len(number_text) > 30:
        _add(errors, "number", _("Keep this under %(n)d characters.") % {"n": 30})
    if number_text and Batch.objects.filter(number=number_text).exists():
        _add(errors, "number", _("This batch number is already recorded."))
    _check_date(
        errors,
        "manufactured_on",
        manufactured_on,
        not_before=(harvest.harvested_on, _("A batch is made after the harvest.")),
    )
    _whole(errors, "passages", passages, minimum=0, maximum=MAX_PASSAGES)
    _whole(errors, "cell_count", cell_count, minimum=1, maximum=10**12)
    volume = _decimal(errors, "volume_ml", volume_ml, maximum=MAX_VOLUME_ML, places=1)
    if not isinstance(expires_at, datetime.datetime) or timezone.is_naive(expires_at):
        _add(errors, "expires_at", _("Enter a valid date and time."))
    elif isinstance(manufactured_on, datetime.date) and expires_at.date() < manufactured_on:
        _add(errors, "expires_at", _("A batch expires after it is made."))
    checked = _check_results(errors, results)
    _raise_if(errors)
    assert volume is not None  # noqa: S101 — checked above
    with audit_scope(by=by, action="record_batch"):
        return Batch.objects.create(
            number=number_text,
            harvest=harvest,
            recipient=recipient,
            manufactured_on=manufactured_on,
            passages=passages,
            cell_count=cell_count,
            volume_ml=volume,
            expires_at=expires_at,
            **checked,
        )


def update_batch_results(
    batch: Batch,
    *,
    by: User,
    reason: str = "",
    expected_version: int | None = None,
    **results: Any,
) -> Batch:
    """Enter QC results that came in later (changing an entered result needs a reason)."""
    _authorise(by, Permission.RECORD_PRODUCT, batch.recipient.site)
    errors: Errors = {}
    if chain.decision_of(batch) is not None:
        _add(errors, NON_FIELD_ERRORS, _("This batch is decided: its results no longer change."))
    merged = {field: results.get(field, getattr(batch, field)) for field in RESULT_FIELDS}
    checked = _check_results(errors, merged)
    changed = [field for field in RESULT_FIELDS if checked[field] != getattr(batch, field)]
    overwrites = [field for field in changed if getattr(batch, field) not in (None, "")]
    text = _check_reason(errors, reason, required=bool(overwrites))
    _raise_if(errors)
    with audit_scope(by=by, reason=text, action="update_batch_results"):
        locked = Batch.objects.select_for_update().get(pk=batch.pk)
        _check_version(locked, expected_version)
        if not changed:
            return locked
        for field in changed:
            setattr(locked, field, checked[field])
        locked.version += 1
        locked.save(update_fields=[*changed, "version"])
        return locked


# --- Release -----------------------------------------------------------------------------------


def signature_meaning(by: User, batch: Batch, outcome: str, *, deviation: bool) -> str:
    """The statement the signer signs, in their language; stored with the decision."""
    values = {
        "user": by.get_username(),
        "role": by.role_enum.label,
        "batch": batch.number,
        "recipient": batch.recipient.code,
        "spec": conf.specification().version,
    }
    if outcome == ReleaseOutcome.REJECTED:
        return _("I, %(user)s (%(role)s), reject batch %(batch)s: it will not be infused.") % values
    if deviation:
        return (
            _(
                "I, %(user)s (%(role)s), release batch %(batch)s for %(recipient)s under the "
                "documented deviation, having reviewed its quality-control results against the "
                "release specification %(spec)s."
            )
            % values
        )
    return (
        _(
            "I, %(user)s (%(role)s), release batch %(batch)s for %(recipient)s: I have reviewed "
            "its quality-control results against the release specification %(spec)s."
        )
        % values
    )


def release_batch(
    batch: Batch,
    *,
    by: User,
    outcome: str,
    password: str,
    meaning_confirmed: bool,
    recipient_weight_kg: Decimal | float,
    deviation: str = "",
    at: datetime.datetime | None = None,
) -> ReleaseDecision:
    """The signed release (or rejection) of a batch against the release specification.

    The signer enters their password again and confirms the meaning of the signature. A batch
    out of specification (a failed or missing test) is released only with a documented
    deviation; an expired batch is never released, nor a batch of a donor no longer chosen for
    the recipient (it can still be rejected). One decision per batch.
    """
    _authorise(by, Permission.RELEASE_BATCH, batch.recipient.site)
    _refuse_if_ended(batch.recipient)
    errors: Errors = {}
    if chain.decision_of(batch) is not None:
        _add(errors, NON_FIELD_ERRORS, _("This batch is already decided."))
    if outcome not in ReleaseOutcome.values:
        _add(errors, "outcome", _("Select a valid choice."))
    weight = _decimal(
        errors, "recipient_weight_kg", recipient_weight_kg, maximum=MAX_WEIGHT_KG, places=1
    )
    deviation_text = _check_free_text(errors, "deviation", deviation)
    moment = _at(errors, at)
    assessment = None
    if weight is not None:
        try:
            assessment = chain.assess(batch, weight)
        except ProductInputError as error:
            _input_error(errors, error, NON_FIELD_ERRORS)
    if assessment is not None and outcome == ReleaseOutcome.RELEASED:
        decision = can_release(assessment, deviation_text)
        if not decision.releasable:
            _add(errors, "deviation", localized(decision.reason))
    donor_values = _donor_values(batch, batch.recipient)
    if outcome == ReleaseOutcome.RELEASED and donor_values is not None:
        _add(
            errors,
            NON_FIELD_ERRORS,
            _(
                "Batch %(batch)s was made from the marrow of donor %(batch_donor)s, but the "
                "donor chosen for %(recipient)s is now %(donor)s: it cannot be released for "
                "this recipient. Record its rejection instead."
            )
            % donor_values,
        )
    if outcome == ReleaseOutcome.RELEASED and batch.expires_at < moment:
        _add(
            errors,
            NON_FIELD_ERRORS,
            _("This batch expired on %(date)s: it cannot be released.")
            % {"date": timezone.localtime(batch.expires_at).strftime("%Y-%m-%d %H:%M")},
        )
    if meaning_confirmed is not True:
        _add(errors, "meaning_confirmed", _("Confirm the meaning of your signature."))
    if not errors:
        checked = check_signature_password(by, password)
        if checked is PasswordCheck.LOCKED_OUT:
            _add(errors, "password", LOCKED_OUT)
        elif checked is not PasswordCheck.RIGHT:
            _add(errors, "password", _("Wrong password: the decision is not signed."))
    _raise_if(errors)
    assert assessment is not None and weight is not None  # noqa: S101 — checked above
    conforming = assessment.conforming
    with audit_scope(by=by, action="release_batch"):
        return ReleaseDecision.objects.create(
            batch=batch,
            outcome=outcome,
            conforming=conforming,
            deviation=deviation_text,
            specification_version=assessment.specification_version,
            assessment=chain.assessment_rows(assessment),
            recipient_weight_kg=weight,
            signed_by=by,
            signer_username=by.get_username(),
            signer_role=by.role,
            signed_at=moment,
            meaning=signature_meaning(
                by, batch, outcome, deviation=not conforming and bool(deviation_text)
            ),
        )


# --- Bedside check -----------------------------------------------------------------------------

_STUDY_CODE = re.compile(rf"^{studycode.PATTERN}$")
NO_BATCH = "no_batch"
# The bag is of a donor who is no longer the recipient's chosen donor (the core's refusals are
# ``sclerocell.product.label.BedsideRefusal``; this one needs the donor choice of the records).
FORMER_DONOR = "former_donor"


def _stored_product_code(text: str) -> str:
    """The scanned product code, or a redacted summary when it is not one (never an identity)."""
    if text.isascii() and text.isprintable() and text.startswith("MSC|") and len(text) <= 200:
        return text
    return f"[not a product code: {len(text)} characters]"


def _stored_wristband(text: str) -> str:
    if _STUDY_CODE.fullmatch(text):
        return text
    return f"[not a study code: {len(text)} characters]"


def _in_both_languages(message: Callable[[], str]) -> tuple[str, str]:
    """A translated message in French and English (stored with the attempt)."""
    with translation.override("fr"):
        french = message()
    with translation.override("en"):
        english = message()
    return french, english


def _bag_of_former_donor(recipient: Participant, product_text: str) -> dict[str, str] | None:
    """The codes to name when the scanned bag, made for this recipient, is of a donor who is
    no longer the chosen one; None otherwise (a damaged code or another recipient's bag is
    refused by the core check)."""
    try:
        label = decode(product_text)
    except DamagedCodeError:
        return None
    if label.recipient_code != recipient.code:
        return None
    recorded = (
        Batch.objects.filter(recipient=recipient, number=label.batch)
        .select_related("harvest__donor")
        .first()
    )
    donor = chain.chosen_donor(recipient)
    bag_donor = chain.donor_of(recorded).code if recorded is not None else label.donor_code
    if donor is not None and bag_donor == donor.code:
        return None
    return {
        "batch": label.batch,
        "batch_donor": bag_donor,
        "recipient": recipient.code,
        "donor": donor.code if donor is not None else "—",
    }


def _former_donor_refusal(values: Mapping[str, str]) -> str:
    return (
        _(
            "The bag (batch %(batch)s) is from donor %(batch_donor)s, but the donor chosen for "
            "%(recipient)s is now %(donor)s: a former donor's batch is never infused."
        )
        % values
    )


def _ready_for_infusion(recipient: Participant, by: User, errors: Errors) -> Enrolment | None:
    """What the bedside check and the infusion both require first: the right to record an
    infusion, a recipient still participating, included, and not infused yet."""
    _authorise(by, Permission.RECORD_INFUSION, recipient.site)
    _refuse_if_ended(recipient)
    if not recipient.is_recipient:
        raise ValidationError({NON_FIELD_ERRORS: [_("Only recipients are infused.")]})
    enrolment = chain.enrolment_of(recipient)
    if recipient.inclusion_date is None or enrolment is None:
        _add(errors, NON_FIELD_ERRORS, _("Include the participant before recording the infusion."))
    if Infusion.objects.filter(recipient=recipient).exists():
        _add(errors, NON_FIELD_ERRORS, _("The infusion of this recipient is already recorded."))
    return enrolment


def check_at_bedside(
    recipient: Participant,
    *,
    by: User,
    product_code: str,
    recipient_code: str,
    weight_kg: Decimal | float,
    at: datetime.datetime | None = None,
) -> BedsideCheckAttempt:
    """Check the scanned bag and wristband against the records; record the attempt either way.

    Refused (``accepted`` False, with the reasons) for a damaged code, another recipient, a bag
    that is not the expected batch, a batch not released or expired, or a dose outside the
    cohort's tolerance for today's weight (``sclerocell.product.label.bedside_check``), and for
    a bag of a donor who is no longer the recipient's chosen donor (``FORMER_DONOR``): the
    expected batch is always one of the donor chosen now.
    """
    errors: Errors = {}
    enrolment = _ready_for_infusion(recipient, by, errors)
    product_text = (product_code or "").strip()
    wristband = (recipient_code or "").strip()
    if not product_text:
        _add(errors, "product_code", _("Scan or key in the product code of the bag."))
    if not wristband:
        _add(errors, "recipient_code", _("Scan or key in the recipient's study code."))
    weight = _decimal(errors, "weight_kg", weight_kg, maximum=MAX_WEIGHT_KG, places=1)
    moment = _at(errors, at)
    _raise_if(errors)
    assert enrolment is not None and weight is not None  # noqa: S101 — checked above
    batch = chain.expected_batch(recipient)
    if batch is None:
        refusals = [NO_BATCH]
        with translation.override("en"):
            english = _("No batch has been made for this recipient: the infusion is refused.")
        with translation.override("fr"):
            french = _("No batch has been made for this recipient: the infusion is refused.")
        accepted = False
    else:
        result = bedside_check(
            product_text,
            wristband,
            InfusionOrder(
                recipient_code=recipient.code,
                batch=batch.number,
                donor_code=batch.harvest.donor.code,
                batch_released=chain.is_released(batch),
                cells_in_product=batch.cell_count,
                recipient_weight_kg=float(weight),
                dose_level=chain.cohort_level(enrolment),
                infusion_at=moment,
            ),
        )
        accepted = result.accepted
        refusals = sorted(reason.value for reason in result.reasons)
        french, english = result.message.fr, result.message.en
    former = _bag_of_former_donor(recipient, product_text)
    if former is not None:
        extra_fr, extra_en = _in_both_languages(lambda: _former_donor_refusal(former))
        if accepted:  # not expected (the expected batch is the chosen donor's): still refused
            french, english = "PERFUSION REFUSÉE —", "INFUSION REFUSED —"
        french, english = f"{french} {extra_fr}", f"{english} {extra_en}"
        accepted = False
        refusals = sorted({*refusals, FORMER_DONOR})
    with audit_scope(by=by, action="bedside_check"):
        return BedsideCheckAttempt.objects.create(
            recipient=recipient,
            batch=batch,
            product_code=_stored_product_code(product_text),
            recipient_code=_stored_wristband(wristband),
            weight_kg=weight,
            checked_at=moment,
            checked_by=by,
            accepted=accepted,
            refusals=refusals,
            message_fr=french,
            message_en=english,
        )


# --- Infusion ----------------------------------------------------------------------------------

VITAL_RANGES: dict[str, tuple[Decimal, Decimal, int]] = {
    # field: (lowest, highest, decimal places) — plausible values, not clinical thresholds
    "systolic_mmhg": (Decimal(40), Decimal(300), 0),
    "diastolic_mmhg": (Decimal(20), Decimal(200), 0),
    "heart_rate_bpm": (Decimal(20), Decimal(250), 0),
    "temperature_c": (Decimal(30), Decimal(45), 1),
    "spo2_pct": (Decimal(50), Decimal(100), 0),
}
OPTIONAL_VITALS = frozenset({"spo2_pct"})


def _check_vitals(errors: Errors, vital_signs: Mapping[str, Mapping[str, Any]]) -> list[VitalSigns]:
    rows = []
    for moment in Moment:
        given = vital_signs.get(moment.value) or {}
        values: dict[str, Any] = {}
        for field, (low, high, places) in VITAL_RANGES.items():
            number = _decimal(
                errors,
                f"{moment.value}_{field}",
                given.get(field),
                required=field not in OPTIONAL_VITALS,
                minimum=low,
                maximum=high,
                exclusive_minimum=False,
                places=places,
            )
            values[field] = int(number) if number is not None and places == 0 else number
        rows.append(VitalSigns(moment=moment.value, **values))
    return rows


def record_infusion(
    recipient: Participant,
    *,
    by: User,
    started_at: datetime.datetime,
    ended_at: datetime.datetime,
    volume_ml: Decimal | float,
    rate_ml_per_min: Decimal | float,
    weight_kg: Decimal | float,
    vital_signs: Mapping[str, Mapping[str, Any]],
    immediate_reaction: bool,
    premedication: str = "",
    reaction_description: str = "",
) -> Infusion:
    """Record the infusion that followed the recipient's last, accepted bedside check.

    Computes the dose per kg (cells in the bag × volume infused / bag volume, over the weight on
    the day) and flags it outside the cohort's tolerance; flags a rate above the protocol's
    maximum. Sets the recipient's infusion date (the follow-up calendar starts there).
    """
    errors: Errors = {}
    enrolment = _ready_for_infusion(recipient, by, errors)
    check = chain.last_bedside_check(recipient)
    if check is None or not check.accepted or check.batch is None:
        _add(
            errors,
            NON_FIELD_ERRORS,
            _("Do the bedside check first: this recipient's last check is missing or refused."),
        )
        check = None
    if check is not None and check.batch is not None:
        donor_values = _donor_values(check.batch, recipient)
        if donor_values is not None:
            _add(
                errors,
                NON_FIELD_ERRORS,
                _(
                    "Batch %(batch)s, checked at the bedside, is from donor %(batch_donor)s, but "
                    "the donor chosen for %(recipient)s is now %(donor)s: it is not infused. "
                    "Check a bag of the chosen donor at the bedside."
                )
                % donor_values,
            )
    start = _check_moment(errors, "started_at", started_at)
    end = _check_moment(
        errors, "ended_at", ended_at, not_before=(start, _("The infusion ends after it starts."))
    )
    if start is not None and end is not None and end == start:
        _add(errors, "ended_at", _("The infusion ends after it starts."))
    if start is not None and check is not None:
        _check_start(errors, start, check)
    if start is not None and recipient.inclusion_date is not None:
        if timezone.localdate(start) < recipient.inclusion_date:
            _add(errors, "started_at", _("The infusion follows the inclusion date."))
    volume = _decimal(errors, "volume_ml", volume_ml, maximum=MAX_VOLUME_ML, places=1)
    if volume is not None and check is not None and check.batch is not None:
        if volume > check.batch.volume_ml:
            _add(
                errors,
                "volume_ml",
                _("More than the bag holds (%(volume)s mL).") % {"volume": check.batch.volume_ml},
            )
    rate = _decimal(errors, "rate_ml_per_min", rate_ml_per_min, maximum=Decimal(1000))
    weight = _decimal(errors, "weight_kg", weight_kg, maximum=MAX_WEIGHT_KG, places=1)
    vitals = _check_vitals(errors, vital_signs)
    if not isinstance(immediate_reaction, bool):
        _add(errors, "immediate_reaction", _("Select a valid choice."))
    description = _check_free_text(errors, "reaction_description", reaction_description)
    if immediate_reaction is True and not description:
        _add(errors, "reaction_description", _("Describe the reaction."))
    premedication_text = _check_free_text(errors, "premedication", premedication)
    _raise_if(errors)
    assert check is not None and check.batch is not None and enrolment is not None  # noqa: S101
    assert start is not None and end is not None  # noqa: S101
    assert volume is not None and rate is not None and weight is not None  # noqa: S101
    batch = check.batch
    cells = round(Decimal(batch.cell_count) * volume / batch.volume_ml)
    dose = check_dose(cells, float(weight), chain.cohort_level(enrolment))
    with audit_scope(by=by, action="record_infusion"):
        locked = Participant.objects.select_for_update().get(pk=recipient.pk)
        if Infusion.objects.filter(recipient=locked).exists():
            raise ValidationError(
                {NON_FIELD_ERRORS: [_("The infusion of this recipient is already recorded.")]}
            )
        infusion = Infusion.objects.create(
            recipient=locked,
            batch=batch,
            bedside_check=check,
            started_at=start,
            ended_at=end,
            volume_ml=volume,
            rate_ml_per_min=rate,
            rate_flagged=rate > conf.max_infusion_rate(),
            premedication=premedication_text,
            weight_kg=weight,
            cells_infused=cells,
            dose_per_kg=dose.dose_per_kg,
            target_per_kg=dose.target_per_kg,
            dose_deviation=dose.relative_deviation,
            dose_flagged=dose.flagged,
            immediate_reaction=immediate_reaction,
            reaction_description=description,
        )
        for row in vitals:
            row.infusion = infusion
        VitalSigns.objects.bulk_create(vitals)
        locked.infusion_date = timezone.localdate(start)
        locked.version += 1
        locked.save(update_fields=["infusion_date", "version"])
        return infusion


def _check_start(errors: Errors, start: datetime.datetime, check: BedsideCheckAttempt) -> None:
    """The infusion starts after its bedside check (to the minute), within the validity."""
    checked = check.checked_at.replace(second=0, microsecond=0)
    latest = check.checked_at + conf.bedside_check_validity()
    if start < checked or start > latest:
        _add(
            errors,
            "started_at",
            _(
                "The infusion starts within %(minutes)d minutes after an accepted bedside check "
                "(last check: %(time)s)."
            )
            % {
                "minutes": conf.bedside_check_validity().total_seconds() // 60,
                "time": timezone.localtime(check.checked_at).strftime("%Y-%m-%d %H:%M"),
            },
        )
    if check.batch is not None and check.batch.expires_at < start:
        _add(errors, "started_at", _("The batch expired before the start of the infusion."))
