"""One participant's screening data as facts — through the documented screening input format.

``screening_input(participant)`` writes the participant's eCRF and trial data as a
``sclerocell-screening/1`` document (``sclerocell.facts.screening_input``): the download of the
screening page, which ``sclerocell screen recipient FILE.json`` reads. ``facts_for`` is that
document parsed by the core, so the page, the sign-off and the command line evaluate the very
same facts: one mapping, no second converter that could drift.

Every record's ``id`` names the row it comes from, ``<model>:<pk>`` (``measurement:12``,
``finding:7``, ``bp:3`` → facts ``bp:3.sbp``/``bp:3.dbp``, ``mrss:2`` → ``mrss:2.face``…), so each
piece of evidence links back to its form; the core names the person's attributes ``person.sex``…

Trial data are read as they stood on the index date, so that later events (a consent signed for a
protocol amendment, a donor decided afterwards) leave a signed evaluation unchanged:

- consents signed on or before the index date (a withdrawal on or before it, as ``refused``);
- R-I4 donors: the recipient's donors registered on or before the index date, minus those signed
  not eligible on or before it, with their consent in force on that date. All ruled out →
  ``"donors": []`` (no consenting donor: not met); none consenting yet → no ``donors`` key
  (unknown).
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet

from sclerocell.facts.schema import Fact
from sclerocell.facts.screening_input import FORMAT, Role, ScreeningInput, parse
from sclerocell.web.trial.models import Consent, Eligibility, Participant

from .models import Answer, ScreeningProfile

ECRF = "eCRF"
# "Present / absent" answers are written with the core's words for findings.
_STATUS = {Answer.YES: "present", Answer.NO: "absent"}


def profile_of(participant: Participant) -> ScreeningProfile | None:
    try:
        return participant.screening_profile
    except ScreeningProfile.DoesNotExist:
        return None


def index_date_of(participant: Participant) -> datetime.date:
    """The stored index date of the evaluation, else the screening date."""
    profile = profile_of(participant)
    if profile is not None and profile.index_date is not None:
        return profile.index_date
    return participant.screening_date


def with_screening_data(queryset: QuerySet[Participant]) -> QuerySet[Participant]:
    """The queryset with everything ``screening_input`` reads, in a fixed number of queries."""
    donors = Participant.objects.prefetch_related("consents").order_by("sequence")
    return queryset.select_related("screening_profile").prefetch_related(
        "screening_findings",
        "screening_statements__answered_by",
        "screening_measurements",
        "screening_blood_pressures",
        "screening_skin_scores",
        "screening_courses",
        "consents",
        Prefetch("donors", queryset=donors),
    )


def _related(participant: Participant, name: str, *joined: str) -> list[Any]:
    """A reverse relation's rows: the prefetched ones, else one query joining ``joined``."""
    manager = getattr(participant, name)
    if name in getattr(participant, "_prefetched_objects_cache", {}):
        return list(manager.all())
    return list(manager.select_related(*joined))


def _pk(row: Any) -> int:
    return int(row.pk)


