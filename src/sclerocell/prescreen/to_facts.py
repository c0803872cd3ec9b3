"""OMOP rows → the long fact table, as ibis expressions (no Python loop over rows).

Every mapped OMOP row becomes one *checked* row: the fact it would produce and, when it cannot be
read, the reason (``problem``) with the column and the value as found. Rows without a problem are
the facts; rows with one are the rejects, written next to the results. Nothing is dropped
silently: NaN and infinities, unparseable numbers, dates and answers, unknown or mismatched units
all land in the rejects with their table and row id.

Facts follow :mod:`sclerocell.facts.schema`: ``subject_id`` is the person_id as text; numbers are
in the fact code's canonical unit; ``source`` is ``omop.<table>`` and ``source_row_id`` is
``<table>:<row id>/<fact code>`` (unique even when one row feeds two fact codes); yes/no facts are
1/0; a drug course is dated on its end (undated when the end is unknown).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sclerocell.facts import codes
from sclerocell.facts.schema import COLUMNS
from sclerocell.prescreen.concept_map import POPULATION, ConceptMap, MapRow
from sclerocell.prescreen.engine import Engine
from sclerocell.prescreen.omop import EVENTS, TABLES, parse_number, typed
from sclerocell.prescreen.units import UnitChoice, choose
from sclerocell.prescreen.warehouse import Source, view_name

if TYPE_CHECKING:
    import pyarrow as pa

# Yes/no words of French and English forms (compared in lower case).
YES = ("1", "yes", "y", "oui", "o", "true", "vrai", "positive", "positif", "present", "présent")
NO = ("0", "no", "n", "non", "false", "faux", "negative", "négatif", "négative", "absent")

MAP_TABLE = "prescreen_map"
UNITS_TABLE = "prescreen_units"
POPULATION_TABLE = "prescreen_population"
CHECKED_TABLE = "prescreen_checked"
FACTS_TABLE = "facts"

CHECKED_SCHEMA = {
    "person_id": "int64",
    "omop_table": "string",
    "row_id": "string",
    "concept_id": "int64",
    "fact_code": "string",
    "code_rank": "int16",
    "date": "date",
    "time_s": "int64",
    "value_num": "float64",
    "value_text": "string",
    "unit": "string",
    "ref_low": "float64",
    "ref_high": "float64",
    "problem": "string",
    "problem_column": "string",
    "problem_value": "string",
}


@dataclass
class ResolvedMap:
    """The concept map as (table, field, concept id) rows, with what could not be resolved."""

    rows: list[dict[str, Any]]
    unresolved: list[MapRow] = field(default_factory=list)
    descendants_added: int = 0
    without_ancestors: list[MapRow] = field(default_factory=list)

    def ids(self, table: str, field_: str | None = None) -> list[int]:
        return sorted(
            {
                r["concept_id"]
                for r in self.rows
                if r["omop_table"] == table and (field_ is None or r["field"] == field_)
            }
        )

    def arrow(self) -> pa.Table:
        import pyarrow as pa

        columns = ("omop_table", "field", "concept_id", "fact_code", "how", "value", "unit")
        types = {"concept_id": pa.int64()}
        table = pa.table(
            {c: pa.array([r[c] for r in self.rows], types.get(c, pa.string())) for c in columns}
        )
        ranks = code_ranks(self)
        rank = pa.array([ranks[r["fact_code"]] for r in self.rows], pa.int16())
        return table.append_column("code_rank", rank)


# The fact codes of the person table's rows.
PERSON_CODES = ("sex", "birth_month")


def code_ranks(resolved: ResolvedMap) -> dict[str, int]:
    """Each fact code's place in the alphabetical order of every code the rows can have: the
    checked rows are kept in that order, as cheap to sort as a small integer, so that a scan
    filtered on one code skips the row groups of the others (their min/max codes)."""
    codes = sorted({r["fact_code"] for r in resolved.rows} | set(PERSON_CODES))
    return {code: n for n, code in enumerate(codes)}


def _row(r: MapRow, concept_id: int) -> dict[str, Any]:
    return {
        "omop_table": r.omop_table,
        "field": r.field,
        "concept_id": concept_id,
        "fact_code": r.fact_code,
        "how": r.how,
        "value": r.value,
        "unit": r.unit,
    }


def resolve(cmap: ConceptMap, source: Source) -> ResolvedMap:
    """Concept ids for every map row: given, or looked up in the warehouse's ``concept`` table by
    (vocabulary, code); plus descendants through ``concept_ancestor`` when asked and present."""
    engine = source.engine
    resolved = ResolvedMap([])
    direct = [r for r in cmap.rows if r.omop_table != "person" and r.concept_id is not None]
    pending = [r for r in cmap.rows if r.needs_resolution]
    for r in cmap.rows:
        if r.omop_table == "person" and r.how == "sex" and r.concept_id is not None:
            resolved.rows.append(_row(r, r.concept_id))
    for r in direct:
        resolved.rows.append(_row(r, r.concept_id or 0))
    if pending:
        if source.has("concept"):
            codes_wanted = sorted({r.concept_code for r in pending})
            name = source.register("concept", [("concept_code", codes_wanted)])
            concept = engine.table(name)
            vocab, _ = typed(concept.vocabulary_id, "string")
            code, _ = typed(concept.concept_code, "string")
            cid, _ = typed(concept.concept_id, "int64")
            found = engine.to_arrow(
                concept.select(vocabulary=vocab, code=code, concept_id=cid).filter(
                    code.isin(codes_wanted)
                )
            ).to_pylist()
            lookup: dict[tuple[str, str], list[int]] = {}
            for f in found:
                lookup.setdefault((f["vocabulary"], f["code"]), []).append(f["concept_id"])
            for r in pending:
                ids = lookup.get((r.vocabulary, r.concept_code), [])
                if not ids:
                    resolved.unresolved.append(r)
                resolved.rows.extend(_row(r, i) for i in ids)
        else:
            resolved.unresolved.extend(pending)
    wanted = [r for r in cmap.rows if r.descendants]
    if wanted:
        if source.has("concept_ancestor"):
            roots = {
                row["concept_id"]
                for row in resolved.rows
                if any(
                    w.fact_code == row["fact_code"]
                    and w.omop_table == row["omop_table"]
                    and w.field == row["field"]
                    for w in wanted
                )
            }
            name = source.register("concept_ancestor", [("ancestor_concept_id", sorted(roots))])
            ca = engine.table(name)
            anc, _ = typed(ca.ancestor_concept_id, "int64")
            desc, _ = typed(ca.descendant_concept_id, "int64")
            pairs = engine.to_arrow(
                ca.select(ancestor=anc, descendant=desc).filter(anc.isin(sorted(roots)))
            ).to_pylist()
            children: dict[int, set[int]] = {}
            for p in pairs:
                children.setdefault(p["ancestor"], set()).add(p["descendant"])
            keys = {
                (r["omop_table"], r["field"], r["concept_id"], r["fact_code"])
                for r in resolved.rows
            }
            extra = []
            for row in resolved.rows:
                spec = next(
                    (
                        w
                        for w in wanted
                        if w.fact_code == row["fact_code"]
                        and w.omop_table == row["omop_table"]
                        and w.field == row["field"]
                        and (w.concept_id in (None, row["concept_id"]))
                    ),
                    None,
                )
                if spec is None:
                    continue
                for child in sorted(children.get(row["concept_id"], set())):
                    key = (row["omop_table"], row["field"], child, row["fact_code"])
                    if key not in keys:
                        keys.add(key)
                        extra.append({**row, "concept_id": child})
            resolved.rows.extend(extra)
            resolved.descendants_added = len(extra)
        else:
            resolved.without_ancestors = wanted
    return resolved


# --- Event tables ------------------------------------------------------------------------------


def _null(type_: str) -> Any:
    import ibis

    return ibis.null(type_)


def _text(expr: Any) -> Any:
    return expr.cast("string")


def _base(engine: Engine, table: str) -> Any:
    """The event view with typed columns and their "unreadable" flags."""
    prefix, date_col = EVENTS[table]
    t = engine.table(view_name(table))
    spec = TABLES[table]
    values: dict[str, Any] = {}
    flags: dict[str, Any] = {}
    for col in spec.columns:
        values[col.name], flags[col.name] = typed(t[col.name], col.type)
    return t, values, flags, prefix, date_col


def _seconds(ts: Any, day: Any) -> Any:
    """Seconds since midnight of a timestamp on ``day``; NULL at exactly midnight (the OMOP
    convention for an unknown time) or when the timestamp is on another day."""
    secs = ts.hour() * 3600 + ts.minute() * 60 + ts.second()
    keep = ts.notnull() & (ts.date() == day) & (secs != 0)
    return keep.ifelse(secs.cast("int64"), _null("int64"))


def event_rows(
    engine: Engine,
    table: str,
    field_: str,
    answers: dict[int, int],
    keep: Any = None,
    bad_units: list[tuple[str, int, str, str]] | None = None,
) -> Any:
    """The checked rows of one event table matched through one concept field; with ``keep`` (a
    table of person_id), only the rows with a problem or of those persons.

    Whether a row has a problem is decided for every mapped row; everything else (the unit
    join, the converted value, texts, the reason, the row id as text) only for the rows kept.
    Text columns are trimmed where they are read (a branch of a CASE evaluates only on its own
    rows), not for every row of the table.
    """
    import ibis

    t, v, bad, prefix, date_col = _base(engine, table)
    concept_col = f"{prefix}_concept_id" if field_ == "concept" else f"{prefix}_source_concept_id"
    datetime_col = TABLES[table].columns[5].name
    m = engine.table(MAP_TABLE)
    m = m.filter((m.omop_table == table) & (m.field == field_) & (m.fact_code != POPULATION))
    base = t.select(
        _pid=v["person_id"],
        _rid=t[f"{table}_id"],
        _cid=v[concept_col],
        _date=v[date_col],
        _date_raw=t[date_col],
        _ts=v[datetime_col],
        **_event_values(table, t, v, bad),
    )
    j = base.join(m, base._cid == m.concept_id)
    has_values = table in ("measurement", "observation")
    # Which rows to keep is decided before the unit join, so the join (and every conversion)
    # runs on the kept rows only: a unit that cannot be used is one of the few distinct
    # combinations the unit table refused.
    row = _Row(j)
    fine = row.fine(table)
    flags = [
        ibis.cases(
            (fine, False),
            else_=ibis.or_(*[c for c, _, _, _ in _checks(row, table, date_col, answers)]),
        )
    ]
    if has_values and bad_units:
        flags.append(
            (j.how == "number")
            & ibis.or_(
                *[
                    (j.fact_code == code) & (row._uc == uc) & (row._ud == ud) & (row._us == us)
                    for code, uc, us, ud in bad_units
                ]
            )
        )
    if keep is not None:
        # The population's rows first: the checks then run on the others only.
        j = j.filter(j._pid.isin(keep.person_id) | ibis.or_(*flags))
    if has_values:
        # Computed once per kept row, read by several expressions below.
        row = _Row(j)
        j = j.mutate(
            _uc=row._uc,
            _us=row._us,
            _ud=row._ud,
            _text=row._text,
            _word=row._word,
            _unit_source=row._unit_source,
        )
        u = engine.table(UNITS_TABLE)
        j = j.left_join(
            u,
            [
                j.fact_code == u.u_fact_code,
                j._uc == u.u_concept,
                j._us == u.u_source,
                j._ud == u.u_default,
            ],
        )
    # The first check that holds, as its position: each condition evaluated once per row.
    row = _Row(j)
    checks = _checks(row, table, date_col, answers)
    if has_values:
        checks.append(
            (
                (j.how == "number") & j.u_factor.isnull(),
                ibis.coalesce(j.u_problem, ibis.literal("no unit")),
                "unit",
                ibis.coalesce(row._unit_source, _text(j._unit_concept)),
            )
        )
    numbered = [(c, ibis.literal(n, "int16")) for n, (c, _, _, _) in enumerate(checks)]
    fine = row.fine(table)
    if has_values:
        numbered = [(fine & checks[-1][0], numbered[-1][1]), (fine, _null("int16")), *numbered]
    first = ibis.cases(*numbered, else_=_null("int16"))
    j = j.mutate(_check=first)
    row = _Row(j)
    how = j.how
    day = j._date
    value, _ = _value(row, table, answers)
    unit = as_measured = _null("string")
    ref_low = ref_high = _null("float64")
    if has_values:
        is_number = how == "number"
        f = j.u_factor

        def convert(x: Any) -> Any:
            scaled = ((x * f * 1e9).round() / 1e9).cast("float64")
            return (f == 1.0).ifelse(x, scaled)

        converted = is_number & (f != 1.0)
        # The value as measured, kept next to the converted one (as the eCRF path does).
        measured = value.cast("string").concat(" ", j.u_spelling)
        as_measured = converted.ifelse(measured, _null("string"))
        value = is_number.ifelse(convert(value), value)
        unit = is_number.ifelse(j.u_canonical, _null("string"))
        if table == "measurement":
            ref_low = is_number.ifelse(convert(j._range_low), _null("float64"))
            ref_high = is_number.ifelse(convert(j._range_high), _null("float64"))
    end = j._end if table == "drug_exposure" else _null("date")
    fact_date = (how == "course").ifelse(end, day)
    timed = how.isin(["number", "answer", "text"])
    time_s = timed.ifelse(_seconds(j._ts, day), _null("int64")) if has_values else _null("int64")
    text_value = _null("string")
    if has_values:
        text_value = ibis.cases((how == "text", row._text), else_=as_measured)
    checks = _checks(row, table, date_col, answers)
    if has_values:
        checks.append(
            (
                None,
                ibis.coalesce(j.u_problem, ibis.literal("no unit")),
                "unit",
                ibis.coalesce(row._unit_source, _text(j._unit_concept)),
            )
        )

    def by_check(values: list[Any]) -> Any:
        return ibis.cases(
            *[(j._check == n, value) for n, value in enumerate(values)],
            else_=_null("string"),
        ).cast("string")

    return j.select(
        person_id=j._pid,
        omop_table=ibis.literal(table),
        row_id=_text(j._rid),
        concept_id=j._cid,
        fact_code=j.fact_code,
        code_rank=j.code_rank,
        date=fact_date,
        time_s=time_s,
        value_num=value.cast("float64"),
        value_text=text_value,
        unit=unit,
        ref_low=ref_low,
        ref_high=ref_high,
        problem=by_check([msg for _, msg, _, _ in checks]),
        problem_column=by_check([ibis.literal(col) for _, _, col, _ in checks]),
        problem_value=by_check([_text(r) for _, _, _, r in checks]),
    )


class _Row:
    """The columns of a (joined) event relation, with its text columns trimmed where read
    (``_text``, ``_unit_source``) and the unit keys (``_uc``, ``_us``, ``_ud``)."""

    def __init__(self, rel: Any) -> None:
        self.rel = rel

    def __getattr__(self, name: str) -> Any:
        rel = self.rel
        if name in rel.columns:
            return rel[name]
        if name == "_text":
            return typed(rel._text_raw, "string")[0]
        if name == "_word":
            return self._text.lower()
        if name == "_unit_source":
            return typed(rel._unit_source_raw, "string")[0]
        if name == "_uc":
            return rel._unit_concept.fill_null(0)
        if name == "_us":
            return self._unit_source.fill_null("")
        if name == "_ud":
            return rel.unit.fill_null("")
        return getattr(rel, name)

    def fine(self, table: str) -> Any:
        """A sufficient condition for "no check holds" but the unit's, cheap to evaluate: a
        number or a 1/0 answer given as a finite ``value_as_number``, with a person and a date
        (the common row; the full checks run on the others)."""
        import ibis

        if table not in ("measurement", "observation"):
            return ibis.literal(False)
        num = self._num
        given = self._pid.notnull() & self._date.notnull() & num.notnull() & ~self._num_bad
        number = (self.how == "number") & ~num.isnan() & (num.abs() <= 1.7976931348623157e308)
        answer = (self.how == "answer") & num.isin([0.0, 1.0])
        return given & (number | answer)


def _checks(
    j: Any, table: str, date_col: str, answers: dict[int, int]
) -> list[tuple[Any, Any, str, Any]]:
    """(condition, reason, column, value as found) of every way a row can be unreadable, in
    the order they are reported (the first that holds); the unit's check comes last, after the
    unit join."""
    checks: list[tuple[Any, Any, str, Any]] = [
        (j._pid.isnull(), "missing or unreadable person_id", "person_id", j._rid),
        (j._date.isnull(), "missing or unreadable date", date_col, j._date_raw),
    ]
    if table == "drug_exposure":
        checks.append((j._end_bad, "unreadable end date", "drug_exposure_end_date", j._end_raw))
    checks += _value(j, table, answers)[1]
    return checks


def _event_values(table: str, t: Any, v: dict[str, Any], bad: dict[str, Any]) -> dict[str, Any]:
    """The value columns of a table, named the same way for every table."""
    out: dict[str, Any] = {}
    if table == "drug_exposure":
        out.update(
            _end=v["drug_exposure_end_date"],
            _end_bad=bad["drug_exposure_end_date"],
            _end_raw=t["drug_exposure_end_date"],
        )
    if table in ("measurement", "observation"):
        out.update(
            _num=v["value_as_number"],
            _num_bad=bad["value_as_number"],
            _num_raw=t["value_as_number"],
            _vconcept=v["value_as_concept_id"],
            _unit_concept=v["unit_concept_id"],
            _unit_source_raw=t["unit_source_value"],
        )
    if table == "measurement":
        out.update(
            _text_raw=t["value_source_value"],
            _range_low=v["range_low"],
            _range_high=v["range_high"],
        )
    if table == "observation":
        out.update(_text_raw=t["value_as_string"])
    return out


def _value(
    j: Any, table: str, answers: dict[int, int]
) -> tuple[Any, list[tuple[Any, Any, str, Any]]]:
    """The fact's number (before unit conversion) and the checks of its value."""
    import ibis

    how = j.how
    one = ibis.literal(1.0)
    if table not in ("measurement", "observation"):
        return one, []
    num = j._num
    text_col = "value_source_value" if table == "measurement" else "value_as_string"
    # A number written as text (value_source_value / value_as_string), decimal comma allowed;
    # read only where value_as_number is missing.
    written = j._text  # blanks already read as missing
    word = j._word  # its lower case
    parsed, unparseable = parse_number(written, word)
    # (NaN first: ibis's Spark isnull() is also true for NaN.)
    number = ibis.cases((num.isnan(), num), (num.isnull(), parsed), else_=num)
    # NaN and ±infinity, given as numbers or as text (``isnan`` is NULL-safe on both engines;
    # ibis's Spark ``isinf`` is constant false, hence the comparison with the largest double).
    nan = number.isnan()
    inf = ~number.isnan() & (number.abs() > 1.7976931348623157e308)

    def only(kind: str, condition: Any) -> Any:
        # A CASE evaluates its branch only on the rows of that kind (most rows are numbers).
        return ibis.cases((how == kind, condition), else_=False)

    problems: list[tuple[Any, Any, str, Any]] = [
        (j._num_bad, "unreadable value_as_number", "value_as_number", j._num_raw),
        (only("number", nan), "NaN is not a value", "value_as_number", j._num_raw),
        (only("number", inf), "infinite value", "value_as_number", j._num_raw),
        (
            only("number", ibis.cases((num.isnull(), unparseable), else_=False)),
            "unparseable value",
            text_col,
            j._text,
        ),
        (only("number", number.isnull()), "no value", "value_as_number", j._num_raw),
    ]
    # Answers: 1/0, an answer concept, or a yes/no word.
    from_concept = ibis.cases(
        *[(j._vconcept == cid, ibis.literal(float(v))) for cid, v in sorted(answers.items())],
        else_=_null("float64"),
    )
    from_word = ibis.cases(
        (word.isin(list(YES)), ibis.literal(1.0)),
        (word.isin(list(NO)), ibis.literal(0.0)),
        else_=_null("float64"),
    )
    answer = ibis.coalesce(num, from_concept, from_word)
    answered = num.notnull() | j._vconcept.notnull() | written.notnull()
    problems += [
        (only("answer", num.isnan()), "NaN is not an answer", "value_as_number", j._num_raw),
        (
            only("answer", answer.isnull() & answered),
            "unparseable answer",
            "value",
            ibis.coalesce(written, _text(j._vconcept), _text(j._num_raw)),
        ),
        (only("answer", ~answered), "no answer", "value", j._num_raw),
        (
            only("answer", answer.notnull() & ~answer.isin([0.0, 1.0])),
            "an answer is 1 or 0",
            "value_as_number",
            j._num_raw,
        ),
        (only("text", written.isnull()), "no text value", text_col, j._text),
    ]
    value = ibis.cases(
        (how == "number", number),
        (how == "answer", answer),
        (how == "text", _null("float64")),
        else_=one,
    )
    return value, problems


