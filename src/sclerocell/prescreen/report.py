"""The pre-screen's outputs, written next to each other in one folder:

- ``funnel.parquet`` / ``.csv``: one row per criterion and group — met, not met, unknown, to be
  assessed by a person (``not_assessable``), over the screened population;
- ``eligible.parquet`` / ``.csv``: persons whose verdict is met;
- ``to_confirm.parquet`` / ``.csv``: persons who would be eligible if missing data (or the
  investigator's answers) confirm it — ranked, with what would decide each (``to_obtain_en``,
  ``to_obtain_fr``; ``exact`` when screened one by one, else the criterion's generic text);
- ``rejects.parquet`` / ``.csv``: OMOP rows refused at the door, with the column, the value as
  found and the reason;
- ``statuses.parquet``: every screened person × every criterion (status names);
- ``facts.parquet``: the population's fact table (for :func:`sclerocell.prescreen.run.explain`);
- ``summary.fr.html``, ``summary.en.html``: a one-page summary in each language;
- ``run.json``: parameters, protocol version and settings, counts, timings, notes, units.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sclerocell.criteria.text import Lang
from sclerocell.prescreen.lists import status_names

if TYPE_CHECKING:
    import pyarrow as pa

    from sclerocell.prescreen.run import PrescreenResult

WORDS: dict[str, tuple[str, str]] = {
    "title": ("Pré-sélection dans l'entrepôt de données", "Warehouse pre-screen"),
    "warehouse": ("Entrepôt", "Warehouse"),
    "index_date": ("Date index", "Index date"),
    "protocol": ("Protocole", "Protocol"),
    "engine": ("Moteur", "Engine"),
    "population": ("Population criblée", "Screened population"),
    "population_ssc": (
        "personnes avec un diagnostic de sclérodermie systémique",
        "persons with a diagnosis of systemic sclerosis",
    ),
    "population_all": ("toutes les personnes", "every person"),
    "persons": ("Personnes dans l'entrepôt", "Persons in the warehouse"),
    "screened": ("Personnes criblées", "Persons screened"),
    "eligible": ("Éligibles", "Eligible"),
    "to_confirm": (
        "Éligibles si les données manquantes le confirment",
        "Would be eligible if missing data confirm it",
    ),
    "not_eligible": ("Non éligibles", "Not eligible"),
    "funnel": ("Entonnoir par critère", "Funnel by criterion"),
    "criterion": ("Critère", "Criterion"),
    "met": ("rempli", "met"),
    "not_met": ("non rempli", "not met"),
    "unknown": ("inconnu", "unknown"),
    "not_assessable": ("à évaluer", "to assess"),
    "work_list": ("Liste de travail (20 premiers)", "Work list (first 20)"),
    "rank": ("Rang", "Rank"),
    "person": ("Personne", "Person"),
    "to_obtain": ("Données à obtenir", "Data to obtain"),
    "last_data": ("Dernière donnée", "Latest data"),
    "rejects": ("Lignes refusées à l'entrée", "Rows refused at the door"),
    "reason": ("Motif", "Reason"),
    "rows": ("Lignes", "Rows"),
    "notes": ("Remarques", "Notes"),
    "files": ("Fichiers", "Files"),
    "map": ("Table de correspondance des concepts", "Concept map"),
}


STYLE = (
    "body{font-family:sans-serif;max-width:70em;margin:1em auto}table{border-collapse:collapse}"
    "td,th{border:1px solid #ccc;padding:.2em .5em;vertical-align:top}"
    "ul{margin:0;padding-left:1.2em}"
)


def _w(key: str, lang: Lang) -> str:
    fr, en = WORDS[key]
    return fr if lang == "fr" else en


def write_table(table: pa.Table, folder: Path, name: str, *, csv: bool = True) -> None:
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    pq.write_table(table, folder / f"{name}.parquet")
    if csv:
        pacsv.write_csv(table, folder / f"{name}.csv")


def _reject_reasons(rejects: pa.Table) -> list[tuple[str, int]]:
    import pyarrow.compute as pc

    if rejects.num_rows == 0:
        return []
    counts = pc.value_counts(rejects.column("problem")).to_pylist()
    return sorted(((c["values"], int(c["counts"])) for c in counts), key=lambda x: -x[1])


def summary_html(result: PrescreenResult, lang: Lang) -> str:
    e = html.escape
    v = result.verdicts
    rows = []
    for r in result.funnel.to_pylist():
        if r["depth"] > 2:
            continue
        text = r["text_fr"] if lang == "fr" else r["text_en"]
        pad = "&nbsp;" * 4 * int(r["depth"])
        rows.append(
            f"<tr><td>{pad}<b>{e(r['criterion'])}</b> {e(text)}</td>"
            + "".join(f"<td>{r[k]}</td>" for k in ("met", "not_met", "unknown", "not_assessable"))
            + "</tr>"
        )
    work = []
    for r in result.to_confirm.slice(0, 20).to_pylist():
        obtain = r["to_obtain_fr"] if lang == "fr" else r["to_obtain_en"]
        items = "".join(f"<li>{e(p)}</li>" for p in obtain.split(" | ") if p)
        work.append(
            f"<tr><td>{r['rank']}</td><td>{e(r['person_id'])}</td>"
            f"<td>{r['n_unknown']} + {r['n_to_assess']}</td>"
            f"<td>{e(str(r['last_data_date'] or '—'))}</td><td><ul>{items}</ul></td></tr>"
        )
    reasons = "".join(
        f"<tr><td>{e(reason)}</td><td>{n}</td></tr>"
        for reason, n in _reject_reasons(result.rejects)
    )
    notes = "".join(f"<li>{e(n)}</li>" for n in result.notes)
    status_heads = "".join(
        f"<th>{_w(k, lang)}</th>" for k in ("met", "not_met", "unknown", "not_assessable")
    )
    population = _w("population_ssc" if result.population_rule == "ssc" else "population_all", lang)
    files = ", ".join(f"{n}.parquet/.csv" for n in ("funnel", "eligible", "to_confirm", "rejects"))
    return f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{_w("title", lang)}</title>
<style>{STYLE}</style>
</head><body>
<h1>{_w("title", lang)}</h1>
<p>{_w("warehouse", lang)}: {e(result.warehouse)}
 · {_w("index_date", lang)}: {result.index_date.isoformat()}
 · {_w("engine", lang)}: {result.engine}
 · {_w("protocol", lang)}: {e(result.settings.version)}</p>
<table>
<tr><td>{_w("persons", lang)}</td><td>{result.persons}</td></tr>
<tr><td>{_w("screened", lang)} ({population})</td><td>{result.population}</td></tr>
<tr><td>{_w("eligible", lang)}</td><td>{v["met"]}</td></tr>
<tr><td>{_w("to_confirm", lang)}</td><td>{v["unknown"] + v["not_assessable"]}</td></tr>
<tr><td>{_w("not_eligible", lang)}</td><td>{v["not_met"]}</td></tr>
<tr><td>{_w("rejects", lang)}</td><td>{result.rejects.num_rows}</td></tr>
</table>
<h2>{_w("funnel", lang)}</h2>
<table><tr><th>{_w("criterion", lang)}</th>{status_heads}</tr>
{"".join(rows)}</table>
<h2>{_w("work_list", lang)}</h2>
<table><tr><th>{_w("rank", lang)}</th><th>{_w("person", lang)}</th><th>n</th>
<th>{_w("last_data", lang)}</th><th>{_w("to_obtain", lang)}</th></tr>
{"".join(work)}</table>
<h2>{_w("rejects", lang)}</h2>
<table><tr><th>{_w("reason", lang)}</th><th>{_w("rows", lang)}</th></tr>{reasons}</table>
<h2>{_w("notes", lang)}</h2><ul>{notes}</ul>
<p>{_w("files", lang)}: {files}, statuses.parquet, facts.parquet, run.json.
 {_w("map", lang)}: {e(json.dumps(result.map_summary))}</p>
</body></html>
"""


