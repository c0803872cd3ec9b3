"""The one-person path (Python, with evidence) and the compiled path (ibis → SQL on DuckDB) give
the same status for every criterion, on random fact sets with ties (same date, same time), missing
times, missing values, missing reference limits and facts outside every window.

A "kitchen sink" tree exercises every criterion kind and combinator on a few codes (many facts per
code); the full recipient and donor trees check the protocol's wiring under the default and the
alternative settings.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sclerocell.criteria.age import AgeAt
from sclerocell.criteria.base import Criterion
from sclerocell.criteria.clearance import ClearanceBelow
from sclerocell.criteria.compiler import run_duckdb
from sclerocell.criteria.evaluate import evaluate
from sclerocell.criteria.exposure import TimeSinceLastExposure
from sclerocell.criteria.findings import Finding, Statement, TextIn
from sclerocell.criteria.logic import AllOf, AnyOf, AtLeast, Not, Ref, Verdict
from sclerocell.criteria.readings import Qualifier, RepeatedReadings
from sclerocell.criteria.scores import Applicability, Domain, ScoreItem, TotalOrItems, WeightedScore
from sclerocell.criteria.values import ChangeFromBaseline, LatestValue, UlnRatio
from sclerocell.criteria.windows import Window
from sclerocell.facts import codes
from sclerocell.facts.codes import MRSS_SITE_CODES
from sclerocell.facts.schema import Fact, to_arrow
from sclerocell.protocol.donor import donor_criteria
from sclerocell.protocol.recipient import recipient_criteria
from sclerocell.protocol.settings import ProtocolSettings

from .build import T

D = dt.date(2024, 5, 15)
SITES = MRSS_SITE_CODES[:4]
W3 = Window(3)

KITCHEN_SINK = Verdict(
    id="verdict",
    text=T,
    inclusion=AllOf(
        id="incl",
        text=T,
        members=(
            AgeAt(
                id="age", text=T, lower=18, upper=70, lower_inclusive=False, upper_inclusive=False
            ),
            AgeAt(
                id="age_incl",
                text=T,
                lower=18,
                upper=65,
                lower_inclusive=True,
                upper_inclusive=True,
            ),
            AnyOf(
                id="pft",
                text=T,
                members=(
                    LatestValue(
                        id="dlco", text=T, code="dlco_pct_pred", window=W3, op="lt", threshold=60
                    ),
                    LatestValue(
                        id="fvc", text=T, code="fvc_pct_pred", window=W3, op="le", threshold=70
                    ),
                    ChangeFromBaseline(
                        id="fvc_rel",
                        text=T,
                        code="fvc_pct_pred",
                        current_window=W3,
                        baseline_window=Window(18, 6),
                        target_months=12,
                        mode="relative",
                        threshold=0.1,
                    ),
                    ChangeFromBaseline(
                        id="dlco_abs",
                        text=T,
                        code="dlco_pct_pred",
                        current_window=W3,
                        baseline_window=Window(18, 6),
                        target_months=12,
                        mode="absolute",
                        threshold=15,
                    ),
                ),
            ),
            Finding(id="ild", text=T, codes=("ild_on_imaging",)),
            TimeSinceLastExposure(id="cyc", text=T, code="cyclophosphamide_iv_high_dose", months=6),
            TotalOrItems(
                id="mrss",
                text=T,
                total_code="mrss_total",
                item_codes=SITES,
                item_max=3,
                threshold=6,
                window=W3,
            ),
            WeightedScore(
                id="score",
                text=T,
                domains=(
                    Domain("a", T, (ScoreItem("raynaud_phenomenon", 3),)),
                    Domain("b", T, (ScoreItem("puffy_fingers", 2), ScoreItem("sclerodactyly", 4))),
                ),
                threshold=5,
                applicability=(
                    Applicability("skin_thickening_sparing_fingers", ("sclerodactyly",)),
                ),
            ),
            AtLeast(
                id="two_of",
                text=T,
                k=2,
                members=(
                    Ref(id="ref_ild", text=T, target="ild"),
                    Statement(id="transplant", text=T, code="lung_transplant_ruled_out"),
                    TextIn(id="female", text=T, code="sex", allowed=("F",)),
                ),
            ),
        ),
    ),
    non_inclusion=AnyOf(
        id="excl",
        text=T,
        members=(
            UlnRatio(
                id="alt",
                text=T,
                code="alt",
                window=W3,
                factor=3,
                op="ge",
                min_count=2,
                latest_must_qualify=True,
            ),
            UlnRatio(
                id="creat",
                text=T,
                code="creatinine",
                window=Window(6),
                factor=1,
                op="gt",
                min_count=1,
                latest_must_qualify=False,
            ),
            RepeatedReadings(
                id="bp",
                text=T,
                qualifiers=(Qualifier("sbp", "ge", 160), Qualifier("dbp", "gt", 110)),
                window=W3,
                min_gap_hours=12,
            ),
            ClearanceBelow(
                id="crcl", text=T, threshold=60, indexing="indexed_1_73_m2", lab_window=W3
            ),
            Not(
                id="no_neo",
                text=T,
                member=Finding(id="neo", text=T, codes=("neoplasia_history",), missing="absent"),
            ),
            Finding(id="infection", text=T, codes=("uncontrolled_infection",), mode="latest"),
            Finding(id="pregnancy", text=T, codes=("pregnancy",), mode="latest", window=Window(1)),
        ),
    ),
)

BOUNDARIES = [
    0.0,
    1.0,
    2.0,
    3.0,
    6.0,
    15.0,
    20.0,
    25.0,
    30.0,
    35.0,
    40.0,
    50.0,
    59.9,
    60.0,
    70.0,
    72.0,
    80.0,
    88.42,
    90.0,
    110.0,
    111.0,
    119.9,
    120.0,
    160.0,
    165.0,
    200.0,
    270.0,
]
DAY_OFFSETS = [-3, 0, 1, 2, 5, 30, 31, 60, 90, 91, 92, 181, 182, 183, 365, 366, 547, 548, 549, 1500]
TIMES = [None, None, dt.time(0, 0), dt.time(8, 0), dt.time(8, 0), dt.time(19, 59), dt.time(20, 0)]


def leaf_code_groups(tree: Criterion) -> list[list[str]]:
    """The codes each leaf reads: facts are drawn a leaf or two at a time."""
    from sclerocell.criteria.base import Leaf
    from sclerocell.criteria.evaluate import walk

    groups = {tuple(_codes_of(n)) for n in walk(tree) if isinstance(n, Leaf)}
    return [list(g) for g in sorted(groups)]


def _codes_of(tree: Criterion) -> list[str]:
    from sclerocell.criteria.evaluate import walk

    found: set[str] = set()
    for node in walk(tree):
        for attr in ("code", "total_code"):
            if isinstance(getattr(node, attr, None), str):
                found.add(getattr(node, attr))
        for attr in ("codes", "item_codes"):
            found.update(getattr(node, attr, ()) or ())
        for q in getattr(node, "qualifiers", ()):
            found.add(q.code)
        for d in getattr(node, "domains", ()):
            found.update(i.code for i in d.items)
        for a in getattr(node, "applicability", ()):
            found.add(a.code)
        if isinstance(node, (AgeAt, ClearanceBelow)):
            found.add("birth_month")
        if isinstance(node, ClearanceBelow):
            found.update({"sex", "weight", "creatinine", "height"})
    return sorted(found)


def interesting_values(tree: Criterion) -> dict[str, list[float]]:
    """Per code, the values at and around the thresholds the tree compares it with."""
    from sclerocell.criteria.evaluate import walk

    values: dict[str, set[float]] = {}

    def add(code: str, *numbers: float) -> None:
        values.setdefault(code, set()).update(numbers)

    for node in walk(tree):
        if isinstance(node, LatestValue):
            add(node.code, node.threshold, node.threshold - 0.1, node.threshold + 0.1)
        elif isinstance(node, RepeatedReadings):
            for q in node.qualifiers:
                add(q.code, q.threshold, q.threshold - 1, q.threshold + 1)
        elif isinstance(node, UlnRatio):
            for uln in (1.0, 40.0, 90.0):
                add(node.code, node.factor * uln, node.factor * uln - 0.1, uln)
        elif isinstance(node, ChangeFromBaseline):
            add(node.code, 0.0, 68.0, 70.0, 72.0, 72.1, 80.0, 85.0)
        elif isinstance(node, TotalOrItems):
            add(node.total_code, node.threshold, node.threshold - 1)
            for item in node.item_codes:
                add(item, 0.0, 1.0, 2.0, 3.0)
        elif isinstance(node, ClearanceBelow):
            add("weight", 45.0, 70.0)
            add("height", 150.0, 170.0)
            add("creatinine", 80.0, 300.0, 600.0, 900.0)
    return {code: sorted(v) for code, v in values.items()}


@st.composite
def fact_sets(
    draw: st.DrawFn,
    code_groups: Sequence[Sequence[str]],
    max_facts: int,
    max_subjects: int = 4,
    interesting: dict[str, list[float]] | None = None,
) -> list[Fact]:
    subjects = draw(st.integers(max(1, max_subjects // 2), max_subjects))
    facts: list[Fact] = []
    for s in range(subjects):
        # The codes of one or two leaves per subject, many facts each: ties, windows and
        # thresholds meet often.
        groups = draw(st.lists(st.sampled_from(code_groups), min_size=1, max_size=2))
        focus = sorted({code for group in groups for code in group})
        visits = draw(st.lists(st.sampled_from(DAY_OFFSETS), min_size=1, max_size=3))
        for i in range(draw(st.integers(0, max_facts))):
            code = draw(st.sampled_from(focus))
            kind = codes.get(code).value
            offset = draw(
                st.one_of(
                    st.sampled_from(visits),
                    st.sampled_from(visits),
                    st.integers(0, 92),
                    st.integers(-5, 600),
                )
            )
            date: dt.date | None = D - dt.timedelta(days=offset)
            value_num: float | None = None
            value_text: str | None = None
            if kind == "month":
                year = draw(st.sampled_from([1953, 1954, 1958, 1959, 1980, 2005, 2006, 2007]))
                month = draw(st.sampled_from([1, 2, 4, 5, 6, 12]))
                date = dt.date(year, month, 1) if draw(st.integers(0, 9)) else None
            elif kind == "num":
                near = (interesting or {}).get(code) or BOUNDARIES
                value_num = draw(
                    st.one_of(
                        st.sampled_from(near),
                        st.sampled_from(near),
                        st.none(),
                        st.integers(0, 200).map(float),
                    )
                )
            elif kind == "bool":
                value_num = draw(st.sampled_from([0.0, 1.0, 1.0, None]))
                if draw(st.integers(0, 5)) == 0:
                    date = None
            else:
                value_text = draw(st.sampled_from(["F", "M", "X", "sibling", "spouse"]))
                date = None
            time = draw(st.sampled_from(TIMES)) if date is not None and kind == "num" else None
            facts.append(
                Fact(
                    subject_id=f"S{s}",
                    code=code,
                    date=date,
                    time=time,
                    value_num=value_num,
                    value_text=value_text,
                    unit=codes.get(code).unit,
                    ref_high=draw(st.sampled_from([None, 0.0, 1.0, 40.0, 90.0])),
                    source="hypothesis",
                    source_row_id=draw(st.sampled_from(["a", "b", "é", "Z"])) + f"{i:03d}",
                )
            )
    return facts


CONNECTION = duckdb.connect(config={"threads": 1})  # tiny tables: threads only add overhead


def test_it_combines_every_status_combination_alike_on_both_paths() -> None:
    """Every combinator over leaves forced to each of their possible statuses (exhaustively)."""
    leaves = (
        Statement(id="s1", text=T, code="lung_transplant_ruled_out"),
        Statement(id="s2", text=T, code="poor_compliance_risk"),
        Finding(id="f1", text=T, codes=("ild_on_imaging",)),
        Finding(id="f2", text=T, codes=("raynaud_phenomenon",)),
    )
    tree = Verdict(
        id="v",
        text=T,
        inclusion=AllOf(
            id="all",
            text=T,
            members=(
                *leaves,
                AtLeast(
                    id="k1",
                    text=T,
                    k=1,
                    members=tuple(Ref(id=f"k1{x.id}", text=T, target=x.id) for x in leaves),
                ),
                AtLeast(
                    id="k2",
                    text=T,
                    k=2,
                    members=tuple(Ref(id=f"k2{x.id}", text=T, target=x.id) for x in leaves),
                ),
                AtLeast(
                    id="k3",
                    text=T,
                    k=3,
                    members=tuple(Ref(id=f"k3{x.id}", text=T, target=x.id) for x in leaves),
                ),
            ),
        ),
        non_inclusion=AnyOf(
            id="any",
            text=T,
            members=(
                Not(id="n1", text=T, member=Ref(id="r1", text=T, target="s1")),
                Ref(id="r2", text=T, target="s2"),
                Ref(id="r3", text=T, target="f1"),
                Not(id="n4", text=T, member=Ref(id="r4", text=T, target="f2")),
            ),
        ),
    )
    facts = []
    for n, values in enumerate(itertools.product([None, 0.0, 1.0], repeat=len(leaves))):
        for leaf, value in zip(leaves, values, strict=True):
            if value is not None:
                code = leaf.code if isinstance(leaf, Statement) else leaf.codes[0]  # type: ignore[attr-defined]
                facts.append(Fact(f"S{n:02d}", code, D, value_num=value, source_row_id=leaf.id))
    assert_same(tree, facts, D)


def assert_same(tree: Criterion, facts: list[Fact], index_date: dt.date) -> None:
    compiled = run_duckdb(tree, index_date, to_arrow(facts), CONNECTION).to_pylist()
    by_subject = {row.pop("subject_id"): row for row in compiled}
    assert set(by_subject) == {f.subject_id for f in facts}
    for subject, row in by_subject.items():
        one = evaluate(tree, [f for f in facts if f.subject_id == subject], index_date)
        expected = {node: status.value for node, status in one.statuses().items()}
        assert row == expected, subject


COMMON = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
    database=None,
)


@pytest.mark.parametrize("index_date", [D, dt.date(2024, 2, 29)])
@settings(COMMON, max_examples=15)
@given(data=st.data())
def test_it_gives_the_same_answer_on_both_paths_for_every_kind(
    index_date: dt.date, data: st.DataObject
) -> None:
    facts = data.draw(
        fact_sets(leaf_code_groups(KITCHEN_SINK), 30, 16, interesting_values(KITCHEN_SINK))
    )
    assert_same(KITCHEN_SINK, facts, index_date)


ALTERNATIVE = ProtocolSettings(
    r_i1_bounds="inclusive",
    r_v1a_fvc_comparison="lt",
    r_v1b_change="absolute",
    r_v3_sbp_comparison="gt",
    r_v3_recent_renal_insufficiency="latest_creatinine_above_uln",
    r_e2a_blood_gas_thresholds="mmhg",
    r_e2a_mpap_without_catheterisation="not_met",
    r_e2b_clearance="per_m2",
    r_e2d_reading="latest_only",
    r_e2d_comparison="gt",
    d_i1_bounds="strict",
    unrecorded_findings="absent",
)


@pytest.mark.parametrize(
    "protocol", [ProtocolSettings(), ALTERNATIVE], ids=["default", "alternative"]
)
@settings(COMMON, max_examples=4)
@given(data=st.data())
def test_it_gives_the_same_recipient_answer_on_both_paths(
    protocol: ProtocolSettings, data: st.DataObject
) -> None:
    tree = recipient_criteria(protocol)
    assert_same(
        tree, data.draw(fact_sets(leaf_code_groups(tree), 40, 16, interesting_values(tree))), D
    )


@settings(COMMON, max_examples=3)
@given(data=st.data())
def test_it_gives_the_same_donor_answer_on_both_paths(data: st.DataObject) -> None:
    tree = donor_criteria(ProtocolSettings())
    assert_same(
        tree, data.draw(fact_sets(leaf_code_groups(tree), 30, 16, interesting_values(tree))), D
    )
