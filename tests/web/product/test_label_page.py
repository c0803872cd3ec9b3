"""The PDF label of a released batch: QR code of the product code and the fields in clear."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from sclerocell.product.label import decode
from sclerocell.web.product.label_pdf import product_code
from sclerocell.web.product.models import Batch
from tests.web.conftest import Personas
from tests.web.product import factories
from tests.web.product.helpers import french_url
from tests.web.trial.conftest import Trial


def url(code: str) -> str:
    return french_url("product:label", code)


def test_the_cell_therapy_unit_downloads_the_label(released: Batch, personas: Personas) -> None:
    response = personas.client(personas.cell_therapy_a).get(url(released.recipient.code))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    code = product_code(released)
    assert code.encode() in response.content
    label = decode(code)
    assert (label.batch, label.recipient_code) == (released.number, released.recipient.code)
    assert label.donor_code == released.harvest.donor.code
    assert label.expiry == factories.at(factories.INFUSED_ON, 20)


def test_the_label_speaks_the_users_language(released: Batch, personas: Personas) -> None:
    client = personas.client(personas.cell_therapy_a)
    french = client.get(url(released.recipient.code)).content
    with translation.override("en"):
        english = client.get(reverse("product:label", args=[released.recipient.code])).content
    code = released.recipient.code.encode()
    assert b"Receveur : " + code in french
    assert b"Recipient: " + code in english


def test_a_chosen_batch_is_labelled(released: Batch, personas: Personas) -> None:
    response = personas.client(personas.cell_therapy_a).get(
        url(released.recipient.code), {"batch": released.number}
    )
    assert product_code(released).encode() in response.content


def test_an_unreleased_batch_has_no_label(trial: Trial, personas: Personas) -> None:
    recipient, donor = factories.included_pair(trial.recipient_a, personas.investigator_a)
    factories.batch(personas, factories.harvest(personas, donor))
    response = personas.client(personas.cell_therapy_a).get(url(recipient.code))
    assert response.status_code == 404


def test_clinical_and_read_only_roles_do_not_print_labels(
    released: Batch, personas: Personas
) -> None:
    for persona in ("nurse_a", "investigator_a", "monitor_a"):
        client = personas.client(getattr(personas, persona))
        assert client.get(url(released.recipient.code)).status_code == 403, persona


def test_another_sites_label_is_not_found(personas: Personas, trial: Trial) -> None:
    other = factories.released_batch(personas, trial.recipient_b)
    response = personas.client(personas.cell_therapy_a).get(url(other.recipient.code))
    assert response.status_code == 404