# --- Person ------------------------------------------------------------------------------------


def person_rows(engine: Engine, index_date: dt.date, keep: Any = None, birth_rank: int = 0) -> Any:
    """Checked rows for sex and month of birth (with ``keep``: only rows with a problem or of
    those persons; ``birth_rank``: the place of ``birth_month`` in :func:`code_ranks`)."""
    import ibis

    t = engine.table(view_name("person"))
    spec = TABLES["person"]
    v: dict[str, Any] = {}
    bad: dict[str, Any] = {}
    for col in spec.columns:
        v[col.name], bad[col.name] = typed(t[col.name], col.type)
    rid = _text(t.person_id)
    m = engine.table(MAP_TABLE)
    m = m.filter((m.omop_table == "person") & (m.how == "sex"))
    base = t.select(
        _pid=v["person_id"],
        _rid=rid,
        _gender=v["gender_concept_id"],
        _gender_bad=bad["gender_concept_id"],
        _gender_raw=_text(t.gender_concept_id),
        _year=v["year_of_birth"],
        _year_bad=bad["year_of_birth"],
        _year_raw=_text(t.year_of_birth),
        _month=ibis.coalesce(v["month_of_birth"], v["birth_datetime"].month().cast("int64")),
        _month_bad=bad["month_of_birth"] | bad["birth_datetime"],
        _month_raw=ibis.coalesce(_text(t.month_of_birth), _text(t.birth_datetime)),
    )
    sex = base.join(m, base._gender == m.concept_id)
    sex_problem = ibis.cases(
        (sex._pid.isnull(), ibis.literal("missing or unreadable person_id")), else_=None
    )
    sexes = sex.select(
        person_id=sex._pid,
        omop_table=ibis.literal("person"),
        row_id=sex._rid,
        concept_id=sex._gender,
        fact_code=ibis.literal("sex"),
        code_rank=sex.code_rank,
        date=_null("date"),
        time_s=_null("int64"),
        value_num=_null("float64"),
        value_text=sex.value,
        unit=_null("string"),
        ref_low=_null("float64"),
        ref_high=_null("float64"),
        problem=sex_problem.cast("string"),
        problem_column=(sex_problem.notnull()).ifelse("person_id", _null("string")),
        problem_value=(sex_problem.notnull()).ifelse(sex._rid, _null("string")),
    )
    year, month = base._year, base._month
    checks = [
        (base._pid.isnull(), "missing or unreadable person_id", "person_id", base._rid),
        (base._gender_bad, "unreadable gender_concept_id", "gender_concept_id", base._gender_raw),
        (
            base._year_bad | year.isnull(),
            "missing or unreadable year_of_birth",
            "year_of_birth",
            base._year_raw,
        ),
        (
            (year < 1850) | (year > index_date.year),
            "year_of_birth out of range",
            "year_of_birth",
            base._year_raw,
        ),
        (base._month_bad, "unreadable month_of_birth", "month_of_birth", base._month_raw),
        (
            month.notnull() & ((month < 1) | (month > 12)),
            "month_of_birth out of range",
            "month_of_birth",
            base._month_raw,
        ),
    ]
    problem = ibis.cases(*[(c, ibis.literal(msg)) for c, msg, _, _ in checks], else_=None)
    column = ibis.cases(*[(c, ibis.literal(col)) for c, _, col, _ in checks], else_=None)
    raw = ibis.cases(*[(c, _text(r)) for c, _, _, r in checks], else_=_null("string"))
    ok_month = month.notnull() & (month >= 1) & (month <= 12)
    ok_year = year.notnull() & (year >= 1850) & (year <= index_date.year)
    birth = (ok_month & ok_year).ifelse(
        ibis.date(year.cast("int32"), month.cast("int32"), 1), _null("date")
    )
    # A month of birth that is not recorded is missing data (R-I1 unknown), not a reject.
    births = base.filter(problem.notnull() | month.notnull()).select(
        person_id=base._pid,
        omop_table=ibis.literal("person"),
        row_id=base._rid,
        concept_id=_null("int64"),
        fact_code=ibis.literal("birth_month"),
        code_rank=ibis.literal(birth_rank, "int16"),
        date=birth,
        time_s=_null("int64"),
        value_num=_null("float64"),
        value_text=_null("string"),
        unit=_null("string"),
        ref_low=_null("float64"),
        ref_high=_null("float64"),
        problem=problem.cast("string"),
        problem_column=column.cast("string"),
        problem_value=raw.cast("string"),
    )
    both = sexes.union(births)
    if keep is not None:
        both = both.filter(both.problem.notnull() | both.person_id.isin(keep.person_id))
    return both


