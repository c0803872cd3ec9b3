"""A synthetic analysis dataset for demonstrations and tests: 20 recipients, seeded.

Invented data shaped like the trial, never real patients: inclusions from March 2014 over about
4.5 years, dose escalation by inclusion rank (1–10 at level 1, 11–20 at level 2), one recipient
withdrawn before the infusion, two deaths, a few progressions, one recipient lost to follow-up,
visits at their target dates within the windows with a few missed visits and missing values,
an mRSS that falls in about two thirds of the recipients, AEs drawn from real CTCAE v5.0 terms
(infusion reactions on D0, infections, digital ulcers…, grade 5 on the day of each death, one
late neoplasm). The same ``seed`` always gives the same dataset.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from sclerocell.analysis.dataset import (
    BASELINE,
    AdverseEvent,
    AnalysisDataset,
    EndCause,
    Relatedness,
    ScreeningFunnel,
    Subject,
    VisitMeasurement,
)
from sclerocell.analysis.settings import DEFAULT_SETTINGS
from sclerocell.analysis.timeline import visit_definition, visit_target
from sclerocell.clinical.criss import Step1Events
from sclerocell.clinical.ctcae import get_term
from sclerocell.product.feasibility import RecipientCourse

__all__ = ["synthetic_dataset"]

#: (MedDRA code, weight, grade weights 1–5) of the AEs drawn after D10.
_LATER_TERMS: tuple[tuple[str, float, tuple[float, ...]], ...] = (
    ("10061229", 2.0, (0.0, 0.6, 0.4, 0.0, 0.0)),  # lung infection
    ("10040947", 2.0, (0.3, 0.5, 0.2, 0.0, 0.0)),  # skin ulceration (digital ulcers)
    ("10012727", 1.5, (0.6, 0.35, 0.05, 0.0, 0.0)),  # diarrhoea
    ("10016256", 1.5, (0.6, 0.4, 0.0, 0.0, 0.0)),  # fatigue
    ("10066874", 1.0, (0.5, 0.5, 0.0, 0.0, 0.0)),  # gastro-oesophageal reflux disease
    ("10020772", 1.0, (0.2, 0.6, 0.2, 0.0, 0.0)),  # hypertension
    ("10002272", 1.0, (0.5, 0.4, 0.1, 0.0, 0.0)),  # anaemia
    ("10040872", 1.0, (0.3, 0.5, 0.2, 0.0, 0.0)),  # skin infection
    ("10019211", 1.0, (0.8, 0.2, 0.0, 0.0, 0.0)),  # headache
    ("10069339", 0.4, (0.0, 0.0, 1.0, 0.0, 0.0)),  # acute kidney injury
)
_INFUSION_TERMS = ("10051792", "10016558", "10028813")  # infusion reaction, fever, nausea
_NEOPLASM_OTHER = "10029104"
_RESPIRATORY_FAILURE = "10038695"
_HEART_FAILURE = "10019279"


def _event(
    code: str,
    subject: str,
    grade: int,
    onset: date,
    *,
    msc: Relatedness = Relatedness.NOT_RELATED,
    serious: bool = False,
    malignancy: bool = False,
    days: int | None = 5,
    end_limit: date,
) -> AdverseEvent:
    term = get_term(code)
    if grade not in term.allowed_grades:
        grade = min(term.allowed_grades, key=lambda g: abs(g - grade))
    return AdverseEvent(
        subject_code=subject,
        term=term.term,
        soc=term.soc,
        grade=grade,
        onset_date=onset,
        meddra_code=term.meddra_code,
        end_date=None if days is None else min(onset + timedelta(days=days), end_limit),
        relation_msc=msc,
        relation_procedure=Relatedness.NOT_RELATED,
        serious=serious,
        malignancy=malignancy,
        ctcae_version="5.0",
    )


def _clip(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def synthetic_dataset(seed: int = 2014, cutoff: date = date(2021, 6, 30)) -> AnalysisDataset:
    """A realistic, invented snapshot of the 20-recipient trial (see the module docstring)."""
    rng = np.random.default_rng(seed)
    schedule = DEFAULT_SETTINGS.schedule
    n = 20
    start = date(2014, 3, 15)
    offsets = np.sort(rng.uniform(0, 4.4 * 365.25, n))
    inclusions = [start + timedelta(days=int(d)) for d in offsets]
    not_infused = {7}  # withdrawn before the infusion (inclusion rank 7, level 1)
    deaths = {4: 8.0, 15: 17.0}  # rank → months after the infusion
    progressions = {4: 5.0, 12: 10.0, 18: 14.0}
    lost = {9: 13.0}
    subjects: list[Subject] = []
    events: list[AdverseEvent] = []
    visits: list[VisitMeasurement] = []
    courses: list[RecipientCourse] = []
    for rank, included in enumerate(inclusions, start=1):
        code = f"SSC-{rank:02d}"
        level = 1 if rank <= 10 else 2
        if rank in not_infused:
            end = included + timedelta(days=25)
            subjects.append(
                Subject(
                    code,
                    "Paris Saint-Louis",
                    level,
                    included,
                    end_date=end,
                    end_cause=EndCause.WITHDRAWAL,
                    end_detail="Retrait du consentement avant la perfusion",
                )
            )
            courses.append(RecipientCourse(code, True, donor_found=True, harvest_done=True))
            visits.append(
                VisitMeasurement(
                    code, BASELINE, included + timedelta(days=3), mrss=int(rng.integers(16, 35))
                )
            )
            continue
        delay = int(rng.integers(21, 70))
        infusion = included + timedelta(days=delay)

        def months_after(months: float, base: date = infusion) -> date:
            return base + timedelta(days=round(months * 30.4375))

        plan = [(BASELINE, infusion - timedelta(days=int(rng.integers(1, 8))), 0.0)]
        for definition in schedule.visits:
            target = visit_target(infusion, definition.code, schedule)
            before, after = definition.window_before_days, definition.window_after_days
            jitter = int(rng.integers(-before, after + 1))
            nominal = float(visit_definition(definition.code, schedule).months)
            plan.append((definition.code, target + timedelta(days=jitter), nominal))
        death = months_after(deaths[rank]) if rank in deaths else None
        progression = months_after(progressions[rank]) if rank in progressions else None
        end_date: date | None
        cause: EndCause | None
        if death is not None:
            end_date, cause = death, EndCause.DEATH
        elif rank in lost:
            end_date, cause = months_after(lost[rank]), EndCause.LOST_TO_FOLLOW_UP
        elif plan[-1][1] <= cutoff:
            end_date, cause = plan[-1][1], EndCause.COMPLETED  # at the M24 visit
        else:
            end_date, cause = None, None
        subjects.append(
            Subject(
                code,
                "Paris Saint-Louis",
                level,
                included,
                infusion_date=infusion,
                end_date=end_date,
                end_cause=cause,
                death_date=death,
                progression_date=progression,
            )
        )
        courses.append(
            RecipientCourse(
                code,
                True,
                donor_found=True,
                harvest_done=True,
                released_first_time=rank != 13,
                infused=True,
                infused_at_target_dose=rank != 16,
                days_inclusion_to_infusion=delay,
            )
        )
        last_day = end_date if end_date is not None else cutoff

        # --- visits: baseline, then the schedule within the windows ------------------------
        responder = rng.random() < 0.7
        mrss0 = _clip(rng.normal(27, 6), 15, 45)
        fvc0 = _clip(rng.normal(68, 12), 40, 110)
        dlco0 = _clip(rng.normal(46, 10), 30, 80)
        haq0 = _clip(rng.normal(1.6, 0.5), 0.25, 2.75)
        patient0 = _clip(rng.normal(6.0, 1.5), 1, 9.5)
        physician0 = _clip(rng.normal(5.5, 1.5), 1, 9.5)
        for visit, day, months in plan:
            completion = visit == "M24" and cause is EndCause.COMPLETED
            if day > last_day or (visit != BASELINE and not completion and rng.random() < 0.05):
                continue
            fraction = min(months, 12.0) / 12.0
            mrss_drop = (0.40 if responder else 0.03) * fraction
            improve = 1.0 if responder else 0.1

            def maybe(value: float, digits: int, p_missing: float = 0.02) -> float | None:
                return None if rng.random() < p_missing else round(value, digits)

            mrss = _clip(mrss0 * (1 - mrss_drop) + rng.normal(0, 2.0), 0, 51)
            fvc = _clip(fvc0 + improve * 4 * fraction + rng.normal(0, 3.0), 20, 150)
            dlco = _clip(dlco0 + improve * 2 * fraction + rng.normal(0, 3.0), 15, 120)
            haq = _clip(haq0 - improve * 0.5 * fraction + rng.normal(0, 0.15), 0, 3)
            patient = _clip(patient0 - improve * 2.5 * fraction + rng.normal(0, 0.8), 0, 10)
            physician = _clip(physician0 - improve * 2.5 * fraction + rng.normal(0, 0.8), 0, 10)
            fvc_decline = rank == 18 and visit in ("M12", "M18")
            step1 = (
                Step1Events()
                if visit == BASELINE
                else Step1Events(False, fvc_decline, False, None if rank == 5 else False)
            )
            mrss_value = maybe(mrss, 0)
            visits.append(
                VisitMeasurement(
                    code,
                    visit,
                    day,
                    mrss=None if mrss_value is None else int(mrss_value),
                    fvc_percent_predicted=maybe(fvc, 1),
                    dlco_percent_predicted=maybe(dlco, 1),
                    haq_di=maybe(round(haq * 8) / 8, 3),
                    patient_global=maybe(patient, 1),
                    physician_global=maybe(physician, 1),
                    step1=step1,
                )
            )

        # --- adverse events ----------------------------------------------------------------
        for term_code in _INFUSION_TERMS:
            if rng.random() < 0.25:
                grade = 3 if rng.random() < 0.12 else int(rng.integers(1, 3))
                events.append(
                    _event(
                        term_code,
                        code,
                        grade,
                        infusion + timedelta(days=int(rng.integers(0, 3))),
                        msc=Relatedness.PROBABLE
                        if term_code == "10051792"
                        else Relatedness.POSSIBLE,
                        serious=grade >= 3,
                        days=1,
                        end_limit=cutoff,
                    )
                )
        weights = np.array([w for _, w, _ in _LATER_TERMS])
        span = (last_day - infusion).days
        for _ in range(int(rng.poisson(3.0))):
            term_code, _, grades = _LATER_TERMS[
                int(rng.choice(len(_LATER_TERMS), p=weights / weights.sum()))
            ]
            grade = int(rng.choice(5, p=np.array(grades))) + 1
            onset = infusion + timedelta(days=int(rng.integers(11, max(span, 12))))
            if onset > last_day:
                continue
            msc = Relatedness.UNLIKELY if rng.random() < 0.3 else Relatedness.NOT_RELATED
            serious = grade >= 3 and rng.random() < 0.8
            events.append(
                _event(term_code, code, grade, onset, msc=msc, serious=serious, end_limit=cutoff)
            )
        if death is not None:
            term_code = _RESPIRATORY_FAILURE if rank == 4 else _HEART_FAILURE
            events.append(_event(term_code, code, 5, death, serious=True, days=0, end_limit=cutoff))
        if rank == 11 and months_after(20.0) <= last_day:
            events.append(
                _event(
                    _NEOPLASM_OTHER,
                    code,
                    2,
                    months_after(20.0),
                    msc=Relatedness.UNLIKELY,
                    malignancy=True,
                    days=None,
                    end_limit=cutoff,
                )
            )
    funnel = ScreeningFunnel(
        screened=38,
        eligible=24,
        not_eligible_reasons={
            "R-E2a (hypertension pulmonaire)": 5,
            "R-I3c (mRSS < 15)": 4,
            "R-E2b (clairance < 20 mL/min/m²)": 3,
            "R-E4 (antécédent de néoplasie)": 2,
        },
        not_included_reasons={"Pas de donneur intrafamilial": 2, "Refus de participer": 2},
    )
    return AnalysisDataset(
        cutoff_date=cutoff,
        subjects=tuple(subjects),
        adverse_events=tuple(events),
        visits=tuple(visits),
        funnel=funnel,
        courses=tuple(courses),
    )
