"""Through the pages: the 21st inclusion and an inclusion after the inclusion period are refused
at the inclusion page, and allowed once a protocol amendment recorded on its page says so."""

from __future__ import annotations

import datetime

from sclerocell.web.trial import actions
from sclerocell.web.trial.models import Enrolment, InclusionCounter
from tests.web.conftest import Personas
from tests.web.product import factories
from tests.web.product.helpers import french_url
from tests.web.trial.conftest import Trial

AMENDMENT = french_url("product:record_protocol_amendment")


def include(personas: Personas, code: str, day: str) -> tuple[int, str]:
    response = personas.client(personas.investigator_a).post(
        french_url("trial:enrol", code), {"date": day}
    )
    return response.status_code, response.content.decode()


def amend(personas: Personas, **fields: str) -> None:
    form = {"version": "v3.0", "reference": "ANSM 2018-0042", "approved_on": "2018-06-01"}
    form |= {"effective_from": "2018-07-01", **fields}
    response = personas.client(personas.investigator_a).post(AMENDMENT, form)
    assert response.status_code == 302, response.content.decode()


def test_the_21st_inclusion_is_refused_then_allowed_after_an_amendment(
    trial: Trial, personas: Personas
) -> None:
    InclusionCounter.objects.create(kind="recipient", last_rank=20)
    recipient, _donor = factories.ready_to_include(trial.recipient_a, personas.investigator_a)
    status, page = include(personas, recipient.code, "2018-07-02")
    assert status == 400
    assert "L’étude a déjà inclus ses 20 receveurs (protocole v1)" in page
    recipient.refresh_from_db()
    assert recipient.inclusion_date is None

    amend(personas, recipients_max="21")
    actions.record_safety_board_decision(  # the 21st recipient is at level 2
        by=personas.investigator_a,
        dose_level=1,
        outcome="escalate",
        decided_on=datetime.date(2016, 1, 10),
        minutes_reference="CSI-2016-01",
    )
    status, page = include(personas, recipient.code, "2018-07-02")
    assert status == 302, page
    enrolment = Enrolment.objects.get(participant=recipient)
    assert (enrolment.rank, enrolment.frame_version) == (21, "v3.0")


def test_an_inclusion_after_the_period_is_refused_then_allowed_after_an_amendment(
    trial: Trial, personas: Personas
) -> None:
    recipient, _donor = factories.ready_to_include(trial.recipient_a, personas.investigator_a)
    status, page = include(personas, recipient.code, "2018-09-03")
    assert status == 400
    assert "2014-03-01" in page and "2018-08-31" in page
    recipient.refresh_from_db()
    assert recipient.inclusion_date is None

    amend(personas, inclusion_end="2019-08-31")
    status, page = include(personas, recipient.code, "2018-09-03")
    assert status == 302, page
    recipient.refresh_from_db()
    assert recipient.inclusion_date == datetime.date(2018, 9, 3)
