"""Recruitment against the target: 20 recipients in 4.5 years from March 2014 (a straight line).

The expected number at a date is ``recipients × elapsed / duration``, clamped to [0, recipients],
with months counted as average months (days / 30.4375).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sclerocell.analysis.dataset import AnalysisDataset
from sclerocell.analysis.messages import Message
from sclerocell.analysis.settings import AnalysisSettings, RecruitmentTarget
from sclerocell.analysis.timeline import add_months, months_between

__all__ = ["Recruitment", "expected_inclusions", "recruitment"]


@dataclass(frozen=True, slots=True)
class Recruitment:
    target: RecruitmentTarget
    target_end: date
    cutoff_date: date
    #: Inclusion and infusion dates, sorted (the cumulative curves).
    inclusions: tuple[date, ...]
    infusions: tuple[date, ...]
    expected_at_cutoff: float
    message: Message


def expected_inclusions(target: RecruitmentTarget, day: date) -> float:
    elapsed = months_between(target.start, day)
    total = months_between(target.start, add_months(target.start, target.months))
    return target.recipients * min(max(elapsed / total, 0.0), 1.0)


def recruitment(dataset: AnalysisDataset, settings: AnalysisSettings) -> Recruitment:
    target = settings.recruitment
    inclusions = tuple(sorted(s.inclusion_date for s in dataset.subjects))
    infusions = tuple(sorted(s.infusion_date for s in dataset.subjects if s.infusion_date))
    expected = expected_inclusions(target, dataset.cutoff_date)
    cutoff = dataset.cutoff_date.isoformat()
    return Recruitment(
        target=target,
        target_end=add_months(target.start, target.months),
        cutoff_date=dataset.cutoff_date,
        inclusions=inclusions,
        infusions=infusions,
        expected_at_cutoff=expected,
        message=Message(
            f"{len(inclusions)} inclus au {cutoff} pour {expected:.1f} attendus "
            f"(objectif {target.recipients}).",
            f"{len(inclusions)} included by {cutoff} against {expected:.1f} expected "
            f"(target {target.recipients}).",
        ),
    )
