"""Data-quality checks of the outcome forms; each failed check explains itself at its field.

Two severities:

- ``error`` — an impossible value (outside the hard limits, a date in the future or on the wrong
  side of the infusion, a value without its unit, a diastolic pressure above the systolic…): the
  save is refused and nothing is written;
- ``warning`` — a value to check against the source document (outside the plausible range, far
  from the visit, inconsistent with another form or with the previous visit): it is kept, shown
  at its field, and once the form is complete it raises a data query (``rule`` = the check).

Checks read one form's values with the participant's other data (:class:`~.casebook.Casebook`):
within a form (``field``, ``labs``, ``cross_field``), across the forms of the visit
(``cross_form``) and across visits (``cross_visit``). Completeness (what "complete" needs) is
separate: :func:`completeness`. Every rule, its severity and its message are listed in
:data:`RULES` (and in docs/data-quality.md).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sclerocell.clinical import haq, mrss, units
from sclerocell.clinical.errors import ClinicalInputError
from sclerocell.web.safety.models import AdverseEvent
from sclerocell.web.safety.monitoring import is_malignancy
from sclerocell.web.trial.identityguard import refuse_identifiers

from .casebook import Casebook, load_casebook
from .definitions import (
    MALIGNANCY_NO,
    MALIGNANCY_NOT_ASSESSED,
    MALIGNANCY_YES,
    ORGAN_EVENTS,
    DateRule,
    FieldSpec,
    FormSpec,
    Kind,
    LabSpec,
    aids_field,
    event_parts,
)
from .models import Visit


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Rule:
    severity: Severity
    message: Any  # lazy translation with %(name)s placeholders


E, W = Severity.ERROR, Severity.WARNING

RULES: Mapping[str, Rule] = {
    # Field checks.
    "below_minimum": Rule(E, _("%(value)s is below the lowest possible value (%(limit)s).")),
    "above_maximum": Rule(E, _("%(value)s is above the highest possible value (%(limit)s).")),
    "not_a_choice": Rule(E, _("%(value)s is not one of the allowed answers.")),
    "implausible": Rule(
        W,
        _(
            "%(value)s is unusual (usually %(low)s to %(high)s): check it against the source "
            "document."
        ),
    ),
    "identity": Rule(E, _("%(message)s")),
    "future_date": Rule(E, _("This date is in the future.")),
    "before_infusion": Rule(E, _("This date is before the infusion (%(infusion)s).")),
    "baseline_after_infusion": Rule(
        E, _("A baseline assessment comes before the infusion (%(infusion)s).")
    ),
    "far_from_visit": Rule(
        W, _("This date is %(days)s days away from the visit date (%(visit_date)s).")
    ),
    # Lab values: units and reference ranges.
    "unit_missing": Rule(E, _("Give the unit of this value.")),
    "unit_unknown": Rule(E, _("The unit %(unit)s cannot be used for this test.")),
    "range_reversed": Rule(
        E, _("The lower limit of normal (%(low)s) is above the upper limit (%(high)s).")
    ),
    "lab_above_maximum": Rule(
        E,
        _(
            "%(value)s %(unit)s is %(canonical)s %(canonical_unit)s: above the highest possible "
            "value (%(limit)s %(canonical_unit)s). Check the unit."
        ),
    ),
    "lab_implausible": Rule(
        W,
        _(
            "%(value)s %(unit)s is %(canonical)s %(canonical_unit)s, unusual for this test "
            "(usually %(low)s to %(high)s %(canonical_unit)s): check the value and its unit."
        ),
    ),
    # Within a form.
    "diastolic_not_below_systolic": Rule(
        E, _("The diastolic pressure (%(diastolic)s) is not below the systolic (%(systolic)s).")
    ),
    "pawp_not_below_mpap": Rule(
        E, _("The wedge pressure (%(pawp)s) is not below the mean pulmonary pressure (%(mpap)s).")
    ),
    "pvr_inconsistent": Rule(
        W,
        _(
            "PVR %(pvr)s WU differs from (mPAP − PAWP) / cardiac output = %(computed)s WU: check "
            "the four values."
        ),
    ),
    "mrss_total_mismatch": Rule(
        W,
        _(
            "The total on the source document (%(reported)s) differs from the sum of the 17 "
            "sites (%(computed)s)."
        ),
    ),
    "dose_without_corticosteroids": Rule(
        E, _("A prednisone dose is given but corticosteroids are not ticked.")
    ),
    "corticosteroids_without_dose": Rule(W, _("Corticosteroids are ticked: give the daily dose.")),
    "detail_without_event": Rule(E, _("This detail is given but the event is not recorded.")),
    # Across the forms of a visit.
    "ulcers_not_counted": Rule(
        W,
        _(
            "Active digital ulcers are ticked here, but the digital-ulcer form of this visit "
            "counts none."
        ),
    ),
    "ulcers_not_ticked": Rule(
        W,
        _(
            "The digital-ulcer form of this visit counts %(count)s active ulcer(s), but active "
            "digital ulcers are not ticked here."
        ),
    ),
    "lv_failure_with_normal_lvef": Rule(
        W,
        _(
            "Left-ventricular failure is recorded, but the LVEF of this visit is %(lvef)s %% "
            "(above %(limit)s %%)."
        ),
    ),
    "ph_without_high_mpap": Rule(
        W,
        _(
            "Pulmonary hypertension is recorded, but the mean pulmonary pressure of this visit's "
            "catheterisation is %(mpap)s mmHg (the protocol's threshold is above %(limit)s)."
        ),
    ),
    # Across visits.
    "pft_jump": Rule(
        W,
        _(
            "%(test)s changed by %(points)s points of predicted since %(visit)s (%(previous)s → "
            "%(current)s %%), more than %(limit)s: check both values."
        ),
    ),
    "weight_jump": Rule(
        W,
        _(
            "The weight changed by %(percent)s %% since %(visit)s (%(previous)s → %(current)s "
            "kg), more than %(limit)s %%: check both values."
        ),
    ),
    # Against the adverse events (malignancy surveillance).
    "malignancy_without_event": Rule(
        W,
        _(
            "A new or suspected malignancy is reported, but no adverse event flagged as a "
            "malignancy has its onset since the previous visit (%(since)s): record it."
        ),
    ),
    "malignancy_not_reported": Rule(
        W,
        _(
            "An adverse event flagged as a malignancy has its onset since the previous visit "
            "(%(events)s), but this visit does not answer yes."
        ),
    ),
    # Completeness.
    "required": Rule(E, _("Needed to complete the form.")),
    "haq_too_few_categories": Rule(
        E,
        _(
            "The HAQ-DI needs at least %(minimum)s of the 8 categories answered "
            "(%(answered)s answered)."
        ),
    ),
    "event_date_missing": Rule(E, _("Give the date of onset of this event.")),
}


@dataclass(frozen=True)
class Finding:
    field: str
    rule: str
    params: Mapping[str, str]

    @property
    def severity(self) -> Severity:
        return RULES[self.rule].severity

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def message(self) -> str:
        return render(self.rule, self.params)


def render(rule: str, params: Mapping[str, Any]) -> str:
    """The explanation of a rule in the active language."""
    template = RULES.get(rule)
    if template is None:
        return rule
    text = str(template.message)
    return text % dict(params) if params else text.replace("%%", "%")


@dataclass(frozen=True)
class CheckSettings:
    """Thresholds of the checks (defaults of this protocol version)."""

    exam_days_from_visit: int = 31
    pft_jump_points: Decimal = Decimal(30)
    weight_change_percent: Decimal = Decimal(15)
    pvr_tolerance_percent: Decimal = Decimal(20)
    pvr_tolerance_wu: Decimal = Decimal(1)
    lv_failure_lvef_max: Decimal = Decimal(45)  # ACR-CRISS: LVEF ≤ 45 %
    ph_mpap_above: Decimal = Decimal(25)  # the protocol's literal threshold (DOMAIN.md §6)


DEFAULT_CHECKS = CheckSettings()


def fmt(value: Any) -> str:
    """A value as the messages show it: decimals without trailing zeros, dates in ISO form."""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    if isinstance(value, float):
        return fmt(Decimal(str(round(value, 2))))
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _finding(field: str, rule: str, **params: Any) -> Finding:
    return Finding(field, rule, {key: fmt(value) for key, value in params.items()})


# --- Within one field --------------------------------------------------------------------------


@dataclass(frozen=True)
class Dates:
    """What a date is checked against."""

    today: datetime.date
    infusion: datetime.date | None
    visit_date: datetime.date
    baseline: bool


def _dates(visit: Visit, book: Casebook | None = None) -> Dates:
    # The casebook's participant when it is the visit's: no query per visit of the book.
    same = book is not None and book.participant.pk == visit.participant_id
    participant = book.participant if book is not None and same else visit.participant
    return Dates(
        timezone.localdate(),
        participant.infusion_date,
        visit.visit_date,
        visit.is_baseline,
    )


def _date_findings(
    spec: FieldSpec, value: datetime.date, dates: Dates, s: CheckSettings
) -> list[Finding]:
    found = []
    if value > dates.today:
        found.append(_finding(spec.name, "future_date"))
    if dates.infusion is not None and not dates.baseline and value < dates.infusion:
        found.append(_finding(spec.name, "before_infusion", infusion=dates.infusion))
    if spec.date_rule is DateRule.EXAM:
        if dates.baseline and dates.infusion is not None and value > dates.infusion:
            found.append(_finding(spec.name, "baseline_after_infusion", infusion=dates.infusion))
        days = abs((value - dates.visit_date).days)
        if days > s.exam_days_from_visit:
            found.append(
                _finding(spec.name, "far_from_visit", days=days, visit_date=dates.visit_date)
            )
    return found


def field_findings(
    spec: FieldSpec, value: Any, dates: Dates, s: CheckSettings = DEFAULT_CHECKS
) -> list[Finding]:
    if value is None or value == "":
        return []
    if spec.kind is Kind.DATE:
        return _date_findings(spec, value, dates, s)
    if spec.kind is Kind.TEXT:
        try:
            refuse_identifiers(value)
        except ValidationError as error:
            return [_finding(spec.name, "identity", message=" ".join(error.messages))]
        return []
    if spec.choices and value not in spec.choice_codes:
        return [_finding(spec.name, "not_a_choice", value=value)]
    if spec.kind not in (Kind.INTEGER, Kind.DECIMAL):
        return []
    number = Decimal(value)
    if spec.minimum is not None and number < spec.minimum:
        return [_finding(spec.name, "below_minimum", value=number, limit=spec.minimum)]
    if spec.maximum is not None and number > spec.maximum:
        return [_finding(spec.name, "above_maximum", value=number, limit=spec.maximum)]
    if spec.plausible is not None and not spec.plausible[0] <= number <= spec.plausible[1]:
        low, high = spec.plausible
        return [_finding(spec.name, "implausible", value=number, low=low, high=high)]
    return []


def canonical(lab: LabSpec, value: Decimal, unit: str) -> Decimal:
    """``value`` (in ``unit``) in the analyte's canonical unit (``clinical.units``)."""
    converted = units.to_canonical(float(value), unit, lab.analyte)
    return Decimal(str(round(converted, 3)))


