"""The report: every endpoint of the analysis plan and its figures, as HTML, in French or English.

:func:`render_body` computes the analysis of one dataset (``sclerocell.analysis.endpoints``),
draws its figures as inline SVG (``sclerocell.analysis.figures``) and renders the body of the
report; :func:`render_document` wraps it in a standalone HTML document with print CSS (the PDF is
made from that document, see ``pdf``). The page of the application embeds the same body.

Deterministic: nothing in the report depends on when it is made (the generation is recorded in
the audit trail instead), so one snapshot gives one report, byte for byte. It prints the
snapshot's hash, the cut-off, the sites covered, the protocol version, the analysis plan's
version and the software's version.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Literal, Protocol

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from sclerocell.analysis.dataset import RELATEDNESS_NAMES, VARIABLES, AnalysisDataset
from sclerocell.analysis.endpoints import AnalysisResults, analyse
from sclerocell.analysis.figures import all_figures, reason_name, to_svg
from sclerocell.analysis.messages import Lang
from sclerocell.analysis.response import PairedChange
from sclerocell.analysis.safety import AeListing, AeTables, Counts, EventCounts, ToleranceEndpoint
from sclerocell.analysis.settings import DEFAULT_SETTINGS, AnalysisSettings
from sclerocell.analysis.survival import KaplanMeier
from sclerocell.followup.tolerance import PERIOD_NAMES
from sclerocell.product.feasibility import STEP_NAMES, FeasibilityStep, Proportion
from sclerocell.protocol.settings import DEFAULT as PROTOCOL_SETTINGS

__all__ = [
    "Rendered",
    "ReportMeta",
    "protocol_version",
    "render_body",
    "render_document",
    "software_version",
]


class _Bilingual(Protocol):
    @property
    def fr(self) -> str: ...
    @property
    def en(self) -> str: ...


def software_version() -> str:
    try:
        return f"sclerocell {version('sclerocell')}"
    except PackageNotFoundError:  # pragma: no cover — always installed in the project
        return "sclerocell (version unknown)"


def protocol_version(frame_version: str | None = None) -> str:
    """The eligibility criteria's version and settings hash, with the protocol frame in force."""
    criteria = PROTOCOL_SETTINGS.version
    return criteria if not frame_version else f"{criteria}; {frame_version}"


@dataclass(frozen=True)
class ReportMeta:
    """What the report says about its own origin (never the time it was made)."""

    #: Site numbers covered, e.g. ``("01", "02")``.
    sites: tuple[str, ...]
    protocol: str
    software: str


@dataclass(frozen=True)
class Rendered:
    html: str
    results: AnalysisResults


# --- formatting --------------------------------------------------------------------------------


def _t(message: _Bilingual, lang: Lang) -> str:
    return message.fr if lang == "fr" else message.en


def _num(value: float | None, digits: int, lang: Lang) -> str:
    if value is None:
        return "—"
    text = f"{value:.{digits}f}"
    if text.startswith("-"):
        text = "−" + text[1:]
    if text in ("−0", "−0." + "0" * digits):
        text = text[1:]
    return text.replace(".", ",") if lang == "fr" else text


def _percent(value: float | None, lang: Lang) -> str:
    return "—" if value is None else f"{_num(100 * value, 1, lang)} %"


def _interval(low: float | None, high: float | None, digits: int, lang: Lang) -> str:
    if low is None or high is None:
        return "—"
    separator = " ; " if lang == "fr" else ", "
    return f"[{_num(low, digits, lang)}{separator}{_num(high, digits, lang)}]"


def _proportion(p: Proportion, lang: Lang) -> str:
    if p.total == 0:
        return "0/0"
    low = None if p.ci_low is None else 100 * p.ci_low
    high = None if p.ci_high is None else 100 * p.ci_high
    return f"{p.count}/{p.total} ({_percent(p.estimate, lang)}) {_interval(low, high, 1, lang)}"


def _p_value(value: float | None, lang: Lang) -> str:
    if value is None:
        return "—"
    if value < 0.001:
        return "< " + _num(0.001, 3, lang)
    return _num(value, 3, lang)


