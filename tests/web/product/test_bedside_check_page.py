"""The bedside check page: two text inputs a barcode scanner fills."""

from __future__ import annotations

from sclerocell.web.audit.context import audit_scope
from sclerocell.web.product.label_pdf import product_code
from sclerocell.web.product.models import Batch, BedsideCheckAttempt
from tests.web.conftest import Personas
from tests.web.product.helpers import french_url
from tests.web.trial.conftest import Trial


def url(code: str) -> str:
    return french_url("product:bedside_check", code)


def test_the_scanner_inputs_are_plain_text_fields(released: Batch, personas: Personas) -> None:
    content = personas.client(personas.nurse_a).get(url(released.recipient.code)).content.decode()
    assert 'name="product_code"' in content and 'name="recipient_code"' in content
    assert "autofocus" in content


def test_an_accepted_check_leads_to_the_infusion_form(released: Batch, personas: Personas) -> None:
    # The batch expired on 2015-04-15: a check today would find it expired; move the expiry.
    with audit_scope(by=None, reason="test set-up: a fresh batch", action="test_setup"):
        Batch.objects.filter(pk=released.pk).update(expires_at="2999-01-01T00:00Z")
    released.refresh_from_db()
    response = personas.client(personas.nurse_a).post(
        url(released.recipient.code),
        {
            "product_code": product_code(released),
            "recipient_code": released.recipient.code,
            "weight_kg": "70",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == french_url("product:record_infusion", released.recipient.code)
    assert BedsideCheckAttempt.objects.get().accepted


def test_a_refusal_is_shown_clearly_and_recorded(
    released: Batch, trial: Trial, personas: Personas
) -> None:
    response = personas.client(personas.nurse_a).post(
        url(released.recipient.code),
        {
            "product_code": product_code(released),
            "recipient_code": trial.recipient_b.code,
            "weight_kg": "70",
        },
    )
    assert response.status_code == 200
    refusal = response.context["refusal"]
    assert refusal.startswith("PERFUSION REFUSÉE — Receveur discordant")
    assert 'role="alert"' in response.content.decode()
    attempt = BedsideCheckAttempt.objects.get()
    assert not attempt.accepted


def test_the_cell_therapy_unit_cannot_check(released: Batch, personas: Personas) -> None:
    response = personas.client(personas.cell_therapy_a).get(url(released.recipient.code))
    assert response.status_code == 403
