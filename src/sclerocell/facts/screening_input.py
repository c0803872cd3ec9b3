"""The screening input: one person's data as a JSON document (``docs/screening-input.md``), turned
into facts. Every problem is reported at the field that caused it (``measurements[2].unit``), in
French and English, and nothing is returned unless the whole document is valid.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sclerocell.clinical.errors import ClinicalInputError
from sclerocell.clinical.mrss import MAX_SITE_SCORE, SITE_IDS
from sclerocell.clinical.renal import Sex, parse_sex
from sclerocell.criteria.text import Text
from sclerocell.facts import codes
from sclerocell.facts.schema import Fact
from sclerocell.facts.units import normalise, normalise_reference

FORMAT = "sclerocell-screening/1"
Role = Literal["recipient", "donor"]
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")

_PRESENT = {"present": 1.0, "positive": 1.0, "yes": 1.0, "absent": 0.0, "negative": 0.0, "no": 0.0}
_GIVEN = {"given": 1.0, "never": 0.0}
_ANSWER = {"yes": 1.0, "no": 0.0}
_CONSENT = {"signed": 1.0, "refused": 0.0}


@dataclass(frozen=True, slots=True)
class FieldError:
    path: str
    message: Text


class InputError(ValueError):
    """The document is not a valid screening input; ``errors`` says where and why."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{e.path}: {e.message.en}" for e in errors))
        self.errors = errors


@dataclass(frozen=True, slots=True)
class DonorLink:
    """A donor listed in a recipient's file."""

    donor_id: str
    relationship: str
    consent_signed: dt.date | None


@dataclass(frozen=True, slots=True)
class ScreeningInput:
    role: Role
    subject_id: str
    index_date: dt.date | None
    facts: tuple[Fact, ...]
    donors: tuple[DonorLink, ...] = ()


class _Reader:
    def __init__(self, subject_id: str) -> None:
        self.subject_id = subject_id
        self.errors: list[FieldError] = []
        self.facts: list[Fact] = []
        self.ids: set[str] = set()

    def error(self, path: str, fr: str, en: str) -> None:
        self.errors.append(FieldError(path, Text(fr, en)))

    def required(self, record: Mapping[str, Any], key: str, path: str) -> Any:
        if record.get(key) is None:
            self.error(f"{path}.{key}", "champ obligatoire", "required field")
        return record.get(key)

    def date(self, value: Any, path: str, *, required: bool = False) -> dt.date | None:
        if value is None:
            if required:
                self.error(path, "champ obligatoire", "required field")
            return None
        try:
            return (
                dt.date.fromisoformat(value)
                if isinstance(value, str) and len(value) == 10
                else _bad()
            )
        except ValueError:
            self.error(
                path,
                f"date attendue AAAA-MM-JJ, reçu {value!r}",
                f"expected a date YYYY-MM-DD, got {value!r}",
            )
            return None

    def time(self, value: Any, path: str) -> dt.time | None:
        if value is None:
            return None
        try:
            parsed = dt.time.fromisoformat(value) if isinstance(value, str) else _bad()
        except ValueError:
            self.error(
                path,
                f"heure attendue HH:MM, reçu {value!r}",
                f"expected a time HH:MM, got {value!r}",
            )
            return None
        return parsed.replace(microsecond=0, tzinfo=None)

    def number(self, value: Any, path: str, *, required: bool = True) -> float | None:
        if value is None:
            if required:
                self.error(path, "champ obligatoire", "required field")
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            self.error(path, f"nombre attendu, reçu {value!r}", f"expected a number, got {value!r}")
            return None
        return float(value)

    def choice(self, value: Any, choices: Mapping[str, float], path: str) -> float | None:
        if not isinstance(value, str) or value not in choices:
            allowed = ", ".join(choices)
            self.error(
                path,
                f"valeur attendue parmi {allowed}, reçu {value!r}",
                f"expected one of {allowed}, got {value!r}",
            )
            return None
        return choices[value]

    def code(self, value: Any, kinds: tuple[str, ...], path: str) -> str | None:
        if not isinstance(value, str) or value not in codes.CODES:
            self.error(path, f"code inconnu {value!r}", f"unknown code {value!r}")
            return None
        if codes.get(value).kind not in kinds:
            wanted = " ou ".join(kinds)
            self.error(
                path,
                f"le code {value!r} n'est pas de type {wanted}",
                f"code {value!r} is not a {' or '.join(kinds)}",
            )
            return None
        return value

    def row_id(self, record: Mapping[str, Any], path: str) -> str:
        """The record's ``id`` (or its path): the source row id of the facts it yields."""
        given = record.get("id")
        if given is not None and not isinstance(given, str):
            self.error(f"{path}.id", "identifiant texte attendu", "expected a text id")
        row_id = given if isinstance(given, str) and given else path
        if row_id in self.ids:
            self.error(
                f"{path}.id", f"identifiant en double {row_id!r}", f"duplicate id {row_id!r}"
            )
        self.ids.add(row_id)
        return row_id

    def add(self, **fields: Any) -> None:
        fields.setdefault("source", "screening-input")
        self.facts.append(Fact(subject_id=self.subject_id, **fields))

    def check_unique(self) -> None:
        seen: set[str] = set()
        for fact in self.facts:
            if fact.source_row_id in seen:
                row = fact.source_row_id
                self.error(row, f"identifiant en double {row!r}", f"duplicate id {row!r}")
            seen.add(fact.source_row_id)