def lab_findings(lab: LabSpec, values: Mapping[str, Any]) -> list[Finding]:
    value, unit = values.get(lab.value), values.get(lab.unit) or ""
    low, high = values.get(lab.low), values.get(lab.high)
    found = []
    if low is not None and high is not None and low > high:
        found.append(_finding(lab.low, "range_reversed", low=low, high=high))
    if (value is not None or low is not None or high is not None) and not unit:
        found.append(_finding(lab.unit, "unit_missing"))
    if value is None or not unit:
        return found
    try:
        in_canonical = canonical(lab, value, unit)
    except ClinicalInputError:
        return [*found, _finding(lab.unit, "unit_unknown", unit=unit)]
    params = {"value": value, "unit": unit, "canonical": in_canonical}
    params["canonical_unit"] = lab.canonical_unit
    if in_canonical > lab.maximum:
        found.append(_finding(lab.value, "lab_above_maximum", limit=lab.maximum, **params))
    elif not lab.plausible[0] <= in_canonical <= lab.plausible[1]:
        low_p, high_p = lab.plausible
        found.append(_finding(lab.value, "lab_implausible", low=low_p, high=high_p, **params))
    return found


# --- Within one form ---------------------------------------------------------------------------

Values = Mapping[str, Any]
CrossField = Callable[[Values, CheckSettings], list[Finding]]


