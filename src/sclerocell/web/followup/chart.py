"""The per-patient timeline of the response, as an inline SVG written here (no script, no style).

One panel per measure sharing the time axis (months since the infusion): mRSS, FVC and DLCO
(% predicted), HAQ-DI and the EUSTAR activity index; progression events are red marks above the
panel they concern. Only SVG presentation attributes are used (no ``style``), so the page's
Content-Security-Policy (``style-src 'self'``) holds, and the output is deterministic: the same
data give the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .response import PatientResponse, VisitScores

WIDTH = 720
PANEL_HEIGHT = 110
LEFT, RIGHT, TOP, GAP = 56, 16, 18, 30
COLOURS = {
    "mrss": "#1f5fa8",
    "fvc": "#1e7d3a",
    "dlco": "#9a6700",
    "haq": "#6b3fa0",
    "eustar": "#b3261e",
}
EVENT_COLOUR = "#b3261e"


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    points: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Panel:
    title: str
    low: float
    high: float
    series: tuple[Series, ...]
    events: tuple[tuple[float, str], ...] = ()


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _points(scores: Sequence[VisitScores], attr: str) -> tuple[tuple[float, float], ...]:
    found = []
    for visit in scores:
        value = getattr(visit, attr)
        if attr == "eustar":
            value = None if value is None else value.score
        if visit.month is not None and value is not None:
            found.append((visit.month, float(value)))
    return tuple(found)


def panels(result: PatientResponse) -> list[Panel]:
    scores = [v for v in ([result.baseline] if result.baseline else [])] + [
        r.scores for r in result.visits
    ]
    events: dict[str, list[tuple[float, str]]] = {}
    labels = progression_labels()
    for response in result.visits:
        month = response.scores.month
        if month is None:
            continue
        for code in response.progression:
            panel = {"skin_progression": "mrss", "fvc_decline": "pft", "dlco_decline": "pft"}.get(
                code, "eustar"
            )
            events.setdefault(panel, []).append((month, labels[code]))
    pft = (_points(scores, "fvc"), _points(scores, "dlco"))
    high_pft = max([150.0, *(y for series in pft for _x, y in series)])
    return [
        Panel(
            _("mRSS (0–51)"),
            0,
            51,
            (Series("mrss", "mRSS", _points(scores, "mrss_total")),),
            tuple(events.get("mrss", ())),
        ),
        Panel(
            _("Lung function (% predicted)"),
            0,
            high_pft,
            (Series("fvc", "FVC", pft[0]), Series("dlco", "DLCO", pft[1])),
            tuple(events.get("pft", ())),
        ),
        Panel(_("HAQ-DI (0–3)"), 0, 3, (Series("haq", "HAQ-DI", _points(scores, "haq_index")),)),
        Panel(
            _("EUSTAR activity index (0–10) and organ events"),
            0,
            10,
            (Series("eustar", "EUSTAR", _points(scores, "eustar")),),
            tuple(events.get("eustar", ())),
        ),
    ]


def progression_labels() -> dict[str, str]:
    return {
        "renal_crisis": _("scleroderma renal crisis"),
        "lv_failure": _("new left-ventricular failure"),
        "pulmonary_hypertension": _("new pulmonary hypertension"),
        "skin_progression": _("skin progression (EUSTAR)"),
        "fvc_decline": _("FVC decline"),
        "dlco_decline": _("DLCO decline"),
    }


def timeline_svg(result: PatientResponse) -> SafeString:
    """The chart of ``result`` as SVG markup to place in the page."""
    drawn = panels(result)
    months = [x for panel in drawn for s in panel.series for x, _y in s.points]
    months += [x for panel in drawn for x, _label in panel.events]
    start = min([-1.0, *months])
    end = max([24.0, *months])
    plot_width = WIDTH - LEFT - RIGHT
    height = TOP + len(drawn) * (PANEL_HEIGHT + GAP) + 10

    def x_of(month: float) -> float:
        return LEFT + (month - start) / (end - start) * plot_width

    title = escape(_("Response over time, months since the infusion"))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="timeline-title" '
        f'font-family="system-ui, sans-serif" font-size="11">',
        f'<title id="timeline-title">{title}</title>',
    ]
    for index, panel in enumerate(drawn):
        top = TOP + index * (PANEL_HEIGHT + GAP)
        bottom = top + PANEL_HEIGHT

        def y_of(value: float, panel: Panel = panel, bottom: float = bottom) -> float:
            span = panel.high - panel.low or 1
            return bottom - (value - panel.low) / span * PANEL_HEIGHT

        out.append(
            f'<text x="{LEFT}" y="{top - 5}" font-weight="bold">{escape(panel.title)}</text>'
        )
        out.append(
            f'<rect x="{LEFT}" y="{top}" width="{plot_width}" height="{PANEL_HEIGHT}" '
            'fill="none" stroke="#d9dee5"/>'
        )
        for tick in (panel.low, (panel.low + panel.high) / 2, panel.high):
            label = number_format(round(tick, 1), 0 if tick == int(tick) else 1)
            out.append(
                f'<text x="{LEFT - 6}" y="{y_of(tick) + 4:.1f}" text-anchor="end" '
                f'fill="#5b6675">{escape(str(label))}</text>'
            )
        for month in range(0, int(end) + 1, 3):
            x = x_of(month)
            out.append(
                f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}" stroke="#eef1f5"/>'
            )
            if index == len(drawn) - 1:
                out.append(
                    f'<text x="{x:.1f}" y="{bottom + 14}" text-anchor="middle" fill="#5b6675">'
                    f"{'M' + str(month) if month else 'D0'}</text>"
                )
        infusion = x_of(0)
        out.append(
            f'<line x1="{infusion:.1f}" y1="{top}" x2="{infusion:.1f}" y2="{bottom}" '
            'stroke="#5b6675" stroke-dasharray="3 3"/>'
        )
        for number, series in enumerate(panel.series):
            colour = COLOURS[series.key]
            coords = " ".join(f"{x_of(x):.1f},{y_of(y):.1f}" for x, y in series.points)
            if len(series.points) > 1:
                out.append(
                    f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"/>'
                )
            for x, y in series.points:
                out.append(
                    f'<circle cx="{x_of(x):.1f}" cy="{y_of(y):.1f}" r="3.5" fill="{colour}">'
                    f"<title>{escape(series.label)} {_num(y)} (M{_num(x)})</title></circle>"
                )
            out.append(
                f'<text x="{WIDTH - RIGHT - 4}" y="{top + 14 + 13 * number}" text-anchor="end" '
                f'fill="{colour}">{escape(series.label)}</text>'
            )
        for when, label in panel.events:
            out.append(
                f'<path d="M{x_of(when):.1f},{top + 2} l-5,-9 h10 z" fill="{EVENT_COLOUR}">'
                f"<title>{escape(label)} (M{_num(when)})</title></path>"
            )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 — every text is escaped above