def run_json(result: PrescreenResult) -> dict[str, Any]:
    return {
        "role": result.role,
        "index_date": result.index_date.isoformat(),
        "engine": result.engine,
        "warehouse": result.warehouse,
        "population_rule": result.population_rule,
        "protocol_version": result.settings.version,
        "settings": result.settings.to_dict(),
        "persons": result.persons,
        "population": result.population,
        "facts": result.facts,
        "verdicts": result.verdicts,
        "eligible": result.eligible.num_rows,
        "to_confirm": result.to_confirm.num_rows,
        "rejects": result.rejects.num_rows,
        "notes": result.notes,
        "seconds": result.seconds,
        "units": result.units,
        "concept_map": result.map_summary,
        "disagreements": result.disagreements,
    }


def write(result: PrescreenResult, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    write_table(result.funnel, folder, "funnel")
    write_table(result.eligible, folder, "eligible")
    write_table(result.to_confirm, folder, "to_confirm")
    write_table(result.rejects, folder, "rejects")
    write_table(status_names(result.statuses), folder, "statuses", csv=False)
    for lang in ("fr", "en"):
        (folder / f"summary.{lang}.html").write_text(summary_html(result, lang), encoding="utf-8")
    (folder / "run.json").write_text(
        json.dumps(run_json(result), indent=2, ensure_ascii=False, default=str), encoding="utf-8"
    )
    return folder
