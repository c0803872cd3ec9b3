"""The report's HTML: every section and figure, its numbers, in French and English; one snapshot,
one report."""

from __future__ import annotations

import re

from django.db.models import QuerySet

from sclerocell.web.accounts.models import Site
from sclerocell.web.report.service import make_report
from tests.web.conftest import Personas
from tests.web.report.conftest import EARLY, LATE, ReportTrial

SECTIONS = (
    "consort",
    "recruitment",
    "tolerance",
    "ae-tables",
    "late",
    "feasibility",
    "response",
    "criss",
    "survival",
    "reproducibility",
)
FIGURES = ("consort", "recruitment", "swimmer", "mrss", "pft", "survival")


def all_sites() -> QuerySet[Site]:
    return Site.objects.all()


def test_the_report_has_every_section_figure_and_its_origin(report_trial: ReportTrial) -> None:
    report = make_report(all_sites(), EARLY, "en")
    html = report.body.html
    for section in SECTIONS:
        assert f'<section id="{section}">' in html
    for figure in FIGURES:
        match = re.search(rf'<figure id="figure-{figure}" class="figure">\s*<svg', html)
        assert match, figure
    assert "<?xml" not in html  # the SVG prolog is stripped
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))  # the figures' ids do not clash
    assert report.body.results.snapshot_hash in html
    assert re.search(r'id="protocol-version">MSC-SSc protocol v1 \+ settings \w+; frame v1<', html)
    assert re.search(r'id="software-version">sclerocell \d+\.\d+', html)
    assert 'id="report-cutoff">2015-08-01<' in html
    assert 'id="report-sites">01, 02<' in html

    # 1/3 = 33.3 %; 1 − 0.975^(1/3) = 0.84 %; the upper bound 90.57 %.
    table = html[html.index('id="tolerance-table"') :]
    assert "1/3 (33.3 %) [0.8, 90.6]" in table[: table.index("</table>")]

    # ACR-CRISS before 12 months: exploratory.
    table = html[html.index('id="criss-table"') :]
    rows = re.findall(r"<tr[^>]*><td>(M\d+)</td>.*?</tr>", table[: table.index("</table>")])
    assert rows == ["M3", "M6", "M9", "M12"]
    assert table[: table.index("</table>")].count('class="exploratory"') == 3


def test_the_same_snapshot_gives_the_same_report(report_trial: ReportTrial) -> None:
    first = make_report(all_sites(), EARLY, "en", cache=False)
    second = make_report(all_sites(), EARLY, "en", cache=False)
    assert first.body.results.snapshot_hash == second.body.results.snapshot_hash
    assert first.body.html == second.body.html
    assert first.document() == second.document()
    later = make_report(all_sites(), LATE, "en", cache=False)
    assert later.body.results.snapshot_hash != first.body.results.snapshot_hash
    assert "2/3 (66.7 %)" in later.body.html  # the later grade 3 event is in


def test_the_french_report_speaks_french_with_decimal_commas(report_trial: ReportTrial) -> None:
    html = make_report(all_sites(), EARLY, "fr").body.html
    assert 'lang="fr"' in html
    assert "Critère principal : tolérance" in html
    assert "1/3 (33,3 %) [0,8 ; 90,6]" in html
    assert "exploratoire" in html


def test_an_empty_trial_still_gives_a_report(personas: Personas) -> None:
    html = make_report(all_sites(), EARLY, "en").body.html
    assert '<figure id="figure-consort"' in html
    assert "0/0" in html
