"""The donor criteria on a warehouse: everyone screened by default, a funnel of the D-*
criteria whose counts are those of the statuses file."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq

from sclerocell.criteria.status import Status
from sclerocell.prescreen.run import prescreen
from sclerocell.prescreen.synth import INDEX_DATE, generate

PERSONS = 40


def test_the_donor_screen_counts_every_person_against_the_donor_criteria(tmp_path: Path) -> None:
    summary = generate(tmp_path / "omop", PERSONS, 5, ssc_share=0.3, broken_share=0.02)
    out = tmp_path / "out"
    result = prescreen(summary.out, INDEX_DATE, out, role="donor", exact_top=5)

    assert result.role == "donor"
    assert result.population_rule == "all"
    assert result.population == PERSONS

    funnel = pq.read_table(out / "funnel.parquet").to_pylist()
    ids = [r["criterion"] for r in funnel]
    assert ids[0] == "donor"
    main = [i for i in ids if i.count("-") == 1 and "." not in i and i != "donor"]
    assert main and all(i.startswith("D-") for i in main)
    assert not [i for i in ids if i.startswith("R-")]

    statuses = pq.read_table(out / "statuses.parquet")  # status names
    assert statuses.num_rows == PERSONS
    for row in funnel:
        counted = Counter(statuses.column(row["criterion"]).to_pylist())
        assert {s.value: row[s.value] for s in Status} == {
            s.value: counted.get(s.value, 0) for s in Status
        }, row["criterion"]
        assert row["persons"] == PERSONS

    verdicts = Counter(statuses.column("donor").to_pylist())
    eligible = pq.read_table(out / "eligible.parquet")
    to_confirm = pq.read_table(out / "to_confirm.parquet")
    assert eligible.num_rows == verdicts.get(Status.MET.value, 0)
    assert to_confirm.num_rows == verdicts.get(Status.UNKNOWN.value, 0) + verdicts.get(
        Status.NOT_ASSESSABLE.value, 0
    )
    assert result.verdicts == {s.value: verdicts.get(s.value, 0) for s in Status}