# --- Units -------------------------------------------------------------------------------------


def number_units(engine: Engine, tables: Sequence[str]) -> list[dict[str, Any]]:
    """The distinct (fact code, unit concept, written unit, default unit) of numeric rows.

    The table's distinct raw (concept, source concept, unit concept, written unit) come first
    (one scan of four columns); typing, trimming and the map join then run on those few rows.
    """
    parts = []
    for table in tables:
        if table not in ("measurement", "observation"):
            continue
        prefix = EVENTS[table][0]
        t = engine.table(view_name(table))
        raw = t.select(
            _c=t[f"{prefix}_concept_id"],
            _sc=t[f"{prefix}_source_concept_id"],
            _uc=t.unit_concept_id,
            _us=t.unit_source_value,
        ).distinct()
        m = engine.table(MAP_TABLE)
        for field_, column in (("concept", raw._c), ("source_concept", raw._sc)):
            mm = m.filter((m.omop_table == table) & (m.field == field_) & (m.how == "number"))
            base = raw.select(
                _cid=typed(column, "int64")[0],
                _uc=typed(raw._uc, "int64")[0].fill_null(0),
                _us=typed(raw._us, "string")[0].fill_null(""),
            )
            j = base.join(mm, base._cid == mm.concept_id)
            parts.append(
                j.select(
                    fact_code=j.fact_code, uc=j._uc, us=j._us, ud=j.unit.fill_null("")
                ).distinct()
            )
    if not parts:
        return []
    expr = parts[0]
    for p in parts[1:]:
        expr = expr.union(p)
    rows: list[dict[str, Any]] = engine.to_arrow(expr.distinct()).to_pylist()
    return rows


