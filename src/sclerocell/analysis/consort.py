"""The CONSORT flow: screened → eligible → included → infused → followed at each visit.

The top of the flow (screened, eligible and the reasons) comes from the screening funnel; the rest
is counted from the subjects and the visits. At each visit of the schedule, every infused
recipient is in exactly one box:

- **attended**: a record of that visit exists;
- **off study**: no record, and the participation ended before the visit's target date (the
  recipients who ended since the previous visit are broken down by end cause);
- **not yet due**: no record, still followed, and the target date is after the data cut-off;
- **missed**: no record, still followed, target date passed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from sclerocell.analysis.dataset import AnalysisDataset, EndCause, Subject
from sclerocell.analysis.settings import AnalysisSettings
from sclerocell.analysis.timeline import visit_target

__all__ = [
    "AWAITING_INCLUSION",
    "AWAITING_INFUSION",
    "SCREENING_IN_PROGRESS",
    "ConsortFlow",
    "ConsortVisit",
    "consort",
]

#: Reason key of an included recipient not yet infused and still in the study.
AWAITING_INFUSION = "awaiting_infusion"
#: Funnel reason keys (``ScreeningFunnel``) with a name in both languages: a screened recipient
#: whose eligibility is not decided yet; an eligible recipient not yet included.
SCREENING_IN_PROGRESS = "screening_in_progress"
AWAITING_INCLUSION = "awaiting_inclusion"


@dataclass(frozen=True, slots=True)
class ConsortVisit:
    visit: str
    attended: int
    missed: int
    not_yet_due: int
    #: Infused recipients off study before this visit (cumulative).
    off_study: int
    #: Recipients who went off study since the previous visit, by end cause.
    newly_off: Mapping[EndCause, int]
    newly_off_details: tuple[str, ...]

    @property
    def in_follow_up(self) -> int:
        return self.attended + self.missed + self.not_yet_due


@dataclass(frozen=True, slots=True)
class ConsortFlow:
    #: None when no screening funnel was given.
    screened: int | None
    not_eligible: int | None
    not_eligible_reasons: Mapping[str, int]
    eligible: int | None
    not_included: int | None
    not_included_reasons: Mapping[str, int]
    included: int
    not_infused: int
    #: End-cause values, or :data:`AWAITING_INFUSION`.
    not_infused_reasons: Mapping[str, int]
    not_infused_details: tuple[str, ...]
    infused: int
    infused_by_level: Mapping[int, int]
    visits: tuple[ConsortVisit, ...]
    #: Infused recipients by end of participation: completed, other causes, still followed.
    completed: int
    still_followed: int
    off_study_reasons: Mapping[EndCause, int]


def _by_cause(subjects: list[Subject]) -> Mapping[EndCause, int]:
    tally = Counter(s.end_cause for s in subjects if s.end_cause is not None)
    return MappingProxyType({c: tally[c] for c in EndCause if tally[c]})


def _details(subjects: list[Subject]) -> tuple[str, ...]:
    return tuple(sorted(s.end_detail for s in subjects if s.end_detail is not None))


def consort(dataset: AnalysisDataset, settings: AnalysisSettings) -> ConsortFlow:
    funnel = dataset.funnel
    subjects = sorted(dataset.subjects, key=lambda s: s.code)
    infused = [s for s in subjects if s.infusion_date is not None]
    not_infused = [s for s in subjects if s.infusion_date is None]
    reasons = Counter(
        s.end_cause.value if s.end_cause is not None else AWAITING_INFUSION for s in not_infused
    )
    attended = {(v.subject_code, v.visit) for v in dataset.visits}
    visits = []
    previous_off: set[str] = set()
    for definition in settings.schedule.visits:
        code = definition.code
        counts = Counter[str]()
        off: set[str] = set()
        for s in infused:
            if s.infusion_date is None:  # pragma: no cover — infused by construction
                continue
            target = visit_target(s.infusion_date, code, settings.schedule)
            if (s.code, code) in attended:
                counts["attended"] += 1
            elif s.end_date is not None and s.end_date < target:
                off.add(s.code)
            elif target > dataset.cutoff_date:
                counts["not_yet_due"] += 1
            else:
                counts["missed"] += 1
        new = [s for s in infused if s.code in off - previous_off]
        visits.append(
            ConsortVisit(
                visit=code,
                attended=counts["attended"],
                missed=counts["missed"],
                not_yet_due=counts["not_yet_due"],
                off_study=len(off),
                newly_off=_by_cause(new),
                newly_off_details=_details(new),
            )
        )
        previous_off |= off
    ended = [s for s in infused if s.end_cause is not None]
    return ConsortFlow(
        screened=funnel.screened if funnel else None,
        not_eligible=funnel.screened - funnel.eligible if funnel else None,
        not_eligible_reasons=funnel.not_eligible_reasons if funnel else MappingProxyType({}),
        eligible=funnel.eligible if funnel else None,
        not_included=funnel.eligible - len(subjects) if funnel else None,
        not_included_reasons=funnel.not_included_reasons if funnel else MappingProxyType({}),
        included=len(subjects),
        not_infused=len(not_infused),
        not_infused_reasons=MappingProxyType(dict(sorted(reasons.items()))),
        not_infused_details=_details(not_infused),
        infused=len(infused),
        infused_by_level=MappingProxyType(
            dict(sorted(Counter(s.dose_level for s in infused if s.dose_level is not None).items()))
        ),
        visits=tuple(visits),
        completed=sum(s.end_cause is EndCause.COMPLETED for s in infused),
        still_followed=sum(s.end_cause is None for s in infused),
        off_study_reasons=_by_cause([s for s in ended if s.end_cause is not EndCause.COMPLETED]),
    )
