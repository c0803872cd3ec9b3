"""The analysis dataset from the database: one :class:`AnalysisDataset` at a data cut-off date.

:func:`build_dataset` reads the recipients of a queryset (the caller scopes it: the report page
passes the recipients of the user's sites) and everything the analysis needs about them, as it
stood on the cut-off date:

- **subjects**: recipients included on or before the cut-off — site, dose level (the inclusion's
  dose cohort), inclusion and infusion dates, end of participation (date, cause and the reason
  written) when it came by the cut-off, death (an end of participation by death), and the first
  progression found by the follow-up response (``followup.response``: renal crisis, LV failure,
  pulmonary hypertension, EUSTAR skin progression, FVC or DLCO decline) at a visit by the
  cut-off;
- **adverse events** (safety app) of those recipients with onset from the inclusion to the
  cut-off; an end date after the cut-off is blanked (ongoing then). A grade 5 event of a
  recipient still alive at the cut-off (the death was recorded later) counts as grade 4:
  it had not been fatal yet;
- **visits** (follow-up forms at least *complete*, as the response reads them): BL and the
  scheduled visits (unscheduled ones are not part of the analysis) dated by the cut-off and by
  the end of participation, with mRSS, FVC and DLCO % predicted, HAQ-DI, the global assessments
  and the ACR-CRISS step-1 events, all computed by ``followup.response``;
- **screening funnel**: recipients screened by the cut-off; eligible (decided so by the cut-off,
  or included); the reasons of each screen failure from its signed eligibility decision
  (criterion ids joined with ``+``, ``?`` when no signature gives them), the others screened but
  not decided yet (``screening_in_progress``); eligible recipients not included, by end cause
  when they ended their participation, else ``awaiting_inclusion``;
- **product courses** (``product.feasibility.recipient_courses``), each step counted only when
  it happened by the cut-off (donor chosen, harvest, release decision of the first batch,
  infusion).

Causality is mapped onto the analysis scale: certain, probable, possible, unlikely and not related
as such; *conditional* and *unassessable* (not settled) as *not assessed*; *not applicable* as
*not related*.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import replace

from django.db.models import QuerySet
from django.utils import timezone

from sclerocell.analysis.consort import AWAITING_INCLUSION, SCREENING_IN_PROGRESS
from sclerocell.analysis.dataset import (
    VISIT_CODES,
    AdverseEvent,
    AnalysisDataset,
    EndCause,
    Relatedness,
    ScreeningFunnel,
    Subject,
    VisitMeasurement,
)
from sclerocell.clinical.criss import Step1Events
from sclerocell.product.feasibility import RecipientCourse
from sclerocell.web.followup.casebook import load_casebook
from sclerocell.web.followup.models import FormStatus
from sclerocell.web.followup.response import PatientResponse, VisitScores, patient_response
from sclerocell.web.product.feasibility import recipient_courses
from sclerocell.web.product.models import Batch, Harvest
from sclerocell.web.safety.models import AdverseEvent as AdverseEventRow
from sclerocell.web.safety.models import Relation
from sclerocell.web.screening.evaluation import reasons_from_dict
from sclerocell.web.screening.models import Decision, EligibilitySignature
from sclerocell.web.trial.models import (
    DonorSelection,
    Eligibility,
    Participant,
    ParticipantKind,
)
from sclerocell.web.trial.models import EndCause as TrialEndCause

__all__ = ["RELATION_MAP", "UNKNOWN_REASON", "build_dataset", "site_label"]

#: Causality of the safety app → the analysis scale.
RELATION_MAP: dict[str, Relatedness] = {
    Relation.CERTAIN: Relatedness.CERTAIN,
    Relation.PROBABLE: Relatedness.PROBABLE,
    Relation.POSSIBLE: Relatedness.POSSIBLE,
    Relation.UNLIKELY: Relatedness.UNLIKELY,
    Relation.NOT_RELATED: Relatedness.NOT_RELATED,
    Relation.NOT_APPLICABLE: Relatedness.NOT_RELATED,
    Relation.CONDITIONAL: Relatedness.NOT_ASSESSED,
    Relation.UNASSESSABLE: Relatedness.NOT_ASSESSED,
}

_END_CAUSES: dict[str, EndCause] = {
    TrialEndCause.COMPLETED: EndCause.COMPLETED,
    TrialEndCause.WITHDRAWAL: EndCause.WITHDRAWAL,
    TrialEndCause.LOST_TO_FOLLOW_UP: EndCause.LOST_TO_FOLLOW_UP,
    TrialEndCause.DEATH: EndCause.DEATH,
}

#: Reason key of a screen failure whose signed decision gives no criterion.
UNKNOWN_REASON = "?"


def site_label(participant: Participant) -> str:
    return f"{participant.site.number:02d}"


def _by(day: datetime.date | None, cutoff: datetime.date) -> datetime.date | None:
    """``day`` if it came by the cut-off, else None (not yet known on the cut-off)."""
    return day if day is not None and day <= cutoff else None


# --- subjects and visits -----------------------------------------------------------------------


def _measurement(code: str, scores: VisitScores, step1: Step1Events) -> VisitMeasurement:
    return VisitMeasurement(
        subject_code=scores.visit.participant.code,
        visit=code,
        visit_date=scores.visit.visit_date,
        mrss=scores.mrss_total,
        fvc_percent_predicted=scores.fvc,
        dlco_percent_predicted=scores.dlco,
        haq_di=scores.haq_index,
        patient_global=scores.patient_global,
        physician_global=scores.physician_global,
        step1=step1,
    )


def _follow_up(
    participant: Participant, last_day: datetime.date, infusion: datetime.date | None
) -> tuple[list[VisitMeasurement], datetime.date | None]:
    """The participant's visits up to ``last_day`` and the date of the first progression."""
    response: PatientResponse = patient_response(
        load_casebook(participant, at_least=FormStatus.COMPLETE)
    )
    visits: list[VisitMeasurement] = []
    baseline = response.baseline
    if baseline is not None and baseline.visit.visit_date <= last_day:
        if infusion is None or baseline.visit.visit_date <= infusion:
            visits.append(_measurement(baseline.visit.code, baseline, Step1Events()))
    progression: datetime.date | None = None
    if infusion is None:
        return visits, None
    for visit in response.visits:
        code, day = visit.scores.visit.code, visit.scores.visit.visit_date
        if code not in VISIT_CODES or day > last_day or day < infusion:
            continue
        visits.append(_measurement(code, visit.scores, visit.step1))
        if visit.progression and progression is None:
            progression = day
    return visits, progression