def unit_table(
    found: list[dict[str, Any]], concept_units: dict[int, str]
) -> tuple[pa.Table, list[UnitChoice]]:
    import pyarrow as pa

    choices = [choose(r["fact_code"], int(r["uc"]), r["us"], r["ud"], concept_units) for r in found]
    table = pa.table(
        {
            "u_fact_code": pa.array([c.fact_code for c in choices], pa.string()),
            "u_concept": pa.array([c.unit_concept_id for c in choices], pa.int64()),
            "u_source": pa.array([c.unit_source_value for c in choices], pa.string()),
            "u_default": pa.array([c.default_unit for c in choices], pa.string()),
            "u_factor": pa.array([c.factor for c in choices], pa.float64()),
            "u_canonical": pa.array([c.canonical for c in choices], pa.string()),
            "u_spelling": pa.array([c.spelling for c in choices], pa.string()),
            "u_problem": pa.array([c.problem for c in choices], pa.string()),
        }
    )
    return table, choices


def unit_concept_spellings(
    source: Source, found: list[dict[str, Any]], known: dict[int, str]
) -> dict[int, str]:
    """Unit concepts of the data not in ``value_concepts.csv``, spelled by the warehouse's
    ``concept`` table (their UCUM code), when it has one."""
    wanted = sorted({int(r["uc"]) for r in found if r["uc"] and int(r["uc"]) not in known})
    spellings = dict(known)
    if not wanted or not source.has("concept"):
        return spellings
    engine = source.engine
    name = source.register("concept", [("concept_id", wanted)])
    concept = engine.table(name)
    cid, _ = typed(concept.concept_id, "int64")
    code, _ = typed(concept.concept_code, "string")
    vocab, _ = typed(concept.vocabulary_id, "string")
    rows = engine.to_arrow(
        concept.select(concept_id=cid, code=code, vocab=vocab).filter(cid.isin(wanted))
    ).to_pylist()
    for r in rows:
        if r["vocab"] == "UCUM" and r["code"]:
            spellings[int(r["concept_id"])] = r["code"]
    return spellings


