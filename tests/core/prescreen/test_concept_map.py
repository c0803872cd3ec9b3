"""The concept map shipped for this protocol, and the checks on a site's edited copy."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from sclerocell.facts import codes
from sclerocell.prescreen.concept_map import (
    HEADER,
    POPULATION,
    SITE_LOCAL_MIN,
    ConceptMapError,
    default_map_path,
    load,
)

# A copy of the project's verified reference (/work/shared/reference/omop_concepts.csv), shipped
# with the map as its provenance.
REFERENCE = default_map_path().parent / "omop_concepts_reference.csv"


def reference() -> list[dict[str, str]]:
    with REFERENCE.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_shipped_map_loads_and_every_row_says_where_its_identifier_comes_from() -> None:
    cmap = load()
    assert cmap.rows
    assert all(r.source and r.status for r in cmap.rows)
    assert all(v.source and v.status for v in cmap.values)


def test_it_copies_every_verified_identifier_of_the_reference_with_its_source() -> None:
    cmap = load()
    by_id = {r.concept_id: r for r in cmap.rows if r.concept_id is not None}
    notes = (default_map_path().parent / "concept_map.md").read_text(encoding="utf-8")
    for ref in reference():
        if ref["status"] == "verified" and ref["omop_concept_id"]:
            if int(ref["omop_concept_id"]) not in by_id:
                # Verified but read by no criterion: the provenance notes say why.
                assert f"| {ref['omop_concept_id']} |" in notes, ref
                continue
            row = by_id[int(ref["omop_concept_id"])]
            assert row.status in ("verified", "inferred"), ref
            source = ref["source"] if ref["source"] != "same" else ""
            assert source in row.source or "omop_concepts.csv" in row.source


def test_it_marks_the_identifiers_the_reference_does_not_verify() -> None:
    rows = {(r.fact_code, r.concept_code): r for r in load().rows}
    assert rows[("dbp", "8462-4")].status == "probable"
    assert rows[("fvc_pct_pred", "19872-1")].status == "unverified"
    assert rows[("fvc_pct_pred", "19872-1")].concept_id is None  # resolved in the site vocabulary
    assert rows[("cd4", "24467-3")].status == "unverified"


def test_concepts_without_a_standard_are_site_local_above_two_billion() -> None:
    cmap = load()
    local = [r for r in cmap.rows if r.status == "site_local"]
    assert local
    assert all((r.concept_id or 0) > SITE_LOCAL_MIN for r in local)
    dlco = [r for r in cmap.rows if r.fact_code == "dlco_pct_pred"]
    assert [r.status for r in dlco] == ["site_local"]


def test_it_maps_every_fact_the_recipient_criteria_read() -> None:
    from sclerocell.criteria.evaluate import walk
    from sclerocell.protocol.screen import criteria

    read: set[str] = set()
    for node in walk(criteria("recipient")):
        for name in ("code", "total_code"):
            if isinstance(getattr(node, name, None), str):
                read.add(getattr(node, name))
        read.update(getattr(node, "codes", ()))
    read -= {"mrss_" + s for s in ()}
    mapped = load().fact_codes()
    assert read - set(codes.MRSS_SITE_CODES) - mapped == set()
    assert any(r.fact_code == POPULATION for r in load().rows)


def write(tmp_path: Path, **change: str) -> Path:
    path = tmp_path / "map.csv"
    with default_map_path().open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rows[0].update(change)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, HEADER)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"fact_code": "nonsense"}, "unknown fact code"),
        ({"omop_table": "visit"}, "unknown OMOP table"),
        ({"how": "number"}, "rows are read as"),
        ({"status": "guessed"}, "status"),
        ({"concept_id": "12a"}, "not an integer"),
        ({"descendants": "maybe"}, "expected yes or no"),
        ({"fact_code": "creatinine"}, "not a yes/no fact"),
    ],
)
def test_it_refuses_a_row_it_cannot_use_and_names_its_line(
    tmp_path: Path, change: dict[str, str], message: str
) -> None:
    with pytest.raises(ConceptMapError, match=message) as error:
        load(write(tmp_path, **change))
    assert "line 2" in str(error.value)


def test_it_refuses_a_site_local_id_below_two_billion(tmp_path: Path) -> None:
    with pytest.raises(ConceptMapError, match="site-local"):
        load(write(tmp_path, status="site_local"))