def _bad() -> Any:
    raise ValueError


def _records(
    reader: _Reader, data: Mapping[str, Any], key: str
) -> list[tuple[str, Mapping[str, Any]]]:
    value = data.get(key, [])
    if not isinstance(value, list):
        reader.error(key, "liste attendue", "expected a list")
        return []
    out = []
    for n, record in enumerate(value):
        if not isinstance(record, Mapping):
            reader.error(f"{key}[{n}]", "objet attendu", "expected an object")
            continue
        out.append((f"{key}[{n}]", record))
    return out


def _person(reader: _Reader, person: Mapping[str, Any], role: Role) -> None:
    if "sex" in person and person["sex"] is not None:
        try:
            sex = parse_sex(person["sex"])
            reader.add(
                code="sex",
                date=None,
                value_text="F" if sex is Sex.FEMALE else "M",
                source_row_id="person.sex",
                source="person",
            )
        except ClinicalInputError:
            reader.error(
                "person.sex",
                f"sexe attendu F ou M, reçu {person['sex']!r}",
                f"expected sex F or M, got {person['sex']!r}",
            )
    if person.get("birth_month") is not None:
        match = _MONTH.match(str(person["birth_month"]))
        month = int(match.group(2)) if match else 0
        if match is None or not 1 <= month <= 12:
            reader.error(
                "person.birth_month",
                f"mois attendu AAAA-MM, reçu {person['birth_month']!r}",
                f"expected a month YYYY-MM, got {person['birth_month']!r}",
            )
        else:
            reader.add(
                code="birth_month",
                date=dt.date(int(match.group(1)), month, 1),
                value_text=match.group(0),
                source_row_id="person.birth_month",
                source="person",
            )
    for key in ("childbearing_potential", "effective_contraception", "social_security"):
        value = person.get(key)
        if value is None:
            continue
        if not isinstance(value, bool):
            reader.error(f"person.{key}", "vrai ou faux attendu", "expected true or false")
            continue
        reader.add(
            code=key,
            date=None,
            value_num=1.0 if value else 0.0,
            source_row_id=f"person.{key}",
            source="person",
        )
    if role == "donor" and person.get("relationship") is not None:
        relationship = person["relationship"]
        if relationship not in codes.RELATIONSHIPS:
            allowed = ", ".join(codes.RELATIONSHIPS)
            reader.error(
                "person.relationship", f"lien attendu parmi {allowed}", f"expected one of {allowed}"
            )
        else:
            reader.add(
                code="donor_relationship",
                date=None,
                value_text=relationship,
                source_row_id="person.relationship",
                source="person",
            )
    known = {
        "sex",
        "birth_month",
        "childbearing_potential",
        "effective_contraception",
        "social_security",
        "relationship",
    }
    for key in sorted(set(person) - known):
        reader.error(f"person.{key}", "champ inconnu", "unknown field")


def _measurements(reader: _Reader, data: Mapping[str, Any]) -> None:
    for path, m in _records(reader, data, "measurements"):
        row_id = reader.row_id(m, path)
        code = reader.code(reader.required(m, "code", path), ("measurement",), f"{path}.code")
        day = reader.date(m.get("date"), f"{path}.date", required=True)
        time = reader.time(m.get("time"), f"{path}.time")
        value = reader.number(m.get("value"), f"{path}.value")
        ref_low = reader.number(m.get("ref_low"), f"{path}.ref_low", required=False)
        ref_high = reader.number(m.get("ref_high"), f"{path}.ref_high", required=False)
        unit = m.get("unit")
        if code is None or day is None or value is None:
            continue
        if code in codes.MRSS_SITE_CODES or code == "mrss_total":
            reader.error(
                f"{path}.code",
                "le score de Rodnan se saisit dans « mrss »",
                "enter the Rodnan score under 'mrss'",
            )
            continue
        try:
            normalised = normalise(code, value, unit)
            low = normalise_reference(code, ref_low, unit)
            high = normalise_reference(code, ref_high, unit)
        except ClinicalInputError:
            reader.error(
                f"{path}.unit",
                f"unité {unit!r} inconnue ou incompatible avec {code}",
                f"unit {unit!r} is unknown or not a unit of {code}",
            )
            continue
        reader.add(
            code=code,
            date=day,
            time=time,
            value_num=normalised.value,
            value_text=normalised.as_measured,
            unit=normalised.unit,
            ref_low=low,
            ref_high=high,
            source=m.get("source") or "screening-input",
            source_row_id=row_id,
        )


