"""The page for QC results that arrive after the batch was recorded."""

from __future__ import annotations

from tests.web.conftest import Personas
from tests.web.product import factories
from tests.web.product.helpers import french_url
from tests.web.trial.conftest import Trial


def url(code: str) -> str:
    return french_url("product:update_batch_results", code)


def test_it_enters_a_late_result(trial: Trial, personas: Personas) -> None:
    _recipient, donor = factories.included_pair(trial.recipient_a, personas.investigator_a)
    batch = factories.batch(personas, factories.harvest(personas, donor), karyotype="")
    data = {
        field: ("" if value is None else str(value))
        for field, value in {**factories.CONFORMING, "karyotype": "normal"}.items()
    }
    response = personas.client(personas.cell_therapy_a).post(
        f"{url(trial.recipient_a.code)}?batch={batch.number}", {**data, "version": "1"}
    )
    assert response.status_code == 302, response.context["form"].errors
    batch.refresh_from_db()
    assert batch.karyotype == "normal"


def test_an_unknown_batch_is_not_found(trial: Trial, personas: Personas) -> None:
    response = personas.client(personas.cell_therapy_a).get(
        f"{url(trial.recipient_a.code)}?batch=NOPE"
    )
    assert response.status_code == 404