def _day(value: datetime.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _compact(record: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in record.items() if value is not None and value != ""}


def _person(participant: Participant, profile: ScreeningProfile | None) -> dict[str, Any]:
    person: dict[str, Any] = {
        "sex": participant.sex,
        "birth_month": f"{participant.birth_year:04d}-{participant.birth_month:02d}",
    }
    if profile is not None:
        for key in ("childbearing_potential", "effective_contraception", "social_security"):
            answer = getattr(profile, key)
            if answer:
                person[key] = answer == Answer.YES
    if participant.is_donor and participant.relationship:
        person["relationship"] = participant.relationship
    return person


def _measurements(participant: Participant) -> list[dict[str, Any]]:
    return [
        _compact(
            {
                "id": f"measurement:{m.pk}",
                "code": m.code,
                "date": _day(m.date),
                "time": m.time.strftime("%H:%M") if m.time else None,
                "value": m.value,
                "unit": m.unit,
                "ref_low": m.ref_low,
                "ref_high": m.ref_high,
                "source": m.source or ECRF,
            }
        )
        for m in sorted(participant.screening_measurements.all(), key=lambda m: m.pk)
    ]


def _blood_pressures(participant: Participant) -> list[dict[str, Any]]:
    return [
        _compact(
            {
                "id": f"bp:{bp.pk}",
                "date": _day(bp.date),
                "time": bp.time.strftime("%H:%M") if bp.time else None,
                "systolic": bp.systolic,
                "diastolic": bp.diastolic,
                "unit": bp.unit,
                "source": ECRF,
            }
        )
        for bp in sorted(participant.screening_blood_pressures.all(), key=lambda b: b.pk)
    ]


def _skin_scores(participant: Participant) -> list[dict[str, Any]]:
    exams = []
    for exam in sorted(participant.screening_skin_scores.all(), key=lambda e: e.pk):
        record: dict[str, Any] = {
            "id": f"mrss:{exam.pk}",
            "date": _day(exam.date),
            "source": exam.examiner or ECRF,
        }
        if exam.total is not None:
            record["total"] = exam.total
        else:
            record["sites"] = exam.sites()
        exams.append(record)
    return exams


def _findings(participant: Participant) -> list[dict[str, Any]]:
    return [
        _compact(
            {
                "id": f"finding:{f.pk}",
                "code": f.code,
                "status": _STATUS[Answer(f.answer)],
                "date": _day(f.date),
                "note": f.note,
                "source": ECRF,
            }
        )
        for f in sorted(participant.screening_findings.all(), key=lambda f: f.pk)
        if f.answer
    ]


def _statements(participant: Participant) -> list[dict[str, Any]]:
    return [
        _compact(
            {
                "id": f"statement:{s.pk}",
                "code": s.code,
                "answer": s.answer,
                "date": _day(s.answered_on),
                "by": s.answered_by.get_username() if s.answered_by else ECRF,
                "note": s.note,
            }
        )
        for s in sorted(_related(participant, "screening_statements", "answered_by"), key=_pk)
        if s.answer
    ]


def _exposures(participant: Participant, profile: ScreeningProfile | None) -> list[dict[str, Any]]:
    code = "cyclophosphamide_iv_high_dose"
    if profile is not None and profile.cyclophosphamide_given == Answer.NO:
        return [
            {
                "id": f"profile:{profile.pk}.cyclophosphamide",
                "code": code,
                "status": "never",
                "source": ECRF,
            }
        ]
    return [
        _compact(
            {
                "id": f"course:{c.pk}",
                "code": code,
                "status": "given",
                "start": _day(c.start),
                "end": _day(c.end),
                "boluses": c.boluses,
                "source": ECRF,
            }
        )
        for c in sorted(participant.screening_courses.all(), key=lambda c: c.pk)
    ]


def _consents(consents: Iterable[Consent], day: datetime.date) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for consent in sorted(consents, key=lambda c: c.pk):
        if consent.signed_date > day:
            continue
        records.append(
            {
                "id": f"consent:{consent.pk}",
                "status": "signed",
                "date": _day(consent.signed_date),
                "by": consent.form_version,
            }
        )
        if consent.withdrawn_date is not None and consent.withdrawn_date <= day:
            records.append(
                {
                    "id": f"consent:{consent.pk}.withdrawn",
                    "status": "refused",
                    "date": _day(consent.withdrawn_date),
                    "by": consent.form_version,
                }
            )
    return records


def consent_in_force(consents: Iterable[Consent], day: datetime.date) -> datetime.date | None:
    """The first signature date of a consent in force on ``day``, if any."""
    dates = [
        c.signed_date
        for c in consents
        if c.signed_date <= day and (c.withdrawn_date is None or c.withdrawn_date > day)
    ]
    return min(dates, default=None)


def _ruled_out(donor: Participant, day: datetime.date) -> bool:
    return (
        donor.eligibility == Eligibility.NOT_ELIGIBLE
        and donor.eligibility_date is not None
        and donor.eligibility_date <= day
    )


def _donors(recipient: Participant, day: datetime.date) -> list[dict[str, Any]] | None:
    registered = [d for d in recipient.donors.all() if d.screening_date <= day]
    if not registered:
        return None
    available = [d for d in registered if not _ruled_out(d, day)]
    if not available:
        return []
    links = []
    for donor in available:
        signed = consent_in_force(donor.consents.all(), day)
        if signed is not None:
            links.append(
                {
                    "id": f"donor:{donor.code}",
                    "relationship": donor.relationship,
                    "consent_signed": signed.isoformat(),
                }
            )
    return links or None


def screening_input(
    participant: Participant, index_date: datetime.date | None = None
) -> dict[str, Any]:
    """The participant's data as a ``sclerocell-screening/1`` document (docs/screening-input)."""
    day = index_date or index_date_of(participant)
    profile = profile_of(participant)
    document: dict[str, Any] = {
        "format": FORMAT,
        "role": participant.kind,
        "subject_id": participant.code,
        "index_date": day.isoformat(),
        "comment": "sclerocell eCRF export",
        "person": _person(participant, profile),
        "measurements": _measurements(participant),
        "blood_pressures": _blood_pressures(participant),
        "mrss": _skin_scores(participant),
        "findings": _findings(participant),
        "statements": _statements(participant),
        "exposures": _exposures(participant, profile),
        "consents": _consents(participant.consents.all(), day),
    }
    if participant.is_recipient:
        donors = _donors(participant, day)
        if donors is not None:
            document["donors"] = donors
    return document


def parsed_input(
    participant: Participant, index_date: datetime.date | None = None
) -> ScreeningInput:
    """The document parsed by the core (``InputError`` if a stored value cannot be read)."""
    role: Role = "recipient" if participant.is_recipient else "donor"
    return parse(screening_input(participant, index_date), role=role)


def facts_for(participant: Participant, index_date: datetime.date | None = None) -> list[Fact]:
    """The facts the criteria read for this participant, as of the index date."""
    return list(parsed_input(participant, index_date).facts)


def _fact_dict(fact: Fact) -> dict[str, Any]:
    return {
        "subject_id": fact.subject_id,
        "code": fact.code,
        "date": _day(fact.date),
        "time": None if fact.time is None else fact.time.isoformat(),
        "value_num": fact.value_num,
        "value_text": fact.value_text,
        "unit": fact.unit,
        "ref_low": fact.ref_low,
        "ref_high": fact.ref_high,
        "source": fact.source,
        "source_row_id": fact.source_row_id,
    }


def canonical_facts(facts: Iterable[Fact]) -> str:
    """The facts as canonical JSON, sorted rows and keys, no whitespace: what a signature hashes."""
    rows = sorted((_fact_dict(f) for f in facts), key=lambda r: (r["source_row_id"], r["code"]))
    return json.dumps(rows, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(canonical: str) -> str:
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
