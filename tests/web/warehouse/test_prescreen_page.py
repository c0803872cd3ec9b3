"""The warehouse pre-screen page: run on the user's own site's warehouse, read the summary,
download the lists; another site's warehouse is never reachable."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from sclerocell.web.audit.models import AuditExport
from tests.web.conftest import Personas
from tests.web.warehouse.conftest import INDEX, Warehouse

URL = reverse("warehouse:prescreen")
DOWNLOAD = reverse("warehouse:download")


def run(client: object, site: int = 1) -> object:
    return client.post(  # type: ignore[attr-defined]
        URL,
        {"site": site, "index_date": INDEX.isoformat(), "role": "recipient", "population": "ssc"},
    )


def test_a_nurse_runs_the_pre_screen_of_her_sites_warehouse_and_reads_the_summary(
    personas: Personas, configured: Path
) -> None:
    client = personas.client(personas.nurse_a)
    response = run(client)
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert response["Location"].endswith("?site=1")  # type: ignore[index]
    page = client.get(URL, {"site": 1})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-site="1"' in html
    assert 'data-criterion="R-I1"' in html
    assert "by nurse_a" in html or "par nurse_a" in html
    runs = list((configured / "site-01").glob("*/run.json"))
    assert len(runs) == 1
    assert not (configured / "site-01" / ".running").exists()
    assert AuditExport.objects.filter(format="omop").count() == 1


def test_the_summary_shows_the_work_list_with_what_would_decide_each_person(
    personas: Personas, with_a_run: Path
) -> None:
    import pyarrow.parquet as pq

    first = pq.read_table(with_a_run / "to_confirm.parquet").to_pylist()[0]
    page = personas.client(personas.investigator_a).get("/en" + URL[3:])
    html = page.content.decode()
    assert f'data-person="{first["person_id"]}"' in html
    assert first["to_obtain_en"].split(" | ")[0] in html.replace("&#x27;", "'")
    assert "Would be eligible if missing data confirm it" in html


def test_it_speaks_french_by_default(personas: Personas, with_a_run: Path) -> None:
    html = personas.client(personas.investigator_a).get(URL).content.decode()
    assert "Éligibles si les données manquantes le confirment" in html
    assert "Entonnoir par critère" in html


@pytest.mark.parametrize("persona", ["data_manager_a", "statistician", "investigator_a"])
def test_staff_with_reports_or_screening_rights_see_the_page(
    personas: Personas, with_a_run: Path, persona: str
) -> None:
    assert personas.client(getattr(personas, persona)).get(URL).status_code == 200


@pytest.mark.parametrize("persona", ["monitor_a", "cell_therapy_a", "pharmacovigilance_a", "admin"])
def test_roles_without_screening_or_reports_rights_are_refused(
    personas: Personas, configured: Path, persona: str
) -> None:
    client = personas.client(getattr(personas, persona))
    assert client.get(URL).status_code == 403
    assert run(client).status_code == 403  # type: ignore[attr-defined]
    assert not (configured / "site-01").exists()


def test_another_sites_staff_can_neither_run_nor_read_site_as_warehouse(
    personas: Personas, with_a_run: Path
) -> None:
    client = personas.client(personas.investigator_b)
    response = run(client)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert client.get(URL, {"site": 1}).status_code == 404
    html = client.get(URL).content.decode()
    assert 'data-site="1"' not in html
    assert client.post(DOWNLOAD, {"site": 1, "file": "to_confirm.csv"}).status_code == 404
    assert len(list(with_a_run.parent.iterdir())) == 1


def test_it_says_when_no_warehouse_is_configured_for_the_users_sites(
    personas: Personas, settings: pytest.FixtureRequest
) -> None:
    settings.SCLEROCELL_WAREHOUSES = {}  # type: ignore[attr-defined]
    html = personas.client(personas.investigator_a).get("/en" + URL[3:]).content.decode()
    assert "No warehouse is configured for your sites" in html


def test_a_warehouse_that_cannot_be_read_is_a_clear_error_and_writes_nothing(
    personas: Personas, configured: Path, settings: pytest.FixtureRequest, tmp_path: Path
) -> None:
    settings.SCLEROCELL_WAREHOUSES = {1: str(tmp_path / "nowhere")}  # type: ignore[attr-defined]
    response = run(personas.client(personas.nurse_a))
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "L&#x27;entrepôt n&#x27;a pas pu être lu" in response.content.decode()  # type: ignore[attr-defined]
    assert AuditExport.objects.count() == 0
    assert not list((configured / "site-01").glob("*/run.json"))


def test_a_download_is_a_file_of_the_latest_run_and_is_audited(
    personas: Personas, with_a_run: Path
) -> None:
    client = personas.client(personas.data_manager_a)
    response = client.post(DOWNLOAD, {"site": 1, "file": "to_confirm.csv"})
    assert response.status_code == 200
    assert response.content == (with_a_run / "to_confirm.csv").read_bytes()
    assert "attachment" in response["Content-Disposition"]
    assert AuditExport.objects.filter(format="csv").count() == 1
    assert client.post(DOWNLOAD, {"site": 1, "file": "../run.json"}).status_code == 404
    assert client.get(DOWNLOAD).status_code == 405


def test_the_navigation_links_the_page_for_screening_and_reports_roles(
    personas: Personas, configured: Path
) -> None:
    assert URL in personas.client(personas.nurse_a).get(reverse("shell:dashboard")).content.decode()
    dashboard = personas.client(personas.monitor_a).get(reverse("shell:dashboard"))
    assert URL not in dashboard.content.decode()


def test_the_fixture_run_is_a_real_pre_screen(tiny_warehouse: Warehouse) -> None:
    assert (tiny_warehouse.run / "run.json").exists()
