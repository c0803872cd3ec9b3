"""The pages after a change of donor: the choice page asks why and names the batches lost, the
release, bedside-check and infusion pages refuse a former donor's batch, naming both donors."""

from __future__ import annotations

import datetime

from sclerocell.web.product.label_pdf import product_code
from sclerocell.web.product.models import Batch, BedsideCheckAttempt, Infusion, ReleaseDecision
from sclerocell.web.trial.models import DonorSelection, Participant
from tests.web.conftest import PASSWORD, Personas
from tests.web.product import factories
from tests.web.product.helpers import french_url
from tests.web.product.test_donor_change_after_harvest import change_donor, second_donor
from tests.web.product.test_record_infusion_page import form as infusion_form

D = datetime.date


def _recipient(batch: Batch) -> Participant:
    return Participant.objects.get(pk=batch.recipient_id)


def test_the_choice_page_asks_why_and_names_the_batches_made_unusable(
    released: Batch, personas: Personas
) -> None:
    recipient = _recipient(released)
    donor = second_donor(personas, recipient)
    client = personas.client(personas.investigator_a)
    url = french_url("product:select_donor", recipient.code)
    refused = client.post(url, {"donor": donor.code, "date": "2015-04-14"})
    assert refused.status_code == 400
    errors = " ".join(refused.context["form"].errors["reason"])
    assert f"Les lots {released.number} proviennent de {released.harvest.donor.code}" in errors
    allowed = client.post(
        url, {"donor": donor.code, "date": "2015-04-14", "reason": "Premier donneur retiré"}
    )
    assert allowed.status_code == 302
    assert DonorSelection.objects.get(recipient=recipient).donor == donor


def test_the_bedside_page_refuses_a_former_donors_bag_naming_both_donors(
    released: Batch, personas: Personas
) -> None:
    recipient = _recipient(released)
    donor = change_donor(personas, recipient)
    response = personas.client(personas.nurse_a).post(
        french_url("product:bedside_check", recipient.code),
        {
            "product_code": product_code(released),
            "recipient_code": recipient.code,
            "weight_kg": "70",
        },
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert (
        f"La poche (lot {released.number}) provient du donneur {released.harvest.donor.code}, "
        f"mais le donneur retenu pour {recipient.code} est désormais {donor.code}"
    ) in content
    assert not BedsideCheckAttempt.objects.get().accepted


def test_the_release_page_refuses_a_former_donors_batch(
    released: Batch, personas: Personas
) -> None:
    recipient = _recipient(released)
    second = factories.batch(
        personas, released.harvest, number="L2015-second", expires_at=factories.at(D(2999, 1, 1), 0)
    )
    donor = change_donor(personas, recipient)
    response = personas.client(personas.cell_therapy_a).post(
        french_url("product:release_batch", recipient.code),
        {
            "batch": second.pk,
            "outcome": "released",
            "recipient_weight_kg": "70",
            "meaning_confirmed": "on",
            "password": PASSWORD,
        },
    )
    assert response.status_code == 400
    errors = " ".join(response.context["form"].non_field_errors())
    assert f"mais le donneur retenu pour {recipient.code} est désormais {donor.code}" in errors
    assert not ReleaseDecision.objects.filter(batch=second).exists()


def test_the_infusion_page_refuses_a_bag_checked_before_the_change(
    released: Batch, personas: Personas
) -> None:
    recipient = _recipient(released)
    assert factories.check(personas, recipient, released).accepted
    donor = change_donor(personas, recipient)
    response = personas.client(personas.nurse_a).post(
        french_url("product:record_infusion", recipient.code), infusion_form()
    )
    assert response.status_code == 400
    errors = " ".join(response.context["form"].non_field_errors())
    assert f"provient du donneur {released.harvest.donor.code}" in errors
    assert donor.code in errors
    assert not Infusion.objects.exists()


def test_the_chain_page_marks_a_former_donors_batch(released: Batch, personas: Personas) -> None:
    recipient = _recipient(released)
    page = personas.client(personas.cell_therapy_a).get(french_url("product:chain", recipient.code))
    assert "donneur remplacé depuis" not in page.content.decode()
    change_donor(personas, recipient)
    page = personas.client(personas.cell_therapy_a).get(french_url("product:chain", recipient.code))
    assert (
        f"Issu de {released.harvest.donor.code}, donneur remplacé depuis" in page.content.decode()
    )


def test_a_former_donors_released_batch_gets_no_label(released: Batch, personas: Personas) -> None:
    recipient = _recipient(released)
    client = personas.client(personas.cell_therapy_a)
    url = french_url("product:label", recipient.code)
    assert client.get(url).status_code == 200
    change_donor(personas, recipient)
    assert client.get(url).status_code == 404