def _vitals(v: Values, s: CheckSettings) -> list[Finding]:
    systolic, diastolic = v.get("systolic_bp"), v.get("diastolic_bp")
    if systolic is not None and diastolic is not None and diastolic >= systolic:
        return [
            _finding(
                "diastolic_bp",
                "diastolic_not_below_systolic",
                diastolic=diastolic,
                systolic=systolic,
            )
        ]
    return []


def pvr_from_terms(v: Values) -> Decimal | None:
    """(mPAP − PAWP) / cardiac output, in Wood units, when the three are entered."""
    mpap, pawp, output = v.get("mpap"), v.get("pawp"), v.get("cardiac_output")
    if mpap is None or pawp is None or not output:
        return None
    return (Decimal(mpap) - Decimal(pawp)) / Decimal(output)


def _rhc(v: Values, s: CheckSettings) -> list[Finding]:
    mpap, pawp, pvr = v.get("mpap"), v.get("pawp"), v.get("pvr")
    if mpap is not None and pawp is not None and pawp >= mpap:
        return [_finding("pawp", "pawp_not_below_mpap", pawp=pawp, mpap=mpap)]
    computed = pvr_from_terms(v)
    if computed is None or pvr is None:
        return []
    gap = abs(Decimal(pvr) - computed)
    if gap > s.pvr_tolerance_wu and gap > computed * s.pvr_tolerance_percent / 100:
        return [_finding("pvr", "pvr_inconsistent", pvr=pvr, computed=round(computed, 1))]
    return []


