"""The figures of the report, drawn with matplotlib (Agg, no display), in French or English.

Each ``*_figure`` function returns a :class:`matplotlib.figure.Figure` (never through pyplot, so
no global state and no window); :func:`to_svg` and :func:`to_png` render it. Rendering is
deterministic: a fixed ``svg.hashsalt`` (element ids), no date in the metadata, a fixed creator,
and text written as SVG ``<text>`` (searchable, accessible, translatable by the page): the same
data give byte-identical files.

- :func:`consort_figure` — the CONSORT flow, boxes and arrows;
- :func:`recruitment_figure` — cumulative inclusions and infusions against the target line;
- :func:`trajectory_figure` — one line per recipient and the mean, per visit (mRSS; FVC/DLCO);
- :func:`swimmer_figure` — one lane per infused recipient from the infusion, AEs by grade;
- :func:`survival_figure` — Kaplan–Meier curves (OS, PFS) with confidence bands and numbers at
  risk.
"""

from __future__ import annotations

import io
import statistics
import textwrap
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from matplotlib.ticker import FuncFormatter, ScalarFormatter

from sclerocell.analysis.consort import (
    AWAITING_INCLUSION,
    AWAITING_INFUSION,
    SCREENING_IN_PROGRESS,
    ConsortFlow,
)
from sclerocell.analysis.dataset import (
    BASELINE,
    END_CAUSE_NAMES,
    VARIABLES,
    AnalysisDataset,
    EndCause,
)
from sclerocell.analysis.endpoints import AnalysisResults
from sclerocell.analysis.messages import Lang, Message
from sclerocell.analysis.recruitment import Recruitment
from sclerocell.analysis.settings import DEFAULT_SETTINGS, AnalysisSettings
from sclerocell.analysis.survival import KaplanMeier, SurvivalResults
from sclerocell.analysis.timeline import follow_up_end, months_between, visit_month

__all__ = [
    "FIGURE_NAMES",
    "all_figures",
    "consort_figure",
    "reason_name",
    "recruitment_figure",
    "survival_figure",
    "swimmer_figure",
    "to_png",
    "to_svg",
    "trajectory_figure",
]

_STYLE: dict[Any, Any] = {
    "svg.hashsalt": "sclerocell",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 9,
    "legend.fontsize": 7,
    "legend.frameon": False,
}
_LEVEL_COLOURS = {1: "#1f77b4", 2: "#d62728", 3: "#2ca02c", 4: "#9467bd"}
_GRADE_COLOURS = {1: "#9ecae1", 2: "#4292c6", 3: "#fd8d3c", 4: "#d94801", 5: "#000000"}

_L: Mapping[str, Message] = {
    "screened": Message("Sélectionnés", "Screened"),
    "not_eligible": Message("Non éligibles", "Not eligible"),
    "eligible": Message("Éligibles", "Eligible"),
    "not_included": Message("Non inclus", "Not included"),
    "included": Message("Inclus", "Included"),
    "not_infused": Message("Non perfusés", "Not infused"),
    "infused": Message("Perfusés", "Infused"),
    "level": Message("Palier", "Level"),
    "attended": Message("vus", "seen"),
    "missed": Message("manqués", "missed"),
    "not_yet_due": Message("à venir", "not yet due"),
    "off_study": Message("Sortis d'étude", "Off study"),
    "completed": Message("Suivi terminé", "Follow-up completed"),
    "still_followed": Message("encore suivis", "still followed"),
    "awaiting": Message("perfusion en attente", "awaiting infusion"),
    "screening_in_progress": Message("éligibilité non décidée", "eligibility not decided"),
    "awaiting_inclusion": Message("inclusion en attente", "awaiting inclusion"),
    "consort_title": Message("Diagramme de flux (CONSORT)", "Flow diagram (CONSORT)"),
    "recruitment_title": Message("Recrutement", "Recruitment"),
    "inclusions": Message("Inclusions (cumul)", "Inclusions (cumulative)"),
    "infusions": Message("Perfusions (cumul)", "Infusions (cumulative)"),
    "target": Message("Objectif", "Target"),
    "cutoff": Message("Date de gel", "Cut-off"),
    "patients": Message("Patients", "Patients"),
    "date": Message("Date", "Date"),
    "mean": Message("Moyenne", "Mean"),
    "months_infusion": Message("Mois depuis la perfusion", "Months since infusion"),
    "visit": Message("Visite", "Visit"),
    "swimmer_title": Message("Événements indésirables par patient", "Adverse events per patient"),
    "grade": Message("Grade", "Grade"),
    "serious": Message("grave", "serious"),
    "death": Message("Décès", "Death"),
    "progression": Message("Progression", "Progression"),
    "late_boundary": Message("3 mois", "3 months"),
    "os": Message("Survie globale", "Overall survival"),
    "pfs": Message("Survie sans progression", "Progression-free survival"),
    "survival": Message("Probabilité", "Probability"),
    "at_risk": Message("À risque", "At risk"),
    "censored": Message("Censuré", "Censored"),
    "ci": Message("IC", "CI"),
}