# --- figures -----------------------------------------------------------------------------------

_SVG_START = re.compile(r"^.*?(?=<svg)", re.S)
_SVG_ID = re.compile(r'(\bid="|url\(#|href="#)([^")]+)')


def inline_svg(svg: str, prefix: str) -> SafeString:
    """An SVG file as an element of the page: no XML prolog, ids made unique per figure (the
    figures share matplotlib's id salt, so two figures could otherwise clash)."""
    body = _SVG_START.sub("", svg, count=1)
    body = _SVG_ID.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", body)
    return mark_safe(body)  # noqa: S308 — our own matplotlib output, no user text unescaped


def image_svg(svg: str, alt: str) -> SafeString:
    """An SVG file as an ``<img>`` with a ``data:`` URL: the page's Content-Security-Policy
    (``style-src 'self'``) would strip the style attributes of an inline SVG, an image keeps
    them."""
    encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return format_html('<img src="data:image/svg+xml;base64,{}" alt="{}">', encoded, alt)


#: How the figures are embedded: inline SVG elements (the standalone document and its PDF:
#: searchable text, vectors), or ``<img>`` (the page of the application, under its CSP).
Embedding = Literal["inline", "image"]


def _figures(
    dataset: AnalysisDataset,
    results: AnalysisResults,
    lang: Lang,
    embed: Embedding,
    alts: Mapping[str, str],
) -> dict[str, SafeString]:
    figures = all_figures(dataset, results, lang=lang)
    if embed == "image":
        return {name: image_svg(to_svg(f), alts.get(name, name)) for name, f in figures.items()}
    return {name: inline_svg(to_svg(f), f"fig-{name}") for name, f in figures.items()}


@cache
def report_css() -> str:
    """The report's style sheet (also served as the static file ``report/report.css``)."""
    return (Path(__file__).parent / "static" / "report" / "report.css").read_text(encoding="utf-8")


# --- tables ------------------------------------------------------------------------------------


def _levels(counts: Counts) -> tuple[int, ...]:
    return tuple(sorted(counts.by_level))


def _endpoint_row(endpoint: ToleranceEndpoint, levels: Sequence[int], lang: Lang) -> dict[str, Any]:
    return {
        "name": _t(endpoint.name, lang),
        "overall": _proportion(endpoint.overall, lang),
        "levels": [
            _proportion(endpoint.by_level[level], lang) if level in endpoint.by_level else "—"
            for level in levels
        ],
    }


def _event_cells(counts: EventCounts, levels: Sequence[int]) -> list[str]:
    cells = [f"{counts.patients.overall} ({counts.events.overall})"]
    for level in levels:
        patients = counts.patients.by_level.get(level, 0)
        events = counts.events.by_level.get(level, 0)
        cells.append(f"{patients} ({events})")
    return cells


def _share(count: int, total: int, lang: Lang) -> str:
    return f"{count} ({_percent(count / total, lang)})" if total else str(count)


def _ae_tables(tables: AeTables, lang: Lang, label: Callable[[str], str]) -> dict[str, Any]:
    levels = _levels(tables.population)
    population = tables.population
    summary = [
        (label("any"), tables.any_event),
        (label("grade3"), tables.grade_3_or_more),
        (label("serious"), tables.serious),
        (label("related_msc"), tables.related_msc),
        (label("related_procedure"), tables.related_procedure),
    ]
    rows = []
    for row in tables.rows:
        rows.append(
            {
                "soc": row.term is None,
                "name": row.soc if row.term is None else row.term,
                "patients": [_share(row.patients.overall, population.overall, lang)]
                + [
                    _share(row.patients.by_level.get(lv, 0), population.by_level.get(lv, 0), lang)
                    for lv in levels
                ],
                "events": row.events.overall,
                "grades": [row.patients_by_worst_grade.get(g, 0) for g in range(1, 6)],
            }
        )
    worst = [
        {
            "grade": grade,
            "cells": [str(counts.overall)] + [str(counts.by_level.get(lv, 0)) for lv in levels],
        }
        for grade, counts in tables.worst_grade.items()
    ]
    relations = []
    for relation, name in RELATEDNESS_NAMES.items():
        relations.append(
            {
                "name": _t(name, lang),
                "msc": _event_cells(tables.relation_msc[relation], levels),
                "procedure": _event_cells(tables.relation_procedure[relation], levels),
            }
        )
    return {
        "levels": levels,
        "population": [population.overall] + [population.by_level.get(lv, 0) for lv in levels],
        "summary": [{"name": n, "cells": _event_cells(c, levels)} for n, c in summary],
        "rows": rows,
        "worst": worst,
        "relations": relations,
    }


