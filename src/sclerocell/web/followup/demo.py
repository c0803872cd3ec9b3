"""Synthetic follow-up for the demo trial: 24 months of visits, outcome forms, queries.

Called at the end of ``trial.demo.load``. Every infused recipient gets the baseline and the
scheduled visits (by default D10, M1, M3, M6, M9, M12, M18, M24) that fall before the end of their
participation and before the snapshot date: so those infused more than two years before it have
all of them, the last ones included the first few. The forms each visit expects are filled with
values drawn from a generator seeded by the study code, on one course per recipient — a skin
responder (mRSS falling by about half over the first year, lung function and HAQ-DI improving),
a stable disease, or a progression (mRSS rising, FVC falling) — and labs, vital signs and weight
consistent from visit to visit (the grade 3 lymphopenia of the safety demo shows at its M1).
The malignancy surveillance answers "no" at every post-infusion visit, "yes" at the visit after
the onset of the safety demo's late basal-cell carcinoma (read from its adverse events, loaded
first), and "not assessed" at the M9 of the stable courses. The visits follow the schedule in
force (setting ``SCLEROCELL_VISIT_SCHEDULE``).

Life cycle, as monitoring goes: the casebooks of the first completed recipients are signed and
locked, then signed, then verified (and those of the recipients who died or withdrew), the
others complete (monitoring lags behind); in
follow-up, the visits older than nine months of the first three are verified (one casebook
signed), the other visits complete, the latest one of each recipient still a draft. One visit is
outside its window and one is missed. Queries in every state: an entry slip raises a check's
query that waits for the site; another is resolved by the correction; the monitors ask questions
that are waiting, answered, closed, and reopened when the answer does not settle it.
Everything goes through the actions, so the audit trail shows it. Synthetic values only.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sclerocell.clinical import haq, mrss
from sclerocell.followup.schedule import ScheduledVisit, scheduled_visit
from sclerocell.web.accounts.models import User
from sclerocell.web.accounts.roles import Role
from sclerocell.web.trial.demo import PASSWORD
from sclerocell.web.trial.models import EndCause, Participant

from . import actions
from .checks import malignancy_events
from .definitions import FORMS, MALIGNANCY_NO, MALIGNANCY_NOT_ASSESSED, MALIGNANCY_YES
from .models import OutcomeForm, Query, Visit
from .visits import expected_forms, schedule_settings

SEED = 20140302
#: How far from the target day a visit takes place (half its window, at most six days).
SPREAD = {"D10": 2, "M1": 4}
#: The optional scales are entered at baseline and (the EUSTAR items) at one year.
SCALES = ("shaq", "eustar", "ulcers", "treatments")
SCALE_VISITS = frozenset({"BL", "M12"})
#: Forms left out where the protocol lists them, to keep the demo's load time short: the
#: response visits (M3, M6, M12, M24) have what the response analysis reads, the others the
#: skin, the lungs and the vital signs; labs at D10, M1, M3, M12 and M24.
LEFT_OUT = {
    "D10": {"organ_events", "treatments"},
    "M1": {"organ_events", "mrss", "ulcers", "treatments"},
    "M6": {"echo", "labs"},
    "M9": {"labs", "haq", "globals", "organ_events"},
    "M18": {"labs", "haq", "globals", "organ_events"},
    "M12": {"shaq", "ulcers", "treatments"},
    "M24": {"echo"},
}
FORM_ORDER = (
    "vitals",
    "labs",
    "mrss",
    "pft",
    "echo",
    "haq",
    "globals",
    "organ_events",
    "surveillance",
    *SCALES,
)
COURSES = ("responder", "stable", "responder", "progressor", "responder", "stable")
#: Visits older than this (before the snapshot) have been verified by the monitors.
VERIFIED_AFTER_DAYS = 270
NO_EVENTS = ("renal_crisis", "lv_failure", "pulmonary_hypertension")
#: The safety demo's late basal-cell carcinoma (``safety.demo``): the first recipient alive who
#: completed the study, this many days after the infusion. The trial demo records the adverse
#: events after the follow-up, so the follow-up tells the same story from these two facts.
CARCINOMA_DAYS = 540
LAB_RANGES: dict[str, tuple[str, str, str]] = {
    "creatinine": ("µmol/L", "45", "90"),
    "haemoglobin": ("g/dL", "12", "16"),
    "leukocytes": ("10⁹/L", "4", "10"),
    "neutrophils": ("10⁹/L", "1.5", "7"),
    "lymphocytes": ("10⁹/L", "1", "4"),
    "platelets": ("10⁹/L", "150", "400"),
    "crp": ("mg/L", "0", "5"),
    "alt": ("U/L", "5", "35"),
    "ast": ("U/L", "5", "35"),
    "bilirubin": ("µmol/L", "3", "17"),
}


def _staff(participant: Participant, role: Role) -> User:
    user = User.objects.filter(role=role.value, sites=participant.site).order_by("pk").first()
    if user is None:
        raise LookupError(f"no {role.value} at site {participant.site_id} in the demo")
    return user


@dataclass
class Course:
    """One recipient's disease course and baseline values; ``at`` gives a visit's values."""

    rng: random.Random
    kind: str
    weight: Decimal
    mrss0: int
    fvc0: int
    dlco0: int
    haq0: int
    patient0: int
    physician0: int
    lymphopenia_at_m1: bool = False
    ulcers: dict[str, int] = field(default_factory=dict)
    #: Onsets of the recipient's malignancy events (safety demo), and the previous visit's day.
    malignancies: list[datetime.date] = field(default_factory=list)
    previous_visit: datetime.date | None = None

    def trend(self, code: str, responder: float, progressor: float) -> float:
        """The change at ``code`` relative to baseline: ``responder`` or ``progressor`` reached
        at M12 (half as much again by M24), nothing for a stable disease."""
        months = _months(code)
        reached = min(months, 12) / 12 + max(0.0, months - 12) / 24
        if self.kind == "responder":
            return responder * reached
        if self.kind == "progressor":
            return progressor * reached
        return 0.0

    def noise(self, spread: int) -> int:
        return self.rng.randint(-spread, spread)


def _months(code: str) -> float:
    """How far a visit is from the infusion, in months (baseline: 0)."""
    for visit in schedule_settings().visits:
        if visit.code == code:
            return visit.months + visit.days / 30
    return 0.0


def _course(recipient: Participant, index: int, weight: Decimal) -> Course:
    rng = random.Random(f"{SEED}-{recipient.code}")  # noqa: S311 — synthetic demo data
    return Course(
        rng=rng,
        kind=COURSES[index % len(COURSES)],
        weight=weight,
        mrss0=16 + recipient.sequence % 12 + rng.randint(-1, 2),  # as at screening (R-I3c)
        fvc0=rng.randint(58, 80),
        dlco0=rng.randint(38, 60),
        haq0=rng.randint(10, 16),
        patient0=rng.randint(5, 8),
        physician0=rng.randint(5, 7),
    )


def _mrss_grid(total: int) -> dict[str, int]:
    scores = dict.fromkeys(mrss.SITE_IDS, 0)
    for site in sorted(mrss.SITE_IDS, key=lambda s: ("fingers" not in s, "hand" not in s, s)):
        scores[site] = min(mrss.MAX_SITE_SCORE, total)
        total -= scores[site]
    return scores


def _haq(index_eighths: int) -> dict[str, Any]:
    """Every item answered, the category scores summing to ``index_eighths``; no aids."""
    answers: dict[str, Any] = {}
    for i, category in enumerate(haq.CATEGORIES):
        score = min(3, index_eighths // 8 + (i < index_eighths % 8))
        for number, item in enumerate(category.items):
            answers[item.id] = score if number == 0 else max(0, score - number % 2)
    aids = sorted(f.name for f in FORMS["haq"].fields if f.name.startswith("aids_"))
    return answers | dict.fromkeys(aids, False)


def _d(value: float, places: int = 0) -> Decimal:
    return Decimal(str(round(value, places)))


def _labs(course: Course, code: str, day: datetime.date) -> dict[str, Any]:
    rng = course.rng
    values = {
        "creatinine": _d(rng.uniform(55, 85)),
        "haemoglobin": _d(rng.uniform(11.8, 14.2), 1),
        "leukocytes": _d(rng.uniform(4.5, 8.5), 1),
        "neutrophils": _d(rng.uniform(2.5, 5.5), 1),
        "lymphocytes": _d(rng.uniform(1.1, 2.6), 1),
        "platelets": _d(rng.uniform(180, 360)),
        "crp": _d(rng.uniform(1, 8 if course.kind == "progressor" else 5), 1),
        "alt": _d(rng.uniform(12, 34)),
        "ast": _d(rng.uniform(12, 34)),
        "bilirubin": _d(rng.uniform(5, 15)),
    }
    if course.lymphopenia_at_m1 and code == "M1":
        values["lymphocytes"] = Decimal("0.4")  # the grade 3 lymphopenia of the safety demo
    form: dict[str, Any] = {"sample_date": day}
    for lab, value in values.items():
        unit, low, high = LAB_RANGES[lab]
        form |= {
            f"{lab}_value": value,
            f"{lab}_unit": unit,
            f"{lab}_low": Decimal(low),
            f"{lab}_high": Decimal(high),
        }
    return form


def _values(course: Course, form: str, code: str, day: datetime.date) -> dict[str, Any]:
    """The values of one form at one visit, on the recipient's course."""
    c = course
    if form == "vitals":
        return {
            "systolic_bp": 118 + c.noise(14),
            "diastolic_bp": 74 + c.noise(9),
            "heart_rate": 74 + c.noise(12),
            "spo2": 96 + c.noise(2),
            "weight": _d(float(c.weight) * (1 + c.trend(code, 0.02, -0.05)) + c.noise(1), 1),
        }
    if form == "labs":
        return _labs(c, code, day)
    if form == "mrss":
        total = round(c.mrss0 * (1 + c.trend(code, -0.45, 0.25))) + c.noise(1)
        return _mrss_grid(max(0, min(51, total)))
    if form == "pft":
        fvc = c.fvc0 + c.trend(code, 5, -10) + c.noise(1)
        return {
            "test_date": day,
            "fvc_percent": _d(fvc),
            "fvc_litres": _d(fvc * 0.034, 2),
            "tlc_percent": _d(c.fvc0 + 8 + c.trend(code, 3, -8) + c.noise(2)),
            "dlco_percent": _d(c.dlco0 + c.trend(code, 3, -6) + c.noise(2)),
            "ild_on_hrct": True,
            "fvc_fall_confirmed": c.kind == "progressor" and _months(code) >= 12,
        }
    if form == "echo":
        return {
            "exam_date": day,
            "lvef": _d(62 + c.noise(5)),
            "spap": _d(30 + c.trend(code, -2, 6) + c.noise(4)),
            "pericardial_effusion": False,
        }
    if form == "haq":
        return _haq(max(0, round(c.haq0 + c.trend(code, -6, 3)) + c.noise(1)))
    if form == "globals":
        return {
            "patient_global": _d(max(0, min(10, c.patient0 + c.trend(code, -3, 1) + c.noise(1)))),
            "physician_global": _d(max(0, min(10, c.physician0 + c.trend(code, -3, 1)))),
        }
    if form == "organ_events":
        return dict.fromkeys(NO_EVENTS, False)
    if form == "surveillance":
        since = c.previous_visit
        new = any((since is None or onset > since) and onset <= day for onset in c.malignancies)
        if new:
            return {"new_malignancy": MALIGNANCY_YES}  # the late carcinoma of the safety demo
        # One visit in twenty-odd could not be assessed (the patient seen by a stand-in).
        skipped = code == "M9" and c.kind == "stable"
        return {"new_malignancy": MALIGNANCY_NOT_ASSESSED if skipped else MALIGNANCY_NO}
    if form == "ulcers":
        active = c.ulcers.setdefault(code, max(0, c.noise(1)) if c.kind != "responder" else 0)
        return {"active_ulcers": active, "new_ulcers": active, "pitting_scars": True}
    if form == "eustar":
        return {
            "delta_skin": c.kind == "progressor" and code != "BL",
            "digital_ulcers": c.ulcers.setdefault(code, 0) > 0,
            "tendon_friction_rubs": False,
        }
    if form == "treatments":
        return {
            "corticosteroids": True,
            "prednisone_dose": Decimal(5 if code != "BL" or c.kind == "stable" else 10),
            "mycophenolate": c.kind != "responder",
            "calcium_channel_blocker": True,
            "proton_pump_inhibitor": True,
        }
    if form == "shaq":
        better = c.trend(code, -3, 1)
        return {
            name: _d(max(0, min(15, 5 + better + c.noise(2))), 1)
            for name in ("pain", "intestinal", "breathing", "raynaud", "overall_severity")
        } | {"digital_ulcers": Decimal(0)}
    raise ValueError(form)


