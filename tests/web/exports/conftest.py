"""Follow-up data at both persona sites, entered through the actions, for the export tests:
scheduled and unscheduled visits, values of every type, a correction with its reason, and a
visit after the cut-off."""

from __future__ import annotations

import datetime
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from sclerocell.web.followup import actions
from sclerocell.web.followup.models import OutcomeForm, Visit
from tests.web.conftest import Personas
from tests.web.followup.conftest import VITALS, FollowUp, enter, make_followup, mrss_sites, through

CUTOFF = datetime.date(2015, 12, 31)
LATE = datetime.date(2016, 4, 20)


@dataclass
class Data:
    followup: FollowUp
    vitals_a: OutcomeForm
    pft_a: OutcomeForm
    mrss_a: OutcomeForm
    uns_1: Visit
    uns_2: Visit
    vitals_b: OutcomeForm
    late_b: Visit


def make_data(personas: Personas) -> Data:
    f = make_followup(personas)
    nurse, inv_b = personas.nurse_a, personas.investigator_b
    vitals_a = enter(f.baseline_a, "vitals", nurse, **VITALS)
    vitals_a = actions.save_form(
        f.baseline_a, "vitals", by=nurse, values={"weight": "62.0"}, reason="scale recalibrated"
    )
    vitals_a = through(vitals_a, personas, "verified")
    pft_a = enter(
        f.baseline_a,
        "pft",
        nurse,
        test_date=datetime.date(2015, 4, 9),
        fvc_percent="72.5",
        dlco_percent="48.0",
        fvc_litres="2.31",
        ild_on_hrct=True,
        fvc_fall_confirmed=False,
    )
    mrss_a = enter(f.baseline_a, "mrss", nurse, **mrss_sites(20))
    enter(
        f.baseline_a,
        "labs",
        nurse,
        sample_date=datetime.date(2015, 4, 10),
        crp_value="4.200",
        crp_unit="mg/L",
        creatinine_value="1.000",
        creatinine_unit="mg/dL",
    )
    enter(f.baseline_a, "haq", nurse, dress=1, shampoo=0, aids_dressing=True, cut_meat=2)
    uns_1 = f.visit("UNS", datetime.date(2015, 5, 20), by=nurse)
    uns_2 = f.visit("UNS", datetime.date(2015, 6, 3), by=nurse)
    enter(uns_1, "vitals", nurse, systolic_bp=150, diastolic_bp=90, weight="61.0")
    enter(uns_2, "vitals", nurse, systolic_bp=118, diastolic_bp=70, weight="60.5")
    enter(
        uns_2,
        "treatments",
        nurse,
        corticosteroids=True,
        prednisone_dose="7.5",
        other_treatments="topical emollient",
    )
    vitals_b = enter(f.baseline_b, "vitals", inv_b, systolic_bp=131, diastolic_bp=82, weight="70.2")
    late_b = f.visit("UNS", LATE, by=inv_b, site="b")
    enter(late_b, "vitals", inv_b, systolic_bp=140, diastolic_bp=85, weight="69.0")
    return Data(f, vitals_a, pft_a, mrss_a, uns_1, uns_2, vitals_b, late_b)


@pytest.fixture
def data(personas: Personas) -> Data:
    return make_data(personas)


def unzip(content: bytes, into: Path) -> Path:
    """Extract a zip; the folder holding its files."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        archive.extractall(into)  # the test's own export
        (top,) = {name.split("/")[0] for name in archive.namelist()}
    return into / top