def _detail(participant: Participant) -> str | None:
    """The reason written when the participation ended (free text), if the trial records one."""
    text = getattr(participant, "end_reason", "")
    return text.strip() or None if isinstance(text, str) else None


def _subject(
    participant: Participant, cutoff: datetime.date
) -> tuple[Subject, list[VisitMeasurement]]:
    inclusion = participant.inclusion_date
    if inclusion is None:  # pragma: no cover — selected on it
        raise ValueError(f"{participant.code} is not included")
    infusion = _by(participant.infusion_date, cutoff)
    end = _by(participant.end_date, cutoff)
    cause = _END_CAUSES.get(participant.end_cause) if end is not None else None
    if end is not None and cause is None:
        cause = EndCause.OTHER
    enrolment = getattr(participant, "enrolment", None)
    last_day = end if end is not None else cutoff
    visits, progression = _follow_up(participant, last_day, infusion)
    subject = Subject(
        code=participant.code,
        site=site_label(participant),
        dose_level=None if enrolment is None else enrolment.dose_level,
        inclusion_date=inclusion,
        infusion_date=infusion,
        end_date=end,
        end_cause=cause,
        end_detail=_detail(participant) if end is not None else None,
        death_date=end if cause is EndCause.DEATH else None,
        progression_date=progression,
    )
    return subject, visits


# --- adverse events ----------------------------------------------------------------------------


def _events(
    included: list[Participant], subjects: dict[str, Subject], cutoff: datetime.date
) -> list[AdverseEvent]:
    rows = AdverseEventRow.objects.filter(
        participant__in=included, onset_date__lte=cutoff
    ).select_related("participant")
    events = []
    for row in rows.order_by("participant__code", "number"):
        subject = subjects[row.participant.code]
        if row.onset_date < subject.inclusion_date:
            continue
        grade = row.grade
        if grade == 5 and (subject.death_date is None or row.onset_date > subject.death_date):
            grade = 4  # not fatal yet on the cut-off
        events.append(
            AdverseEvent(
                subject_code=subject.code,
                term=row.term,
                soc=row.soc,
                grade=grade,
                onset_date=row.onset_date,
                meddra_code=row.meddra_code or None,
                end_date=_by(row.end_date, cutoff),
                relation_msc=RELATION_MAP.get(row.relation_to_msc, Relatedness.NOT_ASSESSED),
                relation_procedure=RELATION_MAP.get(
                    row.relation_to_procedure, Relatedness.NOT_ASSESSED
                ),
                serious=row.is_serious,
                malignancy=row.malignancy,
                ctcae_version=row.ctcae_version or None,
            )
        )
    return events


# --- screening funnel --------------------------------------------------------------------------