def _forms_at(code: str) -> list[str]:
    expected = {spec.code for spec in expected_forms(code)}
    return [
        form
        for form in FORM_ORDER
        if form in expected
        and (form not in SCALES or code in SCALE_VISITS)
        and form not in LEFT_OUT.get(code, ())
    ]


@dataclass
class People:
    nurse: User
    investigator: User
    monitor: User
    data_manager: User


def _people(recipient: Participant) -> People:
    return People(
        _staff(recipient, Role.RESEARCH_NURSE),
        _staff(recipient, Role.INVESTIGATOR),
        _staff(recipient, Role.MONITOR),
        _staff(recipient, Role.DATA_MANAGER),
    )


def _visit_day(rng: random.Random, recipient: Participant, code: str) -> datetime.date:
    infusion = recipient.infusion_date
    assert infusion is not None  # noqa: S101 — infused recipients only
    if code == "BL":
        return infusion - datetime.timedelta(days=rng.randint(2, 7))
    window = _window(infusion, code)
    if code == "M24" and recipient.end_cause == EndCause.COMPLETED and recipient.end_date:
        return recipient.end_date  # completed at the M24 visit
    spread = SPREAD.get(code, 6)
    return window.target + datetime.timedelta(days=rng.randint(-spread, spread))


def _window(infusion: datetime.date, code: str) -> ScheduledVisit:
    return scheduled_visit(infusion, code, schedule_settings())


