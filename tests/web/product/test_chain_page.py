"""The product chain page of a recipient (the batch page), also reached from a donor."""

from __future__ import annotations

from sclerocell.web.product.models import Batch
from tests.web.conftest import Personas
from tests.web.product import factories
from tests.web.product.helpers import french_url
from tests.web.trial.conftest import Trial


def url(code: str) -> str:
    return french_url("product:chain", code)


def test_it_shows_the_batch_its_qc_and_decision(released: Batch, personas: Personas) -> None:
    page = personas.client(personas.monitor_a).get(url(released.recipient.code))
    assert page.status_code == 200
    content = page.content.decode()
    assert released.number in content
    assert "Viabilité 92 % (limite ≥ 70 %) : conforme." in content
    assert "cell_therapy_a" in content
    assert french_url("product:label", released.recipient.code) not in content  # monitor


def test_the_cell_therapy_unit_gets_the_label_link(released: Batch, personas: Personas) -> None:
    content = personas.client(personas.cell_therapy_a).get(url(released.recipient.code))
    assert french_url("product:label", released.recipient.code) in content.content.decode()


def test_a_donors_page_shows_the_chain_of_their_recipient(
    released: Batch, personas: Personas
) -> None:
    page = personas.client(personas.investigator_a).get(url(released.harvest.donor.code))
    assert page.status_code == 200
    assert released.number in page.content.decode()


def test_another_sites_chain_is_not_found(trial: Trial, personas: Personas) -> None:
    assert (
        personas.client(personas.cell_therapy_a).get(url(trial.recipient_b.code)).status_code == 404
    )


def test_the_page_needs_few_queries(
    released: Batch, personas: Personas, django_assert_max_num_queries: object
) -> None:
    client = personas.client(personas.investigator_a)
    client.get(url(released.recipient.code))
    with django_assert_max_num_queries(20):  # type: ignore[operator]
        client.get(url(released.recipient.code))


def test_an_empty_chain_reads_clearly(trial: Trial, personas: Personas) -> None:
    content = personas.client(personas.nurse_a).get(url(trial.recipient_a.code)).content.decode()
    assert "Aucun lot enregistré." in content
    assert "Pas encore perfusé." in content
    assert factories.INFUSED_ON.isoformat() not in content
