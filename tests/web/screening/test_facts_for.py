"""The converter: screening forms and trial data → the facts the criteria read."""

from __future__ import annotations

import datetime

from sclerocell.web.screening import actions
from sclerocell.web.screening.actions import Reply, Value
from sclerocell.web.screening.inputs import canonical_facts, facts_for, screening_input
from sclerocell.web.screening.models import BloodPressure, FindingAnswer, Measurement, SkinScore
from sclerocell.web.trial import actions as trial_actions
from tests.web.conftest import Personas
from tests.web.screening.conftest import DAY, MRSS_20, Screened, days
from tests.web.trial.conftest import Trial, new_consent


def by_code(trial_participant: object) -> dict[str, list[object]]:
    found: dict[str, list[object]] = {}
    for fact in facts_for(trial_participant):  # type: ignore[arg-type]
        found.setdefault(fact.code, []).append(fact)
    return found


def test_an_absent_finding_is_a_zero_fact_and_an_unanswered_one_is_no_fact(
    trial: Trial, personas: Personas
) -> None:
    actions.save_findings(
        trial.recipient_a,
        by=personas.nurse_a,
        section="history",
        replies={"neoplasia_history": Reply("no", DAY), "myelodysplasia": Reply("", None)},
    )
    facts = by_code(trial.recipient_a)
    [neoplasia] = facts["neoplasia_history"]
    assert neoplasia.value_num == 0.0  # type: ignore[attr-defined]
    assert neoplasia.date == DAY  # type: ignore[attr-defined]
    assert "myelodysplasia" not in facts
    assert not FindingAnswer.objects.filter(code="myelodysplasia").exists()


def test_an_unanswered_attribute_is_missing_and_an_answered_no_is_a_zero(
    trial: Trial, personas: Personas
) -> None:
    actions.save_profile(trial.recipient_a, by=personas.nurse_a, social_security="no")
    facts = by_code(trial.recipient_a)
    assert [f.value_num for f in facts["social_security"]] == [0.0]  # type: ignore[attr-defined]
    assert "effective_contraception" not in facts


def test_a_measurement_is_in_the_canonical_unit_and_keeps_what_was_measured(
    trial: Trial, personas: Personas
) -> None:
    actions.add_measurements(
        trial.recipient_a,
        by=personas.nurse_a,
        group="labs",
        date=DAY,
        values={"creatinine": Value(0.8, "mg/dL", 0.5, 1.0)},
    )
    [creatinine] = by_code(trial.recipient_a)["creatinine"]
    assert creatinine.value_num == 70.736  # type: ignore[attr-defined]
    assert creatinine.unit == "µmol/L"  # type: ignore[attr-defined]
    assert creatinine.value_text == "0.8 mg/dL"  # type: ignore[attr-defined]
    assert creatinine.ref_high == 88.42  # type: ignore[attr-defined]


def test_every_fact_names_the_row_it_comes_from(screened: Screened) -> None:
    rows = {f.source_row_id for f in facts_for(screened.recipient)}
    measurement = Measurement.objects.filter(participant=screened.recipient).first()
    bp = BloodPressure.objects.get(participant=screened.recipient)
    exam = SkinScore.objects.get(participant=screened.recipient)
    assert measurement is not None
    assert f"measurement:{measurement.pk}" in rows
    assert {f"bp:{bp.pk}.sbp", f"bp:{bp.pk}.dbp"} <= rows
    assert f"mrss:{exam.pk}.face" in rows
    assert any(row.startswith("finding:") for row in rows)
    assert any(row.startswith("statement:") for row in rows)


def test_a_statement_names_who_answered_it(screened: Screened, personas: Personas) -> None:
    [refractory] = by_code(screened.recipient)["refractory_to_recommended_immunosuppression"]
    assert refractory.source == personas.investigator_a.username  # type: ignore[attr-defined]
    assert refractory.value_num == 1.0  # type: ignore[attr-defined]


def test_the_trial_data_are_facts_too(screened: Screened) -> None:
    facts = by_code(screened.recipient)
    assert [f.value_text for f in facts["sex"]] == ["F"]  # type: ignore[attr-defined]
    assert [f.date for f in facts["birth_month"]] == [datetime.date(1970, 6, 1)]  # type: ignore[attr-defined]
    assert [f.value_num for f in facts["informed_consent"]] == [1.0]  # type: ignore[attr-defined]
    [donor] = facts["consenting_donor"]
    assert donor.value_num == 1.0  # type: ignore[attr-defined]
    assert donor.value_text == "sibling"  # type: ignore[attr-defined]
    assert donor.source_row_id == f"donor:{screened.donor.code}.consent"  # type: ignore[attr-defined]


def test_the_trial_data_are_read_as_of_the_index_date(trial: Trial, personas: Personas) -> None:
    later = DAY + days(10)
    new_consent(trial.recipient_a, personas.nurse_a, form_version="v2.0", signed_date=later)
    new_consent(trial.donor_a, personas.nurse_a, signed_date=later)
    document = screening_input(trial.recipient_a, DAY)
    assert [c["date"] for c in document["consents"]] == [DAY.isoformat()]
    assert "donors" not in document  # the donor consented after the index date: unknown
    assert screening_input(trial.recipient_a, later)["donors"][0]["consent_signed"] == (
        later.isoformat()
    )


def test_a_donor_signed_not_eligible_leaves_no_consenting_donor(
    trial: Trial, personas: Personas
) -> None:
    new_consent(trial.donor_a, personas.nurse_a)
    trial_actions.record_eligibility(
        trial.donor_a, by=personas.investigator_a, eligibility="not_eligible", date=DAY
    )
    assert screening_input(trial.recipient_a, DAY)["donors"] == []
    [link] = by_code(trial.recipient_a)["consenting_donor"]
    assert link.value_num == 0.0  # type: ignore[attr-defined]


def test_the_canonical_facts_do_not_depend_on_their_order(screened: Screened) -> None:
    facts = facts_for(screened.recipient)
    assert canonical_facts(facts) == canonical_facts(list(reversed(facts)))


def test_a_skin_score_grid_gives_one_fact_per_site(trial: Trial, personas: Personas) -> None:
    actions.add_skin_score(trial.recipient_a, by=personas.nurse_a, date=DAY, sites=MRSS_20)
    assert sum(len(v) for k, v in by_code(trial.recipient_a).items() if k.startswith("mrss_")) == 17
