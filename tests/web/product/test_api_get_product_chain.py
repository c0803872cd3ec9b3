"""GET /api/participants/{code}/product: the chain, site-scoped."""

from __future__ import annotations

from django.test import Client

from sclerocell.web.product.models import Batch
from tests.web.conftest import Personas
from tests.web.trial.conftest import Trial, bearer


def test_it_returns_the_chain_of_a_recipient(released: Batch, personas: Personas) -> None:
    response = Client().get(
        f"/api/participants/{released.recipient.code}/product",
        headers=bearer(personas.monitor_a, read_only=True),
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["rank"], body["dose_level"], body["donor"]) == (
        1,
        1,
        released.harvest.donor.code,
    )
    assert body["batches"][0]["number"] == released.number
    assert body["batches"][0]["decision"]["outcome"] == "released"
    assert {line["outcome"] for line in body["batches"][0]["decision"]["assessment"]} == {"pass"}
    assert body["infusion"] is None


def test_another_sites_chain_is_not_found(trial: Trial, personas: Personas) -> None:
    response = Client().get(
        f"/api/participants/{trial.recipient_b.code}/product", headers=bearer(personas.monitor_a)
    )
    assert response.status_code == 404