def _blood_pressures(reader: _Reader, data: Mapping[str, Any]) -> None:
    for path, bp in _records(reader, data, "blood_pressures"):
        row_id = reader.row_id(bp, path)
        day = reader.date(bp.get("date"), f"{path}.date", required=True)
        time = reader.time(bp.get("time"), f"{path}.time")
        for key, code in (("systolic", "sbp"), ("diastolic", "dbp")):
            value = reader.number(bp.get(key), f"{path}.{key}", required=False)
            if value is None or day is None:
                continue
            try:
                normalised = normalise(code, value, bp.get("unit"))
            except ClinicalInputError:
                reader.error(
                    f"{path}.unit",
                    f"unité {bp.get('unit')!r} inconnue",
                    f"unknown unit {bp.get('unit')!r}",
                )
                break
            reader.add(
                code=code,
                date=day,
                time=time,
                value_num=normalised.value,
                value_text=normalised.as_measured,
                unit=normalised.unit,
                source=bp.get("source") or "screening-input",
                source_row_id=f"{row_id}.{code}",
            )


def _mrss(reader: _Reader, data: Mapping[str, Any]) -> None:
    for path, exam in _records(reader, data, "mrss"):
        row_id = reader.row_id(exam, path)
        day = reader.date(exam.get("date"), f"{path}.date", required=True)
        source = exam.get("source") or "screening-input"
        total, sites = exam.get("total"), exam.get("sites")
        if (total is None) == (sites is None):
            reader.error(path, "donner « total » ou « sites »", "give either 'total' or 'sites'")
            continue
        if total is not None:
            value = reader.number(total, f"{path}.total")
            if value is not None and not 0 <= value <= MAX_SITE_SCORE * len(SITE_IDS):
                reader.error(
                    f"{path}.total",
                    "total attendu entre 0 et 51",
                    "expected a total between 0 and 51",
                )
            elif value is not None and day is not None:
                reader.add(
                    code="mrss_total",
                    date=day,
                    value_num=value,
                    unit="points",
                    source=source,
                    source_row_id=row_id,
                )
            continue
        if not isinstance(sites, Mapping):
            reader.error(
                f"{path}.sites", "objet site → score attendu", "expected an object site → score"
            )
            continue
        for site, score in sites.items():
            if site not in SITE_IDS:
                reader.error(f"{path}.sites.{site}", "site inconnu", "unknown site")
            elif (
                isinstance(score, bool)
                or not isinstance(score, int)
                or not 0 <= score <= MAX_SITE_SCORE
            ):
                reader.error(
                    f"{path}.sites.{site}",
                    "score entier de 0 à 3 attendu",
                    "expected a whole score 0 to 3",
                )
            elif day is not None:
                reader.add(
                    code=f"mrss_{site}",
                    date=day,
                    value_num=float(score),
                    unit="points",
                    source=source,
                    source_row_id=f"{row_id}.{site}",
                )


def _booleans(
    reader: _Reader,
    data: Mapping[str, Any],
    key: str,
    kinds: tuple[str, ...],
    field: str,
    choices: Mapping[str, float],
) -> None:
    for path, record in _records(reader, data, key):
        row_id = reader.row_id(record, path)
        code = reader.code(reader.required(record, "code", path), kinds, f"{path}.code")
        value = reader.choice(record.get(field), choices, f"{path}.{field}")
        day = reader.date(record.get("date"), f"{path}.date")
        note = record.get("note")
        source = record.get("by") or record.get("source") or "screening-input"
        if code is not None and value is not None:
            reader.add(
                code=code,
                date=day,
                value_num=value,
                value_text=note if isinstance(note, str) else None,
                source=source,
                source_row_id=row_id,
            )


def _exposures(reader: _Reader, data: Mapping[str, Any]) -> None:
    for path, record in _records(reader, data, "exposures"):
        row_id = reader.row_id(record, path)
        code = reader.code(reader.required(record, "code", path), ("exposure",), f"{path}.code")
        value = reader.choice(record.get("status"), _GIVEN, f"{path}.status")
        start = reader.date(record.get("start"), f"{path}.start")
        end = reader.date(record.get("end"), f"{path}.end")
        boluses = reader.number(record.get("boluses"), f"{path}.boluses", required=False)
        if start and end and end < start:
            reader.error(f"{path}.end", "fin avant le début", "end before start")
        details = [
            f"start {start.isoformat()}" if start else "",
            f"{boluses:g} boluses" if boluses else "",
        ]
        text = ", ".join(d for d in details if d) or None
        if code is not None and value is not None:
            reader.add(
                code=code,
                date=end if value else None,
                value_num=value,
                value_text=text,
                source=record.get("source") or "screening-input",
                source_row_id=row_id,
            )