#: Visit codes as written in each language (Jour = J in French).
_VISIT_LABELS: Mapping[str, Message] = {
    BASELINE: Message("Base", "BL"),
    "D10": Message("J10", "D10"),
}

FIGURE_NAMES: tuple[str, ...] = ("consort", "recruitment", "mrss", "pft", "swimmer", "survival")


def _t(key: str, lang: Lang) -> str:
    return _text(_L[key], lang)


def _text(message: Message, lang: Lang) -> str:
    if lang not in ("fr", "en"):
        raise ValueError(f"lang must be 'fr' or 'en', not {lang!r}")
    return message.fr if lang == "fr" else message.en


def _visit_label(code: str, lang: Lang) -> str:
    return _text(_VISIT_LABELS[code], lang) if code in _VISIT_LABELS else code


@contextmanager
def _style() -> Iterator[None]:
    with mpl.rc_context(_STYLE):
        yield


def _new_figure(width: float, height: float) -> Figure:
    figure = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(figure)
    return figure


def _decimal_comma(value: float, _position: int | None = None) -> str:
    return f"{value:g}".replace(".", ",")


def _localised(figure: Figure, lang: Lang) -> Figure:
    """French figures write their numeric tick labels with a decimal comma (0,5 not 0.5)."""
    if lang == "fr":
        for ax in figure.axes:
            for axis in (ax.xaxis, ax.yaxis):
                if isinstance(axis.get_major_formatter(), ScalarFormatter):
                    axis.set_major_formatter(FuncFormatter(_decimal_comma))
    return figure


def to_svg(figure: Figure) -> str:
    """The figure as SVG text (deterministic)."""
    buffer = io.BytesIO()
    with _style():
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "sclerocell"})
    return buffer.getvalue().decode("utf-8")


def to_png(figure: Figure, dpi: int = 150) -> bytes:
    """The figure as PNG bytes (deterministic)."""
    buffer = io.BytesIO()
    with _style():
        figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": "sclerocell"})
    return buffer.getvalue()


# --- CONSORT -----------------------------------------------------------------------------------

_WRAP = 44
_LINE_INCHES = 0.15


def _n(value: int | None) -> str:
    return "?" if value is None else str(value)


def _reason(key: str, lang: Lang) -> str:
    if key == AWAITING_INFUSION:
        return _t("awaiting", lang)
    if key == SCREENING_IN_PROGRESS:
        return _t("screening_in_progress", lang)
    if key == AWAITING_INCLUSION:
        return _t("awaiting_inclusion", lang)
    try:
        return _text(END_CAUSE_NAMES[EndCause(key)], lang)
    except ValueError:
        return key  # free text from the screening funnel


def reason_name(key: str, lang: Lang) -> str:
    """The name of a CONSORT reason key (end causes and the flow's own keys; a free-text key,
    such as a criterion id, as it is)."""
    return _reason(key, lang)


def _box_lines(title: str, count: int | None, reasons: Mapping[str, int], lang: Lang) -> list[str]:
    lines = [f"{title} (n = {_n(count)})"]
    for key, value in reasons.items():
        lines.extend(
            textwrap.wrap(
                f"• {_reason(key, lang)} : {value}"
                if lang == "fr"
                else f"• {_reason(key, lang)}: {value}",
                _WRAP,
            )
        )
    return lines


