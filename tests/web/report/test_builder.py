"""The analysis dataset built from the database: what it holds at a cut-off, and the numbers the
analysis draws from it, against values worked out by hand."""

from __future__ import annotations

import math

import pytest

from sclerocell.analysis.consort import AWAITING_INCLUSION, SCREENING_IN_PROGRESS
from sclerocell.analysis.dataset import EndCause, Relatedness
from sclerocell.analysis.endpoints import analyse
from sclerocell.analysis.figures import reason_name
from sclerocell.web.report.builder import UNKNOWN_REASON, build_dataset
from sclerocell.web.trial import actions as trial_actions
from sclerocell.web.trial.models import Participant
from tests.web.conftest import Personas
from tests.web.report.conftest import EARLY, INFUSED, LATE, LATE_EVENT, ReportTrial
from tests.web.trial.conftest import SCREENED, new_consent, new_recipient


def test_the_dataset_holds_the_included_recipients_with_their_dates_and_dose_level(
    report_trial: ReportTrial,
) -> None:
    t = report_trial
    data = build_dataset(Participant.objects.all(), EARLY)
    assert data.cutoff_date == EARLY
    assert sorted(s.code for s in data.subjects) == sorted(
        [t.a1.code, t.a2.code, t.a3.code, t.b1.code]
    )
    a1 = data.subject(t.a1.code)
    assert (a1.site, a1.dose_level, a1.infusion_date) == ("01", 1, INFUSED)
    assert a1.inclusion_date == t.a1.inclusion_date
    assert data.subject(t.b1.code).site == "02"
    a3 = data.subject(t.a3.code)
    assert (a3.infusion_date, a3.end_cause, a3.death_date) == (None, EndCause.WITHDRAWAL, None)


def test_the_funnel_counts_the_screened_and_eligible_with_the_reasons(
    report_trial: ReportTrial, personas: Personas
) -> None:
    data = build_dataset(Participant.objects.all(), EARLY)
    assert data.funnel is not None
    assert (data.funnel.screened, data.funnel.eligible) == (5, 4)
    # Decided without a signed verdict: the reason is not known.
    assert dict(data.funnel.not_eligible_reasons) == {UNKNOWN_REASON: 1}
    assert dict(data.funnel.not_included_reasons) == {}


def test_recipients_still_in_screening_or_waiting_for_inclusion_are_named_in_the_funnel(
    report_trial: ReportTrial, personas: Personas
) -> None:
    inv = personas.investigator_a
    new_recipient(personas.site_a, inv)
    waiting = new_recipient(personas.site_a, inv)
    new_consent(waiting, inv)
    trial_actions.record_eligibility(waiting, by=inv, eligibility="eligible", date=SCREENED)
    data = build_dataset(Participant.objects.all(), EARLY)
    assert data.funnel is not None
    assert (data.funnel.screened, data.funnel.eligible) == (7, 5)
    assert data.funnel.not_eligible_reasons[SCREENING_IN_PROGRESS] == 1
    assert dict(data.funnel.not_included_reasons) == {AWAITING_INCLUSION: 1}
    # The CONSORT diagram names them in both languages.
    assert reason_name(SCREENING_IN_PROGRESS, "fr") == "éligibilité non décidée"
    assert reason_name(AWAITING_INCLUSION, "en") == "awaiting inclusion"


def test_adverse_events_carry_their_grade_relation_and_seriousness(
    report_trial: ReportTrial,
) -> None:
    t = report_trial
    data = build_dataset(Participant.objects.all(), EARLY)
    by_subject = {(e.subject_code, e.grade) for e in data.adverse_events}
    assert by_subject == {(t.a1.code, 3), (t.a2.code, 1), (t.b1.code, 1)}
    infection = next(e for e in data.adverse_events if e.subject_code == t.a1.code)
    assert infection.serious is True
    assert infection.relation_msc is Relatedness.POSSIBLE
    assert infection.relation_procedure is Relatedness.NOT_RELATED  # "not applicable"


def test_the_cutoff_leaves_out_a_later_event(report_trial: ReportTrial) -> None:
    t = report_trial
    early = build_dataset(Participant.objects.all(), EARLY)
    late = build_dataset(Participant.objects.all(), LATE)
    assert all(e.onset_date <= EARLY for e in early.adverse_events)
    assert (t.a2.code, LATE_EVENT) in {(e.subject_code, e.onset_date) for e in late.adverse_events}
    assert len(early.adverse_events) == 3
    assert len(late.adverse_events) == 4


