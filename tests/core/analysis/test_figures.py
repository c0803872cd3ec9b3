"""Every figure renders, speaks the chosen language, and is byte-identical from run to run."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from matplotlib.figure import Figure

from sclerocell.analysis.dataset import AnalysisDataset
from sclerocell.analysis.endpoints import AnalysisResults, analyse
from sclerocell.analysis.figures import (
    FIGURE_NAMES,
    all_figures,
    consort_figure,
    recruitment_figure,
    survival_figure,
    swimmer_figure,
    to_png,
    to_svg,
    trajectory_figure,
)
from sclerocell.analysis.messages import Lang
from sclerocell.analysis.synthetic import synthetic_dataset

DATA = synthetic_dataset()
RESULTS = analyse(DATA)

Builder = Callable[[AnalysisDataset, AnalysisResults, Lang], Figure]

BUILDERS: dict[str, Builder] = {
    "consort": lambda d, r, lang: consort_figure(r.consort, lang=lang),
    "recruitment": lambda d, r, lang: recruitment_figure(r.recruitment, lang=lang),
    "mrss": lambda d, r, lang: trajectory_figure(d, ("mrss",), lang=lang),
    "pft": lambda d, r, lang: trajectory_figure(
        d, ("fvc_percent_predicted", "dlco_percent_predicted"), lang=lang
    ),
    "swimmer": lambda d, r, lang: swimmer_figure(d, lang=lang),
    "survival": lambda d, r, lang: survival_figure(r.survival, lang=lang),
}

LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    "consort": {
        "en": (
            "Screened (n = 38)",
            "Eligible (n = 24)",
            "Included (n = 20)",
            "Infused (n = 19)",
            "Off study",
        ),
        "fr": (
            "Sélectionnés (n = 38)",
            "Éligibles (n = 24)",
            "Inclus (n = 20)",
            "Perfusés (n = 19)",
            "Sortis d'étude",
        ),
    },
    "recruitment": {
        "en": ("Inclusions (cumulative)", "Target (20)", "Cut-off"),
        "fr": ("Inclusions (cumul)", "Objectif (20)", "Date de gel"),
    },
    "mrss": {
        "en": ("mRSS", "Mean", "Level 1", "BL"),
        "fr": ("mRSS", "Moyenne", "Palier 1", "Base"),
    },
    "pft": {
        "en": ("FVC (% predicted)", "DLCO (% predicted)"),
        "fr": ("CVF (% théorique)", "DLCO (% théorique)"),
    },
    "swimmer": {
        "en": ("Adverse events per patient", "Grade 3", "Months since infusion", "SSC-01"),
        "fr": ("Événements indésirables par patient", "Grade 3", "Mois depuis la perfusion"),
    },
    "survival": {
        "en": ("Overall survival", "Progression-free survival", "At risk", "24 months:"),
        "fr": ("Survie globale", "Survie sans progression", "À risque", "24 mois :"),
    },
}


@pytest.mark.parametrize("name", FIGURE_NAMES)
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_each_figure_renders_with_its_labels_in_the_chosen_language(name: str, lang: Lang) -> None:
    svg = to_svg(BUILDERS[name](DATA, RESULTS, lang))
    assert svg.startswith("<?xml") and "<svg" in svg and len(svg) > 2000
    for label in LABELS[name][lang]:
        assert label.replace("'", "&#x27;") in svg or label in svg, label
    other = "fr" if lang == "en" else "en"
    assert LABELS[name][other][0] not in svg or LABELS[name][other][0] == LABELS[name][lang][0]


@pytest.mark.parametrize("name", FIGURE_NAMES)
def test_each_svg_is_byte_identical_across_two_runs(name: str) -> None:
    first = to_svg(BUILDERS[name](DATA, RESULTS, "en"))
    second = to_svg(BUILDERS[name](DATA, RESULTS, "en"))
    assert first == second
    assert "<dc:date>" not in first


def test_the_png_is_deterministic_too() -> None:
    first = to_png(BUILDERS["survival"](DATA, RESULTS, "fr"), dpi=60)
    second = to_png(BUILDERS["survival"](DATA, RESULTS, "fr"), dpi=60)
    assert first[:8] == b"\x89PNG\r\n\x1a\n" and first == second


def test_all_figures_gives_every_figure_by_name() -> None:
    figures = all_figures(DATA, RESULTS, lang="fr")
    assert tuple(figures) == FIGURE_NAMES
    assert all(isinstance(f, Figure) for f in figures.values())


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="lang"):
        consort_figure(RESULTS.consort, lang="de")  # type: ignore[arg-type]


def _tick_labels(figure: Figure) -> list[str]:
    figure.canvas.draw()
    return [label.get_text() for ax in figure.axes for label in ax.get_yticklabels()]


def test_french_tick_labels_use_a_decimal_comma() -> None:
    french = _tick_labels(BUILDERS["survival"](DATA, RESULTS, "fr"))
    english = _tick_labels(BUILDERS["survival"](DATA, RESULTS, "en"))
    assert any("," in label for label in french), french
    assert not any("." in label for label in french), french
    assert any("." in label for label in english), english
