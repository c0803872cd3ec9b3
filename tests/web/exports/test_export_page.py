"""The export page: who may export, what each gets (their sites only, in every format), what is
written (the export's own audit row, nothing else), and translated errors."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import translation

from sclerocell.exchange import odm, tables
from sclerocell.web.audit.models import AuditEvent
from sclerocell.web.audit.registry import REGISTRY
from sclerocell.web.exports import formats
from sclerocell.web.exports.models import DataExport
from tests.web.conftest import Personas
from tests.web.exports.conftest import CUTOFF, Data, unzip


def url(language: str = "en") -> str:
    with translation.override(language):
        return reverse("exports:index")


def post(client: Client, fmt: str, site: str = "", cutoff: str = CUTOFF.isoformat()) -> Any:
    return client.post(url(), {"format": fmt, "cutoff": cutoff, "site": site})


def snapshot() -> dict[str, list[dict[str, Any]]]:
    models = {spec.model for spec in REGISTRY.values()}
    models |= set(apps.get_app_config("trial").get_models())
    return {
        m._meta.label: list(m._default_manager.order_by("pk").values())
        for m in sorted(models, key=lambda m: m._meta.label)
        if m is not DataExport
    }


def codes_in(folder: Path) -> str:
    """Everything the export holds, as text (Parquet files decoded)."""
    texts = []
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".parquet":
            texts.append(str(pq.read_table(path).to_pylist()))
        elif path.is_file():
            texts.append(path.read_bytes().decode("latin-1"))
    return "\n".join(texts)


# --- Who may export ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona",
    [
        "investigator_a",
        "nurse_a",
        "cell_therapy_a",
        "pharmacovigilance_a",
        "monitor_a",
        "safety_board",
        "admin",
    ],
)
def test_roles_without_export_data_are_refused(personas: Personas, persona: str) -> None:
    client = personas.client(getattr(personas, persona))
    assert client.get(url()).status_code == 403
    assert post(client, "tables").status_code == 403
    assert not DataExport.objects.exists()


def test_an_anonymous_visitor_goes_to_the_login_page(db: None) -> None:
    assert Client().get(url()).status_code == 302


def test_the_page_offers_the_formats_and_the_users_sites(personas: Personas) -> None:
    response = personas.client(personas.statistician).get(url())
    text = response.content.decode()
    assert response.status_code == 200
    for code in ("tables", "odm", "all"):
        assert f'value="{code}"' in text
    assert 'href="/en/exports/"' in text  # the navigation entry
    assert "Centre B" in text and "Saint-Louis" in text


def test_the_navigation_shows_exports_only_to_roles_that_may_export(personas: Personas) -> None:
    page = personas.client(personas.investigator_a).get(reverse("shell:dashboard"))
    assert b'/exports/"' not in page.content


# --- What each gets ----------------------------------------------------------------------------


def test_a_data_manager_downloads_the_tables_of_their_site(
    data: Data, personas: Personas, tmp_path: Path
) -> None:
    response = post(personas.client(personas.data_manager_a), "tables")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    folder = unzip(response.content, tmp_path)
    subjects = tables.read_parquet(folder / "tables" / "subjects.parquet")
    assert {s["site"] for s in subjects} == {"01"}
    vitals = tables.read_parquet(folder / "tables" / "vitals.parquet")
    assert {v["subject"] for v in vitals} == {data.followup.recipient_a.code}
    record = DataExport.objects.get()
    assert record.sha256 == hashlib.sha256(response.content).hexdigest()
    assert (record.requested_by, record.format, record.cutoff) == (
        personas.data_manager_a,
        "tables",
        CUTOFF,
    )
    assert (record.sites, record.trial_wide) == ("01", False)
    assert (folder / "MANIFEST.json").exists()


@pytest.mark.parametrize("fmt", list(formats.FORMATS))
def test_site_a_staff_never_get_site_b_subjects_in_any_format(
    data: Data, personas: Personas, tmp_path: Path, fmt: str
) -> None:
    before = snapshot()
    response = post(personas.client(personas.data_manager_a), fmt)
    assert response.status_code == 200, response.content[:2000]
    assert snapshot() == before
    text = codes_in(unzip(response.content, tmp_path))
    assert data.followup.recipient_a.code in text
    for code in (data.followup.recipient_b.code, data.followup.trial.donor_b.code):
        assert code not in text, fmt
    assert "Centre B" not in text


def test_sdtm_exports_participants_without_questionnaires(data: Data, personas: Personas) -> None:
    response = post(personas.client(personas.statistician), "sdtm", site="2")
    assert response.status_code == 200


def test_another_sites_data_cannot_be_asked_for(data: Data, personas: Personas) -> None:
    response = post(personas.client(personas.data_manager_a), "tables", site="2")
    assert response.status_code == 400
    assert not DataExport.objects.exists()


def test_the_statistician_exports_odm_for_both_sites_and_it_validates(
    data: Data, personas: Personas, tmp_path: Path
) -> None:
    response = post(personas.client(personas.statistician), "odm")
    assert response.status_code == 200
    folder = unzip(response.content, tmp_path)
    document = (folder / "odm" / "sclerocell-odm.xml").read_bytes()
    assert odm.validate(document) == []
    content = odm.read_odm(document)
    a, b = data.followup.recipient_a.code, data.followup.recipient_b.code
    assert content.form(a, "BL", "vitals").values["systolic_bp"] == 120
    assert content.form(a, "UNS", "vitals", 2).values["systolic_bp"] == 118
    assert content.form(b, "BL", "vitals").values["systolic_bp"] == 131
    assert any(r.reason == "scale recalibrated" for r in content.audit_records)
    labs = content.form(a, "BL", "labs").values
    assert labs["creatinine_unit"] == "mg/dL" and "creatinine_std" not in labs  # entered only


def test_one_of_the_users_sites_can_be_chosen(
    data: Data, personas: Personas, tmp_path: Path
) -> None:
    response = post(personas.client(personas.statistician), "tables", site="2")
    folder = unzip(response.content, tmp_path)
    subjects = tables.read_parquet(folder / "tables" / "subjects.parquet")
    assert {s["site"] for s in subjects} == {"02"}
    assert DataExport.objects.get().sites == "02"


# --- What is written ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["statistician", "data_manager_a"])
def test_an_export_writes_its_audit_row_and_nothing_else(
    data: Data, personas: Personas, persona: str
) -> None:
    before = snapshot()
    last = AuditEvent.objects.order_by("-seq").first()
    user = getattr(personas, persona)
    for fmt in ("tables", "odm"):
        assert post(personas.client(user), fmt).status_code == 200
    assert snapshot() == before
    new = list(AuditEvent.objects.filter(seq__gt=last.seq if last else 0))
    assert [(e.table_name, e.operation, e.action, e.actor_username) for e in new] == [
        ("exports_dataexport", "insert", "export_data", user.username)
    ] * 2
    assert DataExport.objects.count() == 2


# --- Errors ------------------------------------------------------------------------------------


def test_the_errors_are_translated(personas: Personas) -> None:
    client = personas.client(personas.statistician)
    future = client.post(url("fr"), {"format": "tables", "cutoff": "2999-01-01"})
    assert future.status_code == 400
    assert "La date de gel ne peut pas être dans le futur." in future.content.decode()
    bad = client.post(url("fr"), {"format": "xml", "cutoff": "31/02/2015"})
    text = bad.content.decode()
    assert "Saisissez une date valide." in text
    assert "Sélectionnez un choix valide" in text
    assert not DataExport.objects.exists()


def test_an_odm_file_failing_its_check_is_not_issued(
    data: Data, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(formats.odm, "validate", lambda document: ["ItemData: broken"])
    client = personas.client(personas.statistician)
    response = client.post(url("fr"), {"format": "odm", "cutoff": CUTOFF.isoformat(), "site": ""})
    assert response.status_code == 400
    assert "L’export odm a échoué ; rien n’a été délivré : ItemData: broken" in (
        response.content.decode()
    )
    assert not DataExport.objects.exists()
