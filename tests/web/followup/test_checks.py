"""Checks within a form, across the forms of a visit and across visits, each at its field."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import translation

from sclerocell.web.followup import checks
from sclerocell.web.followup.casebook import load_casebook
from sclerocell.web.followup.definitions import FORMS
from sclerocell.web.followup.models import Visit
from tests.web.conftest import Personas
from tests.web.followup.conftest import FollowUp, enter, mrss_sites

PFT = {"test_date": datetime.date(2015, 7, 16), "fvc_percent": "72.0", "dlco_percent": "48.0"}


def findings(visit: Visit, code: str, **values: Any) -> dict[str, list[str]]:
    """The rules that fire on these values at this visit, by field."""
    spec = FORMS[code]
    typed = {f.name: None for f in spec.fields} | {
        k: Decimal(v) if isinstance(v, str) and v[0].isdigit() and "-" not in v else v
        for k, v in values.items()
    }
    found = checks.check(spec, typed, visit, load_casebook(visit.participant))
    return {field: [f.rule for f in fs] for field, fs in checks.by_field(found).items()}


def test_a_plausible_value_raises_nothing(followup: FollowUp) -> None:
    assert (
        findings(followup.baseline_a, "pft", **PFT | {"test_date": datetime.date(2015, 4, 9)}) == {}
    )


def test_an_unusual_value_is_a_warning_that_explains_itself(followup: FollowUp) -> None:
    spec = FORMS["pft"]
    values = {f.name: None for f in spec.fields} | {"fvc_percent": Decimal("165.0")}
    [finding] = checks.check(spec, values, followup.baseline_a, load_casebook(followup.recipient_a))
    assert (finding.field, finding.severity) == ("fvc_percent", "warning")
    with translation.override("en"):
        assert finding.message == (
            "165 is unusual (usually 30 to 150): check it against the source document."
        )
    with translation.override("fr"):
        assert finding.message.startswith("165 est inhabituel")


def test_the_mrss_total_is_recomputed_from_the_grid(followup: FollowUp) -> None:
    found = findings(followup.baseline_a, "mrss", total_reported=20, **mrss_sites(22))
    assert found == {"total_reported": ["mrss_total_mismatch"]}
    assert findings(followup.baseline_a, "mrss", total_reported=22, **mrss_sites(22)) == {}


def test_a_lab_value_is_checked_in_the_protocol_unit(followup: FollowUp) -> None:
    base = {"sample_date": datetime.date(2015, 4, 10)}
    # 1.1 mg/dL of creatinine is 97.26 µmol/L: plausible.
    assert (
        findings(
            followup.baseline_a, "labs", creatinine_value="1.1", creatinine_unit="mg/dL", **base
        )
        == {}
    )
    # 1.1 µmol/L is not.
    found = findings(
        followup.baseline_a, "labs", creatinine_value="1.1", creatinine_unit="µmol/L", **base
    )
    assert found == {"creatinine_value": ["lab_implausible"]}
    # 250 g/dL of haemoglobin cannot be (the unit was g/L).
    found = findings(
        followup.baseline_a, "labs", haemoglobin_value="250", haemoglobin_unit="g/dL", **base
    )
    assert found == {"haemoglobin_value": ["lab_above_maximum"]}


def test_a_normal_range_must_not_be_reversed(followup: FollowUp) -> None:
    found = findings(
        followup.baseline_a, "labs", crp_value="3", crp_unit="mg/L", crp_low="5", crp_high="1"
    )
    assert found == {"crp_low": ["range_reversed"]}


def test_the_pvr_is_checked_against_its_terms(followup: FollowUp) -> None:
    rhc = {"exam_date": datetime.date(2015, 4, 8), "mpap": "30", "pawp": "10"}
    assert findings(followup.baseline_a, "rhc", cardiac_output="4.00", pvr="5.0", **rhc) == {}
    found = findings(followup.baseline_a, "rhc", cardiac_output="4.00", pvr="9.0", **rhc)
    assert found == {"pvr": ["pvr_inconsistent"]}


def test_eustar_ulcers_are_checked_against_the_ulcer_form_of_the_visit(
    followup: FollowUp, personas: Personas
) -> None:
    enter(followup.baseline_a, "ulcers", personas.nurse_a, active_ulcers=0)
    found = findings(followup.baseline_a, "eustar", digital_ulcers=True)
    assert found == {"digital_ulcers": ["ulcers_not_counted"]}


def test_a_left_ventricular_failure_is_checked_against_the_lvef(
    followup: FollowUp, personas: Personas
) -> None:
    m6 = followup.visit("M6", datetime.date(2015, 10, 15), by=personas.nurse_a)
    enter(m6, "echo", personas.nurse_a, exam_date=datetime.date(2015, 10, 15), lvef=60)
    found = findings(m6, "organ_events", lv_failure=True, lv_failure_date=datetime.date(2015, 9, 1))
    assert found == {"lv_failure": ["lv_failure_with_normal_lvef"]}


def test_an_fvc_change_of_more_than_30_points_between_visits_is_checked(
    followup: FollowUp, personas: Personas
) -> None:
    enter(
        followup.baseline_a,
        "pft",
        personas.nurse_a,
        **PFT | {"test_date": datetime.date(2015, 4, 9)},
    )
    m3 = followup.visit("M3", datetime.date(2015, 7, 16), by=personas.nurse_a)
    assert findings(m3, "pft", **PFT | {"fvc_percent": "95.0"}) == {}
    found = findings(m3, "pft", **PFT | {"fvc_percent": "105.0"})
    assert found == {"fvc_percent": ["pft_jump"]}


def test_a_weight_change_of_more_than_15_percent_is_checked(
    followup: FollowUp, personas: Personas
) -> None:
    enter(followup.baseline_a, "vitals", personas.nurse_a, weight="60.0")
    m1 = followup.visit("M1", datetime.date(2015, 5, 15), by=personas.nurse_a)
    assert findings(m1, "vitals", weight="70.0") == {"weight": ["weight_jump"]}


def test_a_test_far_from_its_visit_is_checked(followup: FollowUp, personas: Personas) -> None:
    m6 = followup.visit("M6", datetime.date(2015, 10, 15), by=personas.nurse_a)
    found = findings(m6, "pft", **PFT | {"test_date": datetime.date(2015, 8, 1)})
    assert found == {"test_date": ["far_from_visit"]}


def test_every_rule_explains_itself_in_french_and_in_english(db: None) -> None:
    for rule, definition in checks.RULES.items():
        if rule == "identity":
            continue  # passes on the identity guard's own translated message
        with translation.override("en"):
            english = str(definition.message)
        with translation.override("fr"):
            french = str(definition.message)
        assert english != french, rule