def _listing(items: Sequence[AeListing], lang: Lang) -> list[dict[str, Any]]:
    return [
        {
            "subject": e.subject_code,
            "level": "—" if e.dose_level is None else e.dose_level,
            "term": e.term,
            "soc": e.soc,
            "grade": e.grade,
            "onset": e.onset_date.isoformat(),
            "day": "—" if e.day is None else e.day,
            "period": "—" if e.period is None else _t(PERIOD_NAMES[e.period], lang),
            "serious": e.serious,
            "relation_msc": _t(RELATEDNESS_NAMES[e.relation_msc], lang),
            "relation_procedure": _t(RELATEDNESS_NAMES[e.relation_procedure], lang),
        }
        for e in sorted(items, key=lambda e: (e.subject_code, e.onset_date, e.term))
    ]


def _paired_row(change: PairedChange, lang: Lang) -> dict[str, Any]:
    sd = "" if change.sd_change is None else f" ({_num(change.sd_change, 2, lang)})"
    quartiles = _interval(change.q1_change, change.q3_change, 2, lang)
    wilcoxon = _p_value(change.wilcoxon_p_value, lang)
    return {
        "visit": _visit(change.visit, lang),
        "n": change.n,
        "missing": f"{change.missing} ({change.missing_baseline} + {change.missing_follow_up})",
        "baseline": _num(change.baseline_mean, 2, lang),
        "follow_up": _num(change.follow_up_mean, 2, lang),
        "change": _num(change.mean_change, 2, lang) + sd,
        "ci": _interval(change.ci_low, change.ci_high, 2, lang),
        "median": "—"
        if change.median_change is None
        else f"{_num(change.median_change, 2, lang)} {quartiles}",
        "t_p": _p_value(change.t_p_value, lang),
        "wilcoxon_p": wilcoxon,
        "note": "" if change.note is None else _t(change.note, lang),
    }


def _curve(curve: KaplanMeier, lang: Lang) -> dict[str, Any]:
    point = curve.at_horizon
    return {
        "name": _t(curve.name, lang),
        "n": curve.n,
        "events": curve.events,
        "censored": curve.censored,
        "at_horizon": _percent(point.survival, lang),
        "at_horizon_ci": _interval(
            None if point.ci_low is None else 100 * point.ci_low,
            None if point.ci_high is None else 100 * point.ci_high,
            1,
            lang,
        ),
        "at_risk": point.at_risk,
        "median": _num(curve.median, 1, lang),
        "table": [
            {
                "time": _num(row.time, 1, lang),
                "at_risk": row.at_risk,
                "events": row.events,
                "censored": row.censored,
                "survival": _percent(row.survival, lang),
                "ci": _interval(100 * row.ci_low, 100 * row.ci_high, 1, lang),
            }
            for row in curve.table
        ],
    }


def _visit(code: str, lang: Lang) -> str:
    """A visit code as written in ``lang`` (D10 is J10 in French), as the figures write it."""
    return "J" + code[1:] if lang == "fr" and code.startswith("D") else code


def _reasons(reasons: Mapping[str, int], lang: Lang) -> str:
    """``name: n; name: n`` (French typography: ``nom : n ; nom : n``)."""
    colon, separator = (" : ", " ; ") if lang == "fr" else (": ", "; ")
    return separator.join(f"{reason_name(key, lang)}{colon}{n}" for key, n in reasons.items())


