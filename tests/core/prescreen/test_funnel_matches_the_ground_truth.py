"""The pre-screen of a synthetic warehouse against the generator's own record of what it made.

The expected statuses come from the generator's ground truth (the scenario it drew for each
leaf criterion of each person), combined up the tree with the criteria's Kleene logic — not from
the OMOP → facts conversion or the compiled SQL under test.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sclerocell.criteria.base import Criterion, Group, Leaf
from sclerocell.criteria.logic import Ref
from sclerocell.criteria.status import Status
from sclerocell.prescreen.run import PrescreenResult
from sclerocell.prescreen.synth import Summary
from sclerocell.protocol.screen import criteria
from tests.core.prescreen.conftest import statuses_by_person

META = {"person_id", "in_population", "profile"}


def expected_statuses(root: Criterion, leaves: dict[str, Any]) -> dict[str, Status]:
    """Every node's status from the ground truth of the leaves."""
    done: dict[str, Status] = {}

    def visit(node: Criterion) -> Status:
        if isinstance(node, Ref):
            status = done[node.target]
        elif isinstance(node, Leaf):
            status = Status(leaves[node.id])
        else:
            assert isinstance(node, Group)
            status = node.combine([visit(c) for c in node.children()])
        done[node.id] = status
        return status

    visit(root)
    return done


def population(truth: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [t for t in truth if t["in_population"]]


def test_the_generator_gives_a_truth_for_every_leaf_criterion(
    truth: list[dict[str, Any]],
) -> None:
    leaves = {n.id for n in _walk(criteria("recipient")) if isinstance(n, Leaf)}
    assert set(truth[0]) - META == leaves


def test_it_screens_exactly_the_persons_the_generator_gave_an_ssc_diagnosis(
    result: PrescreenResult, truth: list[dict[str, Any]], warehouse: Summary
) -> None:
    expected = {str(t["person_id"]) for t in population(truth)}
    assert set(result.statuses.column("subject_id").to_pylist()) == expected
    assert result.population == len(expected) == warehouse.cases
    assert result.persons == len(truth)


def test_every_leaf_status_matches_the_ground_truth_person_by_person(
    result: PrescreenResult, truth: list[dict[str, Any]]
) -> None:
    got = statuses_by_person(result)
    wrong = Counter()
    for person in population(truth):
        row = got[str(person["person_id"])]
        for leaf, status in person.items():
            if leaf not in META and Status.from_code(row[leaf]).value != status:
                wrong[leaf] += 1
    assert not wrong


def test_the_funnel_counts_match_counts_computed_from_the_ground_truth(
    result: PrescreenResult, truth: list[dict[str, Any]]
) -> None:
    root = criteria("recipient")
    expected: Counter[tuple[str, str]] = Counter()
    for person in population(truth):
        leaves = {k: v for k, v in person.items() if k not in META}
        for node_id, status in expected_statuses(root, leaves).items():
            expected[(node_id, status.value)] += 1
    funnel = {r["criterion"]: r for r in result.funnel.to_pylist()}
    assert set(funnel) == {n.id for n in _walk(root)}
    for node_id, row in funnel.items():
        for status in Status:
            assert row[status.value] == expected[(node_id, status.value)], (node_id, status)
        assert sum(row[s.value] for s in Status) == row["persons"] == result.population


def test_every_criterion_has_persons_on_both_sides(result: PrescreenResult) -> None:
    one_sided = [
        r["criterion"]
        for r in result.funnel.to_pylist()
        if r["kind"] != "ref" and not (r["met"] and r["not_met"])
    ]
    assert not one_sided


def test_every_data_criterion_has_persons_with_missing_data(result: PrescreenResult) -> None:
    leaves = {n.id: n for n in _walk(criteria("recipient")) if isinstance(n, Leaf)}
    never_missing = [
        r["criterion"]
        for r in result.funnel.to_pylist()
        if r["criterion"] in leaves and not (r["unknown"] or r["not_assessable"])
    ]
    assert not never_missing


def test_the_eligible_list_is_the_persons_the_generator_made_eligible(
    result: PrescreenResult, truth: list[dict[str, Any]]
) -> None:
    root = criteria("recipient")
    eligible = {
        str(p["person_id"])
        for p in population(truth)
        if expected_statuses(root, {k: v for k, v in p.items() if k not in META})["recipient"]
        is Status.MET
    }
    assert eligible
    assert set(result.eligible.column("person_id").to_pylist()) == eligible
    made_eligible = {str(p["person_id"]) for p in population(truth) if p["profile"] == "eligible"}
    assert made_eligible <= eligible


def test_it_rejects_exactly_the_rows_the_generator_broke(
    result: PrescreenResult, warehouse: Summary
) -> None:
    import pyarrow.parquet as pq

    broken = pq.read_table(warehouse.out / "ground_truth_rejects.parquet").to_pylist()
    reasons = {
        "nan": "NaN is not a value",
        "unparseable_value": "unparseable value",
        "unknown_unit": "haemoglobin: unit 'furlongs' is not a unit of haemoglobin",
        "wrong_unit": "platelets: unit 'mmol/L' is not a unit of platelets",
        "unparseable_answer": "unparseable answer",
        "no_date": "missing or unreadable date",
        "month_13": "month_of_birth out of range",
    }
    got = {(r["omop_table"], r["row_id"]): r for r in result.rejects.to_pylist()}
    assert broken
    assert set(got) == {(b["omop_table"], b["row_id"]) for b in broken}
    for b in broken:
        assert got[(b["omop_table"], b["row_id"])]["problem"].startswith(reasons[b["kind"]])


def _walk(node: Criterion) -> list[Criterion]:
    from sclerocell.criteria.evaluate import walk

    return list(walk(node))
