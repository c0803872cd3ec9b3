"""Trees: groups, references, the verdict node, and the evidence every result carries."""

from __future__ import annotations

import json

import pytest

from sclerocell.criteria.evaluate import check_tree, evaluate
from sclerocell.criteria.findings import Finding, Statement
from sclerocell.criteria.logic import AllOf, AnyOf, AtLeast, Not, Ref, Verdict
from sclerocell.criteria.status import Status
from sclerocell.criteria.text import Text

from .build import D, T, days, fact

ILD = Finding(id="ild", text=T, codes=("ild_on_imaging",))
STMT = Statement(id="st", text=T, code="lung_transplant_ruled_out")


def test_it_evaluates_a_reference_to_an_earlier_node() -> None:
    tree = AllOf(id="root", text=T, members=(ILD, Ref(id="again", text=T, target="ild")))
    result = evaluate(tree, [fact("ild_on_imaging", days(1), 1)], D)
    assert result.find("again").status is Status.MET
    assert result.find("again").evidence.summary.en == "See ild: met"


def test_it_refuses_duplicate_ids_and_forward_references() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        check_tree(AllOf(id="root", text=T, members=(ILD, ILD)))
    with pytest.raises(ValueError, match="refers to"):
        check_tree(AllOf(id="root", text=T, members=(Ref(id="r", text=T, target="ild"), ILD)))


def test_it_reports_not_assessable_distinctly_from_unknown() -> None:
    tree = AllOf(id="root", text=T, members=(ILD, STMT))
    assert evaluate(tree, [fact("ild_on_imaging", days(1), 1)], D).status is Status.NOT_ASSESSABLE
    assert evaluate(tree, [], D).status is Status.UNKNOWN


def test_it_decides_the_verdict_from_inclusion_and_non_inclusion() -> None:
    verdict = Verdict(
        id="v",
        text=T,
        inclusion=ILD,
        non_inclusion=Finding(id="neo", text=T, codes=("neoplasia_history",)),
    )
    eligible = [fact("ild_on_imaging", days(1), 1), fact("neoplasia_history", days(1), 0)]
    assert evaluate(verdict, eligible, D).status is Status.MET
    excluded = [fact("ild_on_imaging", days(1), 1), fact("neoplasia_history", days(1), 1)]
    assert evaluate(verdict, excluded, D).status is Status.NOT_MET
    assert evaluate(verdict, excluded, D).evidence.summary.en == "Not eligible"


def test_it_lists_only_the_missing_data_that_could_change_the_answer() -> None:
    tree = AnyOf(
        id="root",
        text=T,
        members=(
            AllOf(id="a", text=T, members=(ILD, STMT)),
            Not(id="b", text=T, member=Finding(id="neo", text=T, codes=("neoplasia_history",))),
            AtLeast(
                id="c",
                text=T,
                k=1,
                members=(Finding(id="raynaud", text=T, codes=("raynaud_phenomenon",)),),
            ),
        ),
    )
    result = evaluate(
        tree, [fact("ild_on_imaging", days(1), 1), fact("neoplasia_history", days(1), 1)], D
    )
    assert [m[0] for m in result.missing()] == ["st", "raynaud"]
    decided = evaluate(tree, [fact("raynaud_phenomenon", days(1), 1)], D)
    assert decided.status is Status.MET
    assert decided.missing() == []


def test_it_serialises_every_text_in_both_languages() -> None:
    tree = AllOf(id="root", text=Text("racine", "root"), members=(ILD, STMT))
    data = evaluate(tree, [fact("ild_on_imaging", days(1), 1, row="ct-1")], D).to_dict()
    json.dumps(data)
    leaf = data["children"][0]
    assert leaf["status"] == "met"
    assert set(leaf["evidence"]["summary"]) == {"fr", "en"}
    assert leaf["evidence"]["facts"][0]["source_row_id"] == "ct-1"
    assert data["children"][1]["evidence"]["missing"]["fr"].startswith("la réponse")


def test_it_refuses_a_text_missing_one_language() -> None:
    with pytest.raises(ValueError, match="both languages"):
        Text("seulement en français", "")