def consort_figure(flow: ConsortFlow, *, lang: Lang = "en") -> Figure:
    """The CONSORT flow: the main column, with exclusions and losses in side boxes."""
    levels = " · ".join(
        f"{_t('level', lang)} {level} : {n}"
        if lang == "fr"
        else f"{_t('level', lang)} {level}: {n}"
        for level, n in flow.infused_by_level.items()
    )
    rows: list[tuple[list[str], list[str] | None]] = []
    if flow.screened is not None:
        rows.append(
            (
                [f"{_t('screened', lang)} (n = {flow.screened})"],
                _box_lines(
                    _t("not_eligible", lang), flow.not_eligible, flow.not_eligible_reasons, lang
                ),
            )
        )
        rows.append(
            (
                [f"{_t('eligible', lang)} (n = {_n(flow.eligible)})"],
                _box_lines(
                    _t("not_included", lang), flow.not_included, flow.not_included_reasons, lang
                ),
            )
        )
    rows.append(
        (
            [f"{_t('included', lang)} (n = {flow.included})"],
            _box_lines(_t("not_infused", lang), flow.not_infused, flow.not_infused_reasons, lang),
        )
    )
    rows.append(([f"{_t('infused', lang)} (n = {flow.infused})", levels], None))
    for visit in flow.visits:
        main = [
            f"{_visit_label(visit.visit, lang)} : {_t('attended', lang)} {visit.attended}"
            if lang == "fr"
            else f"{_visit_label(visit.visit, lang)}: {_t('attended', lang)} {visit.attended}",
            f"{_t('missed', lang)} {visit.missed} · {_t('not_yet_due', lang)} {visit.not_yet_due}",
        ]
        side = None
        if visit.newly_off:
            reasons = {cause.value: n for cause, n in visit.newly_off.items()}
            side = _box_lines(_t("off_study", lang), sum(reasons.values()), reasons, lang)
        rows.append((main, side))
    rows.append(
        (
            [
                f"{_t('completed', lang)} (n = {flow.completed})",
                f"{_t('still_followed', lang)} : {flow.still_followed}"
                if lang == "fr"
                else f"{_t('still_followed', lang)}: {flow.still_followed}",
            ],
            None,
        )
    )

    gap = 1.4
    heights = [max(len(main), len(side or [])) + 0.8 for main, side in rows]
    total = sum(heights) + gap * (len(rows) - 1) + 2.0
    figure = _new_figure(7.0, total * _LINE_INCHES)
    with _style():
        ax = figure.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, 1)
        ax.set_ylim(0, total)
        ax.axis("off")
        ax.text(
            0.5, total - 0.6, _t("consort_title", lang), ha="center", va="center", weight="bold"
        )
        main_x, side_x, width = 0.27, 0.75, 0.44
        top = total - 1.6
        previous_bottom: float | None = None
        for (main, side), height in zip(rows, heights, strict=True):
            centre = top - height / 2
            main_height = len(main) + 0.8
            _box(ax, main_x, centre, width, main_height, main)
            if previous_bottom is not None:
                _arrow(ax, (main_x, previous_bottom), (main_x, centre + main_height / 2))
            if side:
                side_height = len(side) + 0.8
                _box(ax, side_x, centre, width, side_height, side, fill="#f7f7f7")
                _arrow(ax, (main_x + width / 2, centre), (side_x - width / 2, centre))
            previous_bottom = centre - main_height / 2
            top -= height + gap
    return _localised(figure, lang)


def _box(
    ax: Axes,
    x: float,
    y: float,
    width: float,
    height: float,
    lines: Sequence[str],
    fill: str = "white",
) -> None:
    ax.add_patch(
        FancyBboxPatch(
            (x - width / 2, y - height / 2),
            width,
            height,
            boxstyle="square,pad=0",
            facecolor=fill,
            edgecolor="#333333",
            linewidth=0.8,
        )
    )
    ax.text(x, y, "\n".join(lines), ha="center", va="center", linespacing=1.25)


def _arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float]) -> None:
    ax.add_patch(
        FancyArrowPatch(
            start, end, arrowstyle="-|>", mutation_scale=8, color="#333333", linewidth=0.8
        )
    )


# --- recruitment -------------------------------------------------------------------------------


_EPOCH = date(1970, 1, 1)


def _day(day: date) -> float:
    """Days since 1970-01-01 (the x axis of the recruitment plot; ticks are set by hand)."""
    return float((day - _EPOCH).days)


