"""The outcome form page: entry, field errors, warnings, reasons, stale saves, read-only views."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from sclerocell.web.followup import actions
from sclerocell.web.followup.models import Visit
from tests.web.conftest import Personas
from tests.web.followup.conftest import VITALS, FollowUp, enter, through

POSTED = {"systolic_bp": "120", "diastolic_bp": "75", "heart_rate": "70", "weight": "61,5"}


@pytest.fixture
def m3(followup: FollowUp, personas: Personas) -> Visit:
    return followup.visit("M3", datetime.date(2015, 7, 16), by=personas.nurse_a)


def url(visit: Visit, form: str = "vitals") -> str:
    return reverse("followup:form", args=[visit.participant.code, visit.pk, form])


def post(client: Client, visit: Visit, data: dict[str, str], version: int = 0) -> object:
    return client.post(url(visit), {**data, "version": str(version)})


def test_a_nurse_enters_a_new_form_in_french_decimals(m3: Visit, personas: Personas) -> None:
    client = personas.client(personas.nurse_a)
    assert client.get(url(m3)).status_code == 200
    response = post(client, m3, POSTED)
    assert response.status_code == 302  # type: ignore[attr-defined]
    form = actions.get_form(m3, "vitals")
    assert form is not None and str(form.weight) == "61.5"  # type: ignore[attr-defined]


def test_an_impossible_value_is_refused_at_its_field_and_nothing_is_lost(
    m3: Visit, personas: Personas
) -> None:
    response = post(personas.client(personas.nurse_a), m3, POSTED | {"systolic_bp": "400"})
    content = response.content.decode()  # type: ignore[attr-defined]
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "400 dépasse la plus grande valeur possible (280)." in content
    assert 'value="61,5"' in content and 'value="400"' in content
    assert actions.get_form(m3, "vitals") is None


def test_an_unusual_value_is_saved_with_a_warning_at_its_field(
    m3: Visit, personas: Personas
) -> None:
    client = personas.client(personas.nurse_a)
    post(client, m3, POSTED | {"heart_rate": "160"})
    content = client.get(url(m3)).content.decode()
    assert "⚠ 160 est inhabituel (habituellement de 40 à 150)" in content


def test_changing_an_entered_value_asks_for_a_reason_at_the_reason_field(
    m3: Visit, personas: Personas
) -> None:
    form = enter(m3, "vitals", personas.nurse_a, **VITALS)
    response = post(
        personas.client(personas.nurse_a), m3, POSTED | {"heart_rate": "72"}, form.version
    )
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert response.context["entry"].errors["reason"]  # type: ignore[attr-defined]


def test_a_stale_save_shows_the_users_values_and_the_saved_ones(
    m3: Visit, personas: Personas
) -> None:
    form = enter(m3, "vitals", personas.nurse_a, **VITALS)
    actions.save_form(m3, "vitals", by=personas.investigator_a, values={"spo2": 96})
    response = post(
        personas.client(personas.nurse_a),
        m3,
        POSTED | {"spo2": "99", "reason": "Corrigé."},
        form.version,
    )
    content = response.content.decode()  # type: ignore[attr-defined]
    assert response.status_code == 409  # type: ignore[attr-defined]
    assert "Quelqu’un d’autre a modifié cet enregistrement" in content
    assert 'value="99"' in content and "enregistré : 96" in content
    assert actions.get_form(m3, "vitals").spo2 == 96  # type: ignore[union-attr]


def test_a_monitor_reads_the_form_but_cannot_save_it(m3: Visit, personas: Personas) -> None:
    enter(m3, "vitals", personas.nurse_a, **VITALS)
    client = personas.client(personas.monitor_a)
    content = client.get(url(m3)).content.decode()
    assert 'name="systolic_bp"' not in content and "Enregistrer</button>" not in content
    assert post(client, m3, POSTED, 1).status_code == 403  # type: ignore[attr-defined]


def test_a_locked_form_is_shown_without_inputs(m3: Visit, personas: Personas) -> None:
    through(enter(m3, "vitals", personas.nurse_a, **VITALS), personas)
    content = personas.client(personas.nurse_a).get(url(m3)).content.decode()
    assert 'name="systolic_bp"' not in content
    assert "Ce formulaire est verrouillé" in content


def test_the_mrss_page_shows_the_total_computed_by_the_core(
    followup: FollowUp, personas: Personas
) -> None:
    from tests.web.followup.conftest import mrss_sites

    enter(followup.baseline_a, "mrss", personas.nurse_a, **mrss_sites(27))
    content = (
        personas.client(personas.nurse_a).get(url(followup.baseline_a, "mrss")).content.decode()
    )
    assert "27 / 51" in content


def test_the_haq_page_shows_the_index_computed_by_the_core(
    followup: FollowUp, personas: Personas
) -> None:
    answers = {"dress": 1, "stand_from_chair": 2, "cut_meat": 0, "walk_outdoors": 1}
    answers |= {"wash_body": 1, "reach_above_head": 3, "open_car_doors": 1, "errands": 1}
    enter(followup.baseline_a, "haq", personas.nurse_a, aids_eating=True, **answers)
    content = (
        personas.client(personas.nurse_a).get(url(followup.baseline_a, "haq")).content.decode()
    )
    assert "1,500" in content  # (1 + 2 + 2 + 1 + 1 + 3 + 1 + 1) / 8: eating raised to 2 by aids


def test_the_lab_page_shows_the_converted_value_and_the_normal_range_flag(
    followup: FollowUp, personas: Personas
) -> None:
    enter(
        followup.baseline_a,
        "labs",
        personas.nurse_a,
        sample_date=datetime.date(2015, 4, 9),
        creatinine_value="1.2",
        creatinine_unit="mg/dL",
        creatinine_low="0.5",
        creatinine_high="1.1",
    )
    content = (
        personas.client(personas.nurse_a).get(url(followup.baseline_a, "labs")).content.decode()
    )
    assert "= 106,10 µmol/L" in content and "au-dessus de la normale" in content


def test_an_unknown_form_is_404(m3: Visit, personas: Personas) -> None:
    assert personas.client(personas.nurse_a).get(url(m3, "nonsense")).status_code == 404


def test_another_participants_visit_is_404(followup: FollowUp, personas: Personas) -> None:
    wrong = reverse(
        "followup:form", args=[followup.recipient_a.code, followup.baseline_b.pk, "vitals"]
    )
    assert personas.client(personas.investigator_a).get(wrong).status_code == 404
