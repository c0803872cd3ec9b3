"""The analysis dataset: what the statistical analysis reads, typed and validated at the door.

The Django shell builds one :class:`AnalysisDataset` from the database at a data cut-off date (a
*snapshot*); the analysis never reads anything else. Every record is a frozen dataclass:

==================  ==============================================================================
:class:`Subject`    one **included** recipient: code, site, dose level, inclusion date, infusion
                    date (``None``: not infused), end of participation (date, cause, free-text
                    detail), death date, first progression date
:class:`AdverseEvent`  one AE: subject, CTCAE term, MedDRA code, SOC, grade 1–5, onset, end,
                    relation to the MSC and to the marrow procedure, serious, malignancy flag
:class:`VisitMeasurement`  one visit (``BL`` baseline, then ``D10 M1 M3 M6 M9 M12 M18 M24``): date,
                    mRSS, FVC and DLCO % predicted, HAQ-DI, patient and physician globals (0–10),
                    and the ACR-CRISS step-1 events (``clinical.criss.Step1Events``)
:class:`ScreeningFunnel`  screened and eligible counts, with the reasons for non-eligibility and
                    non-inclusion (free-text keys, e.g. criterion ids, → counts)
``courses``         the product chain of each recipient
                    (:class:`~sclerocell.product.feasibility.RecipientCourse`), for feasibility
==================  ==============================================================================

Missing is ``None``, always: a NaN (or an infinity) is refused with a message saying so, because
a NaN that means "missing" in one place and "failed computation" in another is how analyses go
wrong. Dates are calendar dates (never datetimes). A bad record raises
:class:`~sclerocell.analysis.messages.AnalysisInputError` naming the record and the field.

Consistency rules checked across records: unique subject codes; inclusion ≤ infusion ≤ end of
participation ≤ cut-off; a death date if and only if the end cause is death, on the end date; a
grade 5 AE only for a subject who died, on or before the death; AEs and visits of known subjects
only; one record per subject and visit; post-infusion visits only after an infusion; when
``courses`` are given, exactly one per included subject, infused exactly when the subject has an
infusion date; the funnel's counts are coherent with the included subjects.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType

from sclerocell.analysis.messages import AnalysisInputError, Message
from sclerocell.clinical.criss import Step1Events
from sclerocell.product.feasibility import RecipientCourse

__all__ = [
    "BASELINE",
    "END_CAUSE_NAMES",
    "RELATEDNESS_NAMES",
    "VARIABLES",
    "VISIT_CODES",
    "AdverseEvent",
    "AnalysisDataset",
    "EndCause",
    "Relatedness",
    "ScreeningFunnel",
    "Subject",
    "VisitMeasurement",
]

BASELINE = "BL"
#: Visit codes in protocol order: baseline, then the follow-up schedule after the infusion.
VISIT_CODES: tuple[str, ...] = (BASELINE, "D10", "M1", "M3", "M6", "M9", "M12", "M18", "M24")

#: The continuous measurements of a visit, with their bounds and their names.
VARIABLES: Mapping[str, tuple[float, float, Message]] = MappingProxyType(
    {
        "mrss": (0.0, 51.0, Message("mRSS", "mRSS")),
        "fvc_percent_predicted": (0.0, 200.0, Message("CVF (% théorique)", "FVC (% predicted)")),
        "dlco_percent_predicted": (
            0.0,
            200.0,
            Message("DLCO (% théorique)", "DLCO (% predicted)"),
        ),
        "haq_di": (0.0, 3.0, Message("HAQ-DI", "HAQ-DI")),
        "patient_global": (
            0.0,
            10.0,
            Message("Évaluation globale du patient", "Patient global assessment"),
        ),
        "physician_global": (
            0.0,
            10.0,
            Message("Évaluation globale du médecin", "Physician global assessment"),
        ),
    }
)


class EndCause(StrEnum):
    COMPLETED = "completed"
    DEATH = "death"
    WITHDRAWAL = "withdrawal"
    LOST_TO_FOLLOW_UP = "lost_to_follow_up"
    INVESTIGATOR_DECISION = "investigator_decision"
    PRODUCT_NOT_AVAILABLE = "product_not_available"
    OTHER = "other"


END_CAUSE_NAMES: Mapping[EndCause, Message] = MappingProxyType(
    {
        EndCause.COMPLETED: Message("suivi terminé", "follow-up completed"),
        EndCause.DEATH: Message("décès", "death"),
        EndCause.WITHDRAWAL: Message("retrait du consentement", "consent withdrawn"),
        EndCause.LOST_TO_FOLLOW_UP: Message("perdu de vue", "lost to follow-up"),
        EndCause.INVESTIGATOR_DECISION: Message(
            "décision de l'investigateur", "investigator's decision"
        ),
        EndCause.PRODUCT_NOT_AVAILABLE: Message("produit non disponible", "product not available"),
        EndCause.OTHER: Message("autre", "other"),
    }
)


class Relatedness(StrEnum):
    """Causality of an AE (WHO-UMC-like scale), to the MSC or to the marrow procedure."""

    NOT_RELATED = "not_related"
    UNLIKELY = "unlikely"
    POSSIBLE = "possible"
    PROBABLE = "probable"
    CERTAIN = "certain"
    NOT_ASSESSED = "not_assessed"


RELATEDNESS_NAMES: Mapping[Relatedness, Message] = MappingProxyType(
    {
        Relatedness.NOT_RELATED: Message("non lié", "not related"),
        Relatedness.UNLIKELY: Message("peu probable", "unlikely"),
        Relatedness.POSSIBLE: Message("possible", "possible"),
        Relatedness.PROBABLE: Message("probable", "probable"),
        Relatedness.CERTAIN: Message("certain", "certain"),
        Relatedness.NOT_ASSESSED: Message("non évalué", "not assessed"),
    }
)


# --- field checks ------------------------------------------------------------------------------


def _error(where: str, field_name: str, fr: str, en: str) -> AnalysisInputError:
    return AnalysisInputError(Message(f"{where} : {fr}", f"{where}: {en}"), field=field_name)


def _text(value: object, where: str, field_name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _error(where, field_name, "texte non vide attendu.", "non-blank text expected.")
    return value.strip()


def _optional_text(value: object, where: str, field_name: str) -> str | None:
    return None if value is None else _text(value, where, field_name)


def _day(value: object, where: str, field_name: str, *, optional: bool = False) -> date | None:
    if value is None and optional:
        return None
    if isinstance(value, datetime) or not isinstance(value, date):
        raise _error(
            where,
            field_name,
            "date calendaire attendue (pas de date et heure).",
            "a calendar date is expected (not a datetime).",
        )
    return value


def _integer(value: object, where: str, field_name: str, low: int, high: int | None) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise _error(
            where, field_name, f"entier attendu, pas {value!r}.", f"{value!r} is not an integer."
        )
    result = int(value)
    if result < low or (high is not None and result > high):
        bound = f"{low}–{high}" if high is not None else f"≥ {low}"
        raise _error(where, field_name, f"{result} hors de {bound}.", f"{result} is not {bound}.")
    return result


def _number(value: object, where: str, field_name: str, low: float, high: float) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise _error(
            where, field_name, f"{value!r} n'est pas un nombre.", f"{value!r} is not a number."
        )
    result = float(value)
    if math.isnan(result):
        raise _error(
            where,
            field_name,
            "NaN refusé : une valeur manquante s'écrit None.",
            "NaN refused: a missing value is None.",
        )
    if not math.isfinite(result):
        raise _error(where, field_name, "nombre fini attendu.", "a finite number is expected.")
    if not low <= result <= high:
        raise _error(
            where,
            field_name,
            f"{result:g} hors de [{low:g}, {high:g}].",
            f"{result:g} is outside [{low:g}, {high:g}].",
        )
    return result


def _flag(value: object, where: str, field_name: str) -> bool:
    if not isinstance(value, bool):
        raise _error(where, field_name, "oui/non attendu.", "True or False expected.")
    return value


def _member[E: StrEnum](enum: type[E], value: object, where: str, field_name: str) -> E:
    if isinstance(value, enum):
        return value
    allowed = ", ".join(m.value for m in enum)
    if isinstance(value, str):
        try:
            return enum(value)
        except ValueError:
            pass
    raise _error(
        where,
        field_name,
        f"{value!r} n'est pas parmi {allowed}.",
        f"{value!r} is not one of {allowed}.",
    )


def _set(record: object, name: str, value: object) -> None:
    object.__setattr__(record, name, value)


# --- records -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Subject:
    """One included recipient. ``dose_level`` is the escalation level (1, 2…), ``None`` only
    for a recipient never assigned one. ``end_date``/``end_cause`` are both set when the
    participation ended before the cut-off, both ``None`` while the recipient is followed."""

    code: str
    site: str
    dose_level: int | None
    inclusion_date: date
    infusion_date: date | None = None
    end_date: date | None = None
    end_cause: EndCause | None = None
    end_detail: str | None = None
    death_date: date | None = None
    progression_date: date | None = None

    def __post_init__(self) -> None:
        where = f"subject {self.code!r}"
        _set(self, "code", _text(self.code, where, "code"))
        where = f"subject {self.code}"
        _set(self, "site", _text(self.site, where, "site"))
        if self.dose_level is not None:
            _set(self, "dose_level", _integer(self.dose_level, where, "dose_level", 1, None))
        _day(self.inclusion_date, where, "inclusion_date")
        for name in ("infusion_date", "end_date", "death_date", "progression_date"):
            _day(getattr(self, name), where, name, optional=True)
        if self.end_cause is not None:
            _set(self, "end_cause", _member(EndCause, self.end_cause, where, "end_cause"))
        _set(self, "end_detail", _optional_text(self.end_detail, where, "end_detail"))
        self._check_dates(where)

    def _check_dates(self, where: str) -> None:
        def after(later: date | None, earlier: date | None, name: str, earlier_name: str) -> None:
            if later is not None and earlier is not None and later < earlier:
                raise _error(
                    where,
                    name,
                    f"{later.isoformat()} précède {earlier_name} ({earlier.isoformat()}).",
                    f"{later.isoformat()} is before {earlier_name} ({earlier.isoformat()}).",
                )

        after(self.infusion_date, self.inclusion_date, "infusion_date", "inclusion_date")
        after(self.end_date, self.inclusion_date, "end_date", "inclusion_date")
        after(self.end_date, self.infusion_date, "end_date", "infusion_date")
        after(self.progression_date, self.inclusion_date, "progression_date", "inclusion_date")
        after(self.progression_date, self.infusion_date, "progression_date", "infusion_date")
        after(self.end_date, self.progression_date, "end_date", "progression_date")
        if (self.end_date is None) != (self.end_cause is None):
            raise _error(
                where,
                "end_cause",
                "la date et la cause de fin vont ensemble.",
                "end_date and end_cause go together.",
            )
        if (self.death_date is not None) != (self.end_cause is EndCause.DEATH):
            raise _error(
                where,
                "death_date",
                "une date de décès si et seulement si la cause de fin est le décès.",
                "a death date if and only if the end cause is death.",
            )
        if self.death_date is not None and self.death_date != self.end_date:
            raise _error(
                where,
                "death_date",
                "la date de décès doit être la date de fin.",
                "the death date must be the end date.",
            )
        if self.infusion_date is not None and self.dose_level is None:
            raise _error(
                where, "dose_level", "perfusé sans palier de dose.", "infused without a dose level."
            )

    @property
    def infused(self) -> bool:
        return self.infusion_date is not None


@dataclass(frozen=True, slots=True)
class AdverseEvent:
    """One adverse event of an included recipient (CTCAE grade 1–5)."""

    subject_code: str
    term: str
    soc: str
    grade: int
    onset_date: date
    meddra_code: str | None = None
    end_date: date | None = None
    relation_msc: Relatedness = Relatedness.NOT_ASSESSED
    relation_procedure: Relatedness = Relatedness.NOT_ASSESSED
    serious: bool = False
    #: The investigator's flag; the MedDRA Neoplasms SOC is flagged anyway.
    malignancy: bool = False
    ctcae_version: str | None = None

    def __post_init__(self) -> None:
        where = f"adverse event {self.subject_code!r}/{self.term!r}"
        _set(self, "subject_code", _text(self.subject_code, where, "subject_code"))
        _set(self, "term", _text(self.term, where, "term"))
        _set(self, "soc", _text(self.soc, where, "soc"))
        _set(self, "grade", _integer(self.grade, where, "grade", 1, 5))
        _day(self.onset_date, where, "onset_date")
        _day(self.end_date, where, "end_date", optional=True)
        _set(self, "meddra_code", _optional_text(self.meddra_code, where, "meddra_code"))
        _set(
            self,
            "ctcae_version",
            _optional_text(self.ctcae_version, where, "ctcae_version"),
        )
        for name in ("relation_msc", "relation_procedure"):
            _set(self, name, _member(Relatedness, getattr(self, name), where, name))
        _flag(self.serious, where, "serious")
        _flag(self.malignancy, where, "malignancy")
        if self.end_date is not None and self.end_date < self.onset_date:
            raise _error(where, "end_date", "fin avant le début.", "ends before its onset.")


@dataclass(frozen=True, slots=True)
class VisitMeasurement:
    """The measurements of one visit; any value may be ``None`` (not measured)."""

    subject_code: str
    visit: str
    visit_date: date
    mrss: int | None = None
    fvc_percent_predicted: float | None = None
    dlco_percent_predicted: float | None = None
    haq_di: float | None = None
    patient_global: float | None = None
    physician_global: float | None = None
    #: ACR-CRISS step-1 events since baseline (``None`` items are unknown).
    step1: Step1Events = field(default_factory=Step1Events)

    def __post_init__(self) -> None:
        where = f"visit {self.subject_code!r}/{self.visit!r}"
        _set(self, "subject_code", _text(self.subject_code, where, "subject_code"))
        if self.visit not in VISIT_CODES:
            raise _error(
                where,
                "visit",
                f"code de visite inconnu (attendu : {', '.join(VISIT_CODES)}).",
                f"unknown visit code (expected one of {', '.join(VISIT_CODES)}).",
            )
        _day(self.visit_date, where, "visit_date")
        if self.mrss is not None:
            _set(self, "mrss", _integer(self.mrss, where, "mrss", 0, 51))
        for name, (low, high, _) in VARIABLES.items():
            if name != "mrss":
                _set(self, name, _number(getattr(self, name), where, name, low, high))
        if not isinstance(self.step1, Step1Events):
            raise _error(where, "step1", "Step1Events attendu.", "a Step1Events is expected.")

    def value(self, variable: str) -> float | None:
        """The measurement ``variable`` (one of :data:`VARIABLES`) as a float, or ``None``."""
        if variable not in VARIABLES:
            raise KeyError(variable)
        raw = getattr(self, variable)
        return None if raw is None else float(raw)


def _counts(value: object, where: str, field_name: str) -> Mapping[str, int]:
    if not isinstance(value, Mapping):
        raise _error(
            where,
            field_name,
            "dictionnaire motif → effectif attendu.",
            "a reason → count mapping is expected.",
        )
    clean: dict[str, int] = {}
    for key, count in value.items():
        reason = _text(key, where, field_name)
        clean[reason] = clean.get(reason, 0) + _integer(count, where, field_name, 0, None)
    return MappingProxyType(dict(sorted(clean.items())))


@dataclass(frozen=True, slots=True)
class ScreeningFunnel:
    """The top of the CONSORT flow: recipients screened and found eligible, with the reasons
    (free-text keys such as criterion ids ``"R-E2a"``) for non-eligibility and non-inclusion."""

    screened: int
    eligible: int
    not_eligible_reasons: Mapping[str, int] = field(default_factory=dict)
    not_included_reasons: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        where = "funnel"
        _set(self, "screened", _integer(self.screened, where, "screened", 0, None))
        _set(self, "eligible", _integer(self.eligible, where, "eligible", 0, self.screened))
        for name in ("not_eligible_reasons", "not_included_reasons"):
            _set(self, name, _counts(getattr(self, name), where, name))
        if sum(self.not_eligible_reasons.values()) > self.screened - self.eligible:
            raise _error(
                where,
                "not_eligible_reasons",
                "plus de motifs que de non-éligibles.",
                "more reasons than non-eligible recipients.",
            )


# --- the dataset -------------------------------------------------------------------------------


def _records[T](value: Iterable[T], kind: type[T], name: str) -> tuple[T, ...]:
    items = tuple(value)
    for index, item in enumerate(items):
        if not isinstance(item, kind):
            raise AnalysisInputError(
                Message(f"{kind.__name__} attendu.", f"a {kind.__name__} is expected."),
                field=f"{name}[{index}]",
            )
    return items


@dataclass(frozen=True, slots=True)
class AnalysisDataset:
    """One snapshot of the trial at ``cutoff_date``; validated when built."""

    cutoff_date: date
    subjects: tuple[Subject, ...]
    adverse_events: tuple[AdverseEvent, ...] = ()
    visits: tuple[VisitMeasurement, ...] = ()
    funnel: ScreeningFunnel | None = None
    courses: tuple[RecipientCourse, ...] = ()

    def __post_init__(self) -> None:
        _day(self.cutoff_date, "dataset", "cutoff_date")
        _set(self, "subjects", _records(self.subjects, Subject, "subjects"))
        _set(
            self,
            "adverse_events",
            _records(self.adverse_events, AdverseEvent, "adverse_events"),
        )
        _set(self, "visits", _records(self.visits, VisitMeasurement, "visits"))
        _set(self, "courses", _records(self.courses, RecipientCourse, "courses"))
        if self.funnel is not None and not isinstance(self.funnel, ScreeningFunnel):
            raise AnalysisInputError(
                Message("ScreeningFunnel attendu.", "a ScreeningFunnel is expected."),
                field="funnel",
            )
        self._check_subjects()
        self._check_events()
        self._check_visits()
        self._check_courses()
        self._check_funnel()

    def subject(self, code: str) -> Subject:
        for subject in self.subjects:
            if subject.code == code:
                return subject
        raise KeyError(code)

    def _check_subjects(self) -> None:
        seen: set[str] = set()
        for subject in self.subjects:
            where = f"subject {subject.code}"
            if subject.code in seen:
                raise _error(where, "code", "code en double.", "duplicate code.")
            seen.add(subject.code)
            for f in fields(Subject):
                value = getattr(subject, f.name)
                if isinstance(value, date) and value > self.cutoff_date:
                    day, cutoff = value.isoformat(), self.cutoff_date.isoformat()
                    raise _error(
                        where,
                        f.name,
                        f"{day} après la date de gel ({cutoff}).",
                        f"{day} is after the cut-off ({cutoff}).",
                    )

    def _known(self, code: str, where: str) -> Subject:
        for subject in self.subjects:
            if subject.code == code:
                return subject
        raise _error(where, "subject_code", "sujet inconnu.", "unknown subject.")

    def _check_events(self) -> None:
        for event in self.adverse_events:
            where = f"adverse event {event.subject_code}/{event.term}"
            subject = self._known(event.subject_code, where)
            for name in ("onset_date", "end_date"):
                value = getattr(event, name)
                if value is not None and value > self.cutoff_date:
                    raise _error(where, name, "après la date de gel.", "after the cut-off.")
            if event.onset_date < subject.inclusion_date:
                raise _error(where, "onset_date", "avant l'inclusion.", "before the inclusion.")
            if event.grade == 5:
                if subject.death_date is None:
                    raise _error(
                        where, "grade", "grade 5 sans décès du sujet.", "grade 5 but no death."
                    )
                if event.onset_date > subject.death_date:
                    raise _error(where, "onset_date", "après le décès.", "after the death.")

    def _check_visits(self) -> None:
        seen: set[tuple[str, str]] = set()
        for visit in self.visits:
            where = f"visit {visit.subject_code}/{visit.visit}"
            subject = self._known(visit.subject_code, where)
            key = (visit.subject_code, visit.visit)
            if key in seen:
                raise _error(where, "visit", "visite en double.", "duplicate visit.")
            seen.add(key)
            if visit.visit_date > self.cutoff_date:
                raise _error(where, "visit_date", "après la date de gel.", "after the cut-off.")
            if subject.end_date is not None and visit.visit_date > subject.end_date:
                raise _error(
                    where,
                    "visit_date",
                    "après la fin de participation.",
                    "after the end of participation.",
                )
            if visit.visit == BASELINE:
                if subject.infusion_date is not None and visit.visit_date > subject.infusion_date:
                    raise _error(
                        where,
                        "visit_date",
                        "inclusion après la perfusion.",
                        "baseline after the infusion.",
                    )
                continue
            if subject.infusion_date is None:
                raise _error(
                    where,
                    "visit",
                    "visite de suivi sans perfusion.",
                    "follow-up visit without infusion.",
                )
            if visit.visit_date < subject.infusion_date:
                raise _error(where, "visit_date", "avant la perfusion.", "before the infusion.")

    def _check_courses(self) -> None:
        if not self.courses:
            return
        by_code: dict[str, RecipientCourse] = {}
        for course in self.courses:
            where = f"course {course.recipient_code}"
            if course.recipient_code in by_code:
                raise _error(where, "recipient_code", "parcours en double.", "duplicate course.")
            by_code[course.recipient_code] = course
        included = {s.code for s in self.subjects}
        for code, course in by_code.items():
            if course.included != (code in included):
                raise _error(
                    f"course {code}",
                    "included",
                    "« inclus » ne correspond pas à la liste des sujets.",
                    "'included' does not match the subjects.",
                )
        for subject in self.subjects:
            found = by_code.get(subject.code)
            if found is None:
                raise _error(
                    f"subject {subject.code}",
                    "courses",
                    "parcours produit manquant.",
                    "no product course.",
                )
            if found.infused != subject.infused:
                raise _error(
                    f"course {subject.code}",
                    "infused",
                    "« perfusé » ne correspond pas à la date de perfusion.",
                    "'infused' does not match the infusion date.",
                )

    def _check_funnel(self) -> None:
        funnel = self.funnel
        if funnel is None:
            return
        included = len(self.subjects)
        if included > funnel.eligible:
            raise _error(
                "funnel",
                "eligible",
                f"{included} inclus pour {funnel.eligible} éligibles.",
                f"{included} included for {funnel.eligible} eligible.",
            )
        if sum(funnel.not_included_reasons.values()) > funnel.eligible - included:
            raise _error(
                "funnel",
                "not_included_reasons",
                "plus de motifs que de non-inclus.",
                "more reasons than eligible recipients not included.",
            )
