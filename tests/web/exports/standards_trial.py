"""A small trial for the SDTM and FHIR export tests, built through the actions.

One recipient at each persona site, each with screening data (a finding, labs, weight), the
whole product chain to the infusion on 2015-04-15, a baseline visit (vitals, labs, HAQ-DI) and
an adverse event. Recipient A also has an M3 visit on 2015-07-15 and a second event on
2015-07-20 — after the cut-off of the cut-off tests (2015-06-30).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from sclerocell.web.accounts.roles import Role
from sclerocell.web.followup import actions as followup
from sclerocell.web.safety import actions as safety
from sclerocell.web.screening import actions as screening
from sclerocell.web.trial.models import Participant
from tests.web.conftest import Personas
from tests.web.product.factories import INFUSED_ON, infused, nurse, staff
from tests.web.trial.conftest import SCREENED, new_recipient

D = datetime.date
BASELINE = D(2015, 4, 10)
M3 = D(2015, 7, 15)
CUTOFF = D(2015, 6, 30)
VITALS = {"systolic_bp": 121, "diastolic_bp": 76, "heart_rate": 71, "weight": "61.5"}
LABS = {
    "sample_date": BASELINE,
    "creatinine_value": "0.9",
    "creatinine_unit": "mg/dL",
    "creatinine_low": "0.5",
    "creatinine_high": "1.1",
    "platelets_value": "250",
    "platelets_unit": "G/L",
    "platelets_low": "150",
    "platelets_high": "400",
}
HAQ = {"dress": 1, "shampoo": 2, "aids_dressing": True}


@dataclass
class Exported:
    recipient_a: Participant
    recipient_b: Participant


def _screen(personas: Personas, recipient: Participant) -> None:
    by = nurse(personas, recipient)
    screening.save_findings(
        recipient,
        by=by,
        section="classification",
        replies={"raynaud_phenomenon": screening.Reply("yes", SCREENED)},
    )
    screening.add_measurements(
        recipient,
        by=by,
        group="labs",
        date=SCREENED,
        values={"creatinine": screening.Value(80, "µmol/L", 45, 90)},
    )
    screening.add_measurements(
        recipient,
        by=by,
        group="body",
        date=SCREENED,
        values={"weight": screening.Value(62, "kg"), "height": screening.Value(165, "cm")},
    )


def _follow(personas: Personas, recipient: Participant) -> None:
    by = nurse(personas, recipient)
    visit = followup.record_visit(recipient, by=by, code="BL", visit_date=BASELINE)
    followup.save_form(visit, "vitals", by=by, values=VITALS)
    followup.save_form(visit, "labs", by=by, values=LABS)
    followup.save_form(visit, "haq", by=by, values=HAQ)
    safety.record_adverse_event(
        recipient,
        by=staff(personas, recipient, Role.INVESTIGATOR),
        meddra_code="10051792",  # infusion related reaction
        grade=1,
        onset_date=INFUSED_ON,
        end_date=INFUSED_ON,
        outcome="recovered",
        relation_to_msc="probable",
    )


def make(personas: Personas) -> Exported:
    a = new_recipient(personas.site_a, personas.investigator_a)
    b = new_recipient(personas.site_b, personas.investigator_b, birth_year=1965, sex="M")
    for recipient in (a, b):
        _screen(personas, recipient)
    a, b = infused(personas, a), infused(personas, b)
    for recipient in (a, b):
        _follow(personas, recipient)
    late = followup.record_visit(a, by=personas.nurse_a, code="M3", visit_date=M3)
    followup.save_form(late, "vitals", by=personas.nurse_a, values={**VITALS, "weight": "60"})
    safety.record_adverse_event(
        a,
        by=personas.investigator_a,
        meddra_code="10016558",  # fever
        grade=2,
        onset_date=D(2015, 7, 20),
        end_date=D(2015, 7, 22),
        outcome="recovered",
        relation_to_msc="unlikely",
    )
    return Exported(Participant.objects.get(pk=a.pk), Participant.objects.get(pk=b.pk))