@dataclass
class Plan:
    """What to do with one recipient: how far the reviews go, and the demo's slips."""

    reviewed: str  # "locked", "signed", "verified" or "complete": how far their old visits went
    late: str = ""  # a visit taken outside its window
    missed: str = ""  # a visit that did not take place
    slip: str = ""  # a visit whose mRSS total is entered wrong (a check's query)


def _one_recipient(
    recipient: Participant, course: Course, plan: Plan, snapshot: datetime.date
) -> list[OutcomeForm]:
    """Visits and forms of one recipient; returns the forms to sign (verified, reviewed)."""
    people = _people(recipient)
    end = min(recipient.end_date or snapshot, snapshot)
    visits: list[tuple[str, datetime.date]] = []
    for code in ("BL", *(v.code for v in schedule_settings().visits)):
        day = _visit_day(course.rng, recipient, code)
        if code == plan.late:
            day = _window(recipient.infusion_date, code).window_end  # type: ignore[arg-type]
            day += datetime.timedelta(days=5)
        if day > end:
            break
        if code != plan.missed:
            visits.append((code, day))
    to_sign: list[OutcomeForm] = []
    for number, (code, day) in enumerate(visits):
        visit = actions.record_visit(recipient, by=people.nurse, code=code, visit_date=day)
        entered = []
        for form in _forms_at(code):
            values = _values(course, form, code, day)
            if form == "mrss" and code == plan.slip:
                values["total_reported"] = sum(values.values()) + 2
            entered.append(actions.save_form(visit, form, by=people.nurse, values=values))
        course.previous_visit = day
        latest = number == len(visits) - 1 and recipient.end_date is None
        if latest:
            continue  # still a draft: the site is entering it
        stage = plan.reviewed if (snapshot - day).days > VERIFIED_AFTER_DAYS else "complete"
        completed = [actions.complete_form(form, by=people.nurse) for form in entered]
        if stage == "complete":
            continue
        verified = [actions.verify_form(form, by=people.monitor) for form in completed]
        if stage != "verified":
            to_sign += verified
    return to_sign


