"""Entering and changing an outcome form: field checks, reasons, voided reviews, versions, locks."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sclerocell.web.audit.models import AuditEvent
from sclerocell.web.followup import actions
from sclerocell.web.followup.models import Visit
from tests.web.conftest import Personas
from tests.web.followup.conftest import VITALS, FollowUp, enter, mrss_sites, through

REASON = "Corrected after checking the source document."


@pytest.fixture
def m3(followup: FollowUp, personas: Personas) -> Visit:
    return followup.visit("M3", datetime.date(2015, 7, 16), by=personas.nurse_a)


def refused(visit: Visit, code: str, by: object, **values: object) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        actions.save_form(visit, code, by=by, values=values)  # type: ignore[arg-type]
    return error.value.message_dict


def test_a_nurse_enters_a_form_as_a_draft(m3: Visit, personas: Personas) -> None:
    form = enter(m3, "vitals", personas.nurse_a, **VITALS)
    assert form.status == "draft"
    assert str(form.weight) == "61.5"  # type: ignore[attr-defined]


def test_it_refuses_a_value_outside_the_hard_limits_at_its_field(
    m3: Visit, personas: Personas
) -> None:
    found = refused(m3, "vitals", personas.nurse_a, systolic_bp=400)
    assert found == {"systolic_bp": ["400 dépasse la plus grande valeur possible (280)."]}
    assert actions.get_form(m3, "vitals") is None


def test_it_refuses_a_future_test_date(m3: Visit, personas: Personas) -> None:
    future = timezone.localdate() + datetime.timedelta(days=1)
    found = refused(m3, "pft", personas.nurse_a, test_date=future, fvc_percent=70)
    assert found["test_date"] == ["Cette date est dans le futur."]


def test_it_refuses_a_test_date_before_the_infusion(m3: Visit, personas: Personas) -> None:
    found = refused(m3, "pft", personas.nurse_a, test_date=datetime.date(2015, 4, 1))
    assert "précède la perfusion" in found["test_date"][0]


def test_it_refuses_a_diastolic_pressure_above_the_systolic(m3: Visit, personas: Personas) -> None:
    found = refused(m3, "vitals", personas.nurse_a, systolic_bp=100, diastolic_bp=110)
    assert list(found) == ["diastolic_bp"]


def test_it_refuses_a_lab_value_without_its_unit(m3: Visit, personas: Personas) -> None:
    found = refused(m3, "labs", personas.nurse_a, creatinine_value="80")
    assert found == {"creatinine_unit": ["Indiquez l’unité de cette valeur."]}


def test_it_refuses_an_unknown_field_and_a_malformed_value(m3: Visit, personas: Personas) -> None:
    found = refused(m3, "vitals", personas.nurse_a, pulse=70, weight="sixty")
    assert set(found) == {"pulse", "weight"}


def test_it_refuses_more_decimals_than_the_field_keeps(m3: Visit, personas: Personas) -> None:
    assert "weight" in refused(m3, "vitals", personas.nurse_a, weight="61.25")


def test_filling_an_empty_field_of_a_draft_needs_no_reason(m3: Visit, personas: Personas) -> None:
    form = enter(m3, "vitals", personas.nurse_a, **VITALS)
    form = actions.save_form(m3, "vitals", by=personas.nurse_a, values={"spo2": 97})
    assert form.spo2 == 97  # type: ignore[attr-defined]


def test_changing_an_entered_value_needs_a_reason(m3: Visit, personas: Personas) -> None:
    enter(m3, "vitals", personas.nurse_a, **VITALS)
    assert "reason" in refused(m3, "vitals", personas.nurse_a, systolic_bp=125)
    form = actions.save_form(
        m3, "vitals", by=personas.nurse_a, values={"systolic_bp": 125}, reason=REASON
    )
    event = AuditEvent.objects.for_row(form).last()
    assert (
        event is not None
        and event.reason == REASON
        and event.changed
        == [
            "systolic_bp",
            "version",
        ]
    )


def test_a_change_after_signing_voids_the_signature_and_the_verification(
    m3: Visit, personas: Personas
) -> None:
    form = through(enter(m3, "vitals", personas.nurse_a, **VITALS), personas, last="signed")
    assert "reason" in refused(m3, "vitals", personas.nurse_a, spo2=95)
    form = actions.save_form(
        m3,
        "vitals",
        by=personas.nurse_a,
        values={"systolic_bp": 118},
        reason=REASON,
        expected_version=form.version,
    )
    assert form.status == "complete"
    assert form.signed_by is None and form.verified_by is None and not form.signature_meaning


def test_a_change_that_empties_a_required_field_sends_the_form_back_to_draft(
    m3: Visit, personas: Personas
) -> None:
    form = through(enter(m3, "vitals", personas.nurse_a, **VITALS), personas, last="complete")
    form = actions.save_form(
        m3, "vitals", by=personas.nurse_a, values={"weight": None}, reason=REASON
    )
    assert form.status == "draft"


def test_a_stale_version_is_refused_and_nothing_is_written(m3: Visit, personas: Personas) -> None:
    form = enter(m3, "vitals", personas.nurse_a, **VITALS)
    actions.save_form(m3, "vitals", by=personas.nurse_a, values={"spo2": 97})
    with pytest.raises(ValidationError) as error:
        actions.save_form(
            m3,
            "vitals",
            by=personas.investigator_a,
            values={"heart_rate": 80},
            reason=REASON,
            expected_version=form.version,
        )
    assert error.value.error_dict["__all__"][0].code == "stale"
    assert actions.get_form(m3, "vitals").heart_rate == 70  # type: ignore[union-attr]


def test_a_form_started_by_someone_else_meanwhile_is_stale(m3: Visit, personas: Personas) -> None:
    enter(m3, "vitals", personas.nurse_a, **VITALS)
    with pytest.raises(ValidationError) as error:
        actions.save_form(
            m3, "vitals", by=personas.investigator_a, values={"spo2": 98}, expected_version=0
        )
    assert error.value.error_dict["__all__"][0].code == "stale"


def test_a_locked_form_refuses_every_change(m3: Visit, personas: Personas) -> None:
    form = through(enter(m3, "vitals", personas.nurse_a, **VITALS), personas)
    with pytest.raises(ValidationError) as error:
        actions.save_form(
            m3, "vitals", by=personas.investigator_a, values={"spo2": 98}, reason=REASON
        )
    assert error.value.error_dict["__all__"][0].code == "locked"
    for step in (actions.complete_form, actions.lock_form):
        with pytest.raises(ValidationError):
            step(
                form, by=personas.data_manager_a if step is actions.lock_form else personas.nurse_a
            )


def test_the_visit_of_a_locked_form_keeps_its_date(m3: Visit, personas: Personas) -> None:
    through(enter(m3, "vitals", personas.nurse_a, **VITALS), personas)
    with pytest.raises(ValidationError):
        actions.update_visit(
            m3, by=personas.nurse_a, visit_date=datetime.date(2015, 7, 17), reason=REASON
        )


def test_completing_needs_every_required_field(m3: Visit, personas: Personas) -> None:
    form = enter(m3, "vitals", personas.nurse_a, systolic_bp=120)
    with pytest.raises(ValidationError) as error:
        actions.complete_form(form, by=personas.nurse_a)
    assert set(error.value.message_dict) == {"diastolic_bp", "weight"}


def test_the_haq_di_is_complete_with_six_categories(followup: FollowUp, personas: Personas) -> None:
    five = {"dress": 1, "stand_from_chair": 1, "cut_meat": 0, "walk_outdoors": 2, "wash_body": 1}
    form = enter(followup.baseline_a, "haq", personas.nurse_a, **five)
    with pytest.raises(ValidationError) as error:
        actions.complete_form(form, by=personas.nurse_a)
    assert "5 renseignées" in error.value.message_dict["dress"][0]
    form = actions.save_form(
        followup.baseline_a, "haq", by=personas.nurse_a, values={"reach_above_head": 0}
    )
    assert actions.complete_form(form, by=personas.nurse_a).status == "complete"


def test_only_the_monitor_verifies_and_only_the_investigator_signs(
    m3: Visit, personas: Personas
) -> None:
    form = through(enter(m3, "vitals", personas.nurse_a, **VITALS), personas, last="complete")
    with pytest.raises(PermissionDenied):
        actions.verify_form(form, by=personas.investigator_a)
    form = actions.verify_form(form, by=personas.monitor_a)
    with pytest.raises(PermissionDenied):
        actions.sign_form(form, by=personas.nurse_a, password="x")
    with pytest.raises(ValidationError) as error:
        actions.sign_form(form, by=personas.investigator_a, password="wrong")
    assert "password" in error.value.message_dict


def test_the_signature_records_its_meaning_and_signer(m3: Visit, personas: Personas) -> None:
    form = through(enter(m3, "vitals", personas.nurse_a, **VITALS), personas, last="signed")
    assert form.signed_by == personas.investigator_a
    assert form.signed_at is not None
    assert form.signature_meaning.startswith("En signant, je confirme")


def test_a_form_with_an_open_query_cannot_be_locked(followup: FollowUp, personas: Personas) -> None:
    form = enter(followup.baseline_a, "mrss", personas.nurse_a, total_reported=20, **mrss_sites(22))
    form = through(form, personas, last="signed")  # completing raised a query on the total
    with pytest.raises(ValidationError) as error:
        actions.lock_form(form, by=personas.data_manager_a)
    assert error.value.error_dict["__all__"][0].code == "queries"