def _mrss(v: Values, s: CheckSettings) -> list[Finding]:
    reported = v.get("total_reported")
    if reported is None:
        return []
    total = mrss_score(v).total
    if total is not None and total != reported:
        return [
            _finding("total_reported", "mrss_total_mismatch", reported=reported, computed=total)
        ]
    return []


def _treatments(v: Values, s: CheckSettings) -> list[Finding]:
    dose, taken = v.get("prednisone_dose"), v.get("corticosteroids")
    if dose is not None and dose > 0 and taken is not True:
        return [_finding("prednisone_dose", "dose_without_corticosteroids")]
    if taken is True and dose is None:
        return [_finding("prednisone_dose", "corticosteroids_without_dose")]
    return []


def _organ_events(v: Values, s: CheckSettings) -> list[Finding]:
    found = []
    for event, _label in ORGAN_EVENTS:
        present, *details = event_parts(event)
        if v.get(present) is not True:
            found += [
                _finding(detail, "detail_without_event")
                for detail in details
                if v.get(detail) not in (None, "")
            ]
    return found


CROSS_FIELD: Mapping[str, CrossField] = {
    "vitals": _vitals,
    "rhc": _rhc,
    "mrss": _mrss,
    "treatments": _treatments,
    "organ_events": _organ_events,
}


def mrss_score(values: Values) -> mrss.MrssScore:
    return mrss.score({site: values.get(site) for site in mrss.SITE_IDS})


def haq_result(values: Values) -> haq.HaqDiResult:
    answers = {item: values.get(item) for item in haq.ITEMS}
    aids = [c.id for c in haq.CATEGORIES if values.get(aids_field(c.id)) is True]
    return haq.haq_di(answers, aids)


# --- Across forms and visits -------------------------------------------------------------------


def _cross_form(
    code: str, v: Values, visit: Visit, book: Casebook, s: CheckSettings
) -> list[Finding]:
    data = book.get(visit.pk) if visit.pk else None
    if data is None:
        return []
    found = []
    if code == "eustar":
        ulcers = data.values("ulcers")
        count = None if ulcers is None else ulcers.get("active_ulcers")
        if v.get("digital_ulcers") is True and count == 0:
            found.append(_finding("digital_ulcers", "ulcers_not_counted"))
        if v.get("digital_ulcers") is False and count:
            found.append(_finding("digital_ulcers", "ulcers_not_ticked", count=count))
    if code == "organ_events":
        echo, rhc = data.values("echo"), data.values("rhc")
        lvef = None if echo is None else echo.get("lvef")
        if v.get("lv_failure") is True and lvef is not None and lvef > s.lv_failure_lvef_max:
            found.append(
                _finding(
                    "lv_failure",
                    "lv_failure_with_normal_lvef",
                    lvef=lvef,
                    limit=s.lv_failure_lvef_max,
                )
            )
        mpap = None if rhc is None else rhc.get("mpap")
        if v.get("pulmonary_hypertension") is True and mpap is not None and mpap <= s.ph_mpap_above:
            found.append(
                _finding(
                    "pulmonary_hypertension",
                    "ph_without_high_mpap",
                    mpap=mpap,
                    limit=s.ph_mpap_above,
                )
            )
    return found


