"""A synthetic OMOP CDM v5.4 warehouse for the pre-screen, with its own ground truth.

    generate(Path("/tmp/omop"), persons=10_000, seed=1)

Persons are written in chunks (vectorised numpy → Parquet part files): ``person/``,
``observation_period/``, ``condition_occurrence/``, ``drug_exposure/``, ``measurement/``,
``observation/``, ``procedure_occurrence/``, and small ``concept`` / ``concept_ancestor`` tables.

- **Cases** (``ssc_share`` of persons, 5 % by default — an enriched warehouse, so that tests have
  cases) carry an SSc diagnosis (SNOMED, CIM-10 source codes, or a descendant found only through
  ``concept_ancestor``) and a scenario for every data element the recipient criteria read:
  birth, sex, reproductive attributes, classification items, cyclophosphamide courses, skin score,
  lung-function histories (FVC/TLC/DLCO % predicted over years), timed blood pressures, creatinine
  and liver tests with their normal ranges in several units, blood counts, cardiopulmonary
  measures, findings, investigator statements — each drawn so that every criterion has persons
  on both sides and persons with missing data. A share of cases is complete and eligible, another
  is eligible but for one to three missing items.
- **Other persons** get a realistic background: lab panels, blood pressures, weights over years,
  unrelated diagnoses and drugs (the volume of a hospital warehouse).
- A few rows are broken on purpose (NaN, unparseable values and answers, unknown units, missing
  dates, impossible months of birth): the pre-screen must reject exactly those.

Ground truth, written by the generator from what it made (not by screening):
``ground_truth.parquet`` — one row per person: ``in_population`` and, for cases, the expected
status of every leaf criterion of the recipient tree; ``ground_truth_rejects.parquet`` — the
broken rows (table, row id, kind); ``generator.json`` — the parameters.

Concept ids are this module's own constants (verified ids of omop_concepts.csv, the site-local
ids of the default concept map, and synthetic ids ≥ 2 100 000 000 for concepts the warehouse's
own ``concept`` table resolves), so a wrong concept map is caught by the tests, not copied.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

INDEX_DATE = dt.date(2024, 6, 15)
EPOCH = dt.date(1970, 1, 1)
MET, NOT_MET, UNKNOWN, NOT_ASSESSABLE = "met", "not_met", "unknown", "not_assessable"

# --- Concept ids ---------------------------------------------------------------------------------
SSC, SSC_DIFFUSE, SSC_LUNG, SSC_RENAL_CRISIS = 134442, 4027727, 255304, 4126439
SSC_SYNTHETIC_CHILD = 2_100_000_201  # a descendant of 134442 known only through concept_ancestor
CIM10 = {"M34": 37612044, "M34.0": 37612308, "M34.1": 37612309, "M34.9": 37605748}
CYCLOPHOSPHAMIDE, CYCLO_PRODUCTS = 1310317, (2_100_000_101, 2_100_000_102)
BLEOMYCIN, BLEO_PRODUCT = 1329241, 2_100_000_111
CREAT_MASS, CREAT_MOLES = 3016723, 3020564
NEUTROPHILS, PLATELETS, HAEMOGLOBIN = 3017732, 3024929, 3000963
ALT, AST, BILIRUBIN = 3006923, 3013721, 3006140
SBP, DBP = 3004249, 3012888
FVC = 2_100_000_001  # LOINC 19872-1 in this warehouse's concept table
CD4 = 2_100_000_002  # LOINC 24467-3 in this warehouse's concept table
DLCO, TLC, PAO2, PACO2, ECHO_SPAP, RHC_MPAP = (2_000_000_001 + i for i in range(6))
LVEF, WEIGHT, HEIGHT, MRSS = 2_000_000_009, 2_000_000_010, 2_000_000_011, 2_000_000_012
PERICARDIAL_DRAINAGE = 2_000_000_301
FEMALE, MALE = 8532, 8507
U_PERCENT, U_MMHG, U_MG_DL, U_UMOL_L, U_G_DL, U_G_L = 8554, 8876, 8840, 8749, 8713, 8636
U_U_L, U_K_UL, U_PER_UL, U_KG, U_CM = 8645, 8848, 8647, 9529, 8582
U_MMHG_UCUM = 2_100_000_301  # a unit concept found only in this warehouse's concept table
YES_CONCEPT, NO_CONCEPT = 4188539, 4188540
OBSERVATION: dict[str, int] = {
    code: 2_000_000_101 + i
    for i, code in enumerate(
        (
            "childbearing_potential",
            "effective_contraception",
            "social_security",
            "consenting_donor",
            "skin_thickening_proximal_to_mcp",
            "puffy_fingers",
            "sclerodactyly",
            "digital_tip_ulcers",
            "fingertip_pitting_scars",
            "telangiectasia",
            "abnormal_nailfold_capillaries",
            "raynaud_phenomenon",
            "anticentromere",
            "anti_topoisomerase_i",
            "anti_rna_polymerase_iii",
            "skin_thickening_sparing_fingers",
            "scleroderma_like_disorder_explains",
            "proximal_scleroderma",
            "digital_pitting_scars_or_pad_loss",
            "bibasilar_pulmonary_fibrosis",
            "ild_on_imaging",
            "reversible_congestive_heart_failure",
            "recurrent_rhythm_disorder",
            "av_block_2nd_3rd_degree",
            "pericardial_effusion_treated",
            "urinary_sediment_abnormality",
            "microangiopathic_haemolytic_anaemia",
            "pregnancy",
            "pah_rhc_confirmed",
            "cyclophosphamide_cystitis_sequelae",
            "refractory_congestive_heart_failure",
            "uncontrolled_ventricular_arrhythmia",
            "pericardial_effusion_haemodynamic",
            "neoplasia_history",
            "active_neoplasia",
            "myelodysplasia",
            "uncontrolled_hypertension",
            "uncontrolled_infection",
            "hiv_serology",
            "htlv_serology",
            "hbs_antigen",
            "hcv_serology",
            "syphilis_serology",
            "hiv_pcr",
            "hcv_pcr",
            "hbv_pcr",
            "active_chronic_hepatitis_b",
            "active_chronic_hepatitis_c",
            "exposure_bleomycin",
            "exposure_toxic_oil",
            "exposure_vinyl_chloride",
            "exposure_trichloroethylene",
            "exposure_silica",
            "eosinophilia_myalgia_syndrome",
            "eosinophilic_fasciitis",
            "xylocaine_allergy",
            "cyclophosphamide_iv_high_dose",
            "refractory_to_recommended_immunosuppression",
            "contraindication_to_recommended_immunosuppression",
            "life_threatening_fibrosing_lung_disease",
            "lung_transplant_ruled_out",
            "non_ssc_causes_excluded_respiratory",
            "non_ssc_causes_excluded_cardiac",
            "non_ssc_causes_excluded_renal",
            "uncontrolled_psychiatric_disorder",
            "poor_compliance_risk",
            "donation_contraindication_other",
            "informed_consent",
        )
    )
}
NOISE_CONDITIONS = np.arange(4_500_001, 4_500_301, dtype=np.int64)  # not in any concept set
NOISE_DRUGS = np.arange(19_500_001, 19_500_101, dtype=np.int64)

# --- Table schemas ------------------------------------------------------------------------------
I64, F64, STR, DATE, TS = pa.int64(), pa.float64(), pa.string(), pa.date32(), pa.timestamp("us")
SCHEMAS: dict[str, pa.Schema] = {
    "person": pa.schema(
        [
            ("person_id", I64),
            ("gender_concept_id", I64),
            ("year_of_birth", I64),
            ("month_of_birth", I64),
            ("day_of_birth", I64),
            ("birth_datetime", TS),
            ("race_concept_id", I64),
            ("ethnicity_concept_id", I64),
            ("gender_source_value", STR),
        ]
    ),
    "observation_period": pa.schema(
        [
            ("observation_period_id", I64),
            ("person_id", I64),
            ("observation_period_start_date", DATE),
            ("observation_period_end_date", DATE),
            ("period_type_concept_id", I64),
        ]
    ),
    "condition_occurrence": pa.schema(
        [
            ("condition_occurrence_id", I64),
            ("person_id", I64),
            ("condition_concept_id", I64),
            ("condition_start_date", DATE),
            ("condition_start_datetime", TS),
            ("condition_type_concept_id", I64),
            ("condition_source_value", STR),
            ("condition_source_concept_id", I64),
        ]
    ),
    "drug_exposure": pa.schema(
        [
            ("drug_exposure_id", I64),
            ("person_id", I64),
            ("drug_concept_id", I64),
            ("drug_exposure_start_date", DATE),
            ("drug_exposure_start_datetime", TS),
            ("drug_exposure_end_date", DATE),
            ("drug_type_concept_id", I64),
            ("route_source_value", STR),
            ("drug_source_concept_id", I64),
        ]
    ),
    "procedure_occurrence": pa.schema(
        [
            ("procedure_occurrence_id", I64),
            ("person_id", I64),
            ("procedure_concept_id", I64),
            ("procedure_date", DATE),
            ("procedure_datetime", TS),
            ("procedure_type_concept_id", I64),
            ("procedure_source_concept_id", I64),
        ]
    ),
    "measurement": pa.schema(
        [
            ("measurement_id", I64),
            ("person_id", I64),
            ("measurement_concept_id", I64),
            ("measurement_date", DATE),
            ("measurement_datetime", TS),
            ("measurement_type_concept_id", I64),
            ("value_as_number", F64),
            ("value_as_concept_id", I64),
            ("unit_concept_id", I64),
            ("range_low", F64),
            ("range_high", F64),
            ("measurement_source_concept_id", I64),
            ("unit_source_value", STR),
            ("value_source_value", STR),
        ]
    ),
    "observation": pa.schema(
        [
            ("observation_id", I64),
            ("person_id", I64),
            ("observation_concept_id", I64),
            ("observation_date", DATE),
            ("observation_datetime", TS),
            ("observation_type_concept_id", I64),
            ("value_as_number", F64),
            ("value_as_string", STR),
            ("value_as_concept_id", I64),
            ("unit_concept_id", I64),
            ("observation_source_concept_id", I64),
            ("unit_source_value", STR),
        ]
    ),
}
EHR = 32817


class Rows:
    """Rows of one OMOP table, added as arrays and written as part files."""

    def __init__(self, name: str, folder: Path) -> None:
        self.name = name
        self.schema = SCHEMAS[name]
        self.folder = folder / name
        self.folder.mkdir(parents=True, exist_ok=True)
        self.parts: list[pa.Table] = []
        self.next_id = 1
        self.written = 0
        self.files = 0

    def add(self, n: int, **columns: Any) -> np.ndarray:
        """Add ``n`` rows; a column is an array, a scalar, or a (values, null mask) pair. Returns
        the row ids given."""
        ids = np.arange(self.next_id, self.next_id + n, dtype=np.int64)
        self.next_id += n
        if n == 0:
            return ids
        id_name = self.schema.names[0]
        arrays = []
        for f in self.schema:
            value = ids if f.name == id_name else columns.get(f.name)
            arrays.append(_array(value, f.type, n))
        self.parts.append(pa.Table.from_arrays(arrays, schema=self.schema))
        return ids

    def flush(self) -> None:
        if not self.parts:
            return
        table = pa.concat_tables(self.parts)
        pq.write_table(
            table, self.folder / f"part-{self.files:05d}.parquet", row_group_size=1 << 20
        )
        self.written += table.num_rows
        self.files += 1
        self.parts = []


def _array(value: Any, type_: pa.DataType, n: int) -> pa.Array:
    if value is None:
        return pa.nulls(n, type_)
    mask = None
    if isinstance(value, tuple):
        value, mask = value
    if np.isscalar(value) or isinstance(value, str):
        if type_ == STR:
            return pa.array([value] * n, STR, mask=mask)
        value = np.full(n, value)
    if type_ == DATE:
        return pa.array(np.asarray(value, dtype=np.int32), pa.int32(), mask=mask).cast(DATE)
    if type_ == TS:
        return pa.array(np.asarray(value, dtype=np.int64), pa.int64(), mask=mask).cast(TS)
    if type_ == STR:
        return pa.array(list(value), STR, mask=mask)
    return pa.array(value, type_, mask=mask)


@dataclass
class Chunk:
    """The persons of one chunk, their scenario draws and their truth."""

    rng: np.random.Generator
    person_ids: np.ndarray
    index_days: int
    tables: dict[str, Rows]
    truth: dict[str, np.ndarray] = field(default_factory=dict)
    rejects: list[dict[str, Any]] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.person_ids)

    def days(self, lo: int, hi: int, k: int) -> np.ndarray:
        """``k`` offsets in days before the index date, in [lo, hi]."""
        return self.rng.integers(lo, hi + 1, k)

    def date(self, before: np.ndarray) -> np.ndarray:
        return self.index_days - np.asarray(before, dtype=np.int64)

    def stamp(self, before: np.ndarray, seconds: np.ndarray) -> np.ndarray:
        return (self.date(before) * 86400 + np.asarray(seconds, dtype=np.int64)) * 1_000_000

    def set(self, leaf: str, idx: np.ndarray, status: np.ndarray | str) -> None:
        column = self.truth.setdefault(leaf, np.full(self.n, "", dtype=object))
        column[idx] = status

    def pick(self, idx: np.ndarray, weights: dict[str, float]) -> np.ndarray:
        names = list(weights)
        p = np.array([weights[k] for k in names], dtype=float)
        return np.array(names, dtype=object)[self.rng.choice(len(names), len(idx), p=p / p.sum())]

    # --- Row writers ----------------------------------------------------------------------

    def measurement(
        self,
        idx: np.ndarray,
        concept: int,
        before: np.ndarray,
        values: np.ndarray,
        *,
        unit_concept: Any = None,
        unit_source: Any = None,
        seconds: np.ndarray | None = None,
        range_high: Any = None,
        range_low: Any = None,
        value_source: Any = None,
        value_missing: np.ndarray | None = None,
    ) -> np.ndarray:
        k = len(idx)
        stamp = None
        if seconds is not None:
            seconds = np.asarray(seconds)
            untimed = seconds < 0
            stamp = (self.stamp(before, np.where(untimed, 0, seconds)), untimed)
        value: Any = np.asarray(values, dtype=float)
        if value_missing is not None:
            value = (value, value_missing)
        return self.tables["measurement"].add(
            k,
            person_id=self.person_ids[idx],
            measurement_concept_id=concept,
            measurement_date=self.date(before),
            measurement_datetime=stamp,
            measurement_type_concept_id=EHR,
            value_as_number=value,
            unit_concept_id=unit_concept,
            unit_source_value=unit_source,
            range_low=range_low,
            range_high=range_high,
            measurement_source_concept_id=0,
            value_source_value=value_source,
        )

    def answer(self, idx: np.ndarray, code: str, before: np.ndarray, yes: np.ndarray) -> np.ndarray:
        """Observation answers 1/0, written as a number, an answer concept or a word."""
        k = len(idx)
        yes = np.asarray(yes, dtype=bool)
        style = self.rng.choice(3, k, p=[0.6, 0.25, 0.15])
        number = (np.where(yes, 1.0, 0.0), style != 0)
        concept = (np.where(yes, YES_CONCEPT, NO_CONCEPT), style != 1)
        words = np.where(yes, "oui", "non").astype(object)
        return self.tables["observation"].add(
            k,
            person_id=self.person_ids[idx],
            observation_concept_id=OBSERVATION[code],
            observation_date=self.date(before),
            observation_type_concept_id=EHR,
            value_as_number=number,
            value_as_string=(words, style != 2),
            value_as_concept_id=concept,
            observation_source_concept_id=0,
        )

    def condition(
        self, idx: np.ndarray, concept: Any, before: np.ndarray, source: Any = 0
    ) -> np.ndarray:
        return self.tables["condition_occurrence"].add(
            len(idx),
            person_id=self.person_ids[idx],
            condition_concept_id=concept,
            condition_start_date=self.date(before),
            condition_type_concept_id=EHR,
            condition_source_concept_id=source,
        )

    def drug(
        self, idx: np.ndarray, concept: Any, before: np.ndarray, end_missing: Any = None
    ) -> np.ndarray:
        end: Any = self.date(before)
        if end_missing is not None:
            end = (end, end_missing)
        return self.tables["drug_exposure"].add(
            len(idx),
            person_id=self.person_ids[idx],
            drug_concept_id=concept,
            drug_exposure_start_date=self.date(before),
            drug_exposure_end_date=end,
            drug_type_concept_id=EHR,
            route_source_value="IV",
            drug_source_concept_id=0,
        )


# --- Helpers -------------------------------------------------------------------------------------


def _sec(rng: np.random.Generator, k: int, lo_h: int = 8, hi_h: int = 18) -> np.ndarray:
    """Times of day in whole minutes (never midnight: the OMOP convention for 'unknown')."""
    return rng.integers(lo_h * 60, hi_h * 60, k) * 60


def _where(mask: np.ndarray) -> np.ndarray:
    return np.flatnonzero(mask)


def _u(rng: np.random.Generator, lo: float, hi: float, k: int, nd: int = 1) -> np.ndarray:
    return np.round(rng.uniform(lo, hi, k), nd)


# --- Elements of the cases ------------------------------------------------------------------------
# Each element writes the rows of a scenario and records the leaves it decides. ``good`` is the
# scenario of an eligible person, ``missing`` (when given) the one that leaves it undetermined.

Element = Callable[[Chunk, np.ndarray, np.ndarray], None]


@dataclass(frozen=True)
class Spec:
    weights: dict[str, float]
    good: str
    missing: str | None
    write: Element


def _birth(c: Chunk, idx: np.ndarray, s: np.ndarray) -> None:
    rng = c.rng
    year = np.zeros(len(idx), dtype=np.int64)
    month = rng.integers(1, 13, len(idx))
    month = np.where(month == INDEX_DATE.month, (month % 12) + 1, month)
    age = np.select(
        [s == "adult", s == "old", s == "young", s == "no_month"],
        [
            rng.integers(26, 66, len(idx)),
            rng.integers(73, 86, len(idx)),
            rng.integers(10, 16, len(idx)),
            rng.integers(30, 60, len(idx)),
        ],
        70,
    )
    # Completed years at the index date equal ``age`` when the birthday has passed this year.
    year = INDEX_DATE.year - age - (month > INDEX_DATE.month)
    boundary = s == "boundary70"
    month = np.where(boundary, INDEX_DATE.month, month)
    year = np.where(boundary, INDEX_DATE.year - 70, year)
    no_month = s == "no_month"
    c.birth = (year, month, no_month)  # type: ignore[attr-defined]
    c.set(
        "R-I1",
        idx,
        np.select([s == "adult", (s == "old") | (s == "young")], [MET, NOT_MET], UNKNOWN),
    )


def _sex(c: Chunk, idx: np.ndarray, s: np.ndarray) -> None:
    for leaf in ("R-I5.female", "R-E1.female"):
        c.set(leaf, idx, np.select([s == "F", s == "M"], [MET, NOT_MET], UNKNOWN))
    c.sex = s  # type: ignore[attr-defined]


def _answers(code: str, *leaves: str, latest: bool) -> Element:
    """A yes/no item: yes, no, unrecorded; for latest-read items also a later answer that
    supersedes an earlier one."""

    def write(c: Chunk, idx: np.ndarray, s: np.ndarray) -> None:
        single = np.isin(s, ["yes", "no"])
        pid = idx[single]
        c.answer(pid, code, c.days(20, 900, len(pid)), s[single] == "yes")
        for first, then in (("yes_then_no", False), ("no_then_yes", True)):
            two = idx[s == first]
            c.answer(two, code, c.days(400, 900, len(two)), np.full(len(two), not then))
            c.answer(two, code, c.days(20, 300, len(two)), np.full(len(two), then))
        if latest:
            met = (s == "yes") | (s == "no_then_yes")
            not_met = (s == "no") | (s == "yes_then_no")
        else:
            met = np.isin(s, ["yes", "yes_then_no", "no_then_yes"])
            not_met = s == "no"
        for leaf in leaves:
            c.set(leaf, idx, np.select([met, not_met], [MET, NOT_MET], UNKNOWN))

    return write


def _statement(code: str, leaf: str) -> Element:
    def write(c: Chunk, idx: np.ndarray, s: np.ndarray) -> None:
        said = s != "unrecorded"
        c.answer(idx[said], code, c.days(5, 400, int(said.sum())), s[said] == "yes")
        c.set(leaf, idx, np.select([s == "yes", s == "no"], [MET, NOT_MET], NOT_ASSESSABLE))

    return write


def _finding(
    code: str, leaf: str, *, latest: bool, also: Callable[[Chunk, np.ndarray], None] | None = None
) -> Element:
    """A finding recorded present or absent on a form; ``also`` records some of the present
    ones in another table (a diagnosis, a drug, a procedure)."""
    answers = _answers(code, leaf, latest=latest)

    def write(c: Chunk, idx: np.ndarray, s: np.ndarray) -> None:
        if also is not None:
            present = idx[s == "yes"]
            elsewhere = present[c.rng.random(len(present)) < 0.5]
            also(c, elsewhere)
            s = s.copy()
            s[np.isin(idx, elsewhere)] = "yes_elsewhere"
            answers(c, idx[s != "yes_elsewhere"], s[s != "yes_elsewhere"])
            c.set(leaf, elsewhere, MET)
            return
        answers(c, idx, s)

    return write


def _findings_weights(latest: bool, present: float = 0.12) -> dict[str, float]:
    w = {"yes": present, "no": 0.5, "unrecorded": 0.3}
    if latest:
        w.update({"yes_then_no": 0.05, "no_then_yes": 0.05})
    return w


# Classification items: a profile of recorded items (see the module docstring of the tests).
PROFILES: dict[str, tuple[dict[str, bool], str, str]] = {
    # profile: (items recorded yes/no, ACR/EULAR 2013 status, ARA 1980 status)
    "full_yes": (
        {
            "skin_thickening_proximal_to_mcp": True,
            "scleroderma_like_disorder_explains": False,
            "proximal_scleroderma": True,
        },
        MET,
        MET,
    ),
    "diffuse_only": ({}, UNKNOWN, MET),  # the diffuse-SSc diagnosis implies proximal scleroderma
    "limited_nothing": ({}, UNKNOWN, UNKNOWN),
    "negative": (
        {
            "skin_thickening_proximal_to_mcp": False,
            "puffy_fingers": False,
            "sclerodactyly": False,
            "digital_tip_ulcers": False,
            "fingertip_pitting_scars": False,
            "telangiectasia": False,
            "abnormal_nailfold_capillaries": False,
            "raynaud_phenomenon": False,
            "anticentromere": False,
            "anti_topoisomerase_i": False,
            "anti_rna_polymerase_iii": False,
            "scleroderma_like_disorder_explains": False,
            "proximal_scleroderma": False,
            "digital_pitting_scars_or_pad_loss": False,
            "bibasilar_pulmonary_fibrosis": False,
        },
        NOT_MET,
        NOT_MET,
    ),
    "acr_only": (
        {
            "skin_thickening_proximal_to_mcp": False,
            "puffy_fingers": True,
            "sclerodactyly": True,
            "digital_tip_ulcers": True,
            "raynaud_phenomenon": True,
            "anti_topoisomerase_i": True,
            "scleroderma_like_disorder_explains": False,
        },
        MET,
        UNKNOWN,
    ),
}


def _diagnosis(c: Chunk, idx: np.ndarray, s: np.ndarray) -> None:
    """The SSc diagnosis (who is in the population) and the classification items."""
    rng = c.rng
    diffuse = (s == "diffuse_only") | ((s == "full_yes") & (rng.random(len(idx)) < 0.5))
    # How the diagnosis is coded: standard SNOMED, CIM-10 source only, or a descendant.
    how = rng.choice(4, len(idx), p=[0.4, 0.3, 0.15, 0.15])
    before = c.days(200, 3000, len(idx))
    std = np.where(diffuse, SSC_DIFFUSE, np.where(how == 2, SSC_SYNTHETIC_CHILD, SSC))
    std = np.where((how == 1) & ~diffuse, 0, std)
    src = np.where(
        diffuse,
        CIM10["M34.0"],
        np.where(how == 3, CIM10["M34.1"], np.where(how == 1, CIM10["M34.9"], 0)),
    )
    c.condition(idx, std, before, src)
    for profile, (items, acr, ara) in PROFILES.items():
        here = idx[s == profile]
        for code, yes in items.items():
            c.answer(here, code, c.days(30, 700, len(here)), np.full(len(here), yes))
        c.set("R-I2.acr_eular_2013", here, acr)
        c.set("R-I2.ara_1980", here, ara)


def _cyclophosphamide(c: Chunk, idx: np.ndarray, s: np.ndarray) -> None:
    rng = c.rng
    never = idx[s == "never"]
    c.answer(
        never,
        "cyclophosphamide_iv_high_dose",
        c.days(30, 500, len(never)),
        np.zeros(len(never), bool),
    )
    for scenario, lo, hi in (("old", 250, 1500), ("recent", 20, 150), ("undated", 250, 1500)):
        here = idx[s == scenario]
        last = c.days(lo, hi, len(here))
        for bolus in range(6):
            product = np.where(rng.random(len(here)) < 0.5, CYCLO_PRODUCTS[0], CYCLO_PRODUCTS[1])
            missing = np.full(len(here), scenario == "undated" and bolus == 0)
            c.drug(here, product, last + 30 * bolus, missing)
    c.set(
        "R-I3b",
        idx,
        np.select([np.isin(s, ["never", "old"]), s == "recent"], [MET, NOT_MET], UNKNOWN),
    )


def _mrss(c: Chunk, idx: np.ndarray, s: np.ndarray) -> None:
    rng = c.rng
    for scenario, lo, hi in (("high", 16, 35), ("low", 2, 13)):
        here = idx[s == scenario]
        c.measurement(
            here,
            MRSS,
            c.days(5, 80, len(here)),
            rng.integers(lo, hi + 1, len(here)),
            unit_source="points",
        )
    old = idx[s == "old_only"]
    c.measurement(old, MRSS, c.days(120, 600, len(old)), rng.integers(10, 30, len(old)))
    c.set("R-I3c", idx, np.select([s == "high", s == "low"], [MET, NOT_MET], UNKNOWN))


def _pft(c: Chunk, idx: np.ndarray, s: np.ndarray) -> None:
    """Lung-function history: a visit within 3 months (current), one 11–13 months before
    (baseline), older ones, sometimes one between 3 and 6 months and one after the index date."""
    rng = c.rng
    k = len(idx)
    current = np.isin(s, ["both", "current_only"])
    baseline = np.isin(s, ["both", "baseline_only"])
    dlco_band = rng.choice(3, k, p=[0.2, 0.45, 0.35])  # <30, 30–59, ≥60
    dlco_band = np.where(s == "good", 1, dlco_band)
    dlco_c = np.select(
        [dlco_band == 0, dlco_band == 1],
        [_u(rng, 18, 28, k), _u(rng, 32, 57, k)],
        _u(rng, 62, 95, k),
    )
    fvc_c = np.where(rng.random(k) < 0.5, _u(rng, 45, 68, k), _u(rng, 72, 105, k))
    tlc_c = _u(rng, 50, 100, k)
    current |= s == "good"
    baseline |= s == "good"
    cur_day, base_day = c.days(5, 80, k), c.days(335, 395, k)
    cur_sec, base_sec = _sec(rng, k, 9, 12), _sec(rng, k, 9, 12)
    for code, concept, values, threshold in (
        ("fvc", FVC, fvc_c, 0.10),
        ("tlc", TLC, tlc_c, 0.10),
        ("dlco", DLCO, dlco_c, 0.15),
    ):
        # Each measure of a visit can be missing on its own.
        has_cur = current & (rng.random(k) < 0.93)
        has_base = baseline & (rng.random(k) < 0.93)
        has_cur |= s == "good"
        has_base |= s == "good"
        big = rng.random(k) < 0.45
        fall = np.where(
            big, rng.uniform(threshold + 0.04, 0.35, k), rng.uniform(-0.15, threshold - 0.04, k)
        )
        base = np.round(values / (1 - fall), 1)
        unit = rng.choice(3, k, p=[0.5, 0.3, 0.2])  # concept + "%", "%" only, nothing (map: %)
        ucon = (np.full(k, U_PERCENT), unit != 0)
        usrc = (np.full(k, "%", dtype=object), unit == 2)
        for mask, day, sec, vals in (
            (has_cur, cur_day, cur_sec, values),
            (has_base, base_day, base_sec, base),
        ):
            w = _where(mask)
            c.measurement(
                idx[w],
                concept,
                day[w],
                vals[w],
                seconds=sec[w],
                unit_concept=(ucon[0][w], ucon[1][w]),
                unit_source=(usrc[0][w], usrc[1][w]),
            )
        # History outside every window, and sometimes between 3 and 6 months, and after the index.
        for lo, hi, share in (
            (700, 2500, 0.9),
            (700, 2500, 0.6),
            (110, 170, 0.2),
            (-60, -10, 0.15),
        ):
            w = _where(rng.random(k) < share)
            c.measurement(
                idx[w],
                concept,
                c.days(lo, hi, len(w)),
                _u(rng, 40, 110, len(w)),
                seconds=_sec(rng, len(w)),
                unit_concept=U_PERCENT,
                unit_source="%",
            )
        both = has_cur & has_base
        met = both & ((base - values) / base >= threshold)
        c.set(f"R-V1b.{code}", idx, np.select([met, both], [MET, NOT_MET], UNKNOWN))
        if code == "dlco":
            c.set(
                "R-V1a.dlco",
                idx,
                np.select([has_cur & (values < 60), has_cur], [MET, NOT_MET], UNKNOWN),
            )
            c.set(
                "R-E2a.dlco",
                idx,
                np.select([has_cur & (values < 30), has_cur], [MET, NOT_MET], UNKNOWN),
            )
        if code == "fvc":
            c.set(
                "R-V1a.fvc",
                idx,
                np.select([has_cur & (values <= 70), has_cur], [MET, NOT_MET], UNKNOWN),
            )


def _ild_condition(c: Chunk, idx: np.ndarray) -> None:
    c.condition(idx, SSC_LUNG, c.days(100, 1500, len(idx)))


def _bleomycin(c: Chunk, idx: np.ndarray) -> None:
    c.drug(idx, BLEO_PRODUCT, c.days(1000, 4000, len(idx)))


def _drainage(c: Chunk, idx: np.ndarray) -> None:
    c.tables["procedure_occurrence"].add(
        len(idx),
        person_id=c.person_ids[idx],
        procedure_concept_id=PERICARDIAL_DRAINAGE,
        procedure_date=c.date(c.days(100, 1500, len(idx))),
        procedure_type_concept_id=EHR,
        procedure_source_concept_id=0,
    )


def _bp_pair(
    c: Chunk, idx: np.ndarray, before: np.ndarray, sec: np.ndarray, sbp: np.ndarray, dbp: np.ndarray
) -> None:
    k = len(idx)
    style = c.rng.random(k)
    # Units: concept + "mmHg"; a unit concept found only in the concept table ("mm[Hg]"); text only.
    ucon = (np.where(style < 0.15, U_MMHG_UCUM, U_MMHG), style >= 0.7)
    usrc = (np.full(k, "mmHg", dtype=object), (style < 0.15))
    c.measurement(idx, SBP, before, sbp, seconds=sec, unit_concept=ucon, unit_source=usrc)
    c.measurement(idx, DBP, before, dbp, seconds=sec, unit_concept=ucon, unit_source=usrc)


def _blood_pressure(c: Chunk, idx: np.ndarray, s: np.ndarray) -> None:
    rng = c.rng
    k = len(idx)
    normal_s, normal_d = _u(rng, 105, 150, k, 0), _u(rng, 60, 100, k, 0)
    high_s = _u(rng, 165, 195, k, 0)
    d1 = c.days(10, 80, k)
    # met: two high readings on different days (timed), plus normal ones.
    for scenario in ("met", "one_high", "same_day_untimed", "normal"):
        w = _where(s == scenario)
        if scenario == "met":
            _bp_pair(c, idx[w], d1[w], _sec(rng, len(w)), high_s[w], normal_d[w])
            _bp_pair(
                c, idx[w], d1[w] - 2, _sec(rng, len(w)), _u(rng, 162, 190, len(w), 0), normal_d[w]
            )
        elif scenario == "one_high":
            _bp_pair(c, idx[w], d1[w], _sec(rng, len(w)), high_s[w], normal_d[w])
            _bp_pair(c, idx[w], d1[w] - 3, _sec(rng, len(w)), normal_s[w], normal_d[w])
        elif scenario == "same_day_untimed":
            _bp_pair(c, idx[w], d1[w], np.full(len(w), 8 * 3600), high_s[w], normal_d[w])
            _bp_pair(
                c, idx[w], d1[w], np.full(len(w), -1), _u(rng, 162, 190, len(w), 0), normal_d[w]
            )
        else:
            for shift in (0, 5, 11):
                _bp_pair(
                    c,
                    idx[w],
                    d1[w] - shift,
                    _sec(rng, len(w)),
                    _u(rng, 105, 150, len(w), 0),
                    _u(rng, 60, 100, len(w), 0),
                )
    old = _where(rng.random(k) < 0.7)  # older readings, outside the window
    _bp_pair(
        c,
        idx[old],
        c.days(120, 900, len(old)),
        _sec(rng, len(old)),
        _u(rng, 100, 190, len(old), 0),
        _u(rng, 60, 120, len(old), 0),
    )
    c.set(
        "R-V3.hypertension",
        idx,
        np.select([s == "met", np.isin(s, ["normal"])], [MET, NOT_MET], UNKNOWN),
    )


def _creatinine_rows(
    c: Chunk, idx: np.ndarray, before: np.ndarray, umol: np.ndarray, uln_known: np.ndarray
) -> None:
    """Creatinine in µmol/L (moles concept) or mg/dL (mass concept), the ULN in the same unit."""
    k = len(idx)
    mass = c.rng.random(k) < 0.35
    for m, concept, ucon, usrc, scale, uln in (
        (~mass, CREAT_MOLES, U_UMOL_L, "µmol/L", 1.0, 90.0),
        (mass, CREAT_MASS, U_MG_DL, "mg/dL", 1 / 88.42, 1.02),
    ):
        w = _where(m)
        values = np.round(umol[w] * scale, 2 if scale != 1.0 else 0)
        c.measurement(
            idx[w],
            concept,
            before[w],
            values,
            unit_concept=ucon,
            unit_source=usrc,
            range_high=(np.full(len(w), uln), ~uln_known[w]),
            range_low=(np.full(len(w), uln / 2), ~uln_known[w]),
            seconds=_sec(c.rng, len(w)),
        )


def _renal(c: Chunk, idx: np.ndarray, s: dict[str, np.ndarray]) -> None:
    """Creatinine within 3 months (very high / normal / none) and 3–6 months before (high /
    normal / none); weight and height — R-V3 recent renal insufficiency and R-E2b clearance."""
    rng = c.rng
    k = len(idx)
    recent, mid = s["recent"], s["mid"]
    uln_missing = s["uln_missing"]
    rows_recent = recent != "none"
    rows_mid = mid != "none"
    recent_val = np.where(recent == "very_high", _u(rng, 800, 1000, k, 0), _u(rng, 50, 85, k, 0))
    mid_val = np.where(mid == "high", _u(rng, 130, 250, k, 0), _u(rng, 50, 85, k, 0))
    # A missing ULN only on normal values (a high value keeps its ULN).
    recent_uln = ~(uln_missing & (recent == "normal"))
    mid_uln = ~(uln_missing & (mid == "normal"))
    w = _where(rows_recent)
    _creatinine_rows(c, idx[w], c.days(5, 80, len(w)), recent_val[w], recent_uln[w])
    w = _where(rows_mid)
    _creatinine_rows(c, idx[w], c.days(100, 170, len(w)), mid_val[w], mid_uln[w])
    w = _where(rng.random(k) < 0.8)
    _creatinine_rows(
        c, idx[w], c.days(200, 1500, len(w)), _u(rng, 50, 300, len(w), 0), np.ones(len(w), bool)
    )
    qualifying = (rows_recent & (recent == "very_high")) | (rows_mid & (mid == "high"))
    any_rows = rows_recent | rows_mid
    no_uln = (rows_recent & ~recent_uln) | (rows_mid & ~mid_uln)
    c.set(
        "R-V3.recent_renal_insufficiency",
        idx,
        np.select([qualifying, any_rows & no_uln, any_rows], [MET, UNKNOWN, NOT_MET], UNKNOWN),
    )
    # Weight (3 months) and height (24 months), in kg/g and cm/m.
    heavy = recent == "very_high"
    has_w, has_h = s["weight"], s["height"]
    weight = np.where(heavy, _u(rng, 45, 60, k), _u(rng, 50, 90, k))
    height = np.where(heavy, _u(rng, 150, 175, k, 0), _u(rng, 150, 190, k, 0))
    w = _where(has_w)
    grams = rng.random(len(w)) < 0.2
    c.measurement(
        idx[w],
        WEIGHT,
        c.days(5, 80, len(w)),
        np.where(grams, weight[w] * 1000, weight[w]),
        unit_source=np.where(grams, "g", "kg").astype(object),
        unit_concept=(np.full(len(w), U_KG), grams),
        seconds=_sec(rng, len(w)),
    )
    w = _where(has_h)
    metres = rng.random(len(w)) < 0.2
    c.measurement(
        idx[w],
        HEIGHT,
        c.days(30, 600, len(w)),
        np.where(metres, height[w] / 100, height[w]),
        unit_source=np.where(metres, "m", "cm").astype(object),
        unit_concept=(np.full(len(w), U_CM), metres),
        seconds=_sec(rng, len(w)),
    )
    old = _where(rng.random(k) < 0.5)
    c.measurement(
        idx[old],
        WEIGHT,
        c.days(200, 900, len(old)),
        _u(rng, 40, 100, len(old)),
        unit_source="kg",
        unit_concept=U_KG,
    )
    year, month, no_month = c.birth  # type: ignore[attr-defined]
    del year, month
    birth_known = ~no_month
    sex_known = np.isin(c.sex, ["F", "M"])  # type: ignore[attr-defined]
    computable = birth_known & sex_known & has_w & has_h & rows_recent
    c.set(
        "R-E2b.clearance", idx, np.select([computable & heavy, computable], [MET, NOT_MET], UNKNOWN)
    )


def _latest_value(
    leaf: str,
    concept: int,
    window: tuple[int, int],
    bad: tuple[float, float],
    good: tuple[float, float],
    units: list[tuple[int | None, str, float]],
    nd: int = 1,
) -> Element:
    """The latest value in a window against a threshold: ``bad`` values meet the criterion.
    Several units, each with its factor to the canonical unit (values are drawn canonical)."""

    def write(c: Chunk, idx: np.ndarray, s: np.ndarray) -> None:
        rng = c.rng
        k = len(idx)
        value = np.where(s == "bad", _u(rng, *bad, k, nd + 2), _u(rng, *good, k, nd + 2))
        other = np.where(s == "bad", _u(rng, *good, k, nd + 2), _u(rng, *bad, k, nd + 2))
        choice = rng.integers(0, len(units), k)
        has = np.isin(s, ["bad", "good"])
        latest_day = c.days(window[0], (window[0] + window[1]) // 2, k)
        earlier = has & (rng.random(k) < 0.4)
        for j, (ucon, usrc, per_canonical) in enumerate(units):
            for mask, day, vals in ((has, latest_day, value), (earlier, latest_day + 7, other)):
                w = _where(mask & (choice == j))
                shown = np.round(vals[w] * per_canonical, nd + 2)
                c.measurement(
                    idx[w],
                    concept,
                    day[w],
                    shown,
                    unit_concept=ucon,
                    unit_source=usrc,
                    seconds=_sec(rng, len(w)),
                )
        old = _where(s == "old_only")
        c.measurement(
            idx[old],
            concept,
            c.days(window[1] + 40, window[1] + 400, len(old)),
            _u(rng, *bad, len(old), nd),
            unit_concept=units[0][0],
            unit_source=units[0][1],
        )
        c.set(leaf, idx, np.select([s == "bad", s == "good"], [MET, NOT_MET], UNKNOWN))

    return write


def _uln(
    leaf: str, concept: int, uln: float, units: list[tuple[int | None, str, float]]
) -> Element:
    """≥ 3 × ULN on ≥ 2 measurements in 3 months, the latest included (R-E2d)."""

    def write(c: Chunk, idx: np.ndarray, s: np.ndarray) -> None:
        rng = c.rng
        k = len(idx)
        latest_day, older_day = c.days(5, 30, k), c.days(40, 80, k)
        high, normal = uln * _u(rng, 3.6, 6, k, 2), uln * _u(rng, 0.4, 1.4, k, 2)
        latest = np.where(np.isin(s, ["met", "one_high"]), high, normal)
        older = np.where(s == "met", uln * _u(rng, 3.6, 6, k, 2), normal)
        older = np.where(s == "latest_normal", np.where(rng.random(k) < 0.5, high, normal), older)
        has_older = np.isin(s, ["met", "one_high", "latest_normal", "latest_no_uln"])
        has_latest = s != "none"
        choice = rng.integers(0, len(units), k)
        for j, (ucon, usrc, per_canonical) in enumerate(units):
            for mask, day, vals, uln_missing in (
                (has_latest, latest_day, latest, s == "latest_no_uln"),
                (has_older, older_day, older, np.zeros(k, bool)),
            ):
                w = _where(mask & (choice == j))
                limit = np.full(len(w), round(uln * per_canonical, 3))
                c.measurement(
                    idx[w],
                    concept,
                    day[w],
                    np.round(vals[w] * per_canonical, 3),
                    unit_concept=ucon,
                    unit_source=usrc,
                    range_high=(limit, uln_missing[w]),
                    seconds=_sec(rng, len(w)),
                )
        c.set(leaf, idx, np.select([s == "met", s == "latest_normal"], [MET, NOT_MET], UNKNOWN))

    return write


# The data elements of a case, in the order they are written.
def _specs() -> dict[str, Spec]:
    yn = {"yes": 0.55, "no": 0.25, "unrecorded": 0.2}
    statement = {"yes": 0.3, "no": 0.3, "unrecorded": 0.4}
    specs: dict[str, Spec] = {
        "birth": Spec(
            {"adult": 0.7, "old": 0.1, "young": 0.04, "no_month": 0.1, "boundary70": 0.06},
            "adult",
            None,
            _birth,
        ),
        "sex": Spec({"F": 0.72, "M": 0.22, "unknown": 0.06}, "F", None, _sex),
        "diagnosis": Spec({p: 0.2 for p in PROFILES}, "full_yes", None, _diagnosis),
        "childbearing": Spec(
            {**yn, "yes_then_no": 0.05, "no_then_yes": 0.05},
            "yes",
            None,
            _answers(
                "childbearing_potential",
                "R-I5.childbearing_potential",
                "R-E1.childbearing_potential",
                latest=True,
            ),
        ),
        "contraception": Spec(
            {**yn, "yes_then_no": 0.05, "no_then_yes": 0.05},
            "yes",
            None,
            _answers(
                "effective_contraception", "R-I5.contraception", "R-E1.contraception", latest=True
            ),
        ),
        "social_security": Spec(
            {"yes": 0.7, "no": 0.1, "unrecorded": 0.15, "no_then_yes": 0.05},
            "yes",
            None,
            _answers("social_security", "R-I4.social_security", "R-E11.affiliated", latest=True),
        ),
        "donor": Spec(
            yn, "yes", "unrecorded", _answers("consenting_donor", "R-I4.donor", latest=False)
        ),
        "cyclophosphamide": Spec(
            {"none": 0.2, "never": 0.2, "old": 0.3, "recent": 0.2, "undated": 0.1},
            "old",
            "none",
            _cyclophosphamide,
        ),
        "mrss": Spec(
            {"high": 0.45, "low": 0.3, "none": 0.15, "old_only": 0.1}, "high", "none", _mrss
        ),
        "pft": Spec(
            {"both": 0.5, "current_only": 0.2, "baseline_only": 0.1, "none": 0.2},
            "good",
            "none",
            _pft,
        ),
        "ild": Spec(
            _findings_weights(False, 0.4),
            "yes",
            "unrecorded",
            _finding("ild_on_imaging", "R-V1.ild", latest=False, also=_ild_condition),
        ),
        "pregnancy": Spec(
            {"positive": 0.05, "negative": 0.55, "none": 0.25, "old_positive": 0.15},
            "negative",
            None,
            _pregnancy,
        ),
        "blood_pressure": Spec(
            {"met": 0.2, "one_high": 0.15, "same_day_untimed": 0.1, "normal": 0.4, "none": 0.15},
            "normal",
            None,
            _blood_pressure,
        ),
        "lvef": Spec(
            {"bad": 0.15, "good": 0.6, "none": 0.15, "old_only": 0.1},
            "good",
            "none",
            _latest_value(
                "R-E2c.lvef",
                LVEF,
                (5, 330),
                (20, 33),
                (45, 70),
                [(U_PERCENT, "%", 1.0), (None, "%", 1.0)],
                0,
            ),
        ),
        "echo_spap": Spec(
            {"bad": 0.2, "good": 0.55, "none": 0.15, "old_only": 0.1},
            "good",
            "none",
            _latest_value(
                "R-E2a.echo_spap",
                ECHO_SPAP,
                (5, 330),
                (45, 70),
                (20, 38),
                [(U_MMHG, "mmHg", 1.0), (None, "mmHg", 1.0)],
                0,
            ),
        ),
        "mpap": Spec(
            {"bad": 0.2, "good": 0.3, "none": 0.5},
            "good",
            None,
            _latest_value(
                "R-E2a.mpap", RHC_MPAP, (5, 330), (28, 45), (12, 23), [(U_MMHG, "mmHg", 1.0)], 0
            ),
        ),
        "pao2": Spec(
            {"bad": 0.15, "good": 0.55, "none": 0.3},
            "good",
            None,
            _latest_value(
                "R-E2a.pao2",
                PAO2,
                (5, 80),
                (45, 57),
                (65, 95),
                [(U_MMHG, "mmHg", 1.0), (None, "kPa", 1 / 7.500615758456563)],
                1,
            ),
        ),
        "paco2": Spec(
            {"bad": 0.15, "good": 0.55, "none": 0.3},
            "good",
            None,
            _latest_value(
                "R-E2a.paco2",
                PACO2,
                (5, 80),
                (53.5, 65),
                (32, 45.5),
                [(U_MMHG, "mmHg", 1.0), (None, "kPa", 1 / 7.500615758456563)],
                1,
            ),
        ),
        "neutrophils": Spec(
            {"bad": 0.1, "good": 0.7, "none": 0.2},
            "good",
            None,
            _latest_value(
                "R-E5.neutrophils",
                NEUTROPHILS,
                (5, 80),
                (0.1, 0.4),
                (1.8, 6.0),
                [(None, "G/L", 1.0), (U_K_UL, "10*3/uL", 1.0), (None, "/mm3", 1000.0)],
                2,
            ),
        ),
        "platelets": Spec(
            {"bad": 0.1, "good": 0.7, "none": 0.2},
            "good",
            None,
            _latest_value(
                "R-E5.platelets",
                PLATELETS,
                (5, 80),
                (10, 40),
                (150, 400),
                [(None, "G/L", 1.0), (U_K_UL, "10*3/uL", 1.0)],
                0,
            ),
        ),
        "haemoglobin": Spec(
            {"bad": 0.1, "good": 0.7, "none": 0.2},
            "good",
            None,
            _latest_value(
                "R-E5.haemoglobin",
                HAEMOGLOBIN,
                (5, 80),
                (5, 7.5),
                (11, 15),
                [(U_G_DL, "g/dL", 1.0), (U_G_L, "g/L", 10.0)],
                1,
            ),
        ),
        "cd4": Spec(
            {"bad": 0.1, "good": 0.5, "none": 0.4},
            "good",
            "none",
            _latest_value(
                "R-E5.cd4",
                CD4,
                (5, 80),
                (50, 180),
                (400, 1200),
                [(U_PER_UL, "/uL", 1.0), (None, "/mm3", 1.0)],
                0,
            ),
        ),
        "alt": Spec(
            {"met": 0.1, "one_high": 0.1, "latest_normal": 0.5, "latest_no_uln": 0.1, "none": 0.2},
            "latest_normal",
            None,
            _uln("R-E2d.alt", ALT, 35.0, [(U_U_L, "U/L", 1.0), (None, "UI/L", 1.0)]),
        ),
        "ast": Spec(
            {"met": 0.1, "one_high": 0.1, "latest_normal": 0.5, "latest_no_uln": 0.1, "none": 0.2},
            "latest_normal",
            None,
            _uln("R-E2d.ast", AST, 40.0, [(U_U_L, "U/L", 1.0)]),
        ),
        "bilirubin": Spec(
            {"met": 0.1, "one_high": 0.1, "latest_normal": 0.5, "latest_no_uln": 0.1, "none": 0.2},
            "latest_normal",
            None,
            _uln(
                "R-E2d.bilirubin",
                BILIRUBIN,
                17.1,
                [(U_UMOL_L, "µmol/L", 1.0), (U_MG_DL, "mg/dL", 1 / 17.1)],
            ),
        ),
    }
    statements = {
        "refractory_to_recommended_immunosuppression": ("R-I3a.refractory", "yes"),
        "contraindication_to_recommended_immunosuppression": ("R-I3a.contraindicated", "no"),
        "life_threatening_fibrosing_lung_disease": ("R-I3a.lung.life_threatening", "no"),
        "lung_transplant_ruled_out": ("R-I3a.lung.transplant_ruled_out", "no"),
        "non_ssc_causes_excluded_respiratory": ("R-I3e.respiratory.excluded", "yes"),
        "non_ssc_causes_excluded_cardiac": ("R-I3e.cardiac.excluded", "no"),
        "non_ssc_causes_excluded_renal": ("R-I3e.renal.excluded", "no"),
        "uncontrolled_psychiatric_disorder": ("R-E3", "no"),
        "poor_compliance_risk": ("R-E10", "no"),
        "informed_consent": ("R-I4.consent", "yes"),
    }
    for code, (leaf, good) in statements.items():
        missing = (
            "unrecorded"
            if code in ("informed_consent", "non_ssc_causes_excluded_respiratory")
            else None
        )
        specs[f"statement:{code}"] = Spec(statement, good, missing, _statement(code, leaf))
    findings: list[tuple[str, str, bool, Callable[[Chunk, np.ndarray], None] | None]] = [
        ("reversible_congestive_heart_failure", "R-V2.heart_failure", False, None),
        ("recurrent_rhythm_disorder", "R-V2.rhythm_disorder", False, None),
        ("av_block_2nd_3rd_degree", "R-V2.av_block", False, None),
        ("pericardial_effusion_treated", "R-V2.pericardial_effusion", False, _drainage),
        ("urinary_sediment_abnormality", "R-V3.urinary_sediment", False, None),
        ("microangiopathic_haemolytic_anaemia", "R-V3.microangiopathy", False, None),
        ("pah_rhc_confirmed", "R-E2a.pah_confirmed", False, None),
        ("cyclophosphamide_cystitis_sequelae", "R-E2b.cystitis", False, None),
        ("refractory_congestive_heart_failure", "R-E2c.heart_failure", True, None),
        ("uncontrolled_ventricular_arrhythmia", "R-E2c.arrhythmia", True, None),
        ("pericardial_effusion_haemodynamic", "R-E2c.pericardial_effusion", True, None),
        ("neoplasia_history", "R-E4.history", False, None),
        ("active_neoplasia", "R-E4.active", True, None),
        ("myelodysplasia", "R-E4.myelodysplasia", True, None),
        ("uncontrolled_hypertension", "R-E6", True, None),
        ("uncontrolled_infection", "R-E7.infection", True, None),
        ("hiv_serology", "R-E7.hiv", True, None),
        ("htlv_serology", "R-E7.htlv", True, None),
        ("active_chronic_hepatitis_b", "R-E8.hepatitis_b", True, None),
        ("active_chronic_hepatitis_c", "R-E8.hepatitis_c", True, None),
        ("exposure_bleomycin", "R-E9.bleomycin", False, _bleomycin),
        ("exposure_toxic_oil", "R-E9.toxic_oil", False, None),
        ("exposure_vinyl_chloride", "R-E9.vinyl_chloride", False, None),
        ("exposure_trichloroethylene", "R-E9.trichloroethylene", False, None),
        ("exposure_silica", "R-E9.silica", False, None),
        ("eosinophilia_myalgia_syndrome", "R-E9.eosinophilia_myalgia_syndrome", False, None),
        ("eosinophilic_fasciitis", "R-E9.eosinophilic_fasciitis", False, None),
    ]
    for code, leaf, latest, also in findings:
        missing = "unrecorded" if code == "hiv_serology" else None
        specs[f"finding:{code}"] = Spec(
            _findings_weights(latest, 0.1),
            "no",
            missing,
            _finding(code, leaf, latest=latest, also=also),
        )
    return specs


def _pregnancy(c: Chunk, idx: np.ndarray, s: np.ndarray) -> None:
    for scenario, lo, hi, yes in (
        ("positive", 2, 20, True),
        ("negative", 2, 20, False),
        ("old_positive", 60, 300, True),
    ):
        here = idx[s == scenario]
        c.answer(here, "pregnancy", c.days(lo, hi, len(here)), np.full(len(here), yes))
    c.set(
        "R-E1.pregnancy",
        idx,
        np.select([s == "positive", s == "negative"], [MET, NOT_MET], UNKNOWN),
    )


RENAL = {
    "recent": ({"very_high": 0.15, "normal": 0.65, "none": 0.2}, "normal"),
    "mid": ({"high": 0.2, "normal": 0.5, "none": 0.3}, "normal"),
}


# --- Background ----------------------------------------------------------------------------------


def _background(c: Chunk, idx: np.ndarray) -> None:
    """Lab panels, blood pressures, weights, diagnoses and drugs of persons without SSc."""
    rng = c.rng
    k = len(idx)
    panels = rng.integers(2, 5, k)
    for p in range(4):
        w = _where(panels > p)
        before = c.days(0 if p == 0 else 100, 1100, len(w))
        sec = np.where(rng.random(len(w)) < 0.8, _sec(rng, len(w), 7, 12), -1)
        pid = idx[w]
        n = len(w)
        c.measurement(
            pid,
            CREAT_MOLES,
            before,
            _u(rng, 45, 130, n, 0),
            unit_concept=U_UMOL_L,
            unit_source="µmol/L",
            range_high=90.0,
            range_low=45.0,
            seconds=sec,
        )
        c.measurement(
            pid,
            HAEMOGLOBIN,
            before,
            _u(rng, 9, 16.5, n),
            unit_concept=U_G_DL,
            unit_source="g/dL",
            range_low=12.0,
            range_high=16.0,
            seconds=sec,
        )
        c.measurement(
            pid,
            PLATELETS,
            before,
            _u(rng, 120, 420, n, 0),
            unit_source="G/L",
            range_low=150.0,
            range_high=400.0,
            seconds=sec,
        )
        c.measurement(
            pid,
            NEUTROPHILS,
            before,
            _u(rng, 1.2, 7.5, n, 2),
            unit_source="G/L",
            range_low=1.5,
            range_high=7.0,
            seconds=sec,
        )
        c.measurement(
            pid,
            ALT,
            before,
            _u(rng, 8, 70, n, 0),
            unit_concept=U_U_L,
            unit_source="U/L",
            range_high=35.0,
            seconds=sec,
        )
        c.measurement(
            pid,
            AST,
            before,
            _u(rng, 8, 70, n, 0),
            unit_concept=U_U_L,
            unit_source="U/L",
            range_high=40.0,
            seconds=sec,
        )
        c.measurement(
            pid,
            BILIRUBIN,
            before,
            _u(rng, 3, 25, n, 0),
            unit_concept=U_UMOL_L,
            unit_source="µmol/L",
            range_high=17.0,
            seconds=sec,
        )
    visits = rng.integers(1, 4, k)
    for v in range(3):
        w = _where(visits > v)
        _bp_pair(
            c,
            idx[w],
            c.days(0, 1100, len(w)),
            _sec(rng, len(w)),
            _u(rng, 100, 175, len(w), 0),
            _u(rng, 55, 105, len(w), 0),
        )
    c.measurement(
        idx, WEIGHT, c.days(0, 1100, k), _u(rng, 45, 120, k), unit_concept=U_KG, unit_source="kg"
    )
    diagnoses = rng.integers(0, 4, k)
    for d in range(3):
        w = _where(diagnoses > d)
        c.condition(idx[w], rng.choice(NOISE_CONDITIONS, len(w)), c.days(0, 4000, len(w)))
    w = _where(rng.random(k) < 0.3)
    c.drug(idx[w], rng.choice(NOISE_DRUGS, len(w)), c.days(0, 2000, len(w)))


# --- Broken rows ---------------------------------------------------------------------------------

REJECT_KINDS = (
    "nan",
    "unparseable_value",
    "unknown_unit",
    "wrong_unit",
    "unparseable_answer",
    "no_date",
    "month_13",
)


def _broken(c: Chunk, idx: np.ndarray, cases: np.ndarray) -> None:
    """One broken row for a few persons (the month of birth only for persons without SSc, whose
    screening it would otherwise change)."""
    rng = c.rng
    kinds = rng.choice(len(REJECT_KINDS), len(idx))
    for j, kind in enumerate(REJECT_KINDS):
        w = idx[kinds == j]
        if kind == "month_13":
            continue
        day = c.days(10, 200, len(w))
        if kind == "nan":
            ids = c.measurement(
                w,
                CREAT_MOLES,
                day,
                np.full(len(w), math.nan),
                unit_concept=U_UMOL_L,
                unit_source="µmol/L",
            )
        elif kind == "unparseable_value":
            ids = c.measurement(
                w,
                PLATELETS,
                day,
                np.zeros(len(w)),
                value_missing=np.ones(len(w), bool),
                value_source="<50",
                unit_source="G/L",
            )
        elif kind == "unknown_unit":
            ids = c.measurement(w, HAEMOGLOBIN, day, _u(rng, 9, 15, len(w)), unit_source="furlongs")
        elif kind == "wrong_unit":
            ids = c.measurement(w, PLATELETS, day, _u(rng, 100, 300, len(w)), unit_source="mmol/L")
        elif kind == "unparseable_answer":
            ids = c.tables["observation"].add(
                len(w),
                person_id=c.person_ids[w],
                observation_concept_id=OBSERVATION["neoplasia_history"],
                observation_date=c.date(day),
                observation_type_concept_id=EHR,
                value_as_string="peut-être",
                observation_source_concept_id=0,
            )
        else:  # no_date
            ids = c.tables["measurement"].add(
                len(w),
                person_id=c.person_ids[w],
                measurement_concept_id=ALT,
                measurement_date=(c.date(day), np.ones(len(w), bool)),
                measurement_type_concept_id=EHR,
                value_as_number=_u(rng, 10, 40, len(w), 0),
                unit_source_value="U/L",
                measurement_source_concept_id=0,
            )
        table = "observation" if kind == "unparseable_answer" else "measurement"
        c.rejects.extend({"omop_table": table, "row_id": str(i), "kind": kind} for i in ids)
    del cases


# --- The generator -------------------------------------------------------------------------------


@dataclass
class Summary:
    persons: int
    cases: int
    rows: dict[str, int]
    seconds: float
    out: Path


def _vocabulary(out: Path) -> None:
    """The concept rows this warehouse's concept map needs resolved (synthetic stand-ins for the
    LOINC codes whose OMOP ids are unverified) and the ancestors of the concept sets."""
    concept = pa.table(
        {
            "concept_id": pa.array(
                [FVC, CD4, U_MMHG_UCUM, SSC, SSC_SYNTHETIC_CHILD, *CYCLO_PRODUCTS, BLEO_PRODUCT],
                I64,
            ),
            "concept_name": [
                "FVC % predicted (synthetic id)",
                "CD4 count (synthetic id)",
                "millimeter mercury column (synthetic id)",
                "Systemic sclerosis",
                "systemic sclerosis, synthetic descendant",
                "cyclophosphamide 500 MG injection (synthetic id)",
                "cyclophosphamide 1000 MG injection (synthetic id)",
                "bleomycin 15 UNT injection (synthetic id)",
            ],
            "vocabulary_id": [
                "LOINC",
                "LOINC",
                "UCUM",
                "SNOMED",
                "SNOMED",
                "RxNorm",
                "RxNorm",
                "RxNorm",
            ],
            "concept_code": [
                "19872-1",
                "24467-3",
                "mm[Hg]",
                "89155008",
                "synthetic-1",
                "synthetic-2",
                "synthetic-3",
                "synthetic-4",
            ],
        }
    )
    pairs = [
        (SSC, SSC),
        (SSC, SSC_DIFFUSE),
        (SSC, SSC_LUNG),
        (SSC, SSC_RENAL_CRISIS),
        (SSC, SSC_SYNTHETIC_CHILD),
        (CYCLOPHOSPHAMIDE, CYCLOPHOSPHAMIDE),
        (CYCLOPHOSPHAMIDE, CYCLO_PRODUCTS[0]),
        (CYCLOPHOSPHAMIDE, CYCLO_PRODUCTS[1]),
        (BLEOMYCIN, BLEO_PRODUCT),
    ]
    ancestor = pa.table(
        {
            "ancestor_concept_id": pa.array([a for a, _ in pairs], I64),
            "descendant_concept_id": pa.array([d for _, d in pairs], I64),
        }
    )
    pq.write_table(concept, out / "concept.parquet")
    pq.write_table(ancestor, out / "concept_ancestor.parquet")


def _chunk(
    c: Chunk,
    specs: dict[str, Spec],
    ssc_share: float,
    eligible_share: float,
    near_share: float,
    broken_share: float,
) -> tuple[np.ndarray, np.ndarray]:
    rng = c.rng
    n = c.n
    case = rng.random(n) < ssc_share
    # Person table (gender and birth of cases come from their scenarios).
    gender = np.where(rng.random(n) < 0.55, FEMALE, MALE)
    year = INDEX_DATE.year - rng.integers(1, 95, n)
    month = rng.integers(1, 13, n)
    month_missing = rng.random(n) < 0.05
    idx = _where(case)
    profile = np.full(n, "", dtype=object)
    profile[idx] = "random"
    draw = rng.random(len(idx))
    eligible = idx[draw < eligible_share]
    near = idx[(draw >= eligible_share) & (draw < eligible_share + near_share)]
    profile[eligible] = "eligible"
    profile[near] = "near"
    missable = [name for name, spec in specs.items() if spec.missing is not None]
    skipped: dict[str, list[int]] = {name: [] for name in missable}
    for p in near:
        for name in rng.choice(missable, rng.integers(1, 4), replace=False):
            skipped[str(name)].append(int(p))
    scenario: dict[str, np.ndarray] = {}
    for name, spec in specs.items():
        s = c.pick(idx, spec.weights)
        s[np.isin(idx, eligible) | np.isin(idx, near)] = spec.good
        if spec.missing is not None and skipped[name]:
            s[np.isin(idx, skipped[name])] = spec.missing
        scenario[name] = s
        spec.write(c, idx, s)
        if name == "sex":
            gender[idx] = np.select([s == "F", s == "M"], [FEMALE, MALE], 0)
        if name == "birth":
            b_year, b_month, no_month = c.birth  # type: ignore[attr-defined]
            year[idx], month[idx] = b_year, b_month
            month_missing[idx] = no_month
    # Renal (creatinine, weight, height) depends on birth and sex.
    renal = {k: c.pick(idx, w) for k, (w, _) in RENAL.items()}
    renal["uln_missing"] = rng.random(len(idx)) < 0.15
    renal["weight"] = rng.random(len(idx)) < 0.85
    renal["height"] = rng.random(len(idx)) < 0.85
    good = np.isin(idx, eligible) | np.isin(idx, near)
    for key, (_, value) in RENAL.items():
        renal[key][good] = value
    renal["uln_missing"][good] = False
    renal["weight"][good] = True
    renal["height"][good] = True
    _renal(c, idx, renal)
    # Month 13 for a few persons without SSc (rejected; a case's screening would change).
    others = _where(~case)
    broken = _where(rng.random(n) < broken_share)
    month_13 = np.intersect1d(others[rng.random(len(others)) < broken_share / 7], broken)
    month_bad = month.copy()
    month_bad[month_13] = 13
    c.tables["person"].add(
        n,
        person_id=c.person_ids,
        gender_concept_id=gender,
        year_of_birth=year,
        month_of_birth=(month_bad, month_missing & ~np.isin(np.arange(n), month_13)),
        race_concept_id=0,
        ethnicity_concept_id=0,
        gender_source_value=np.where(
            gender == FEMALE, "F", np.where(gender == MALE, "M", "X")
        ).astype(object),
    )
    c.rejects.extend(
        {"omop_table": "person", "row_id": str(c.person_ids[i]), "kind": "month_13"}
        for i in month_13
    )
    start = c.days(400, 4000, n)
    end = c.days(-200, 100, n)
    c.tables["observation_period"].add(
        n,
        person_id=c.person_ids,
        observation_period_start_date=c.date(start),
        observation_period_end_date=c.date(end),
        period_type_concept_id=EHR,
    )
    _background(c, others)
    _broken(c, broken, case)
    return case, profile


def generate(
    out: Path | str,
    persons: int,
    seed: int,
    *,
    ssc_share: float = 0.05,
    eligible_share: float = 0.05,
    near_share: float = 0.1,
    broken_share: float = 0.002,
    chunk_size: int = 100_000,
    progress: bool = False,
) -> Summary:
    """Write a synthetic warehouse of ``persons`` persons to ``out`` (replaced if it exists)."""
    import time

    started = time.perf_counter()
    folder = Path(out)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    tables = {name: Rows(name, folder) for name in SCHEMAS}
    specs = _specs()
    truth_parts: list[pa.Table] = []
    rejects: list[dict[str, Any]] = []
    cases_total = 0
    starts = list(range(0, persons, chunk_size))
    bar: Any = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=persons, unit="person", desc="synth-omop")
    for number, first in enumerate(starts):
        n = min(chunk_size, persons - first)
        ids = np.arange(first + 1, first + n + 1, dtype=np.int64)
        chunk = Chunk(np.random.default_rng([seed, number]), ids, (INDEX_DATE - EPOCH).days, tables)
        case, profile = _chunk(chunk, specs, ssc_share, eligible_share, near_share, broken_share)
        cases_total += int(case.sum())
        columns: dict[str, Any] = {
            "person_id": pa.array(ids, I64),
            "in_population": pa.array(case),
            "profile": pa.array(profile, STR),
        }
        for leaf in sorted(chunk.truth):
            values = chunk.truth[leaf].copy()
            values[~case] = None
            columns[leaf] = pa.array(values, STR)
        truth_parts.append(pa.table(columns))
        rejects.extend(chunk.rejects)
        for rows in tables.values():
            rows.flush()
        if bar is not None:
            bar.update(n)
    if bar is not None:
        bar.close()
    _vocabulary(folder)
    truth = pa.concat_tables(truth_parts, promote_options="default")
    pq.write_table(truth, folder / "ground_truth.parquet")
    pq.write_table(
        pa.table(
            {
                "omop_table": pa.array([r["omop_table"] for r in rejects], STR),
                "row_id": pa.array([r["row_id"] for r in rejects], STR),
                "kind": pa.array([r["kind"] for r in rejects], STR),
            }
        ),
        folder / "ground_truth_rejects.parquet",
    )
    rows_written = {name: t.written for name, t in tables.items()}
    (folder / "generator.json").write_text(
        json.dumps(
            {
                "persons": persons,
                "seed": seed,
                "index_date": INDEX_DATE.isoformat(),
                "ssc_share": ssc_share,
                "eligible_share": eligible_share,
                "near_share": near_share,
                "broken_share": broken_share,
                "cases": cases_total,
                "rows": rows_written,
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    return Summary(persons, cases_total, rows_written, time.perf_counter() - started, folder)


def iter_leaves_with_truth(truth: pa.Table) -> Iterator[str]:
    skip = {"person_id", "in_population", "profile"}
    return (c for c in truth.column_names if c not in skip)
