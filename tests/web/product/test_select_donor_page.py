"""The page where the investigator chooses the donor among the candidates."""

from __future__ import annotations

from sclerocell.web.trial.models import DonorSelection
from tests.web.conftest import Personas
from tests.web.product import factories
from tests.web.product.helpers import french_url
from tests.web.trial.conftest import Trial, new_donor


def url(code: str) -> str:
    return french_url("product:select_donor", code)


def test_it_lists_the_candidates_with_their_priority(trial: Trial, personas: Personas) -> None:
    factories.eligible(trial.donor_a, personas.investigator_a)
    new_donor(trial.recipient_a, personas.investigator_a, relationship="spouse")
    content = personas.client(personas.investigator_a).get(url(trial.recipient_a.code))
    text = content.content.decode()
    assert f"{trial.donor_a.code} — frère ou sœur — priorité 1" in text
    assert "non disponible" in text  # the spouse is not eligible yet


def test_an_investigator_chooses_the_donor(trial: Trial, personas: Personas) -> None:
    factories.eligible(trial.donor_a, personas.investigator_a)
    response = personas.client(personas.investigator_a).post(
        url(trial.recipient_a.code), {"donor": trial.donor_a.code, "date": "2015-03-16"}
    )
    assert response.status_code == 302
    assert DonorSelection.objects.get(recipient=trial.recipient_a).donor == trial.donor_a


def test_the_refusal_is_shown_at_the_field(trial: Trial, personas: Personas) -> None:
    response = personas.client(personas.investigator_a).post(
        url(trial.recipient_a.code), {"donor": trial.donor_a.code, "date": "2015-03-16"}
    )
    assert response.status_code == 400
    assert "n'est pas éligible" in " ".join(response.context["form"].errors["donor"])


def test_a_nurse_cannot_choose(trial: Trial, personas: Personas) -> None:
    assert personas.client(personas.nurse_a).get(url(trial.recipient_a.code)).status_code == 403
