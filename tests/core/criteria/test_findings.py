"""Findings (recorded present / recorded absent / not recorded), statements and text attributes."""

from __future__ import annotations

import datetime as dt

from sclerocell.criteria.findings import Finding, Statement, TextIn
from sclerocell.criteria.status import Status
from sclerocell.criteria.windows import Window

from .build import T, days, fact, run

HISTORY = Finding(id="neo", text=T, codes=("neoplasia_history",))
HISTORY_ABSENT = Finding(id="neo", text=T, codes=("neoplasia_history",), missing="absent")
CURRENT = Finding(id="inf", text=T, codes=("uncontrolled_infection",), mode="latest")
TEST = Finding(id="preg", text=T, codes=("pregnancy",), mode="latest", window=Window(1))


def test_it_meets_a_finding_ever_recorded_present() -> None:
    facts = (
        fact("neoplasia_history", dt.date(2010, 1, 1), 1),
        fact("neoplasia_history", days(1), 0),
    )
    assert run(HISTORY, *facts).status is Status.MET


def test_it_counts_undated_history() -> None:
    assert run(HISTORY, fact("neoplasia_history", None, 1)).status is Status.MET


def test_it_distinguishes_recorded_absent_from_not_recorded() -> None:
    assert run(HISTORY, fact("neoplasia_history", days(1), 0)).status is Status.NOT_MET
    not_recorded = run(HISTORY)
    assert not_recorded.status is Status.UNKNOWN
    assert not_recorded.evidence.missing is not None


def test_it_reads_not_recorded_as_absent_when_the_policy_says_so() -> None:
    result = run(HISTORY_ABSENT)
    assert result.status is Status.NOT_MET
    assert "counted as absent" in result.evidence.summary.en


def test_it_lets_the_latest_record_decide_a_current_finding() -> None:
    facts = (
        fact("uncontrolled_infection", days(30), 1),
        fact("uncontrolled_infection", days(2), 0),
    )
    assert run(CURRENT, *facts).status is Status.NOT_MET


def test_it_ignores_a_record_after_the_index_date() -> None:
    assert run(CURRENT, fact("uncontrolled_infection", days(-1), 1)).status is Status.UNKNOWN


def test_it_needs_a_recent_test_inside_its_window() -> None:
    assert run(TEST, fact("pregnancy", days(40), 0)).status is Status.UNKNOWN
    assert run(TEST, fact("pregnancy", days(20), 1)).status is Status.MET


def test_it_keeps_a_statement_not_assessable_until_recorded() -> None:
    leaf = Statement(id="st", text=T, code="poor_compliance_risk")
    pending = run(leaf)
    assert pending.status is Status.NOT_ASSESSABLE
    assert pending.evidence.missing is not None
    assert "investigator" in pending.evidence.missing.en
    answered = run(leaf, fact("poor_compliance_risk", days(-3), 0))  # recorded after the index date
    assert answered.status is Status.NOT_MET
    assert answered.evidence.facts[0].fact.source == "test"


def test_it_checks_a_recorded_text_against_the_allowed_values() -> None:
    leaf = TextIn(id="sex", text=T, code="sex", allowed=("F",))
    assert run(leaf, fact("sex", None, text="F")).status is Status.MET
    assert run(leaf, fact("sex", None, text="M")).status is Status.NOT_MET
    assert run(leaf).status is Status.UNKNOWN
