"""Scores per visit and the response to treatment per visit and per patient.

Every number comes from the clinical core (``sclerocell.clinical``): the mRSS total and its change
with the minimal-important-change and EUSTAR flags (``mrss``), FVC and DLCO change (``pft``),
HAQ-DI and SHAQ (``haq``), the EUSTAR activity index (``eustar``), ACR-CRISS step 1 and step 2 and
the revised CRISS (``criss``), lab units (``units``). This module only gathers their inputs from
the forms and keeps the thresholds in one :class:`ResponseSettings`.

Baseline is the ``BL`` visit. The response reads forms that are at least complete (a draft may
be half entered); a form page shows the scores of its own values whatever its status.
ACR-CRISS is validated for the change at 12 months: at 3, 6 and 9 months (and at unscheduled
visits) it is computed and marked exploratory.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings as django_settings

from sclerocell.analysis.timeline import months_between
from sclerocell.clinical import criss, eustar, haq, mrss, pft, units
from sclerocell.clinical.errors import ClinicalInputError

from .casebook import Casebook, VisitData
from .checks import haq_result, mrss_score
from .definitions import BASELINE, ORGAN_EVENTS, SHAQ_SCALES, event_parts
from .models import Visit


@dataclass(frozen=True)
class ResponseSettings:
    """Thresholds of the response (protocol settings; defaults from DOMAIN.md §3–§4)."""

    mic_points: float = 5.0
    eustar_skin_points: float = 5.0
    eustar_skin_percent: float = 25.0
    criss_threshold: float = 0.60
    revised_criss: criss.RevisedCrissSettings = field(default_factory=criss.RevisedCrissSettings)
    eustar_weights: eustar.EustarWeights = field(default_factory=eustar.EustarWeights)
    #: Progression of lung function: relative fall of % predicted (the protocol's R-V1b reading).
    fvc_decline_percent: float = 10.0
    dlco_decline_percent: float = 15.0


def response_settings() -> ResponseSettings:
    """The deployment's settings (``SCLEROCELL_RESPONSE`` in Django settings) or the defaults."""
    configured = getattr(django_settings, "SCLEROCELL_RESPONSE", None)
    return configured if isinstance(configured, ResponseSettings) else ResponseSettings()


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


# --- One visit ---------------------------------------------------------------------------------


def crp_mg_per_dl(labs: Mapping[str, Any] | None) -> float | None:
    """The CRP of a lab form in mg/dL (the unit of the EUSTAR cut-off), whatever its unit."""
    if labs is None or labs.get("crp_value") is None or not labs.get("crp_unit"):
        return None
    try:
        return units.convert(float(labs["crp_value"]), labs["crp_unit"], "mg/dL", "crp")
    except ClinicalInputError:
        return None


def eustar_index(
    items: Mapping[str, Any],
    mrss_total: int | None,
    crp: float | None,
    dlco: Any,
    weights: eustar.EustarWeights,
) -> eustar.EustarResult:
    return eustar.eustar_activity_index(
        eustar.EustarItems(
            delta_skin=items.get("delta_skin"),
            mrss=mrss_total,
            digital_ulcers=items.get("digital_ulcers"),
            tendon_friction_rubs=items.get("tendon_friction_rubs"),
            crp_mg_per_dl=crp,
            dlco_percent_predicted=_float(dlco),
        ),
        weights,
    )


def shaq_scores(values: Mapping[str, Any]) -> haq.ShaqResult:
    marks = {name: _float(values.get(name)) for name, _label in SHAQ_SCALES}
    return haq.shaq_vas(haq.ShaqVas(**marks))


