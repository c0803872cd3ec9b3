"""Recipient non-inclusion criteria R-E1…R-E11 (R-E2a…R-E2d) at their boundaries."""

from __future__ import annotations

import pytest

from sclerocell.criteria.status import Status
from sclerocell.facts.schema import Fact
from sclerocell.protocol.screen import screen
from sclerocell.protocol.settings import ProtocolSettings

from .build import D, days, fact, recipient, replace, status

M, N, U, A = Status.MET, Status.NOT_MET, Status.UNKNOWN, Status.NOT_ASSESSABLE


def test_it_excludes_a_pregnant_recipient() -> None:
    facts = replace(recipient(), fact("pregnancy", days(3), 1))
    assert status("recipient", facts, "R-E1") is M
    assert status("recipient", facts, "recipient") is N


def test_it_excludes_a_woman_of_childbearing_potential_without_contraception() -> None:
    assert (
        status("recipient", replace(recipient(), fact("effective_contraception", None, 0)), "R-E1")
        is M
    )


def test_it_needs_a_recent_pregnancy_test() -> None:
    assert status("recipient", replace(recipient(), fact("pregnancy", days(40), 0)), "R-E1") is U


def test_it_does_not_apply_r_e1_to_men() -> None:
    man = replace(
        recipient(), fact("sex", None, text="M"), drop=("pregnancy", "effective_contraception")
    )
    assert status("recipient", man, "R-E1") is N


@pytest.mark.parametrize(
    ("code", "value", "expected"),
    [
        ("echo_spap", 40, N),
        ("echo_spap", 40.1, M),
        ("rhc_mpap", 25, N),
        ("rhc_mpap", 25.1, M),
        ("dlco_pct_pred", 30, N),
        ("dlco_pct_pred", 29.9, M),
    ],
)
def test_it_reads_r_e2a_thresholds_strictly(code: str, value: float, expected: Status) -> None:
    facts = replace(recipient(), fact(code, days(10), value))
    assert status("recipient", facts, "R-E2a") is expected


def test_it_excludes_pah_confirmed_at_catheterisation() -> None:
    assert (
        status("recipient", replace(recipient(), fact("pah_rhc_confirmed", days(300), 1)), "R-E2a")
        is M
    )


def test_it_reads_a_missing_catheterisation_as_unknown_or_not_met_by_setting() -> None:
    facts = replace(recipient(), drop=("rhc_mpap",))
    assert status("recipient", facts, "R-E2a.mpap") is U
    setting = ProtocolSettings(r_e2a_mpap_without_catheterisation="not_met")
    assert status("recipient", facts, "R-E2a.mpap", setting) is N


def test_it_reads_blood_gases_in_kpa_by_default() -> None:
    from sclerocell.facts.units import normalise

    eight_kpa = normalise("pao2", 8, "kPa").value
    assert (
        status("recipient", replace(recipient(), fact("pao2", days(5), eight_kpa)), "R-E2a.pao2")
        is N
    )
    just_under = normalise("pao2", 7.99, "kPa").value
    assert (
        status("recipient", replace(recipient(), fact("pao2", days(5), just_under)), "R-E2a.pao2")
        is M
    )
    # 60 mmHg is 7.9993 kPa: respiratory failure in kPa, not in mmHg.
    sixty = replace(recipient(), fact("pao2", days(5), 60))
    assert status("recipient", sixty, "R-E2a.pao2") is M
    mmhg = ProtocolSettings(r_e2a_blood_gas_thresholds="mmhg")
    assert status("recipient", sixty, "R-E2a.pao2", mmhg) is N


def test_it_reads_the_paco2_threshold() -> None:
    from sclerocell.facts.units import normalise

    limit = normalise("paco2", 6.7, "kPa").value
    assert (
        status("recipient", replace(recipient(), fact("paco2", days(5), limit)), "R-E2a.paco2") is N
    )
    assert (
        status(
            "recipient", replace(recipient(), fact("paco2", days(5), limit + 0.01)), "R-E2a.paco2"
        )
        is M
    )


def kidney(creatinine: float) -> list[Fact]:
    return replace(recipient(), fact("creatinine", days(3), creatinine, ref_high=90))


def test_it_excludes_a_clearance_under_twenty_indexed_to_173() -> None:
    # Woman, 47 y, 58 kg, 164 cm: raw clearance 5 630.5 / SCr (µmol/L), BSA 1.6255 m², so
    # 20 mL/min/1.73 m² at SCr 299.6 µmol/L.
    assert status("recipient", kidney(300), "R-E2b") is M  # 19.98
    assert status("recipient", kidney(299), "R-E2b") is N  # 20.04


def test_it_reads_the_clearance_per_m2_as_a_setting() -> None:
    per_m2 = ProtocolSettings(r_e2b_clearance="per_m2")
    # 20 mL/min/m² at SCr 173.2 µmol/L; the 1.73 m² reading is 34.6 there.
    assert status("recipient", kidney(174), "R-E2b", per_m2) is M  # 19.91
    assert status("recipient", kidney(173), "R-E2b", per_m2) is N  # 20.02
    assert status("recipient", kidney(174), "R-E2b") is N
    result = screen("recipient", kidney(174), D, per_m2).result.find("R-E2b.clearance")
    values = dict(result.evidence.values)
    assert {
        "raw_clearance_ml_min",
        "bsa_m2",
        "clearance_ml_min_1_73_m2",
        "clearance_ml_min_m2",
    } <= set(values)
    assert result.evidence.reading is not None
    assert "per_m2" in result.evidence.reading.en


