"""The page that registers a recipient."""

from __future__ import annotations

from django.urls import reverse

from sclerocell.web.trial.models import Participant
from tests.web.conftest import Personas

URL = reverse("trial:register_recipient")


def form(personas: Personas, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "site": personas.site_a.pk,
        "birth_month": 4,
        "birth_year": 1966,
        "sex": "F",
        "screening_date": "2016-02-15",
    }
    data.update(overrides)
    return data


def test_it_registers_a_recipient_and_opens_their_page(personas: Personas) -> None:
    response = personas.client(personas.nurse_a).post(URL, form(personas))
    recipient = Participant.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("trial:participant_detail", args=[recipient.code])
    assert (recipient.birth_month, recipient.birth_year, recipient.site) == (
        4,
        1966,
        personas.site_a,
    )


def test_it_offers_only_the_users_sites(personas: Personas) -> None:
    page = personas.client(personas.investigator_a).get(URL).content.decode()
    assert "Hôpital Saint-Louis" in page
    assert "Centre B" not in page


def test_it_refuses_another_sites_number_and_writes_nothing(personas: Personas) -> None:
    response = personas.client(personas.investigator_a).post(
        URL, form(personas, site=personas.site_b.pk)
    )
    assert response.status_code == 400
    assert not Participant.objects.exists()


def test_it_shows_a_french_error_at_the_screening_date(personas: Personas) -> None:
    response = personas.client(personas.nurse_a).post(
        URL, form(personas, screening_date="2013-12-01")
    )
    assert response.status_code == 400
    assert "La pré-inclusion a ouvert en mars 2014." in response.content.decode()
    assert response.context["form"].errors["screening_date"]
    assert not Participant.objects.exists()


def test_it_has_no_field_for_an_identity(personas: Personas) -> None:
    fields = set(personas.client(personas.nurse_a).get(URL).context["form"].fields)
    assert fields == {"site", "birth_month", "birth_year", "sex", "screening_date"}


def test_a_monitor_cannot_open_it(personas: Personas) -> None:
    client = personas.client(personas.monitor_a)
    assert client.get(URL).status_code == 403
    assert client.post(URL, form(personas)).status_code == 403
    assert not Participant.objects.exists()