# --- Population and facts ---------------------------------------------------------------------


def population(engine: Engine, source: Source, everyone: bool) -> Any:
    """Who is screened: persons with a diagnosis of the ``@population`` concept set (default), or
    every person of the warehouse. Only persons of the person table count."""
    person = engine.table(view_name("person"))
    pid, _ = typed(person.person_id, "int64")
    persons = person.select(person_id=pid).filter(pid.notnull())
    if everyone:
        return persons.distinct()
    m = engine.table(MAP_TABLE)
    found = []
    for table, (prefix, _) in EVENTS.items():
        if not source.has(table):
            continue
        t = engine.table(view_name(table))
        for field_ in ("concept", "source_concept"):
            column = (
                f"{prefix}_concept_id" if field_ == "concept" else f"{prefix}_source_concept_id"
            )
            mm = m.filter(
                (m.omop_table == table) & (m.field == field_) & (m.fact_code == POPULATION)
            )
            cid, _ = typed(t[column], "int64")
            p, _ = typed(t.person_id, "int64")
            base = t.select(_pid=p, _cid=cid)
            j = base.join(mm, base._cid == mm.concept_id)
            found.append(j.select(person_id=j._pid))
    if not found:
        return persons.filter(ibis_false())
    diagnosed = found[0]
    for f in found[1:]:
        diagnosed = diagnosed.union(f)
    diagnosed = diagnosed.filter(diagnosed.person_id.notnull()).distinct()
    return diagnosed.filter(diagnosed.person_id.isin(persons.person_id))


