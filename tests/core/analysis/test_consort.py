"""CONSORT flow counts and recruitment against the target."""

from __future__ import annotations

from datetime import date, timedelta

from sclerocell.analysis.consort import AWAITING_INFUSION, consort
from sclerocell.analysis.dataset import AnalysisDataset, EndCause, ScreeningFunnel
from sclerocell.analysis.recruitment import expected_inclusions, recruitment
from sclerocell.analysis.settings import DEFAULT_SETTINGS, RecruitmentTarget
from tests.core.analysis.factories import INFUSION, dataset, subject, visit

# Target days of the visits after an infusion on 15 January 2020.
DAYS = {"D10": 10, "M1": 31, "M3": 91, "M6": 182, "M9": 274, "M12": 366}


def flow_data() -> AnalysisDataset:
    def seen(code: str, *visits: str) -> list[object]:
        return [visit(code, v, DAYS[v]) for v in visits]

    return dataset(
        [
            subject("S1"),  # still followed
            subject(
                "S2",
                end_date=INFUSION + timedelta(days=100),
                end_cause=EndCause.DEATH,
                death_date=INFUSION + timedelta(days=100),
            ),
            subject(
                "S3",
                2,
                end_date=INFUSION + timedelta(days=200),
                end_cause=EndCause.LOST_TO_FOLLOW_UP,
                end_detail="Déménagement",
            ),
            subject(
                "S4",
                2,
                infused=False,
                end_date=INFUSION,
                end_cause=EndCause.WITHDRAWAL,
                end_detail="Refus de la perfusion",
            ),
            subject("S5", 2, infused=False),  # awaiting the infusion
        ],
        visits=tuple(
            seen("S1", "D10", "M1", "M3", "M6", "M9", "M12")
            + seen("S2", "D10", "M1", "M3")
            + seen("S3", "D10", "M3", "M6")  # M1 missed
        ),
        funnel=ScreeningFunnel(
            screened=10,
            eligible=6,
            not_eligible_reasons={"R-E4": 2, "R-I3c": 1},
            not_included_reasons={"Refus": 1},
        ),
        cutoff_date=INFUSION + timedelta(days=450),
    )


def test_the_top_of_the_flow_comes_from_the_funnel_and_the_subjects() -> None:
    flow = consort(flow_data(), DEFAULT_SETTINGS)
    assert (flow.screened, flow.not_eligible, flow.eligible) == (10, 4, 6)
    assert dict(flow.not_eligible_reasons) == {"R-E4": 2, "R-I3c": 1}
    assert (flow.not_included, dict(flow.not_included_reasons)) == (1, {"Refus": 1})
    assert (flow.included, flow.not_infused, flow.infused) == (5, 2, 3)
    assert dict(flow.not_infused_reasons) == {AWAITING_INFUSION: 1, "withdrawal": 1}
    assert flow.not_infused_details == ("Refus de la perfusion",)
    assert dict(flow.infused_by_level) == {1: 2, 2: 1}


def test_every_infused_recipient_is_in_one_box_at_each_visit() -> None:
    flow = consort(flow_data(), DEFAULT_SETTINGS)
    boxes = {v.visit: (v.attended, v.missed, v.not_yet_due, v.off_study) for v in flow.visits}
    assert boxes == {
        "D10": (3, 0, 0, 0),
        "M1": (2, 1, 0, 0),
        "M3": (3, 0, 0, 0),
        "M6": (2, 0, 0, 1),
        "M9": (1, 0, 0, 2),
        "M12": (1, 0, 0, 2),
        "M18": (0, 0, 1, 2),
        "M24": (0, 0, 1, 2),
    }
    by_visit = {v.visit: v for v in flow.visits}
    assert dict(by_visit["M6"].newly_off) == {EndCause.DEATH: 1}
    assert dict(by_visit["M9"].newly_off) == {EndCause.LOST_TO_FOLLOW_UP: 1}
    assert by_visit["M9"].newly_off_details == ("Déménagement",)
    assert dict(by_visit["M12"].newly_off) == {}
    assert all(v.in_follow_up + v.off_study == 3 for v in flow.visits)


def test_the_end_of_the_flow() -> None:
    flow = consort(flow_data(), DEFAULT_SETTINGS)
    assert (flow.completed, flow.still_followed) == (0, 1)
    assert dict(flow.off_study_reasons) == {EndCause.DEATH: 1, EndCause.LOST_TO_FOLLOW_UP: 1}


def test_without_a_funnel_the_flow_starts_at_the_inclusion() -> None:
    flow = consort(dataset([subject("S1")]), DEFAULT_SETTINGS)
    assert flow.screened is None and flow.eligible is None and flow.included == 1


def test_expected_inclusions_follow_the_straight_target_line() -> None:
    target = RecruitmentTarget()  # 20 in 54 months from March 2014
    assert expected_inclusions(target, date(2014, 3, 1)) == 0
    assert expected_inclusions(target, date(2013, 1, 1)) == 0
    assert expected_inclusions(target, date(2018, 9, 1)) == 20
    assert expected_inclusions(target, date(2020, 1, 1)) == 20
    assert abs(expected_inclusions(target, date(2016, 6, 1)) - 10) < 0.05  # half-way


def test_recruitment_lists_inclusions_and_infusions_in_order() -> None:
    result = recruitment(flow_data(), DEFAULT_SETTINGS)
    assert len(result.inclusions) == 5 and len(result.infusions) == 3
    assert list(result.inclusions) == sorted(result.inclusions)
    assert result.target_end == date(2018, 9, 1)
    assert result.expected_at_cutoff == 20
    assert "5 included" in result.message.en and "5 inclus" in result.message.fr