def _signed_reasons(participant: Participant, cutoff: datetime.date) -> str:
    signature = (
        EligibilitySignature.objects.filter(
            participant=participant, decision=Decision.NOT_ELIGIBLE, decision_date__lte=cutoff
        )
        .order_by("-signed_at", "-pk")
        .first()
    )
    if signature is None:
        return UNKNOWN_REASON
    try:
        found = reasons_from_dict(signature.result["result"])
    except (KeyError, TypeError, ValueError):
        return UNKNOWN_REASON
    return " + ".join(sorted(set(found))) or UNKNOWN_REASON


def _funnel(
    screened: list[Participant], included: set[int], cutoff: datetime.date
) -> ScreeningFunnel:
    eligible = []
    not_eligible: Counter[str] = Counter()
    for p in screened:
        decided = p.eligibility_date is None or p.eligibility_date <= cutoff
        if p.pk in included or (p.eligibility == Eligibility.ELIGIBLE and decided):
            eligible.append(p)
        elif p.eligibility == Eligibility.NOT_ELIGIBLE and decided:
            not_eligible[_signed_reasons(p, cutoff)] += 1
        else:
            not_eligible[SCREENING_IN_PROGRESS] += 1
    not_included: Counter[str] = Counter()
    for p in eligible:
        if p.pk in included:
            continue
        if _by(p.end_date, cutoff) is not None:
            not_included[_END_CAUSES.get(p.end_cause, EndCause.OTHER).value] += 1
        else:
            not_included[AWAITING_INCLUSION] += 1
    return ScreeningFunnel(
        screened=len(screened),
        eligible=len(eligible),
        not_eligible_reasons=dict(not_eligible),
        not_included_reasons=dict(not_included),
    )


# --- product courses ---------------------------------------------------------------------------


def _courses(
    included: QuerySet[Participant], subjects: dict[str, Subject], cutoff: datetime.date
) -> list[RecipientCourse]:
    ids = list(included.values_list("pk", flat=True))
    chosen = set(
        DonorSelection.objects.filter(recipient__in=ids, selected_on__lte=cutoff).values_list(
            "recipient__code", flat=True
        )
    )
    harvested = set(
        Harvest.objects.filter(donor__recipient__in=ids, harvested_on__lte=cutoff).values_list(
            "donor__recipient__code", flat=True
        )
    )
    released: set[str] = set()
    first_batches: dict[str, Batch] = {}
    for batch in (
        Batch.objects.filter(recipient__in=ids)
        .select_related("release", "recipient")
        .order_by("manufactured_on", "pk")
    ):
        first_batches.setdefault(batch.recipient.code, batch)
    for code, batch in first_batches.items():
        decision = getattr(batch, "release", None)
        if decision is not None and timezone.localdate(decision.signed_at) <= cutoff:
            released.add(code)
    courses = []
    for course in recipient_courses(included):
        subject = subjects[course.recipient_code]
        infusion = subject.infusion_date
        courses.append(
            replace(
                course,
                included=True,
                donor_found=course.donor_found and course.recipient_code in chosen,
                harvest_done=course.harvest_done and course.recipient_code in harvested,
                released_first_time=course.released_first_time
                and course.recipient_code in released,
                infused=infusion is not None,
                infused_at_target_dose=infusion is not None and course.infused_at_target_dose,
                days_inclusion_to_infusion=None
                if infusion is None
                else (infusion - subject.inclusion_date).days,
            )
        )
    return courses


# --- the dataset -------------------------------------------------------------------------------


def build_dataset(recipients: QuerySet[Participant], cutoff: datetime.date) -> AnalysisDataset:
    """The analysis dataset of the recipients of ``recipients`` (donors in it are ignored) as
    they stood on ``cutoff``. Raises ``AnalysisInputError`` when the data break a rule of the
    dataset (the message names the record and the field)."""
    base = recipients.filter(kind=ParticipantKind.RECIPIENT, screening_date__lte=cutoff)
    screened = list(base.select_related("site").order_by("code"))
    included_qs = base.filter(inclusion_date__lte=cutoff)
    included = list(included_qs.select_related("site", "enrolment").order_by("code"))
    subjects: dict[str, Subject] = {}
    visits: list[VisitMeasurement] = []
    for participant in included:
        subject, measured = _subject(participant, cutoff)
        subjects[subject.code] = subject
        visits.extend(measured)
    return AnalysisDataset(
        cutoff_date=cutoff,
        subjects=tuple(subjects.values()),
        adverse_events=tuple(_events(included, subjects, cutoff)),
        visits=tuple(visits),
        funnel=_funnel(screened, {p.pk for p in included}, cutoff),
        courses=tuple(_courses(included_qs, subjects, cutoff)),
    )