def ibis_false() -> Any:
    import ibis

    return ibis.literal(False)


def checked_rows(
    engine: Engine,
    source: Source,
    resolved: ResolvedMap,
    answers: dict[int, int],
    index_date: dt.date,
    keep: Any = None,
    bad_units: list[tuple[str, int, str, str]] | None = None,
) -> Any:
    """Every mapped row of every table, checked (an ibis expression); with ``keep`` (a table
    of person_id), only the rows with a problem or of those persons. ``bad_units``: the
    (fact code, unit concept, written unit, default unit) the unit table refused."""
    parts = []
    if source.has("person"):
        rank = code_ranks(resolved)["birth_month"]
        parts.append(person_rows(engine, index_date, keep, birth_rank=rank))
    for table in EVENTS:
        if not source.has(table):
            continue
        fields = [
            f
            for f in ("concept", "source_concept")
            if any(
                r["omop_table"] == table and r["field"] == f and r["fact_code"] != POPULATION
                for r in resolved.rows
            )
        ]
        found = [event_rows(engine, table, f, answers, keep, bad_units) for f in fields]
        if len(found) == 2:
            # A row matched through both its standard and its source concept is one fact.
            parts.append(found[0].union(found[1], distinct=True))
        else:
            parts.extend(found)
    expr = parts[0]
    for p in parts[1:]:
        expr = expr.union(p)
    return expr


