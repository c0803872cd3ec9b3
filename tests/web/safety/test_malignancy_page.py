"""The malignancy list for the safety board: flagged events, whole follow-up, own sites only."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import translation

from tests.web.conftest import Personas
from tests.web.safety.conftest import BASAL_CELL, FEVER, INFUSED, Safety, event

with translation.override("fr"):
    URL = reverse("safety:malignancies")
LATE = INFUSED + datetime.timedelta(days=600)


def neoplasm(participant: object, by: object, **extra: object) -> None:
    event(
        participant,  # type: ignore[arg-type]
        by,  # type: ignore[arg-type]
        meddra_code=BASAL_CELL,
        grade=2,
        onset_date=LATE,
        end_date=LATE,
        relation_to_msc="unlikely",
        description="Carcinome basocellulaire du dos.",
        **extra,
    )


def test_it_lists_the_events_flagged_as_malignancies(safety: Safety, personas: Personas) -> None:
    neoplasm(safety.recipient_a, personas.investigator_a)
    event(safety.recipient_a, personas.investigator_a, meddra_code=FEVER)
    page = personas.client(personas.safety_board).get(URL)
    assert page.status_code == 200
    rows = page.context["rows"]
    assert [row.event.meddra_code for row in rows] == [BASAL_CELL]
    assert "tardif (au-delà de 3 mois)" in page.content.decode()


def test_it_shows_only_the_users_sites(safety: Safety, personas: Personas) -> None:
    neoplasm(safety.recipient_a, personas.investigator_a)
    neoplasm(safety.recipient_b, personas.investigator_b)
    text = personas.client(personas.monitor_a).get(URL).content.decode()
    assert safety.recipient_a.code in text
    assert safety.recipient_b.code not in text
    board = personas.client(personas.safety_board).get(URL).content.decode()
    assert safety.recipient_a.code in board and safety.recipient_b.code in board


def test_the_safety_pages_need_the_safety_permission(safety: Safety, personas: Personas) -> None:
    assert personas.client(personas.statistician).get(URL).status_code == 403