def test_the_cutoff_leaves_out_later_inclusions_infusions_and_ends(
    report_trial: ReportTrial,
) -> None:
    t = report_trial
    before_infusion = INFUSED.replace(day=10)
    data = build_dataset(Participant.objects.all(), before_infusion)
    assert len(data.subjects) == 4
    assert all(s.infusion_date is None for s in data.subjects)
    assert data.subject(t.a3.code).end_date is None  # withdrawn on 2015-06-01
    assert data.adverse_events == ()
    assert {v.visit for v in data.visits} == {"BL"}
    before_inclusion = SCREENED
    assert build_dataset(Participant.objects.all(), before_inclusion).subjects == ()


def test_visits_come_from_the_complete_forms_with_the_scores_of_the_follow_up(
    report_trial: ReportTrial,
) -> None:
    data = build_dataset(Participant.objects.all(), EARLY)
    mrss = {(v.subject_code, v.visit): v.mrss for v in data.visits}
    assert mrss == {(report_trial.a1.code, "BL"): 20, (report_trial.a1.code, "M3"): 14}


def test_the_product_courses_follow_the_subjects(report_trial: ReportTrial) -> None:
    t = report_trial
    data = build_dataset(Participant.objects.all(), EARLY)
    courses = {c.recipient_code: c for c in data.courses}
    assert set(courses) == {s.code for s in data.subjects}
    assert courses[t.a1.code].infused and not courses[t.a3.code].infused
    assert courses[t.a1.code].donor_found  # chosen before the inclusion
    assert courses[t.a1.code].days_inclusion_to_infusion == (INFUSED - t.a1.inclusion_date).days


def test_the_primary_endpoint_is_a_proportion_with_its_exact_interval(
    report_trial: ReportTrial,
) -> None:
    """1 infused recipient of 3 with a grade ≥ 3 event by the early cut-off. Clopper–Pearson at
    95 %: the lower bound solves P(X ≥ 1) = 0.025, i.e. 1 − (1 − p)³ = 0.025, so
    p = 1 − 0.975^(1/3); the upper bound solves P(X ≤ 1) = 0.025, i.e.
    (1 − p)³ + 3p(1 − p)² = 0.025."""
    results = analyse(build_dataset(Participant.objects.all(), EARLY))
    primary = results.tolerance.primary.overall
    assert (primary.count, primary.total) == (1, 3)
    assert primary.ci_low is not None and primary.ci_high is not None
    assert primary.ci_low == pytest.approx(1 - 0.975 ** (1 / 3), abs=1e-9)
    p = primary.ci_high
    assert (1 - p) ** 3 + 3 * p * (1 - p) ** 2 == pytest.approx(0.025, abs=1e-9)
    assert results.tolerance.immediate.overall.count == 0  # D20 is not D0–D10
    assert results.tolerance.tables.any_event.events.overall == 3
    assert results.consort.not_infused_reasons == {"withdrawal": 1}

    late = analyse(build_dataset(Participant.objects.all(), LATE)).tolerance.primary.overall
    assert (late.count, late.total) == (2, 3)


def test_one_sites_dataset_holds_only_its_recipients(
    report_trial: ReportTrial, personas: Personas
) -> None:
    """Site A alone: 1 of 2; with 1 event in 2 both bounds have a closed form:
    1 − √0.975 and √0.975."""
    site_a = Participant.objects.filter(site=personas.site_a)
    data = build_dataset(site_a, EARLY)
    assert {s.site for s in data.subjects} == {"01"}
    primary = analyse(data).tolerance.primary.overall
    assert (primary.count, primary.total) == (1, 2)
    assert primary.ci_low == pytest.approx(1 - math.sqrt(0.975), abs=1e-9)
    assert primary.ci_high == pytest.approx(math.sqrt(0.975), abs=1e-9)


def test_an_empty_trial_gives_an_empty_dataset(personas: Personas) -> None:
    data = build_dataset(Participant.objects.all(), EARLY)
    assert data.subjects == ()
    assert data.funnel is not None and data.funnel.screened == 0
    results = analyse(data)
    assert results.tolerance.primary.overall.total == 0
