"""The infusion form, after an accepted bedside check."""

from __future__ import annotations

from sclerocell.web.product.models import Batch, Infusion
from sclerocell.web.trial.models import Participant
from tests.web.conftest import Personas
from tests.web.product import factories
from tests.web.product.helpers import french_url


def url(code: str) -> str:
    return french_url("product:record_infusion", code)


def form(**overrides: str) -> dict[str, str]:
    data = {
        "started_at": "2015-04-15T09:40",
        "ended_at": "2015-04-15T10:20",
        "volume_ml": "50",
        "rate_ml_per_min": "1.25",
        "weight_kg": "70",
        "premedication": "paracétamol",
        "immediate_reaction": "no",
    }
    for moment in ("before", "during", "after"):
        data.update(
            {
                f"{moment}_systolic_mmhg": "120",
                f"{moment}_diastolic_mmhg": "75",
                f"{moment}_heart_rate_bpm": "72",
                f"{moment}_temperature_c": "36.8",
            }
        )
    data.update(overrides)
    return data


def test_without_a_check_the_page_says_what_to_do(released: Batch, personas: Personas) -> None:
    page = personas.client(personas.nurse_a).get(url(released.recipient.code))
    assert "Faites d’abord le contrôle au lit" in page.content.decode()
    response = personas.client(personas.nurse_a).post(url(released.recipient.code), form())
    assert response.status_code == 400
    assert not Infusion.objects.exists()


def test_a_nurse_records_the_infusion(released: Batch, personas: Personas) -> None:
    recipient = Participant.objects.get(pk=released.recipient_id)
    factories.check(personas, recipient, released)
    response = personas.client(personas.nurse_a).post(url(recipient.code), form())
    assert response.status_code == 302, response.context["form"].errors
    infusion = Infusion.objects.get()
    assert infusion.vital_signs.count() == 3
    recipient.refresh_from_db()
    assert recipient.infusion_date == factories.INFUSED_ON


def test_a_flagged_dose_is_recorded_and_shown(released: Batch, personas: Personas) -> None:
    recipient = Participant.objects.get(pk=released.recipient_id)
    factories.check(personas, recipient, released)
    client = personas.client(personas.nurse_a)
    client.post(url(recipient.code), form(volume_ml="40"))
    assert Infusion.objects.get().dose_flagged
    chain = client.get(french_url("product:chain", recipient.code)).content.decode()
    assert "hors tolérance (± 10 %)" in chain