def _sign_and_lock(recipient: Participant, forms: list[OutcomeForm], lock: bool) -> None:
    """One signature for the recipient's reviewed forms; the data manager locks them."""
    if not forms:
        return
    people = _people(recipient)
    signed = actions.sign_forms(forms, by=people.investigator, password=PASSWORD)
    if not lock:
        return
    for form in signed:
        waiting = Query.objects.filter(visit=form.visit, form=form.SPEC.code)
        if not waiting.filter(status__in=["open", "answered"]).exists():
            actions.lock_form(form, by=people.data_manager)


def _plans(recipients: list[Participant]) -> list[Plan]:
    """Locked and signed casebooks among the completed; slips among those in follow-up."""
    plans = []
    completed = following = 0
    for recipient in recipients:
        if recipient.end_cause == EndCause.COMPLETED:
            stages = ("locked", "locked", "signed", "verified")
            plans.append(Plan(stages[completed] if completed < len(stages) else "complete"))
            completed += 1
            continue
        if recipient.end_date is not None:  # died or withdrew: their visits were monitored
            plans.append(Plan("verified"))
            continue
        plan = Plan(("verified", "signed", "verified")[following] if following < 3 else "complete")
        plan.slip = {0: "M6", 2: "M3"}.get(following, "")
        plan.late = "M6" if following == 1 else ""
        plan.missed = "M9" if following == 3 else ""
        following += 1
        plans.append(plan)
    return plans


