"""Creatinine clearance (Cockcroft–Gault) indexed to body surface area, against a threshold (R-E2b).

CrCl = (140 − age) × weight / (72 × SCr mg/dL), × 0.85 for women (SCr µmol/L ÷ 88.42);
BSA (Mosteller) = √(height × weight / 3600); indexed = CrCl × 1.73 / BSA, or per m² = CrCl / BSA.
The constants come from :mod:`sclerocell.clinical.renal` and :mod:`sclerocell.clinical.units`, and
the arithmetic below is written once for floats and ibis expressions alike, so the one-person and
the compiled paths compute the same floating-point numbers. The age comes from the month of birth
(see :mod:`sclerocell.criteria.age`): when the two possible ages disagree on the answer, `unknown`.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from sclerocell.clinical.renal import FEMALE_FACTOR
from sclerocell.clinical.units import convert
from sclerocell.criteria.age import BIRTH, age_bounds, age_bounds_sql
from sclerocell.criteria.base import Leaf, Outcome, SqlContext, code
from sclerocell.criteria.result import FactUse
from sclerocell.criteria.select import PersonFacts, Select
from sclerocell.criteria.status import Status
from sclerocell.criteria.text import Text, num
from sclerocell.criteria.windows import ANY_TIME, Window

# 88.42 µmol/L per mg/dL (rounded: pint's chemistry context gives 88.42000000000002).
CREATININE_UMOL_PER_MG_DL = float(f"{convert(1.0, 'mg/dL', 'µmol/L', 'creatinine'):.10g}")

Indexing = Literal["indexed_1_73_m2", "per_m2"]


def raw_clearance(age: Any, weight_kg: Any, creatinine_umol_l: Any) -> Any:
    """Cockcroft–Gault without the sex factor, for floats or ibis expressions."""
    return (140 - age) * weight_kg / (72 * (creatinine_umol_l / CREATININE_UMOL_PER_MG_DL))


def indexed(clearance: Any, bsa: Any, indexing: Indexing) -> Any:
    return clearance * 1.73 / bsa if indexing == "indexed_1_73_m2" else clearance / bsa


SEX = Select(("sex",), "text")


@dataclass(frozen=True, kw_only=True)
class ClearanceBelow(Leaf):
    kind: ClassVar[str] = "clearance"
    id: str
    text: Text
    threshold: float
    indexing: Indexing
    lab_window: Window
    height_window: Window = ANY_TIME
    reading: Text | None = None

    @property
    def inputs(self) -> dict[str, Select]:
        return {
            "birth_month": BIRTH,
            "sex": SEX,
            "weight": Select(("weight",), "num", self.lab_window),
            "creatinine": Select(("creatinine",), "num", self.lab_window),
            "height": Select(("height",), "num", self.height_window),
        }

    def evaluate(self, person: PersonFacts, index_date: dt.date) -> Outcome:
        found = {name: person.latest(sel, index_date) for name, sel in self.inputs.items()}
        uses = tuple(FactUse(name, f) for name, f in found.items() if f is not None)
        birth, sex = found["birth_month"], found["sex"]
        weight, creat, height = found["weight"], found["creatinine"], found["height"]
        w = weight.value_num if weight else None
        scr = creat.value_num if creat else None
        h = height.value_num if height else None
        labels = {
            "birth_month": Text("mois de naissance", "month of birth"),
            "sex": Text("sexe", "sex"),
            "weight": Text("poids", "weight"),
            "creatinine": Text("créatininémie", "serum creatinine"),
            "height": Text("taille", "height"),
        }
        problems = []
        if birth is None or birth.date is None:
            problems.append("birth_month")
        if sex is None or sex.value_text not in ("F", "M"):
            problems.append("sex")
        for key, value in (("weight", w), ("creatinine", scr), ("height", h)):
            if value is None or value <= 0:
                problems.append(key)
        if problems:
            names = Text(", ", ", ").join([labels[p] for p in problems])
            window = self.lab_window.describe()
            return Outcome(
                Status.UNKNOWN,
                Text("Clairance non calculable : manque ", "Clearance not computable: missing ")
                + names,
                uses,
                missing=names
                + Text(
                    f" (poids et créatininémie {window.fr})",
                    f" (weight and creatinine {window.en})",
                ),
            )
        assert birth is not None and birth.date is not None and sex is not None  # noqa: S101
        assert w is not None and scr is not None and h is not None  # noqa: S101
        youngest, oldest = age_bounds(birth.date, index_date)
        factor = FEMALE_FACTOR if sex.value_text == "F" else 1.0
        bsa = math.sqrt(h * w / 3600)
        results = []
        for age in (youngest, oldest):
            raw = raw_clearance(age, w, scr)
            raw = raw * FEMALE_FACTOR if factor != 1.0 else raw
            results.append(
                (age, raw, indexed(raw, bsa, "indexed_1_73_m2"), indexed(raw, bsa, "per_m2"))
            )
        below = [
            (r[2] if self.indexing == "indexed_1_73_m2" else r[3]) < self.threshold for r in results
        ]
        status = (
            Status.UNKNOWN if below[0] != below[1] else (Status.MET if below[1] else Status.NOT_MET)
        )
        age, raw, per_173, per_m2 = results[1]
        chosen = per_173 if self.indexing == "indexed_1_73_m2" else per_m2
        unit = "mL/min/1,73 m²" if self.indexing == "indexed_1_73_m2" else "mL/min/m²"
        sign = "<" if below[1] else "≥"
        summary = Text(
            f"Cockcroft–Gault {num(raw, 'fr')} mL/min (âge {age} ans, {num(w, 'fr')} kg, "
            f"créatinine {num(scr, 'fr')} µmol/L, sexe {sex.value_text}) ; SC {num(bsa, 'fr')} m² "
            f"(Mosteller) ; indexée {num(per_173, 'fr')} mL/min/1,73 m², par m² "
            f"{num(per_m2, 'fr')} mL/min/m² ; retenue {num(chosen, 'fr')} {unit} {sign} "
            f"{num(self.threshold, 'fr')}",
            f"Cockcroft–Gault {num(raw, 'en')} mL/min (age {age} y, {num(w, 'en')} kg, "
            f"creatinine {num(scr, 'en')} µmol/L, sex {sex.value_text}); BSA {num(bsa, 'en')} m² "
            f"(Mosteller); indexed {num(per_173, 'en')} mL/min/1.73 m², per m² "
            f"{num(per_m2, 'en')} mL/min/m²; applied {num(chosen, 'en')} "
            f"{unit.replace(',', '.')} {sign} {num(self.threshold, 'en')}",
        )
        missing = None
        if status is Status.UNKNOWN:
            missing = Text(
                "le jour de naissance (la clairance franchit le seuil selon l'âge exact)",
                "the day of birth (the clearance crosses the threshold depending on the exact age)",
            )
        return Outcome(
            status,
            summary,
            uses,
            (
                ("age_years", age),
                ("age_min_years", youngest),
                ("weight_kg", w),
                ("creatinine_umol_l", scr),
                ("height_cm", h),
                ("raw_clearance_ml_min", raw),
                ("bsa_m2", bsa),
                ("clearance_ml_min_1_73_m2", per_173),
                ("clearance_ml_min_m2", per_m2),
            ),
            missing,
        )

    def compile(self, sql: SqlContext) -> Any:
        import ibis

        inputs = self.inputs
        cond = ibis.or_(*[sel.where(sql.facts, sql.index_date) for sel in inputs.values()])
        rows = sql.rank(sql.facts.filter(cond), by=("subject_id", "code"))
        rows = rows.filter(rows.rn == 0)
        got = rows.group_by("subject_id").aggregate(
            birth=rows.date.max(where=rows.code == "birth_month"),
            sex=rows.value_text.max(where=rows.code == "sex"),
            w=rows.value_num.max(where=rows.code == "weight"),
            scr=rows.value_num.max(where=rows.code == "creatinine"),
            h=rows.value_num.max(where=rows.code == "height"),
        )
        valid = ibis.coalesce(
            got.birth.notnull()
            & got.sex.isin(["F", "M"])
            & (got.w > 0)
            & (got.scr > 0)
            & (got.h > 0),
            False,
        )
        youngest, oldest = age_bounds_sql(got.birth, sql.index_date)
        bsa = (got.h * got.w / 3600).sqrt()

        def below(age: Any) -> Any:
            raw = raw_clearance(age, got.w, got.scr)
            raw = ibis.ifelse(got.sex == "F", raw * FEMALE_FACTOR, raw)
            return indexed(raw, bsa, self.indexing) < self.threshold

        b_young, b_old = below(youngest), below(oldest)
        status = ibis.cases(
            (~valid, code(Status.UNKNOWN)),
            (b_young != b_old, code(Status.UNKNOWN)),
            (b_old, code(Status.MET)),
            else_=code(Status.NOT_MET),
        )
        return got.select("subject_id", status=status)