def _consents(reader: _Reader, data: Mapping[str, Any]) -> None:
    for path, record in _records(reader, data, "consents"):
        row_id = reader.row_id(record, path)
        value = reader.choice(record.get("status"), _CONSENT, f"{path}.status")
        day = reader.date(record.get("date"), f"{path}.date", required=value == 1.0)
        if value is not None:
            reader.add(
                code="informed_consent",
                date=day,
                value_num=value,
                source=record.get("by") or "consent-record",
                source_row_id=row_id,
            )


def _donors(reader: _Reader, data: Mapping[str, Any]) -> list[DonorLink]:
    links: list[DonorLink] = []
    value = data.get("donors")
    if value is None:
        return links
    if isinstance(value, list) and not value:
        reader.add(
            code="consenting_donor",
            date=None,
            value_num=0.0,
            value_text="none listed",
            source_row_id="donors",
        )
        return links
    for path, record in _records(reader, data, "donors"):
        row_id = reader.row_id(record, path)
        relationship = record.get("relationship")
        if relationship not in codes.RELATIONSHIPS:
            allowed = ", ".join(codes.RELATIONSHIPS)
            reader.error(
                f"{path}.relationship",
                f"lien attendu parmi {allowed}",
                f"expected one of {allowed}",
            )
            continue
        signed = reader.date(record.get("consent_signed"), f"{path}.consent_signed")
        links.append(DonorLink(row_id, relationship, signed))
        family = relationship != "unrelated"
        reader.add(
            code="consenting_donor",
            date=signed,
            value_num=1.0 if signed and family else 0.0,
            value_text=relationship,
            source_row_id=f"{row_id}.consent",
        )
    return links


def parse(data: Any, *, role: Role | None = None) -> ScreeningInput:
    """A screening input from a decoded JSON document; :class:`InputError` when invalid."""
    if not isinstance(data, Mapping):
        raise InputError([FieldError("$", Text("objet JSON attendu", "expected a JSON object"))])
    subject = data.get("subject_id")
    reader = _Reader(subject if isinstance(subject, str) else "")
    if not isinstance(subject, str) or not subject:
        reader.error("subject_id", "code d'étude obligatoire", "study code required")
    if data.get("format", FORMAT) != FORMAT:
        reader.error("format", f"format attendu {FORMAT}", f"expected format {FORMAT}")
    given_role = data.get("role", role)
    if given_role not in ("recipient", "donor"):
        reader.error("role", "rôle attendu recipient ou donor", "expected role recipient or donor")
    elif role is not None and given_role != role:
        reader.error(
            "role",
            f"le fichier décrit un {given_role}, pas un {role}",
            f"the file describes a {given_role}, not a {role}",
        )
    checked_role: Role = "donor" if given_role == "donor" else "recipient"
    index_date = reader.date(data.get("index_date"), "index_date")
    person = data.get("person", {})
    if isinstance(person, Mapping):
        _person(reader, person, checked_role)
    else:
        reader.error("person", "objet attendu", "expected an object")
    _measurements(reader, data)
    _blood_pressures(reader, data)
    _mrss(reader, data)
    _booleans(reader, data, "findings", ("finding",), "status", _PRESENT)
    _booleans(reader, data, "statements", ("statement",), "answer", _ANSWER)
    _exposures(reader, data)
    _consents(reader, data)
    donors = _donors(reader, data) if checked_role == "recipient" else []
    if checked_role == "donor" and "donors" in data:
        reader.error("donors", "réservé au receveur", "recipients only")
    known = {
        "format",
        "role",
        "subject_id",
        "index_date",
        "person",
        "measurements",
        "blood_pressures",
        "mrss",
        "findings",
        "statements",
        "exposures",
        "consents",
        "donors",
        "comment",
    }
    for key in sorted(set(data) - known):
        reader.error(key, "champ inconnu", "unknown field")
    reader.check_unique()
    if reader.errors:
        raise InputError(reader.errors)
    return ScreeningInput(
        checked_role, reader.subject_id, index_date, tuple(reader.facts), tuple(donors)
    )


def load(path: str | Path, *, role: Role | None = None) -> ScreeningInput:
    """Read and parse a screening input file."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(
            [
                FieldError(
                    f"line {exc.lineno}",
                    Text(f"JSON invalide : {exc.msg}", f"invalid JSON: {exc.msg}"),
                )
            ]
        ) from exc
    return parse(data, role=role)