def test_it_excludes_cyclophosphamide_cystitis_sequelae() -> None:
    facts = replace(recipient(), fact("cyclophosphamide_cystitis_sequelae", days(900), 1))
    assert status("recipient", facts, "R-E2b") is M


@pytest.mark.parametrize(("lvef", "expected"), [(35, N), (34.9, M)])
def test_it_reads_the_lvef_of_r_e2c(lvef: float, expected: Status) -> None:
    assert (
        status("recipient", replace(recipient(), fact("lvef", days(30), lvef)), "R-E2c") is expected
    )


def test_it_reads_the_latest_cardiac_finding_of_r_e2c() -> None:
    facts = replace(
        recipient(),
        fact("refractory_congestive_heart_failure", days(300), 1),
        fact("refractory_congestive_heart_failure", days(10), 0),
    )
    assert status("recipient", facts, "R-E2c.heart_failure") is N


def liver(*values: tuple[int, float]) -> list[Fact]:
    return replace(recipient(), *(fact("alt", days(d), v, ref_high=35) for d, v in values))


def test_it_excludes_transaminases_at_three_times_the_uln_twice() -> None:
    assert status("recipient", liver((40, 105), (5, 105)), "R-E2d") is M
    assert status("recipient", liver((40, 105), (5, 104.9)), "R-E2d") is N


def test_it_is_unknown_on_a_single_high_transaminase() -> None:
    assert status("recipient", liver((40, 30), (5, 200)), "R-E2d.alt") is U


def test_it_reads_r_e2d_alternatives_as_settings() -> None:
    single = liver((40, 30), (5, 200))
    latest_only = ProtocolSettings(r_e2d_reading="latest_only")
    assert status("recipient", single, "R-E2d.alt", latest_only) is M
    strict = ProtocolSettings(r_e2d_comparison="gt")
    assert status("recipient", liver((40, 105), (5, 105)), "R-E2d.alt", strict) is N


def test_it_is_unknown_on_r_e2d_when_the_uln_is_missing() -> None:
    facts = replace(recipient(), fact("alt", days(40), 200, ref_high=35), fact("alt", days(5), 200))
    assert status("recipient", facts, "R-E2d.alt") is U


@pytest.mark.parametrize(
    ("criterion", "code"),
    [("R-E3", "uncontrolled_psychiatric_disorder"), ("R-E10", "poor_compliance_risk")],
)
def test_it_waits_for_the_investigator_on_r_e3_and_r_e10(criterion: str, code: str) -> None:
    assert status("recipient", replace(recipient(), drop=(code,)), criterion) is A
    assert status("recipient", replace(recipient(), fact(code, D, 1)), criterion) is M


def test_it_excludes_any_history_of_neoplasia() -> None:
    facts = replace(
        recipient(), fact("neoplasia_history", None, 1), fact("active_neoplasia", days(1), 0)
    )
    assert status("recipient", facts, "R-E4") is M
    assert status("recipient", replace(recipient(), drop=("neoplasia_history",)), "R-E4") is U


@pytest.mark.parametrize(
    ("code", "inside", "outside"),
    [("neutrophils", 0.49, 0.5), ("platelets", 49, 50), ("haemoglobin", 7.9, 8), ("cd4", 199, 200)],
)
def test_it_reads_each_r_e5_threshold(code: str, inside: float, outside: float) -> None:
    assert status("recipient", replace(recipient(), fact(code, days(5), inside)), "R-E5") is M
    assert status("recipient", replace(recipient(), fact(code, days(5), outside)), "R-E5") is N
    assert status("recipient", replace(recipient(), fact(code, days(100), inside)), "R-E5") is U


def test_it_excludes_uncontrolled_hypertension_and_infection() -> None:
    assert (
        status(
            "recipient", replace(recipient(), fact("uncontrolled_hypertension", days(1), 1)), "R-E6"
        )
        is M
    )
    assert status("recipient", replace(recipient(), fact("hiv_serology", days(1), 1)), "R-E7") is M
    assert status("recipient", replace(recipient(), fact("htlv_serology", days(1), 1)), "R-E7") is M
    assert (
        status(
            "recipient", replace(recipient(), fact("uncontrolled_infection", days(1), 1)), "R-E7"
        )
        is M
    )


def test_it_excludes_active_chronic_hepatitis() -> None:
    assert (
        status(
            "recipient",
            replace(recipient(), fact("active_chronic_hepatitis_c", days(1), 1)),
            "R-E8",
        )
        is M
    )


@pytest.mark.parametrize(
    "code",
    [
        "exposure_bleomycin",
        "exposure_toxic_oil",
        "exposure_vinyl_chloride",
        "exposure_trichloroethylene",
        "exposure_silica",
        "eosinophilia_myalgia_syndrome",
        "eosinophilic_fasciitis",
    ],
)
def test_it_excludes_each_r_e9_exposure(code: str) -> None:
    assert status("recipient", replace(recipient(), fact(code, None, 1)), "R-E9") is M


def test_it_reads_unrecorded_history_as_unknown_or_absent_by_setting() -> None:
    facts = replace(recipient(), drop=("exposure_silica",))
    assert status("recipient", facts, "R-E9") is U
    assert status("recipient", facts, "R-E9", ProtocolSettings(unrecorded_findings="absent")) is N


def test_it_excludes_a_recipient_without_social_security() -> None:
    assert status("recipient", replace(recipient(), fact("social_security", None, 0)), "R-E11") is M
    assert status("recipient", replace(recipient(), drop=("social_security",)), "R-E11") is U