# The two made from the others where they are read (:func:`fact_select`): measured, building
# ``source_row_id`` for every checked row was a third of the cost of keeping the rows.
DERIVED = ("source", "source_row_id")
STORED = tuple(c for c in COLUMNS if c not in DERIVED)


def checked_sql(engine: Engine, checked: Any) -> str:
    """The checked rows (an expression of :func:`checked_rows`) as SQL, each row already in
    the fact table's form (``subject_id``, ``code``, ``time``…) next to its OMOP identity and
    its problem: the facts are then a view of the rows without a problem
    (:func:`facts_view_sql`), not a second copy. The TIME column is built with the engine's
    own function."""
    c = checked
    inner = c.select(
        subject_id=c.person_id.cast("string"),
        code=c.fact_code,
        date=c.date,
        time_s=c.time_s,
        value_num=c.value_num,
        value_text=c.value_text,
        unit=c.unit,
        ref_low=c.ref_low,
        ref_high=c.ref_high,
        person_id=c.person_id,
        omop_table=c.omop_table,
        row_id=c.row_id,
        concept_id=c.concept_id,
        code_rank=c.code_rank,
        problem=c.problem,
        problem_column=c.problem_column,
        problem_value=c.problem_value,
    )
    q = engine.quote
    time = engine.make_time_sql(f"{q}time_s{q}")
    cols = [f"{time} AS {q}time{q}" if n == "time" else n for n in STORED]
    cols += ["person_id", "omop_table", "row_id", "concept_id", "code_rank"]
    cols += ["problem", "problem_column", "problem_value"]
    # SQL compiled by ibis, fixed column names: no user text.
    return f"SELECT {', '.join(cols)} FROM ({engine.sql(inner)}) AS f"  # noqa: S608


