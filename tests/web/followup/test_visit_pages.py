"""The visit list (the schedule with statuses), recording a visit, and the visit page."""

from __future__ import annotations

import datetime

from django.urls import reverse

from sclerocell.web.followup import actions
from tests.web.conftest import Personas
from tests.web.followup.conftest import VITALS, FollowUp, enter, mrss_sites


def test_the_list_shows_every_scheduled_visit_with_its_status(
    followup: FollowUp, personas: Personas
) -> None:
    followup.visit("M1", datetime.date(2015, 5, 15), by=personas.nurse_a)
    url = reverse("followup:visit_list", args=[followup.recipient_a.code])
    content = personas.client(personas.monitor_a).get(url).content.decode()
    for code in ("Mois 1", "Mois 3", "Mois 24", "Jour 10"):
        assert code in content
    assert 'class="badge visit-done"' in content
    assert 'class="badge visit-missed"' in content  # 2015 is long past: D10, M3… were missed


def test_the_list_offers_to_record_a_visit_to_the_site_only(
    followup: FollowUp, personas: Personas
) -> None:
    url = reverse("followup:visit_list", args=[followup.recipient_a.code])
    record = reverse("followup:record_visit", args=[followup.recipient_a.code])
    assert record in personas.client(personas.nurse_a).get(url).content.decode()
    assert record not in personas.client(personas.monitor_a).get(url).content.decode()


def test_a_donor_has_no_visits(followup: FollowUp, personas: Personas) -> None:
    url = reverse("followup:visit_list", args=[followup.trial.donor_a.code])
    response = personas.client(personas.investigator_a).get(url)
    assert response.status_code == 200
    assert "Les donneurs n’ont pas de visites de suivi." in response.content.decode()


def test_a_nurse_records_a_visit_through_the_page(followup: FollowUp, personas: Personas) -> None:
    url = reverse("followup:record_visit", args=[followup.recipient_a.code])
    client = personas.client(personas.nurse_a)
    assert 'value="M3" selected' in client.get(url, {"code": "M3"}).content.decode()
    response = client.post(url, {"code": "M3", "visit_date": "2015-07-16"})
    visit = followup.recipient_a.visits.get(code="M3")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "followup:visit_detail", args=[followup.recipient_a.code, visit.pk]
    )


def test_a_bad_visit_date_is_shown_at_its_field(followup: FollowUp, personas: Personas) -> None:
    url = reverse("followup:record_visit", args=[followup.recipient_a.code])
    response = personas.client(personas.nurse_a).post(
        url, {"code": "M3", "visit_date": "2015-04-01"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["visit_date"]


def test_the_visit_page_counts_forms_warnings_and_open_queries(
    followup: FollowUp, personas: Personas
) -> None:
    form = enter(followup.baseline_a, "mrss", personas.nurse_a, total_reported=20, **mrss_sites(22))
    actions.complete_form(form, by=personas.nurse_a)
    enter(followup.baseline_a, "vitals", personas.nurse_a, **VITALS)
    url = reverse("followup:visit_detail", args=[followup.recipient_a.code, followup.baseline_a.pk])
    response = personas.client(personas.investigator_a).get(url)
    mrss_row = next(item for item in response.context["forms"] if item["spec"].code == "mrss")
    assert (mrss_row["queries"], mrss_row["warnings"]) == (1, 1)
    assert 'class="badge form-complete"' in response.content.decode()
    assert 'class="badge form-draft"' in response.content.decode()


def test_the_visit_date_is_corrected_with_a_reason(followup: FollowUp, personas: Personas) -> None:
    url = reverse("followup:visit_detail", args=[followup.recipient_a.code, followup.baseline_a.pk])
    client = personas.client(personas.nurse_a)
    response = client.post(url, {"visit_date": "2015-04-11", "version": 1})
    assert response.status_code == 400 and response.context["date_form"].errors["reason"]
    response = client.post(url, {"visit_date": "2015-04-11", "version": 1, "reason": "Typo."})
    assert response.status_code == 302
    followup.baseline_a.refresh_from_db()
    assert followup.baseline_a.visit_date == datetime.date(2015, 4, 11)


def test_the_participant_page_links_to_the_visits(followup: FollowUp, personas: Personas) -> None:
    url = reverse("trial:participant_detail", args=[followup.recipient_a.code])
    content = personas.client(personas.investigator_a).get(url).content.decode()
    assert reverse("followup:visit_list", args=[followup.recipient_a.code]) in content


def test_the_visit_list_reads_a_fixed_number_of_queries(
    followup: FollowUp, personas: Personas, django_assert_max_num_queries: object
) -> None:
    for code, day in (("M1", datetime.date(2015, 5, 15)), ("M3", datetime.date(2015, 7, 15))):
        visit = followup.visit(code, day, by=personas.nurse_a)
        enter(visit, "vitals", personas.nurse_a, **VITALS)
    client = personas.client(personas.investigator_a)
    url = reverse("followup:visit_list", args=[followup.recipient_a.code])
    client.get(url)
    with django_assert_max_num_queries(25):  # type: ignore[operator]
        assert client.get(url).status_code == 200
