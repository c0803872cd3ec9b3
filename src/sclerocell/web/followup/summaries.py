"""What a form page shows beside the entered values: the scores computed by the clinical core.

mRSS total (``clinical.mrss``), HAQ-DI (``clinical.haq``), SHAQ scales, the EUSTAR activity index
with the mRSS, CRP and DLCO of the same visit (``clinical.eustar``), lab values converted to the
protocol's units with their normal-range flags (``clinical.units``), the PVR from its terms.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from sclerocell.clinical import haq, mrss

from .casebook import VisitData
from .checks import canonical, haq_result, mrss_score, pvr_from_terms
from .definitions import LABS, SHAQ_SCALES, bilingual
from .response import crp_mg_per_dl, eustar_index, response_settings, shaq_scores


@dataclass(frozen=True)
class Score:
    label: str
    value: str
    detail: str = ""


def number(value: float | Decimal, places: int) -> str:
    return str(number_format(value, places))


Values = Mapping[str, Any]


def _mrss(values: Values, data: VisitData | None) -> list[Score]:
    score = mrss_score(values)
    if score.total is not None:
        return [Score(_("mRSS total"), f"{score.total} / {mrss.MAX_TOTAL}", _("17 sites recorded"))]
    detail = _("not computable: %(n)d site(s) missing; the recorded sites sum to %(sum)d") % {
        "n": len(score.missing),
        "sum": score.recorded_sum,
    }
    return [Score(_("mRSS total"), "—", detail)]


def _haq(values: Values, data: VisitData | None) -> list[Score]:
    result = haq_result(values)
    categories = ", ".join(
        f"{bilingual(c.label_fr, c.label_en)} {result.category_scores[c.id]}"
        for c in haq.CATEGORIES
        if result.category_scores[c.id] is not None
    )
    if result.index is None:
        detail = _("not computable: %(n)d of 8 categories answered (at least %(min)d needed)") % {
            "n": result.answered,
            "min": result.min_categories,
        }
        return [Score(_("HAQ-DI"), "—", detail)]
    detail = _("mean of %(n)d categories") % {"n": result.answered}
    if result.raised_by_aids:
        raised = ", ".join(
            str(bilingual(c.label_fr, c.label_en))
            for c in haq.CATEGORIES
            if c.id in result.raised_by_aids
        )
        detail += " · " + _("raised to 2 by aids or help: %(categories)s") % {"categories": raised}
    return [Score(_("HAQ-DI"), number(result.index, 3), f"{detail} ({categories})")]


def _shaq(values: Values, data: VisitData | None) -> list[Score]:
    scores = shaq_scores(values).scores
    shown = []
    for name, label in SHAQ_SCALES:
        score = scores[name]
        shown.append(Score(str(label), "—" if score is None else f"{number(score, 2)} / 3"))
    return shown


def _eustar(values: Values, data: VisitData | None) -> list[Score]:
    mrss_values = data.values("mrss") if data else None
    total = None if mrss_values is None else mrss_score(mrss_values).total
    crp = crp_mg_per_dl(data.values("labs") if data else None)
    pft = (data.values("pft") if data else None) or {}
    result = eustar_index(
        values, total, crp, pft.get("dlco_percent"), response_settings().eustar_weights
    )
    if result.score is not None:
        shown = number(result.score, 2)
    else:
        shown = f"{number(result.score_min, 2)}–{number(result.score_max, 2)}"
    verdict = {True: _("active"), False: _("not active"), None: _("undetermined")}[result.active]
    unknown = [name for name, on, _weight in result.contributions if on is None]
    inputs = _("inputs of this visit: mRSS %(mrss)s, CRP %(crp)s mg/dL, DLCO %(dlco)s %%") % {
        "mrss": "—" if total is None else total,
        "crp": "—" if crp is None else number(crp, 2),
        "dlco": "—" if pft.get("dlco_percent") is None else number(pft["dlco_percent"], 0),
    }
    detail = f"{verdict} (≥ {number(result.active_at, 1)}) · {inputs}"
    if unknown:
        detail += " · " + _("unknown: %(items)s") % {"items": ", ".join(unknown)}
    return [Score(_("EUSTAR activity index"), f"{shown} / {number(result.maximum, 0)}", detail)]


def _labs(values: Values, data: VisitData | None) -> list[Score]:
    shown = []
    for lab in LABS:
        value, unit = values.get(lab.value), values.get(lab.unit)
        if value is None or not unit:
            continue
        detail = []
        try:
            converted = canonical(lab, value, unit)
        except ValueError:
            converted = None
        if converted is not None and unit != lab.canonical_unit:
            detail.append(f"= {number(converted, 2)} {lab.canonical_unit}")
        low, high = values.get(lab.low), values.get(lab.high)
        if low is not None and value < low:
            detail.append(_("below normal"))
        elif high is not None and value > high:
            detail.append(_("above normal"))
        elif low is not None or high is not None:
            detail.append(_("within normal range"))
        shown.append(Score(str(lab.label), f"{number(value, 2)} {unit}", " · ".join(detail)))
    return shown


def _rhc(values: Values, data: VisitData | None) -> list[Score]:
    computed = pvr_from_terms(values)
    if computed is None:
        return []
    return [Score(_("PVR from (mPAP − PAWP) / cardiac output"), f"{number(computed, 1)} WU")]


SUMMARIES: Mapping[str, Callable[[Values, VisitData | None], list[Score]]] = {
    "mrss": _mrss,
    "haq": _haq,
    "shaq": _shaq,
    "eustar": _eustar,
    "labs": _labs,
    "rhc": _rhc,
}


def form_scores(code: str, values: Values, data: VisitData | None) -> list[Score]:
    summary = SUMMARIES.get(code)
    return [] if summary is None else summary(values, data)