def fact_select(quote: str) -> str:
    """The fact table's columns over the checked table: ``source`` is ``omop.<table>`` and
    ``source_row_id`` is ``<table>:<row id>/<fact code>`` (``||`` on DuckDB and Spark alike:
    NULL if a part is)."""
    q = quote
    return ", ".join(
        [
            *[f"{q}{c}{q}" for c in STORED],
            f"'omop.' || omop_table AS {q}source{q}",
            f"omop_table || ':' || row_id || '/' || code AS {q}source_row_id{q}",
        ]
    )


def checked_schema() -> Any:
    """The ibis schema of the table of :func:`checked_sql` (given, not read: Spark's TIME
    type has no ibis equivalent to read it as)."""
    import ibis

    from sclerocell.facts.schema import ibis_schema

    fact = {
        name: dtype.copy(nullable=True)
        for name, dtype in ibis_schema().items()
        if name not in DERIVED
    }
    return ibis.schema(
        {
            **fact,
            "person_id": "int64",
            "omop_table": "string",
            "row_id": "string",
            "concept_id": "int64",
            "code_rank": "int16",
            "problem": "string",
            "problem_column": "string",
            "problem_value": "string",
        }
    )


def facts_view_sql(checked_table: str, quote: str = '"') -> str:
    """The fact table: the checked rows without a problem, in the fact table's columns."""
    # Fixed column names and a checked table name: no user text.
    return f"SELECT {fact_select(quote)} FROM {checked_table} WHERE problem IS NULL"  # noqa: S608


def check_codes(resolved: ResolvedMap) -> None:
    for r in resolved.rows:
        if r["fact_code"] != POPULATION:
            codes.get(r["fact_code"])
