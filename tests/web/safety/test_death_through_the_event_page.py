"""A death is entered as a grade 5 adverse event: the page records it and ends the participation."""

from __future__ import annotations

from django.urls import reverse

from sclerocell.web.safety.models import AdverseEvent
from sclerocell.web.trial.models import Participant
from sclerocell.web.trial.stages import Stage, stage_of
from tests.web.conftest import Personas
from tests.web.safety.conftest import DEATH_NOS
from tests.web.safety.test_record_event_page import FORM


def test_a_fatal_event_entered_on_the_page_ends_the_participation_for_death(
    recipient: Participant, personas: Personas
) -> None:
    url = reverse("safety:record_event", args=[recipient.code])
    response = personas.client(personas.investigator_a).post(
        f"{url}?term={DEATH_NOS}",
        {
            **FORM,
            "meddra_code": DEATH_NOS,
            "grade": "5",
            "onset_date": "2016-01-08",
            "end_date": "2016-01-10",
            "outcome": "fatal",
            "relation_to_msc": "unlikely",
            "seriousness": ["death"],
            "investigator_aware_at": "2016-01-10T12:00",
            "death_cause": "Insuffisance cardiaque droite",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    event = AdverseEvent.objects.get()
    ended = Participant.objects.get(pk=recipient.pk)
    assert stage_of(ended) is Stage.DECEASED
    assert str(ended.end_date) == "2016-01-10" == str(event.end_date)
    assert "Insuffisance cardiaque droite" in ended.end_reason
    detail = personas.client(personas.investigator_a).get(
        reverse("trial:participant_detail", args=[recipient.code])
    )
    assert "Insuffisance cardiaque droite" in detail.content.decode()