def _queries(recipients: list[Participant]) -> None:
    """The monitors' questions, and one check's query resolved by the correction.

    Open (waiting for the site), answered (waiting for the monitor), closed after the answer,
    reopened (the answer did not settle it). The mRSS slip of the third recipient in follow-up
    is corrected with a reason, which closes its query as resolved; the first one's waits.
    """
    following = [r for r in recipients if r.end_date is None]
    for number, recipient in enumerate(following[:4]):
        visit = recipient.visits.filter(code="M3").first()
        if visit is None:
            continue
        monitor, nurse = _staff(recipient, Role.MONITOR), _staff(recipient, Role.RESEARCH_NURSE)
        query = actions.raise_query(
            recipient,
            by=monitor,
            text="La CVF du compte rendu d’EFR ne correspond pas à la valeur saisie : à vérifier.",
            visit=visit,
            form="pft",
            field="fvc_percent",
        )
        if number == 0:
            continue  # open: waiting for the site
        query = actions.answer_query(
            query, by=nurse, text="Vérifié sur le compte rendu : la valeur saisie est juste."
        )
        if number == 2:
            actions.close_query(query, by=monitor, text="Merci.")
        elif number == 3:
            actions.reopen_query(
                query, by=monitor, text="Le compte rendu joint indique une autre date d’examen."
            )
    slipped = following[2] if len(following) > 2 else None
    visit = slipped.visits.filter(code="M3").first() if slipped else None
    if slipped is not None and visit is not None:
        form = actions.get_form(visit, "mrss")
        assert form is not None  # noqa: S101 — entered above
        actions.save_form(
            visit,
            "mrss",
            by=_staff(slipped, Role.RESEARCH_NURSE),
            values={"total_reported": sum(form.values()[site] for site in mrss.SITE_IDS)},
            reason="Total recopié du document source après vérification.",
        )


def _event_recorded(recipient: Participant) -> None:
    """The "yes" of the carcinoma asked for its adverse event (a rule query); the site recorded
    it in the safety app and the monitor closed the query (the event itself is loaded by the
    safety demo, after the follow-up)."""
    waiting = Query.objects.filter(
        participant=recipient, rule="malignancy_without_event", status="open"
    )
    for query in waiting:
        actions.close_query(
            query,
            by=_staff(recipient, Role.MONITOR),
            text="Carcinome basocellulaire déclaré en événement indésirable (cancer).",
        )


def load(snapshot: datetime.date, log: Callable[[str], None] = lambda _: None) -> None:
    """Create the follow-up of the infused demo recipients, as it stands on ``snapshot``."""
    from sclerocell.web.product.models import Infusion

    infused = list(
        Participant.objects.filter(kind="recipient", infusion_date__isnull=False)
        .select_related("site")
        .order_by("infusion_date", "pk")
    )
    weights = dict(Infusion.objects.values_list("recipient_id", "weight_kg"))
    alive = [p for p in infused if p.end_cause != EndCause.DEATH]
    completed = [p.pk for p in alive if p.end_cause == EndCause.COMPLETED]
    carcinoma = completed[0] if completed else None
    for index, (recipient, plan) in enumerate(zip(infused, _plans(infused), strict=True)):
        course = _course(recipient, index, Decimal(weights[recipient.pk]))
        # The safety demo's grade 3 lymphopenia, on the last recipient infused, at M1.
        course.lymphopenia_at_m1 = bool(alive) and recipient.pk == alive[-1].pk
        course.malignancies = [e.onset_date for e in malignancy_events(recipient.pk)]
        if recipient.pk == carcinoma and recipient.infusion_date is not None:
            course.malignancies.append(
                recipient.infusion_date + datetime.timedelta(days=CARCINOMA_DAYS)
            )
        to_sign = _one_recipient(recipient, course, plan, snapshot)
        _event_recorded(recipient)
        _sign_and_lock(recipient, to_sign, lock=plan.reviewed == "locked")
    _queries(infused)
    log(f"{Visit.objects.count()} follow-up visits, {Query.objects.count()} data queries created")
