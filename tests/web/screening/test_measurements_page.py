"""The measurements page: groups measured the same day, with units and normal ranges."""

from __future__ import annotations

from sclerocell.web.audit.models import AuditEvent
from sclerocell.web.screening.models import Measurement
from tests.web.conftest import Personas
from tests.web.screening.conftest import status_of, url
from tests.web.trial.conftest import Trial


def test_a_lung_function_test_decides_r_v1a(trial: Trial, personas: Personas) -> None:
    assert status_of(trial.recipient_a, "R-V1a") == "unknown"
    response = personas.client(personas.nurse_a).post(
        url("measurements", trial.recipient_a),
        {
            "group": "lung-function",
            "lung-function-date": "2015-02-20",
            "lung-function-time": "09:30",
            "lung-function-fvc_pct_pred-value": "68",
            "lung-function-fvc_pct_pred-unit": "%",
            "lung-function-dlco_pct_pred-value": "65",
            "lung-function-dlco_pct_pred-unit": "%",
        },
    )
    assert response.status_code == 302
    assert Measurement.objects.filter(participant=trial.recipient_a).count() == 2
    assert status_of(trial.recipient_a, "R-V1a.fvc") == "met"
    assert status_of(trial.recipient_a, "R-V1a.dlco") == "not_met"


def test_a_decimal_comma_and_another_unit_are_read(trial: Trial, personas: Personas) -> None:
    response = personas.client(personas.nurse_a).post(
        url("measurements", trial.recipient_a),
        {
            "group": "labs",
            "labs-date": "2015-02-25",
            "labs-creatinine-value": "0,8",
            "labs-creatinine-unit": "mg/dL",
            "labs-creatinine-ref_low": "0,5",
            "labs-creatinine-ref_high": "1,0",
        },
    )
    assert response.status_code == 302
    row = Measurement.objects.get(code="creatinine")
    assert (row.value, row.unit, row.ref_high) == (0.8, "mg/dL", 1.0)


def test_a_unit_that_is_not_offered_is_refused_at_its_field(
    trial: Trial, personas: Personas
) -> None:
    response = personas.client(personas.nurse_a).post(
        url("measurements", trial.recipient_a),
        {
            "group": "labs",
            "labs-date": "2015-02-25",
            "labs-creatinine-value": "72",
            "labs-creatinine-unit": "mmHg",
        },
    )
    assert response.status_code == 400
    [form] = [f for f in response.context["forms"] if f.group.slug == "labs"]
    assert form.errors["creatinine-unit"]
    assert not Measurement.objects.exists()


def test_a_normal_range_upside_down_is_refused(trial: Trial, personas: Personas) -> None:
    response = personas.client(personas.nurse_a).post(
        url("measurements", trial.recipient_a),
        {
            "group": "labs",
            "labs-date": "2015-02-25",
            "labs-alt-value": "30",
            "labs-alt-unit": "U/L",
            "labs-alt-ref_low": "40",
            "labs-alt-ref_high": "10",
        },
    )
    assert response.status_code == 400
    assert not Measurement.objects.exists()


def test_a_future_date_is_refused(trial: Trial, personas: Personas) -> None:
    response = personas.client(personas.nurse_a).post(
        url("measurements", trial.recipient_a),
        {
            "group": "body",
            "body-date": "2999-01-01",
            "body-weight-value": "60",
            "body-weight-unit": "kg",
        },
    )
    assert response.status_code == 400
    assert not Measurement.objects.exists()


def test_a_row_entered_by_mistake_is_removed_with_a_reason(
    trial: Trial, personas: Personas
) -> None:
    client = personas.client(personas.nurse_a)
    client.post(
        url("measurements", trial.recipient_a),
        {
            "group": "body",
            "body-date": "2015-02-25",
            "body-weight-value": "600",
            "body-weight-unit": "kg",
        },
    )
    row = Measurement.objects.get()
    refused = client.post(
        url("remove_row", trial.recipient_a), {"kind": "measurement", "row": row.pk, "reason": ""}
    )
    assert refused.status_code == 302
    assert Measurement.objects.filter(pk=row.pk).exists()
    client.post(
        url("remove_row", trial.recipient_a),
        {"kind": "measurement", "row": row.pk, "reason": "Erreur de saisie : 60 kg"},
    )
    assert not Measurement.objects.filter(pk=row.pk).exists()
    deletion = AuditEvent.objects.filter(
        table_name="screening_measurement", operation="delete"
    ).get()
    assert deletion.reason == "Erreur de saisie : 60 kg"
    assert deletion.old["value"] == 600


def test_another_participants_row_cannot_be_removed(trial: Trial, personas: Personas) -> None:
    client = personas.client(personas.investigator_b)
    client.post(
        url("measurements", trial.recipient_b),
        {
            "group": "body",
            "body-date": "2015-02-25",
            "body-weight-value": "60",
            "body-weight-unit": "kg",
        },
    )
    row = Measurement.objects.get()
    personas.client(personas.nurse_a).post(
        url("remove_row", trial.recipient_a),
        {"kind": "measurement", "row": row.pk, "reason": "Erreur"},
    )
    assert Measurement.objects.filter(pk=row.pk).exists()


def test_a_donor_has_no_measurements_page(trial: Trial, personas: Personas) -> None:
    assert (
        personas.client(personas.nurse_a).get(url("measurements", trial.donor_a)).status_code == 404
    )