def _steps(days: Sequence[date], start: date, end: date) -> tuple[list[float], list[int]]:
    xs, ys = [_day(start)], [0]
    for index, day in enumerate(days, start=1):
        xs.append(_day(day))
        ys.append(index)
    xs.append(_day(max(end, days[-1]) if days else end))
    ys.append(len(days))
    return xs, ys


def recruitment_figure(recruitment: Recruitment, *, lang: Lang = "en") -> Figure:
    """Cumulative inclusions and infusions against the target line."""
    target = recruitment.target
    figure = _new_figure(6.5, 3.2)
    with _style():
        ax = figure.add_subplot()
        end = max(recruitment.cutoff_date, recruitment.target_end)
        xs, ys = _steps(recruitment.inclusions, target.start, recruitment.cutoff_date)
        ax.step(xs, ys, where="post", color="#1f77b4", label=_t("inclusions", lang))
        xs, ys = _steps(recruitment.infusions, target.start, recruitment.cutoff_date)
        ax.step(xs, ys, where="post", color="#2ca02c", linestyle="--", label=_t("infusions", lang))
        ax.plot(
            [_day(target.start), _day(recruitment.target_end), _day(end)],
            [0, target.recipients, target.recipients],
            color="#7f7f7f",
            linestyle=":",
            label=f"{_t('target', lang)} ({target.recipients})",
        )
        ax.axvline(_day(recruitment.cutoff_date), color="#bbbbbb", linewidth=0.8)
        ax.text(
            _day(recruitment.cutoff_date),
            target.recipients * 0.05,
            f" {_t('cutoff', lang)}",
            rotation=90,
            va="bottom",
            color="#777777",
        )
        top = max(target.recipients, len(recruitment.inclusions))
        ax.set_ylim(0, top * 1.1)
        ax.set_yticks(list(range(0, top + 1, 5 if top > 10 else 1)))
        years = range(target.start.year, end.year + 1)
        ax.set_xticks([_day(date(y, 1, 1)) for y in years], [str(y) for y in years])
        ax.set_xlabel(_t("date", lang))
        ax.set_ylabel(_t("patients", lang))
        ax.set_title(_text(recruitment.message, lang))
        ax.legend(loc="upper left")
        figure.tight_layout()
    return _localised(figure, lang)


# --- trajectories ------------------------------------------------------------------------------


def trajectory_figure(
    dataset: AnalysisDataset,
    variables: Sequence[str] = ("mrss",),
    *,
    lang: Lang = "en",
    settings: AnalysisSettings = DEFAULT_SETTINGS,
) -> Figure:
    """One panel per variable: a thin line per infused recipient (colour = dose level), the mean
    of the observed values at each visit in bold."""
    levels = {s.code: s.dose_level for s in dataset.subjects if s.infusion_date is not None}
    codes = (BASELINE, *(d.code for d in settings.schedule.visits))
    figure = _new_figure(3.4 * len(variables) + 0.4, 3.2)
    with _style():
        axes = figure.subplots(1, len(variables), squeeze=False)[0]
        for ax, variable in zip(axes, variables, strict=True):
            by_subject: dict[str, list[tuple[float, float]]] = {}
            by_visit: dict[str, list[float]] = {}
            records = [v for v in dataset.visits if v.visit in codes]
            for record in sorted(records, key=lambda v: (v.subject_code, codes.index(v.visit))):
                value = record.value(variable)
                if value is None or record.subject_code not in levels:
                    continue
                x = visit_month(record.visit, settings.schedule)
                by_subject.setdefault(record.subject_code, []).append((x, value))
                by_visit.setdefault(record.visit, []).append(value)
            for code, points in sorted(by_subject.items()):
                colour = _LEVEL_COLOURS.get(levels[code] or 0, "#7f7f7f")
                ax.plot(
                    [p[0] for p in points],
                    [p[1] for p in points],
                    color=colour,
                    alpha=0.35,
                    linewidth=0.8,
                    marker="o",
                    markersize=2,
                )
            present = [c for c in codes if c in by_visit]
            ax.plot(
                [visit_month(c, settings.schedule) for c in present],
                [statistics.fmean(by_visit[c]) for c in present],
                color="black",
                linewidth=2.2,
                marker="s",
                markersize=4,
                label=_t("mean", lang),
            )
            ticks = [c for c in codes if c == BASELINE or (c.startswith("M") and c != "M1")]
            ax.set_xticks(
                [visit_month(c, settings.schedule) for c in ticks],
                [_visit_label(c, lang) for c in ticks],
            )
            ax.set_xlabel(_t("visit", lang))
            ax.set_title(_text(VARIABLES[variable][2], lang))
        handles = [Line2D([], [], color="black", linewidth=2.2, marker="s", label=_t("mean", lang))]
        for level in sorted({lv for lv in levels.values() if lv is not None}):
            handles.append(
                Line2D(
                    [],
                    [],
                    color=_LEVEL_COLOURS.get(level, "#7f7f7f"),
                    label=f"{_t('level', lang)} {level}",
                )
            )
        axes[-1].legend(handles=handles, loc="best")
        figure.tight_layout()
    return _localised(figure, lang)


