"""The screening page: the live verdict tree with status, evidence, reading and what is missing."""

from __future__ import annotations

from typing import Any

from django.test import Client

from sclerocell.protocol.settings import DEFAULT
from sclerocell.web.screening.evaluation import evaluate
from sclerocell.web.trial.models import Participant
from tests.web.conftest import Personas
from tests.web.screening.conftest import Screened, url
from tests.web.trial.conftest import Trial


def page(client: Client, participant: Participant, **query: str) -> str:
    response = client.get(url("overview", participant), query)
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_every_criterion_with_its_status(screened: Screened, personas: Personas) -> None:
    html = page(personas.client(personas.nurse_a), screened.recipient)
    screening = evaluate(screened.recipient).screening
    assert screening is not None
    for _depth, result in screening.result.walk():
        assert f'data-criterion="{result.id}" data-status="{result.status.value}"' in html
    assert 'id="verdict" data-status="met"' in html


def test_it_shows_the_evidence_with_values_dates_and_links_to_the_forms(
    screened: Screened, personas: Personas
) -> None:
    html = page(personas.client(personas.nurse_a), screened.recipient)
    assert "CVF (% de la théorique) 68%" in html  # R-V1a.fvc's summary, in French
    assert url("measurements", screened.recipient) + "#measurement-" in html
    assert url("skin_scores", screened.recipient) + "#mrss-" in html


def test_it_names_the_reading_applied(screened: Screened, personas: Personas) -> None:
    html = page(personas.client(personas.nurse_a), screened.recipient)
    assert "lu CVF ≤ 70 %" in html
    assert "r_v1a_fvc_comparison = le" in html


def test_it_shows_the_protocol_version_the_settings_hash_and_the_index_date(
    screened: Screened, personas: Personas
) -> None:
    html = page(personas.client(personas.nurse_a), screened.recipient)
    assert DEFAULT.version in html
    assert f'id="settings-hash">{DEFAULT.hash}<' in html
    assert 'id="index-date">2015-03-02' in html


def test_it_lists_what_would_decide_an_undetermined_verdict(
    trial: Trial, personas: Personas
) -> None:
    html = page(personas.client(personas.nurse_a), trial.recipient_a)
    assert 'id="verdict" data-status="unknown"' in html
    assert 'id="missing"' in html
    assert "la réponse de l'investigateur" in html or "la réponse de l&#x27;investigateur" in html


def test_it_speaks_english_when_english_is_active(screened: Screened, personas: Personas) -> None:
    client = personas.client(personas.nurse_a)
    response = client.get(url("overview", screened.recipient, "en"))
    html = response.content.decode()
    assert "FVC (% predicted) 68%" in html
    assert "Criteria, status and evidence" in html


def test_another_index_date_can_be_viewed_without_changing_the_stored_one(
    screened: Screened, personas: Personas
) -> None:
    html = page(personas.client(personas.nurse_a), screened.recipient, index_date="2016-06-01")
    assert 'id="index-date">2016-06-01' in html
    assert 'data-criterion="R-I3c" data-status="unknown"' in html  # the mRSS is too old then
    assert evaluate(screened.recipient).index_date.isoformat() == "2015-03-02"


def test_a_monitor_reads_it_without_links_to_the_forms(
    screened: Screened, personas: Personas
) -> None:
    html = page(personas.client(personas.monitor_a), screened.recipient)
    assert 'data-criterion="R-I3c"' in html
    assert url("profile", screened.recipient) not in html
    assert url("sign", screened.recipient) not in html


def test_a_role_without_access_to_participants_is_refused(
    screened: Screened, personas: Personas
) -> None:
    client = personas.client(personas.safety_board)
    assert client.get(url("overview", screened.recipient)).status_code == 403


def test_the_page_needs_a_bounded_number_of_queries(
    screened: Screened, personas: Personas, django_assert_max_num_queries: Any
) -> None:
    client = personas.client(personas.nurse_a)
    client.get(url("overview", screened.recipient))
    with django_assert_max_num_queries(30):  # 24 measured: no query per row or per answer
        client.get(url("overview", screened.recipient))


def test_the_participant_page_summarises_the_verdict_and_links_the_screening(
    screened: Screened, personas: Personas
) -> None:
    from django.urls import reverse
    from django.utils import translation

    with translation.override("fr"):
        detail = reverse("trial:participant_detail", args=[screened.recipient.code])
    html = personas.client(personas.monitor_a).get(detail).content.decode()
    assert 'id="screening-summary"' in html
    assert 'data-status="met"' in html
    assert url("overview", screened.recipient) in html
