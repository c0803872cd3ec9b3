"""A small trial built through the actions, with answers worked out by hand.

Site A (01): A1 and A2 included and infused on 2015-04-15, A3 included then withdrawn on
2015-06-01 before any infusion, and one recipient found not eligible. Site B (02): B1 included
and infused on 2015-04-15. Every inclusion is among the first ten: dose level 1.

Adverse events: A1 a serious grade 3 lung infection on D20 (2015-05-05, possibly related);
A2 a grade 1 infusion reaction on D0 and a grade 3 fever on 2015-09-01 (after the early cut-off);
B1 a grade 1 infusion reaction on D0. Follow-up: A1 mRSS 20 at baseline, 14 at M3 (complete forms).

At the early cut-off (2015-08-01), over both sites: 5 screened, 4 eligible, 4 included, 3 infused;
1 infused recipient (A1) with a grade ≥ 3 event → 1/3. At the late cut-off (2016-01-01): 2/3.
Site A alone at the early cut-off: 1/2.
"""

from __future__ import annotations

import datetime
import re
import zlib
from dataclasses import dataclass

import pytest

from sclerocell.web.audit.context import audit_scope
from sclerocell.web.followup import actions as followup_actions
from sclerocell.web.trial import actions as trial_actions
from sclerocell.web.trial.models import Participant
from tests.web.conftest import Personas
from tests.web.followup.conftest import mrss_sites
from tests.web.safety.conftest import FEVER, event, serious
from tests.web.trial.conftest import SCREENED, included, new_consent, new_recipient

INFUSED = datetime.date(2015, 4, 15)
EARLY = datetime.date(2015, 8, 1)
LATE = datetime.date(2016, 1, 1)
LATE_EVENT = datetime.date(2015, 9, 1)


def infuse(participant: Participant, day: datetime.date = INFUSED) -> Participant:
    """An included recipient infused on ``day`` (the date only: the product chain is not what
    these tests check), written as a first entry."""
    with audit_scope(by=None, action="test_infusion"):
        Participant.objects.filter(pk=participant.pk).update(infusion_date=day)
    participant.refresh_from_db()
    return participant


@dataclass
class ReportTrial:
    a1: Participant
    a2: Participant
    a3: Participant
    b1: Participant
    not_eligible: Participant


def make_report_trial(personas: Personas) -> ReportTrial:
    inv_a, inv_b, nurse_a = personas.investigator_a, personas.investigator_b, personas.nurse_a
    a1 = infuse(included(new_recipient(personas.site_a, inv_a), inv_a))
    a2 = infuse(included(new_recipient(personas.site_a, inv_a), inv_a))
    a3 = included(new_recipient(personas.site_a, inv_a), inv_a)
    a3 = trial_actions.end_participation(
        a3, by=inv_a, date=datetime.date(2015, 6, 1), cause="withdrawal", reason="withdrew"
    )
    b1 = infuse(included(new_recipient(personas.site_b, inv_b), inv_b))
    failed = new_recipient(personas.site_a, inv_a)
    new_consent(failed, inv_a)
    failed = trial_actions.record_eligibility(
        failed,
        by=inv_a,
        eligibility="not_eligible",
        date=SCREENED + datetime.timedelta(days=14),
    )

    serious(a1, inv_a)  # grade 3, D20, possible, serious
    event(a2, inv_a)  # grade 1 infusion reaction on D0
    event(
        a2,
        inv_a,
        meddra_code=FEVER,
        grade=3,
        onset_date=LATE_EVENT,
        end_date=LATE_EVENT + datetime.timedelta(days=4),
        relation_to_msc="unlikely",
    )
    event(b1, inv_b)

    for code, day, total in (
        ("BL", datetime.date(2015, 4, 10), 20),
        ("M3", datetime.date(2015, 7, 15), 14),
    ):
        visit = followup_actions.record_visit(a1, by=nurse_a, code=code, visit_date=day)
        form = followup_actions.save_form(visit, "mrss", by=nurse_a, values=mrss_sites(total))
        followup_actions.complete_form(form, by=nurse_a)
    return ReportTrial(a1, a2, a3, b1, failed)


@pytest.fixture
def report_trial(personas: Personas) -> ReportTrial:
    return make_report_trial(personas)


def pdf_page_count(pdf: bytes) -> int:
    """Pages of a PDF, found in its raw and its deflated streams (no PDF library needed)."""
    texts = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            texts.append(zlib.decompressobj().decompress(pdf[match.end() :]))
        except zlib.error:
            continue
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", b"".join(texts)))
