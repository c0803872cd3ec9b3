"""The screening API: the live verdict, the screening input, the log — site-scoped, read-only."""

from __future__ import annotations

from django.test import Client

from sclerocell.facts.screening_input import parse
from sclerocell.protocol.screen import screen_input
from tests.web.conftest import Personas
from tests.web.screening.conftest import Screened, sign
from tests.web.trial.conftest import bearer


def test_it_returns_the_verdict_tree_and_the_signature(
    screened: Screened, personas: Personas
) -> None:
    sign(screened.recipient, personas.investigator_a)
    response = Client().get(
        f"/api/participants/{screened.recipient.code}/screening",
        headers=bearer(personas.monitor_a, read_only=True),
    )
    assert response.status_code == 200
    data = response.json()
    assert data["verdict"] == "met"
    assert data["screening"]["result"]["id"] == "recipient"
    assert data["signature"]["valid"] is True
    assert data["signature"]["signed_by"] == "investigator_a"


def test_another_sites_participant_is_not_found(screened: Screened, personas: Personas) -> None:
    headers = bearer(personas.investigator_b)
    for path in ("screening", "screening/input"):
        response = Client().get(
            f"/api/participants/{screened.recipient.code}/{path}", headers=headers
        )
        assert response.status_code == 404


def test_the_input_document_screens_to_the_same_verdict(
    screened: Screened, personas: Personas
) -> None:
    headers = bearer(personas.nurse_a)
    document = (
        Client()
        .get(f"/api/participants/{screened.donor.code}/screening/input", headers=headers)
        .json()
    )
    page = (
        Client().get(f"/api/participants/{screened.donor.code}/screening", headers=headers).json()
    )
    again = screen_input(parse(document, role="donor"))
    assert again.to_dict()["result"] == page["screening"]["result"]


def test_the_log_lists_the_callers_sites_only(screened: Screened, personas: Personas) -> None:
    rows = Client().get("/api/screening-log", headers=bearer(personas.nurse_a)).json()
    assert {r["code"] for r in rows} == {screened.recipient.code, screened.donor.code}


def test_a_role_that_does_not_see_participants_is_refused(
    screened: Screened, personas: Personas
) -> None:
    headers = bearer(personas.safety_board)
    assert Client().get("/api/screening-log", headers=headers).status_code == 403
    response = Client().get(
        f"/api/participants/{screened.recipient.code}/screening", headers=headers
    )
    assert response.status_code == 403
