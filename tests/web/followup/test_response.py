"""The response shown per visit is the clinical core's, on known inputs (DOMAIN.md §3–§4)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from sclerocell.clinical import criss, haq, mrss
from sclerocell.web.followup import actions
from sclerocell.web.followup.casebook import load_casebook
from sclerocell.web.followup.models import FormStatus, Visit
from sclerocell.web.followup.response import PatientResponse, patient_response
from tests.web.conftest import Personas
from tests.web.followup.conftest import FollowUp, enter, mrss_sites

FIRST_ITEMS = [category.items[0].id for category in haq.CATEGORIES]
NO_EVENTS = {"renal_crisis": False, "lv_failure": False, "pulmonary_hypertension": False}


def haq_items(total: int) -> dict[str, int]:
    """One item per category, summing to ``total`` over the 8 categories (index = total / 8)."""
    return {item: total // 8 + (i < total % 8) for i, item in enumerate(FIRST_ITEMS)}


def assess(
    visit: Visit,
    by: object,
    *,
    mrss_total: int,
    fvc: str,
    patient: str,
    physician: str,
    haq_total: int,
    events: bool = True,
) -> None:
    """Enter and complete the forms the response reads."""
    day = visit.visit_date
    forms = [
        enter(visit, "mrss", by, **mrss_sites(mrss_total)),  # type: ignore[arg-type]
        enter(
            visit, "pft", by, test_date=day, fvc_percent=fvc, dlco_percent="50.0", ild_on_hrct=False
        ),  # type: ignore[arg-type]
        enter(visit, "globals", by, patient_global=patient, physician_global=physician),  # type: ignore[arg-type]
        enter(visit, "haq", by, **haq_items(haq_total)),  # type: ignore[arg-type]
    ]
    if events:
        forms.append(enter(visit, "organ_events", by, **NO_EVENTS))  # type: ignore[arg-type]
    for form in forms:
        actions.complete_form(form, by=by)  # type: ignore[arg-type]


@pytest.fixture
def result(followup: FollowUp, personas: Personas) -> PatientResponse:
    nurse = personas.nurse_a
    assess(
        followup.baseline_a,
        nurse,
        mrss_total=25,
        fvc="70.0",
        patient="6.0",
        physician="5.0",
        haq_total=10,
        events=False,
    )
    m3 = followup.visit("M3", datetime.date(2015, 7, 15), by=nurse)
    assess(m3, nurse, mrss_total=15, fvc="75.0", patient="4.0", physician="3.0", haq_total=6)
    m12 = followup.visit("M12", datetime.date(2016, 4, 15), by=nurse)
    assess(m12, nurse, mrss_total=21, fvc="72.0", patient="5.0", physician="4.0", haq_total=8)
    return patient_response(load_casebook(followup.recipient_a, at_least=FormStatus.COMPLETE))


def test_the_haq_di_is_the_cores(result: PatientResponse) -> None:
    assert result.baseline is not None
    assert result.baseline.haq_index == haq.haq_di(haq_items(10)).index == 1.25


def test_the_mrss_change_and_its_flags_are_the_cores(result: PatientResponse) -> None:
    m3, m12 = result.visits
    assert m3.mrss_change == mrss.change(25, 15)
    assert (m3.mrss_change.points, m3.mrss_change.percent) == (-10, -40.0)  # type: ignore[union-attr]
    assert m3.mrss_change.minimal_important_improvement  # type: ignore[union-attr]
    assert m3.mrss_change.eustar_improved  # type: ignore[union-attr]
    assert m12.mrss_change.points == -4 and not m12.mrss_change.minimal_important_improvement  # type: ignore[union-attr]


def test_acr_criss_at_12_months_matches_the_published_vector(result: PatientResponse) -> None:
    m12 = result.visits[1]
    # ΔmRSS −4, ΔFVC +2, ΔPtGlobal −1, ΔMDGlobal −1, ΔHAQ-DI −0.25 → P = 0.453262
    assert m12.acr_criss.probability == pytest.approx(0.453262, abs=1e-6)
    assert m12.acr_criss.improved is False
    assert not m12.acr_criss.exploratory


def test_acr_criss_at_3_months_is_computed_and_said_to_be_exploratory(
    result: PatientResponse,
) -> None:
    m3 = result.visits[0]
    # ΔmRSS −10, ΔFVC +5, Δglobals −2 and −2, ΔHAQ-DI −0.5 → P = 0.999084
    assert m3.acr_criss.probability == pytest.approx(0.999084, abs=1e-6)
    assert m3.acr_criss.improved is True
    assert m3.acr_criss.exploratory
    expected = criss.acr_criss(
        criss.Step1Events(False, False, False, False),
        criss.CrissChanges(-10, 5, -2, -2, -0.5),
        interval_months=3,
    )
    assert m3.acr_criss == expected


def test_the_revised_criss_uses_its_settings(result: PatientResponse) -> None:
    m3, m12 = result.visits
    assert m3.revised_criss.improved is True  # 5 items improved ≥ 20 % (FVC ≥ 5 %)
    assert m12.revised_criss.improved is False  # mRSS −16 %, HAQ −20 %… fewer than 3 items


def test_fvc_change_is_the_cores(result: PatientResponse) -> None:
    m3 = result.visits[0]
    assert m3.fvc_change is not None
    assert (m3.fvc_change.absolute_points, round(m3.fvc_change.relative_percent or 0, 4)) == (
        5.0,
        7.1429,
    )


def test_an_organ_event_is_a_progression_and_a_step_1_event(
    followup: FollowUp, personas: Personas, result: PatientResponse
) -> None:
    m18 = followup.visit("M18", datetime.date(2016, 10, 15), by=personas.nurse_a)
    form = enter(
        m18,
        "organ_events",
        personas.nurse_a,
        **NO_EVENTS
        | {
            "renal_crisis": True,
            "renal_crisis_date": datetime.date(2016, 9, 1),
            "renal_crisis_ssc": True,
        },
    )
    actions.complete_form(form, by=personas.nurse_a)
    later = patient_response(load_casebook(followup.recipient_a, at_least=FormStatus.COMPLETE))
    m18_response = later.visits[-1]
    assert m18_response.progression == ("renal_crisis",)
    assert m18_response.acr_criss.step1_events == ("new_scleroderma_renal_crisis",)
    assert m18_response.acr_criss.improved is False


def test_drafts_are_not_counted(followup: FollowUp, personas: Personas) -> None:
    enter(followup.baseline_a, "mrss", personas.nurse_a, **mrss_sites(30))
    result = patient_response(load_casebook(followup.recipient_a, at_least=FormStatus.COMPLETE))
    assert result.baseline is not None and result.baseline.mrss is None


def test_the_response_page_shows_the_values_and_an_inline_chart(
    followup: FollowUp, personas: Personas, result: PatientResponse
) -> None:
    url = reverse("followup:response", args=[followup.recipient_a.code])
    page = personas.client(personas.statistician).get(url)
    content = page.content.decode()
    assert page.status_code == 200
    assert "P = 0,453" in content and "P = 0,999" in content
    assert "exploratoire (validé à 12 mois)" in content
    svg = content[content.index("<svg") : content.index("</svg>")]
    assert "<polyline" in svg and "style=" not in svg and "<script" not in svg


def test_the_chart_is_deterministic(followup: FollowUp, result: PatientResponse) -> None:
    from sclerocell.web.followup.chart import timeline_svg

    again = patient_response(load_casebook(followup.recipient_a, at_least=FormStatus.COMPLETE))
    assert timeline_svg(result) == timeline_svg(again)
