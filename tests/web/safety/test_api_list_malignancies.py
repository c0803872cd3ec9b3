"""GET /api/safety/malignancies."""

from __future__ import annotations

import datetime

from tests.web.conftest import Personas
from tests.web.safety.api_helpers import call
from tests.web.safety.conftest import BASAL_CELL, INFUSED, Safety, event


def test_it_lists_the_malignancies_of_the_callers_sites(safety: Safety, personas: Personas) -> None:
    day = INFUSED + datetime.timedelta(days=700)
    for participant, by in (
        (safety.recipient_a, personas.investigator_a),
        (safety.recipient_b, personas.investigator_b),
    ):
        event(
            participant,
            by,
            meddra_code=BASAL_CELL,
            grade=2,
            onset_date=day,
            end_date=day,
            relation_to_msc="unlikely",
        )
    body = call("get", personas.monitor_a, "/api/safety/malignancies").json()
    assert [(row["participant"], row["malignancy"]) for row in body] == [
        (safety.recipient_a.code, True)
    ]