# --- swimmer plot ------------------------------------------------------------------------------


def swimmer_figure(
    dataset: AnalysisDataset,
    *,
    lang: Lang = "en",
    settings: AnalysisSettings = DEFAULT_SETTINGS,
) -> Figure:
    """One lane per infused recipient, from the infusion to the end of follow-up; each AE a
    marker at its onset coloured by grade (black edge: serious); deaths and progressions."""
    infused = sorted(
        (s for s in dataset.subjects if s.infusion_date is not None),
        key=lambda s: (s.dose_level or 0, s.code),
        reverse=True,
    )
    lanes = {s.code: index for index, s in enumerate(infused)}
    figure = _new_figure(7.0, 1.2 + 0.25 * max(len(infused), 1))
    with _style():
        ax = figure.add_subplot()
        for s in infused:
            if s.infusion_date is None:  # pragma: no cover — filtered above
                continue
            length = months_between(s.infusion_date, follow_up_end(s, dataset))
            ax.barh(
                lanes[s.code],
                length,
                height=0.5,
                color=_LEVEL_COLOURS.get(s.dose_level or 0, "#7f7f7f"),
                alpha=0.18,
            )
            if s.death_date is not None:
                ax.plot(
                    months_between(s.infusion_date, s.death_date),
                    lanes[s.code],
                    marker="X",
                    color="black",
                    markersize=7,
                    linestyle="none",
                )
            if s.progression_date is not None:
                ax.plot(
                    months_between(s.infusion_date, s.progression_date),
                    lanes[s.code],
                    marker="|",
                    color="#6a3d9a",
                    markersize=10,
                    markeredgewidth=2,
                    linestyle="none",
                )
        events = sorted(
            dataset.adverse_events, key=lambda e: (e.subject_code, e.onset_date, e.grade, e.term)
        )
        onsets = {s.code: s.infusion_date for s in infused}
        xs: list[float] = []
        ys: list[int] = []
        colours: list[str] = []
        edges: list[str] = []
        for e in events:
            infusion = onsets.get(e.subject_code)
            if infusion is None:
                continue
            xs.append(months_between(infusion, e.onset_date))
            ys.append(lanes[e.subject_code])
            colours.append(_GRADE_COLOURS[e.grade])
            edges.append("black" if e.serious else "none")
        if xs:
            ax.scatter(xs, ys, s=28, c=colours, edgecolors=edges, linewidths=0.8, zorder=3)
        ax.axvline(3, color="#999999", linestyle=":", linewidth=0.8)
        ax.axvline(settings.horizon_months, color="#999999", linestyle="--", linewidth=0.8)
        ax.set_yticks(
            list(lanes.values()),
            [
                f"{code} ({_t('level', lang)[0]}{s.dose_level})"
                for code, s in zip(lanes, infused, strict=True)
            ],
        )
        ax.set_xlabel(_t("months_infusion", lang))
        ax.set_title(_t("swimmer_title", lang))
        handles = [
            Line2D(
                [],
                [],
                marker="o",
                linestyle="none",
                color=_GRADE_COLOURS[g],
                label=f"{_t('grade', lang)} {g}",
            )
            for g in range(1, 6)
        ]
        handles += [
            Line2D(
                [],
                [],
                marker="o",
                linestyle="none",
                color="white",
                markeredgecolor="black",
                label=_t("serious", lang),
            ),
            Line2D([], [], marker="X", linestyle="none", color="black", label=_t("death", lang)),
            Line2D(
                [],
                [],
                marker="|",
                linestyle="none",
                color="#6a3d9a",
                markeredgewidth=2,
                label=_t("progression", lang),
            ),
        ]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0))
        figure.tight_layout()
    return _localised(figure, lang)