@dataclass(frozen=True)
class VisitScores:
    visit: Visit
    month: float | None  # months since the infusion (negative: before it)
    mrss: mrss.MrssScore | None
    fvc: float | None
    dlco: float | None
    fvc_fall_confirmed: bool | None
    ild_on_hrct: bool | None
    haq: haq.HaqDiResult | None
    patient_global: float | None
    physician_global: float | None
    eustar: eustar.EustarResult | None
    #: Organ events recorded at this visit: event → present (None: no form at this visit).
    events: Mapping[str, bool | None]
    #: Step-1 reading of each event: present, attributable to SSc and (LV, PH) treated.
    step1: Mapping[str, bool | None]

    @property
    def mrss_total(self) -> int | None:
        return None if self.mrss is None else self.mrss.total

    @property
    def haq_index(self) -> float | None:
        return None if self.haq is None else self.haq.index

    def core_set(self) -> criss.CoreSet:
        return criss.CoreSet(
            mrss=None if self.mrss_total is None else float(self.mrss_total),
            fvc_percent_predicted=self.fvc,
            patient_global=self.patient_global,
            physician_global=self.physician_global,
            haq_di=self.haq_index,
        )


def _step1_event(event: str, values: Mapping[str, Any]) -> bool | None:
    present, _when, ssc, treated = event_parts(event)
    if values.get(present) is not True:
        return False if values.get(present) is False else None
    needs_treatment = event != "renal_crisis"
    conditions = [values.get(ssc), *([values.get(treated)] if needs_treatment else [])]
    if any(c is False for c in conditions):
        return False
    return None if any(c is None for c in conditions) else True


def visit_scores(data: VisitData, s: ResponseSettings) -> VisitScores:
    visit = data.visit
    infusion = visit.participant.infusion_date
    mrss_values = data.values("mrss")
    pft_values = data.values("pft") or {}
    haq_values = data.values("haq")
    globals_ = data.values("globals") or {}
    events = data.values("organ_events")
    score = None if mrss_values is None else mrss_score(mrss_values)
    eustar_values = data.values("eustar")
    eustar_result = None
    if eustar_values is not None:
        eustar_result = eustar_index(
            eustar_values,
            None if score is None else score.total,
            crp_mg_per_dl(data.values("labs")),
            pft_values.get("dlco_percent"),
            s.eustar_weights,
        )
    names = [event for event, _label in ORGAN_EVENTS]
    return VisitScores(
        visit=visit,
        month=None if infusion is None else months_between(infusion, visit.visit_date),
        mrss=score,
        fvc=_float(pft_values.get("fvc_percent")),
        dlco=_float(pft_values.get("dlco_percent")),
        fvc_fall_confirmed=pft_values.get("fvc_fall_confirmed"),
        ild_on_hrct=pft_values.get("ild_on_hrct"),
        haq=None if haq_values is None else haq_result(haq_values),
        patient_global=_float(globals_.get("patient_global")),
        physician_global=_float(globals_.get("physician_global")),
        eustar=eustar_result,
        events={e: None if events is None else events.get(e) is True for e in names},
        step1={e: None if events is None else _step1_event(e, events) for e in names},
    )


# --- Change from baseline ----------------------------------------------------------------------


def interval_months(visit: Visit) -> int | None:
    """The protocol month of a scheduled visit (``M12`` → 12); None for D10 and unscheduled."""
    code = visit.code
    return int(code[1:]) if code.startswith("M") and code[1:].isdigit() else None


@dataclass(frozen=True)
class VisitResponse:
    scores: VisitScores
    mrss_change: mrss.MrssChange | None
    fvc_change: pft.PftChange | None
    dlco_change: pft.PftChange | None
    haq_change: float | None
    step1: criss.Step1Events
    acr_criss: criss.CrissResult
    revised_criss: criss.RevisedCrissResult
    #: Progression found at this visit: codes of ``PROGRESSION``.
    progression: tuple[str, ...]


PROGRESSION = (
    "renal_crisis",
    "lv_failure",
    "pulmonary_hypertension",
    "skin_progression",
    "fvc_decline",
    "dlco_decline",
)