PFT_TESTS = (("fvc_percent", "FVC"), ("dlco_percent", "DLCO"))


def _cross_visit(
    code: str, v: Values, visit: Visit, book: Casebook, s: CheckSettings
) -> list[Finding]:
    found = []
    if code == "pft":
        for name, test in PFT_TESTS:
            current = v.get(name)
            previous = book.previous_values(visit, code, name)
            if current is None or previous is None:
                continue
            points = Decimal(current) - Decimal(previous[1])
            if abs(points) > s.pft_jump_points:
                found.append(
                    _finding(
                        name,
                        "pft_jump",
                        test=test,
                        points=points,
                        visit=previous[0].visit.code,
                        previous=previous[1],
                        current=current,
                        limit=s.pft_jump_points,
                    )
                )
    if code == "vitals":
        current = v.get("weight")
        previous = book.previous_values(visit, code, "weight")
        if current is not None and previous is not None and previous[1]:
            percent = (Decimal(current) - Decimal(previous[1])) * 100 / Decimal(previous[1])
            if abs(percent) > s.weight_change_percent:
                found.append(
                    _finding(
                        "weight",
                        "weight_jump",
                        percent=round(percent, 1),
                        visit=previous[0].visit.code,
                        previous=previous[1],
                        current=current,
                        limit=s.weight_change_percent,
                    )
                )
    return found


# --- Malignancy surveillance, against the adverse events ---------------------------------------


class OnsetEvent(Protocol):
    """What the surveillance reads of an adverse event flagged as a malignancy."""

    number: int
    term: str
    onset_date: datetime.date


def reported_between(
    events: Iterable[OnsetEvent], since: datetime.date | None, until: datetime.date
) -> list[OnsetEvent]:
    """The events whose onset falls after ``since`` (the previous visit) and on or before
    ``until`` (this visit): what "since the last visit" covers."""
    return [e for e in events if (since is None or e.onset_date > since) and e.onset_date <= until]


def surveillance_findings(
    answer: str, since: datetime.date | None, until: datetime.date, events: Iterable[OnsetEvent]
) -> list[Finding]:
    """A "yes" without a malignancy event in the interval, or such an event without a "yes"."""
    found = reported_between(events, since, until)
    if answer == MALIGNANCY_YES and not found:
        return [_finding("new_malignancy", "malignancy_without_event", since=since or "—")]
    if answer in (MALIGNANCY_NO, MALIGNANCY_NOT_ASSESSED) and found:
        events_text = "; ".join(f"#{e.number} {e.term}, {fmt(e.onset_date)}" for e in found)
        return [_finding("new_malignancy", "malignancy_not_reported", events=events_text)]
    return []


def previous_visit_date(visit: Visit) -> datetime.date | None:
    """The date of the participant's latest visit before this one (any kind, baseline too)."""
    earlier = Visit.objects.filter(
        participant_id=visit.participant_id, visit_date__lt=visit.visit_date
    ).order_by("-visit_date")
    return earlier.values_list("visit_date", flat=True).first()


def malignancy_events(participant_id: int) -> list[AdverseEvent]:
    """The participant's adverse events flagged as malignancies (flag or neoplasms SOC)."""
    events = AdverseEvent.objects.filter(participant_id=participant_id).order_by("onset_date")
    return [e for e in events if is_malignancy(e)]


#: The malignancy events read for the last casebook checked (one query per casebook, not per
#: form: a reconciliation checks every surveillance form of the participant with one book).
_read_for: list[tuple[Casebook, list[AdverseEvent]]] = []


def _events_for(visit: Visit, book: Casebook | None) -> list[AdverseEvent]:
    if book is None:
        return malignancy_events(visit.participant_id)
    if not _read_for or _read_for[0][0] is not book:
        _read_for[:] = [(book, malignancy_events(visit.participant_id))]
    return _read_for[0][1]