# --- Kaplan–Meier ------------------------------------------------------------------------------


def _decimal(value: float, lang: Lang) -> str:
    text = f"{value:.2f}"
    return text.replace(".", ",") if lang == "fr" else text


def _km_panel(ax: Axes, curve: KaplanMeier, horizon: int, lang: Lang) -> None:
    times = [0.0] + [row.time for row in curve.table]
    values = [1.0] + [row.survival for row in curve.table]
    lows = [1.0] + [row.ci_low for row in curve.table]
    highs = [1.0] + [row.ci_high for row in curve.table]
    end = max(float(horizon), times[-1])
    times.append(end)
    values.append(values[-1])
    lows.append(lows[-1])
    highs.append(highs[-1])
    ax.fill_between(
        times,
        lows,
        highs,
        step="post",
        color="#1f77b4",
        alpha=0.2,
        linewidth=0,
        label=f"{_t('ci', lang)} {curve.confidence:.0%}",
    )
    ax.step(times, values, where="post", color="#1f77b4", linewidth=1.6)
    censored = [(r.time, r.survival) for r in curve.table if r.censored]
    if censored:
        ax.plot(
            [c[0] for c in censored],
            [c[1] for c in censored],
            linestyle="none",
            marker="+",
            color="#1f77b4",
            markersize=7,
            label=_t("censored", lang),
        )
    point = curve.at_horizon
    title = _t(curve.endpoint, lang)
    if point.survival is not None and point.ci_low is not None and point.ci_high is not None:
        unit = "mois" if lang == "fr" else "months"
        estimate = _decimal(point.survival, lang)
        low, high = _decimal(point.ci_low, lang), _decimal(point.ci_high, lang)
        title += (
            f"\n{horizon} {unit} : {estimate} [{low} ; {high}]"
            if lang == "fr"
            else (f"\n{horizon} {unit}: {estimate} [{low}, {high}]")
        )
    ax.set_title(title)
    ax.set_ylim(0, 1.05)
    ax.set_xlim(0, end)
    ax.set_xticks(list(range(0, int(end) + 1, 6)))
    ax.set_xlabel(_t("months_infusion", lang))
    ax.set_ylabel(_t("survival", lang))
    ax.legend(loc="lower left")
    marks = list(range(0, int(end) + 1, 6))
    at_risk = [sum(s.time >= m for s in curve.subjects) for m in marks]
    ax.text(0, -0.3, _t("at_risk", lang), transform=ax.transAxes, ha="left", va="center")
    for m, n in zip(marks, at_risk, strict=True):
        ax.text(m, -0.4, str(n), transform=ax.get_xaxis_transform(), ha="center", va="center")


def survival_figure(results: SurvivalResults, *, lang: Lang = "en") -> Figure:
    """Overall and progression-free survival, side by side."""
    figure = _new_figure(7.0, 3.6)
    with _style():
        axes = figure.subplots(1, 2)
        _km_panel(axes[0], results.overall, results.horizon_months, lang)
        _km_panel(axes[1], results.progression_free, results.horizon_months, lang)
        figure.tight_layout()
        figure.subplots_adjust(bottom=0.32)
    return _localised(figure, lang)


# --- all of them -------------------------------------------------------------------------------


def all_figures(
    dataset: AnalysisDataset, results: AnalysisResults, *, lang: Lang = "en"
) -> dict[str, Figure]:
    """Every figure of the report, by :data:`FIGURE_NAMES`."""
    settings = results.settings
    return {
        "consort": consort_figure(results.consort, lang=lang),
        "recruitment": recruitment_figure(results.recruitment, lang=lang),
        "mrss": trajectory_figure(dataset, ("mrss",), lang=lang, settings=settings),
        "pft": trajectory_figure(
            dataset,
            ("fvc_percent_predicted", "dlco_percent_predicted"),
            lang=lang,
            settings=settings,
        ),
        "swimmer": swimmer_figure(dataset, lang=lang, settings=settings),
        "survival": survival_figure(results.survival, lang=lang),
    }