def _kleene_any(values: list[bool | None]) -> bool | None:
    if any(v is True for v in values):
        return True
    return None if any(v is None for v in values) else False


def _change(base: float | None, now: float | None) -> pft.PftChange | None:
    if base is None or now is None:
        return None
    return pft.pft_change(base, now)


def _delta(base: float | None, now: float | None) -> float | None:
    return None if base is None or now is None else now - base


def visit_response(
    baseline: VisitScores | None, since: list[VisitScores], now: VisitScores, s: ResponseSettings
) -> VisitResponse:
    """``now`` against ``baseline``; ``since`` are the post-baseline visits up to ``now``."""
    base = baseline
    mrss_change = None
    if base is not None:
        mrss_change = mrss.change(
            base.mrss_total,
            now.mrss_total,
            mic_points=s.mic_points,
            eustar_points=s.eustar_skin_points,
            eustar_percent=s.eustar_skin_percent,
        )
    fvc_change = _change(base.fvc if base else None, now.fvc)
    dlco_change = _change(base.dlco if base else None, now.dlco)
    haq_change = _delta(base.haq_index if base else None, now.haq_index)

    def event(name: str) -> bool | None:
        # Visits without an organ-event form say nothing; the current one must have it.
        readings = [v.step1[name] for v in since if v.events[name] is not None]
        if now.events[name] is None and True not in readings:
            return None
        return _kleene_any(readings)

    step1 = criss.Step1Events(
        new_scleroderma_renal_crisis=event("renal_crisis"),
        fvc_decline=criss.fvc_step1_event(
            baseline_fvc=base.fvc if base else None,
            follow_up_fvc=now.fvc,
            confirmed_within_a_month=now.fvc_fall_confirmed,
            ild_on_hrct=now.ild_on_hrct,
        ),
        new_left_ventricular_failure=event("lv_failure"),
        new_pah_requiring_treatment=event("pulmonary_hypertension"),
    )
    start, end = (base.core_set() if base else criss.CoreSet()), now.core_set()
    deltas = [_delta(getattr(start, item), getattr(end, item)) for item in criss.CORE_ITEMS]
    changes = None
    if None not in deltas:
        changes = criss.CrissChanges(*(d for d in deltas if d is not None))
    acr = criss.acr_criss(
        step1, changes, threshold=s.criss_threshold, interval_months=interval_months(now.visit)
    )
    revised = criss.revised_criss(start, end, step1=step1, settings=s.revised_criss)
    progression = [name for name in PROGRESSION[:3] if now.events.get(name)]
    if mrss_change is not None and mrss_change.eustar_progressed:
        progression.append("skin_progression")
    for name, change, limit in (
        ("fvc_decline", fvc_change, s.fvc_decline_percent),
        ("dlco_decline", dlco_change, s.dlco_decline_percent),
    ):
        fall = None if change is None else change.decline()
        if fall is not None and fall >= limit:
            progression.append(name)
    return VisitResponse(
        scores=now,
        mrss_change=mrss_change,
        fvc_change=fvc_change,
        dlco_change=dlco_change,
        haq_change=haq_change,
        step1=step1,
        acr_criss=acr,
        revised_criss=revised,
        progression=tuple(progression),
    )


@dataclass(frozen=True)
class PatientResponse:
    baseline: VisitScores | None
    visits: tuple[VisitResponse, ...]
    settings: ResponseSettings


def patient_response(book: Casebook, s: ResponseSettings | None = None) -> PatientResponse:
    """The response at every post-baseline visit of the casebook (visits in date order)."""
    s = s or response_settings()
    scores = [visit_scores(data, s) for data in book]
    baseline = next((v for v in scores if v.visit.code == BASELINE), None)
    after = [v for v in scores if v.visit.code != BASELINE]
    visits = tuple(visit_response(baseline, after[: i + 1], now, s) for i, now in enumerate(after))
    return PatientResponse(baseline, visits, s)
