"""The work lists: who is eligible, who would be if missing data confirm it, ranked, and what
would decide each — and one person's full explanation on demand."""

from __future__ import annotations

import datetime as dt

import pyarrow.parquet as pq

from sclerocell.criteria.status import Status
from sclerocell.prescreen.lists import INFO
from sclerocell.prescreen.run import PrescreenResult, explain
from tests.core.prescreen.conftest import out_dir, statuses_by_person


def test_the_work_list_holds_every_undetermined_person_once(result: PrescreenResult) -> None:
    undetermined = {
        r["subject_id"]
        for r in result.statuses.to_pylist()
        if r["recipient"] in (Status.UNKNOWN.code, Status.NOT_ASSESSABLE.code)
    }
    persons = result.to_confirm.column("person_id").to_pylist()
    assert undetermined
    assert len(persons) == len(set(persons))
    assert set(persons) == undetermined


def test_it_ranks_by_data_to_obtain_then_answers_then_recency(result: PrescreenResult) -> None:
    rows = result.to_confirm.to_pylist()
    keys = [
        (r["n_unknown"], r["n_to_assess"], -(r["last_data_date"] or dt.date.min).toordinal())
        for r in rows
    ]
    assert keys == sorted(keys)
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    assert rows[0]["n_unknown"] == 0  # the synthetic "near" persons lack only an answer


def test_it_says_what_would_decide_each_person(result: PrescreenResult) -> None:
    for row in result.to_confirm.to_pylist():
        undecided = row["undecided"].split()
        assert len(undecided) == row["n_unknown"] + row["n_to_assess"] > 0
        for leaf in undecided:
            assert f"{leaf}: " in row["to_obtain_en"]
            assert f"{leaf}: " in row["to_obtain_fr"]


def segment(text: str, leaf: str) -> str:
    return next(part for part in text.split(" | ") if part.startswith(f"{leaf}: "))


def test_it_asks_for_a_recent_lung_function_test_when_dlco_is_missing(
    result: PrescreenResult,
) -> None:
    rows = [r for r in result.to_confirm.to_pylist() if "R-V1a.dlco" in r["undecided"].split()]
    assert rows
    for row in rows:
        en, fr = (
            segment(row["to_obtain_en"], "R-V1a.dlco"),
            segment(row["to_obtain_fr"], "R-V1a.dlco"),
        )
        assert "DLCO (% predicted)" in en
        assert "within the 3 months before the index date" in en
        assert "DLCO (% de la théorique)" in fr
        assert "3 mois" in fr


def test_the_head_of_the_list_is_screened_one_by_one_and_both_paths_agree(
    result: PrescreenResult,
) -> None:
    exact = [r for r in result.to_confirm.to_pylist() if r["exact"]]
    assert exact
    assert result.disagreements == []


def test_one_persons_explanation_gives_the_same_statuses_as_the_warehouse_screen(
    result: PrescreenResult, index_date: dt.date
) -> None:
    rows = statuses_by_person(result)
    folder = out_dir(result)
    for person, row in rows.items():
        screening = explain(folder, person)
        assert screening.index_date == index_date
        got = {k: s.code for k, s in screening.result.statuses().items()}
        assert got == {k: v for k, v in row.items() if k not in INFO}


def test_the_explanation_says_what_the_work_list_says_for_the_head(
    result: PrescreenResult,
) -> None:
    folder = out_dir(result)
    for row in result.to_confirm.slice(0, 10).to_pylist():
        missing = explain(folder, row["person_id"]).result.missing()
        assert row["to_obtain_en"] == " | ".join(f"{i}: {t.en}" for i, _, t in missing)


def test_it_writes_the_funnel_the_lists_and_the_rejects_as_parquet_and_csv(
    result: PrescreenResult,
) -> None:
    folder = out_dir(result)
    for name in ("funnel", "eligible", "to_confirm", "rejects"):
        assert pq.read_table(folder / f"{name}.parquet").num_rows == getattr(result, name).num_rows
        assert (folder / f"{name}.csv").read_text(encoding="utf-8").count("\n") >= 1
    assert (folder / "statuses.parquet").exists()
    assert (folder / "run.json").exists()


def test_it_writes_a_summary_in_french_and_in_english(result: PrescreenResult) -> None:
    folder = out_dir(result)
    fr = (folder / "summary.fr.html").read_text(encoding="utf-8")
    en = (folder / "summary.en.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in fr
    assert "Éligibles si les données manquantes le confirment" in fr
    assert "Would be eligible if missing data confirm it" in en
    assert result.to_confirm.column("person_id")[0].as_py() in en


def test_the_lists_say_until_when_each_person_was_followed(result: PrescreenResult) -> None:
    followed = [r["observed_until"] for r in result.to_confirm.to_pylist()]
    assert all(isinstance(d, dt.date) for d in followed)
