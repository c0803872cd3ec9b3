"""The batch form: manufacturing data and the QC results available."""

from __future__ import annotations

from sclerocell.web.product.models import Batch
from tests.web.conftest import Personas
from tests.web.product import factories
from tests.web.product.helpers import french_url
from tests.web.trial.conftest import Trial


def url(code: str) -> str:
    return french_url("product:record_batch", code)


def test_it_records_a_batch_from_the_harvest(trial: Trial, personas: Personas) -> None:
    _recipient, donor = factories.included_pair(trial.recipient_a, personas.investigator_a)
    harvest = factories.harvest(personas, donor)
    response = personas.client(personas.cell_therapy_a).post(
        url(trial.recipient_a.code),
        {
            "harvest": harvest.pk,
            "number": "L2015-007",
            "manufactured_on": "2015-04-14",
            "passages": "2",
            "cell_count": "70000000",
            "volume_ml": "50",
            "expires_at": "2015-04-15T20:00",
            "viability_pct": "91",
            "cd73_pct": "99",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    batch = Batch.objects.get()
    assert (batch.number, batch.recipient, batch.karyotype) == ("L2015-007", trial.recipient_a, "")
    assert batch.expires_at == factories.at(factories.INFUSED_ON, 20)


def test_an_impossible_value_is_shown_at_its_field(trial: Trial, personas: Personas) -> None:
    _recipient, donor = factories.included_pair(trial.recipient_a, personas.investigator_a)
    harvest = factories.harvest(personas, donor)
    response = personas.client(personas.cell_therapy_a).post(
        url(trial.recipient_a.code),
        {
            "harvest": harvest.pk,
            "number": "L2015-007",
            "manufactured_on": "2015-03-01",
            "passages": "2",
            "cell_count": "70000000",
            "volume_ml": "50",
            "expires_at": "2015-04-15T20:00",
        },
    )
    assert response.status_code == 400
    assert "manufactured_on" in response.context["form"].errors
    assert not Batch.objects.exists()


def test_an_investigator_cannot_record_batches(trial: Trial, personas: Personas) -> None:
    response = personas.client(personas.investigator_a).get(url(trial.recipient_a.code))
    assert response.status_code == 403