def context(
    dataset: AnalysisDataset,
    results: AnalysisResults,
    *,
    lang: Lang,
    meta: ReportMeta,
    labels: Mapping[str, str],
    embed: Embedding = "inline",
) -> dict[str, Any]:
    """Everything the templates print, formatted for ``lang``."""
    safety = results.tolerance
    late = results.late_tolerance
    levels = _levels(safety.safety_population)
    late_levels = _levels(late.at_risk)
    flow = results.consort
    settings = results.settings
    product = results.feasibility
    response = results.response
    paired: dict[str, list[dict[str, Any]]] = {}
    for change in response.paired:
        paired.setdefault(change.variable, []).append(_paired_row(change, lang))
    variables = [
        {
            "code": variable,
            "name": _t(VARIABLES[variable][2], lang),
            "rows": paired.get(variable, []),
        }
        for variable in settings.response_variables
    ]
    models = []
    for model in response.models:
        models.append(
            {
                "name": _t(VARIABLES[model.variable][2], lang),
                "visits": ", ".join(model.visits),
                "n_subjects": model.n_subjects,
                "n_observations": model.n_observations,
                "message": _t(model.message, lang),
                "estimates": [
                    {
                        "term": e.term,
                        "estimate": _num(e.estimate, 2, lang),
                        "ci": _interval(e.ci_low, e.ci_high, 2, lang),
                        "p": _p_value(e.p_value, lang),
                    }
                    for e in model.estimates
                ],
            }
        )
    curves = (results.survival.overall, results.survival.progression_free)
    key = [
        (labels["included"], f"{flow.included} / {flow.infused}"),
        (_t(safety.primary.name, lang), _proportion(safety.primary.overall, lang)),
        (_t(safety.immediate.name, lang), _proportion(safety.immediate.overall, lang)),
    ]
    if product is not None:
        for step in (FeasibilityStep.INFUSED, FeasibilityStep.INFUSED_AT_TARGET_DOSE):
            name = labels["feasibility"] % {"step": _t(STEP_NAMES[step], lang)}
            key.append((name, _proportion(product.steps[step], lang)))
    for curve in curves:
        point = curve.at_horizon
        low = None if point.ci_low is None else 100 * point.ci_low
        high = None if point.ci_high is None else 100 * point.ci_high
        key.append(
            (
                _t(curve.name, lang),
                f"{_percent(point.survival, lang)} {_interval(low, high, 1, lang)}",
            )
        )
    for criss in response.criss[-1:]:
        key.append((f"ACR-CRISS {criss.visit}", _proportion(criss.improved, lang)))
    return {
        "lang": lang,
        "results": results,
        "key_results": key,
        "cutoff": results.cutoff_date.isoformat(),
        "snapshot_hash": results.snapshot_hash,
        "snapshot_format": results.snapshot_format,
        "sap_version": settings.version,
        "confidence_level": f"{_num(100 * settings.confidence, 0, lang)} %",
        "horizon": settings.horizon_months,
        "meta": meta,
        "sites": ", ".join(meta.sites) if meta.sites else "—",
        "notes": [_t(n, lang) for n in results.notes],
        "figures": _figures(dataset, results, lang, embed, labels),
        "consort": {
            "flow": flow,
            "not_eligible_reasons": _reasons(flow.not_eligible_reasons, lang),
            "not_included_reasons": _reasons(flow.not_included_reasons, lang),
            "not_infused_reasons": _reasons(flow.not_infused_reasons, lang),
            "off_study": _reasons({c.value: n for c, n in flow.off_study_reasons.items()}, lang),
            "off_study_count": sum(flow.off_study_reasons.values()),
            "visits": [
                {
                    "label": _visit(v.visit, lang),
                    "attended": v.attended,
                    "missed": v.missed,
                    "not_yet_due": v.not_yet_due,
                    "off_study": v.off_study,
                }
                for v in flow.visits
            ],
            "infused_by_level": _reasons(
                {f"{labels['level']} {lv}": n for lv, n in flow.infused_by_level.items()}, lang
            ),
        },
        "recruitment": _t(results.recruitment.message, lang),
        "levels": levels,
        "population": [safety.safety_population.overall]
        + [safety.safety_population.by_level[lv] for lv in levels],
        "level_headers": [(lv, safety.safety_population.by_level[lv]) for lv in levels],
        "full_follow_up": safety.full_follow_up,
        "endpoints": [
            _endpoint_row(e, levels, lang)
            for e in (safety.primary, safety.primary_related, safety.immediate)
        ],
        "severe": _listing(safety.severe_events, lang),
        "tables": _ae_tables(safety.tables, lang, lambda key: labels[key]),
        "events_before_infusion": safety.events_before_infusion,
        "events_after_horizon": safety.events_after_horizon,
        "late_levels": late_levels,
        "late_at_risk": [late.at_risk.overall] + [late.at_risk.by_level[lv] for lv in late_levels],
        "late_endpoints": [
            _endpoint_row(e, late_levels, lang) for e in (late.any_late, late.severe_late)
        ]
        + [_endpoint_row(late.malignancy_after_infusion, levels, lang)],
        "late_tables": _ae_tables(late.tables, lang, lambda key: labels[key]),
        "malignancies": _listing(late.malignancies, lang),
        "feasibility": None
        if product is None
        else {
            "included": product.included,
            "steps": [
                {"name": _t(STEP_NAMES[step], lang), "value": _proportion(p, lang)}
                for step, p in product.steps.items()
            ],
            "days": product.days_inclusion_to_infusion,
            "median": _num(product.days_inclusion_to_infusion.median, 1, lang),
        },
        "variables": variables,
        "models": models,
        "criss": [
            {
                "visit": c.visit,
                "population": c.population,
                "evaluable": c.evaluable,
                "improved": _proportion(c.improved, lang),
                "undetermined": c.undetermined,
                "step1": c.step1_events,
                "exploratory": c.exploratory,
                "note": _t(c.note, lang),
            }
            for c in response.criss
        ],
        "survival": [
            _curve(results.survival.overall, lang),
            _curve(results.survival.progression_free, lang),
        ],
        "survival_origin": results.survival.origin,
    }