def _surveillance(v: Values, visit: Visit, book: Casebook | None) -> list[Finding]:
    answer = v.get("new_malignancy") or ""
    if answer not in (MALIGNANCY_YES, MALIGNANCY_NO, MALIGNANCY_NOT_ASSESSED) or not visit.pk:
        return []
    if book is not None and book.participant.pk == visit.participant_id:
        since = max(
            (d.visit.visit_date for d in book if d.visit.visit_date < visit.visit_date),
            default=None,
        )
    else:
        since = previous_visit_date(visit)
    return surveillance_findings(answer, since, visit.visit_date, _events_for(visit, book))


# --- Entry points ------------------------------------------------------------------------------


#: The forms whose checks read other forms (of the same visit or of earlier visits), and which.
READS: Mapping[str, frozenset[str]] = {
    "eustar": frozenset({"ulcers"}),
    "organ_events": frozenset({"echo", "rhc"}),
    "pft": frozenset({"pft"}),
    "vitals": frozenset({"vitals"}),
}


def affected_by(code: str) -> frozenset[str]:
    """The form types whose findings may change when a ``code`` form changes."""
    return frozenset({code, *(reader for reader, read in READS.items() if code in read)})


def needed_for(codes: Iterable[str]) -> frozenset[str]:
    """The form types the checks of ``codes`` read (themselves included)."""
    return frozenset(c for code in codes for c in (code, *READS.get(code, ())))


def check(
    spec: FormSpec,
    values: Values,
    visit: Visit,
    book: Casebook | None = None,
    s: CheckSettings = DEFAULT_CHECKS,
) -> list[Finding]:
    """Every finding of one form's values (errors and warnings), completeness aside.

    ``book`` is the participant's casebook, read here when the checks need it and not given.
    """
    dates = _dates(visit, book)
    found = [
        f for field in spec.fields for f in field_findings(field, values.get(field.name), dates, s)
    ]
    for lab in spec.labs:
        found += lab_findings(lab, values)
    if any(f.is_error for f in found):
        return found  # cross checks read values that are not yet trustworthy
    cross_field = CROSS_FIELD.get(spec.code)
    if cross_field is not None:
        found += cross_field(values, s)
    if spec.code in READS:
        if book is None:
            book = load_casebook(visit.participant, codes=needed_for([spec.code]))
        found += _cross_form(spec.code, values, visit, book, s)
        found += _cross_visit(spec.code, values, visit, book, s)
    if spec.code == "surveillance":
        found += _surveillance(values, visit, book)
    return found


def completeness(spec: FormSpec, values: Values) -> list[Finding]:
    """What is missing before the form can be marked complete."""
    found = [
        _finding(field.name, "required")
        for field in spec.fields
        if field.required and values.get(field.name) in (None, "")
    ]
    if spec.code == "haq":
        result = haq_result(values)
        if result.index is None:
            first = spec.fields[0].name
            found.append(
                _finding(
                    first,
                    "haq_too_few_categories",
                    minimum=result.min_categories,
                    answered=result.answered,
                )
            )
    if spec.code == "organ_events":
        for event, _label in ORGAN_EVENTS:
            present, when, *_rest = event_parts(event)
            if values.get(present) is True and values.get(when) is None:
                found.append(_finding(when, "event_date_missing"))
    return found


def as_errors(findings: Iterable[Finding]) -> dict[str, list[str]]:
    """Error findings keyed by field, as a ``ValidationError`` takes them."""
    errors: dict[str, list[str]] = {}
    for finding in findings:
        if finding.is_error:
            errors.setdefault(finding.field, []).append(finding.message)
    return errors


def by_field(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        grouped.setdefault(finding.field, []).append(finding)
    return grouped


def form_findings(
    book: Casebook, codes: Collection[str] | None = None
) -> dict[tuple[int, str], list[Finding]]:
    """The findings of the forms of the casebook (of the types in ``codes``, or all), by
    (visit id, form code)."""
    return {
        (data.visit.pk, form.SPEC.code): check(form.SPEC, form.values(), data.visit, book)
        for data, form in book.forms()
        if codes is None or form.SPEC.code in codes
    }
