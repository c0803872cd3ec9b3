"""Benchmark: one recipient on the one-person path, and 100,000 synthetic recipients on the
vectorised path (the compiled criteria tree on DuckDB), measured in one run.

    .venv/bin/python bench/screen_one.py [--persons 100000] [--sample 1000]

Prints the median latency of a full recipient evaluation (the example file), the throughput of the
vectorised path on synthetic persons generated here, the throughput of evaluating a sample of the
same persons one by one (extrapolated to all), and the ratio. It also checks that both paths agree
on the sample.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sclerocell.criteria.compiler import to_sql
from sclerocell.facts.schema import Fact, arrow_schema, from_arrow
from sclerocell.facts.screening_input import load
from sclerocell.protocol.screen import criteria, screen
from sclerocell.protocol.settings import DEFAULT

ROOT = Path(__file__).resolve().parents[1]
INDEX = dt.date(2024, 5, 15)
Values = Callable[[np.random.Generator, int], np.ndarray]

# (code, values, days before the index date (low, high), share recorded, ULN, with time)
SPEC: list[tuple[str, Values, tuple[int, int], float, float | None, bool]] = [
    ("fvc_pct_pred", lambda r, n: r.normal(70, 12, n).round(1), (0, 80), 0.95, None, True),
    ("fvc_pct_pred", lambda r, n: r.normal(78, 12, n).round(1), (250, 480), 0.8, None, True),
    ("tlc_pct_pred", lambda r, n: r.normal(72, 12, n).round(1), (0, 80), 0.9, None, True),
    ("tlc_pct_pred", lambda r, n: r.normal(78, 12, n).round(1), (250, 480), 0.7, None, True),
    ("dlco_pct_pred", lambda r, n: r.normal(52, 14, n).round(1), (0, 80), 0.95, None, True),
    ("dlco_pct_pred", lambda r, n: r.normal(60, 14, n).round(1), (250, 480), 0.8, None, True),
    ("pao2", lambda r, n: r.normal(75, 10, n).round(1), (0, 80), 0.8, None, False),
    ("paco2", lambda r, n: r.normal(40, 5, n).round(1), (0, 80), 0.8, None, False),
    ("echo_spap", lambda r, n: r.normal(33, 8, n).round(0), (0, 300), 0.9, None, False),
    ("rhc_mpap", lambda r, n: r.normal(20, 5, n).round(0), (0, 300), 0.5, None, False),
    ("lvef", lambda r, n: r.normal(58, 8, n).round(0), (0, 300), 0.9, None, False),
    ("creatinine", lambda r, n: r.lognormal(4.3, 0.35, n).round(0), (0, 80), 0.97, 90.0, False),
    ("creatinine", lambda r, n: r.lognormal(4.3, 0.35, n).round(0), (90, 170), 0.6, 90.0, False),
    ("alt", lambda r, n: r.lognormal(3.3, 0.6, n).round(0), (0, 80), 0.95, 35.0, False),
    ("ast", lambda r, n: r.lognormal(3.3, 0.6, n).round(0), (0, 80), 0.95, 35.0, False),
    ("bilirubin", lambda r, n: r.lognormal(2.2, 0.4, n).round(0), (0, 80), 0.95, 17.0, False),
    ("neutrophils", lambda r, n: r.lognormal(1.3, 0.5, n).round(2), (0, 80), 0.97, None, False),
    ("platelets", lambda r, n: r.normal(250, 70, n).round(0), (0, 80), 0.97, None, False),
    ("haemoglobin", lambda r, n: r.normal(12.5, 1.6, n).round(1), (0, 80), 0.97, None, False),
    ("cd4", lambda r, n: r.normal(650, 250, n).round(0), (0, 80), 0.9, None, False),
    ("weight", lambda r, n: r.normal(65, 12, n).round(1), (0, 80), 0.97, None, False),
    ("height", lambda r, n: r.normal(166, 9, n).round(0), (0, 600), 0.97, None, False),
    ("sbp", lambda r, n: r.normal(130, 20, n).round(0), (0, 80), 0.95, None, True),
    ("dbp", lambda r, n: r.normal(80, 12, n).round(0), (0, 80), 0.95, None, True),
    ("sbp", lambda r, n: r.normal(130, 20, n).round(0), (0, 80), 0.7, None, True),
    ("dbp", lambda r, n: r.normal(80, 12, n).round(0), (0, 80), 0.7, None, True),
    ("mrss_total", lambda r, n: r.integers(5, 35, n).astype(float), (0, 80), 0.9, None, False),
]


def _present(p: float) -> Values:
    return lambda r, n: (r.random(n) < p).astype(float)


FINDINGS: list[tuple[str, float, float]] = [  # code, P(present), share recorded
    ("skin_thickening_proximal_to_mcp", 0.8, 0.9),
    ("raynaud_phenomenon", 0.95, 0.9),
    ("anti_topoisomerase_i", 0.5, 0.8),
    ("scleroderma_like_disorder_explains", 0.02, 0.8),
    ("proximal_scleroderma", 0.8, 0.7),
    ("ild_on_imaging", 0.7, 0.9),
    ("pah_rhc_confirmed", 0.05, 0.8),
    ("neoplasia_history", 0.05, 0.9),
    ("active_neoplasia", 0.01, 0.9),
    ("myelodysplasia", 0.005, 0.9),
    ("uncontrolled_hypertension", 0.03, 0.9),
    ("uncontrolled_infection", 0.03, 0.9),
    ("hiv_serology", 0.005, 0.95),
    ("htlv_serology", 0.002, 0.95),
    ("active_chronic_hepatitis_b", 0.01, 0.9),
    ("active_chronic_hepatitis_c", 0.01, 0.9),
    ("cyclophosphamide_cystitis_sequelae", 0.02, 0.9),
    ("refractory_congestive_heart_failure", 0.02, 0.9),
    ("uncontrolled_ventricular_arrhythmia", 0.02, 0.9),
    ("pericardial_effusion_haemodynamic", 0.02, 0.9),
    *(
        (c, 0.01, 0.9)
        for c in (
            "exposure_bleomycin",
            "exposure_toxic_oil",
            "exposure_vinyl_chloride",
            "exposure_trichloroethylene",
            "exposure_silica",
            "eosinophilia_myalgia_syndrome",
            "eosinophilic_fasciitis",
        )
    ),
    ("pregnancy", 0.01, 0.9),
]
UNDATED: list[tuple[str, float, float]] = [
    ("childbearing_potential", 0.5, 0.95),
    ("effective_contraception", 0.9, 0.9),
    ("social_security", 0.99, 0.99),
    ("consenting_donor", 0.9, 0.95),
    ("cyclophosphamide_iv_high_dose", 0.9, 0.95),
    ("refractory_to_recommended_immunosuppression", 0.8, 0.8),
    ("non_ssc_causes_excluded_respiratory", 0.9, 0.8),
    ("uncontrolled_psychiatric_disorder", 0.02, 0.8),
    ("poor_compliance_risk", 0.05, 0.8),
    ("informed_consent", 0.98, 0.9),
]


def synthetic(n: int, seed: int = 20240515) -> pa.Table:
    """``n`` synthetic recipients as a fact table (a few dozen facts each)."""
    rng = np.random.default_rng(seed)
    subjects = pa.array([f"P{i:06d}" for i in range(n)])
    index_days = (INDEX - dt.date(1970, 1, 1)).days
    blocks: list[pa.Table] = []

    def block(
        code: str,
        row: str,
        values: np.ndarray | None,
        days: np.ndarray | None,
        share: float,
        *,
        text: pa.Array | None = None,
        uln: float | None = None,
        times: bool = False,
    ) -> None:
        keep = np.flatnonzero(rng.random(n) < share)
        k = len(keep)
        date = (
            pa.nulls(k, pa.date32())
            if days is None
            else pa.array((index_days - days[keep]).astype(np.int32), pa.int32()).cast(pa.date32())
        )
        time_ = pa.nulls(k, pa.time64("us"))
        if times:
            micros = (rng.integers(7 * 60, 21 * 60, k) * 60_000_000).astype(np.int64)
            time_ = pa.array(micros, pa.time64("us"))
        blocks.append(
            pa.table(
                {
                    "subject_id": subjects.take(pa.array(keep)),
                    "code": pa.array([code] * k, pa.string()),
                    "date": date,
                    "time": time_,
                    "value_num": pa.nulls(k, pa.float64())
                    if values is None
                    else pa.array(values[keep]),
                    "value_text": pa.nulls(k, pa.string())
                    if text is None
                    else text.take(pa.array(keep)),
                    "unit": pa.nulls(k, pa.string()),
                    "ref_low": pa.nulls(k, pa.float64()),
                    "ref_high": pa.array(np.full(k, uln)) if uln else pa.nulls(k, pa.float64()),
                    "source": pa.array(["bench"] * k, pa.string()),
                    "source_row_id": pa.array([row] * k, pa.string()),
                },
                schema=arrow_schema(),
            )
        )

    for j, (code, values, (lo, hi), share, uln, times) in enumerate(SPEC):
        block(
            code,
            f"{code}-{j}",
            values(rng, n),
            rng.integers(lo, hi, n),
            share,
            uln=uln,
            times=times,
        )
    for code, p, share in FINDINGS:
        block(code, code, _present(p)(rng, n), rng.integers(0, 25, n), share)
    for code, p, share in UNDATED:
        block(code, code, _present(p)(rng, n), None, share)
    born = rng.integers(18 * 12, 72 * 12, n)
    births = np.array(
        [
            (dt.date(INDEX.year - m // 12 - 1, m % 12 + 1, 1) - dt.date(1970, 1, 1)).days
            for m in born
        ]
    )
    block("birth_month", "birth_month", None, index_days - births, 0.99)
    sexes = pa.array(np.where(rng.random(n) < 0.8, "F", "M"))
    block("sex", "sex", None, None, 0.99, text=sexes)
    return pa.concat_tables(blocks)


def median_ms(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=1000)
    args = parser.parse_args()

    # 1. One person, one-person path (the screening page, the CLI).
    example = load(ROOT / "examples" / "recipient.json")
    index = example.index_date or INDEX
    tree = criteria("recipient", DEFAULT)
    screen("recipient", example.facts, index)  # warm up
    one = median_ms(lambda: screen("recipient", example.facts, index), 500)
    nodes = len(screen("recipient", example.facts, index).result.statuses())
    print(
        f"one recipient, one-person path: median {one:.2f} ms over 500 runs "
        f"({nodes} criteria, {len(example.facts)} facts)"
    )

    # 2. Many persons, vectorised path (compiled tree on DuckDB).
    start = time.perf_counter()
    facts = synthetic(args.persons)
    made = time.perf_counter() - start
    print(
        f"synthetic facts: {args.persons:,} persons, {facts.num_rows:,} facts "
        f"({made:.1f} s to generate)"
    )
    start = time.perf_counter()
    sql = to_sql(tree, INDEX)
    compiled = time.perf_counter() - start
    con = duckdb.connect()
    con.register("facts_input", facts)
    start = time.perf_counter()
    con.sql("CREATE TABLE facts AS SELECT * FROM facts_input ORDER BY code, subject_id")
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    screened = con.sql(sql).to_arrow_table()
    ran = time.perf_counter() - start
    rate = args.persons / ran
    print(
        f"vectorised path: compile {compiled:.2f} s (once per tree and index date), "
        f"load into DuckDB {loaded:.2f} s, run {ran:.2f} s → {rate:,.0f} persons/s"
    )
    verdicts = pc.value_counts(screened.column("recipient")).to_pylist()
    print("  verdicts: " + ", ".join(f"{v['values']} {v['counts']:,}" for v in verdicts))

    # 3. The same persons one by one (a sample, extrapolated).
    sample_ids = screened.column("subject_id").slice(0, args.sample)
    rows = facts.filter(pc.is_in(facts.column("subject_id"), sample_ids))
    people: dict[str, list[Fact]] = {}
    for f in from_arrow(rows):
        people.setdefault(f.subject_id, []).append(f)
    start = time.perf_counter()
    results = {s: screen("recipient", fs, INDEX).result.statuses() for s, fs in people.items()}
    each = (time.perf_counter() - start) / len(people)
    print(
        f"one by one: {each * 1000:.2f} ms per person (sample of {len(people):,}) → "
        f"{1 / each:,.0f} persons/s; {args.persons:,} persons would take "
        f"{each * args.persons:.0f} s"
    )
    print(
        f"ratio vectorised / one by one: {rate * each:.1f}× (run only), "
        f"{args.persons / (ran + compiled + loaded) * each:.1f}× (compile and load included)"
    )

    # Both paths agree on the sample.
    compiled_rows = {
        r.pop("subject_id"): r
        for r in screened.filter(pc.is_in(screened.column("subject_id"), sample_ids)).to_pylist()
    }
    disagree = sum(
        1
        for s, statuses in results.items()
        if compiled_rows[s] != {k: v.value for k, v in statuses.items()}
    )
    print(
        f"agreement on the sample: {len(results) - disagree}/{len(results)} persons identical "
        f"on all {nodes} criteria"
    )


if __name__ == "__main__":
    main()