def _labels() -> dict[str, str]:
    from django.utils.translation import gettext as _

    return {
        "any": _("Any adverse event"),
        "grade3": _("Grade ≥ 3"),
        "serious": _("Serious"),
        "related_msc": _("Related to the MSC"),
        "related_procedure": _("Related to the marrow procedure"),
        "level": _("level"),
        "included": _("Recipients included / infused"),
        "feasibility": _("Feasibility: %(step)s"),
        "consort": _("CONSORT flow diagram"),
        "recruitment": _("Recruitment against the target"),
        "mrss": _("mRSS by visit"),
        "pft": _("FVC and DLCO by visit"),
        "swimmer": _("Adverse events per patient"),
        "survival": _("Kaplan–Meier curves"),
    }


def render_body(
    dataset: AnalysisDataset,
    *,
    lang: Lang,
    meta: ReportMeta,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    embed: Embedding = "inline",
) -> Rendered:
    """The body of the report (an ``<article>``), in ``lang``, its figures embedded as ``embed``
    says."""
    if lang not in ("fr", "en"):
        raise ValueError(f"lang must be 'fr' or 'en', not {lang!r}")
    results = analyse(dataset, settings)
    with translation.override(lang):
        values = context(dataset, results, lang=lang, meta=meta, labels=_labels(), embed=embed)
        html = render_to_string("report/body.html", values)
    return Rendered(html, results)


def render_document(body: Rendered, *, lang: Lang) -> str:
    """The standalone HTML document of a rendered body (A4 print CSS, page numbers)."""
    with translation.override(lang):
        return render_to_string(
            "report/document.html",
            {
                "body": mark_safe(body.html),  # noqa: S308 — rendered by our templates
                "css": mark_safe(report_css()),  # noqa: S308 — our own style sheet
                "lang": lang,
                "results": body.results,
            },
        )
