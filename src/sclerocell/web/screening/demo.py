"""Synthetic screening data for the demo trial (``trial.demo``), entered through the actions.

Each recipient and donor gets data consistent with their path: the eligible ones evaluate to
"eligible" under the default readings, a screen failure fails on a named criterion (R-I3c: mRSS
below 15; a donor allergic to Xylocaine, D-E1 — and then their recipient, R-I4: no consenting
donor left), and the recipient still in screening has forms partly filled (the verdict lists what
is missing). Values vary with a generator seeded by the study code, not the demo's own generator,
so the demo's calendar is unchanged.
"""

from __future__ import annotations

import datetime
import random

from sclerocell.clinical.mrss import MAX_SITE_SCORE, SITE_IDS
from sclerocell.web.accounts.models import User
from sclerocell.web.trial.models import Participant, Sex

from . import actions
from .actions import Reply, Value
from .catalogue import FINDING_BY_SLUG
from .models import EligibilitySignature

SEED = "msc-ssc-screening"

#: The history section's findings, answered "no"; pregnancy only for a woman of childbearing age.
RECIPIENT_HISTORY = tuple(code for code in FINDING_BY_SLUG["history"].codes if code != "pregnancy")
DONOR_TESTS = (
    "hiv_serology",
    "htlv_serology",
    "hbs_antigen",
    "hcv_serology",
    "syphilis_serology",
    "hiv_pcr",
    "hcv_pcr",
    "hbv_pcr",
)


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def _replies(day: datetime.date, codes: tuple[str, ...], answer: str = "no") -> dict[str, Reply]:
    return {code: Reply(answer, day) for code in codes}


def _skin_sites(rng: random.Random, total: int) -> dict[str, int | None]:
    """17 site scores (0–3) adding up to ``total``, the hands and forearms first."""
    sites: dict[str, int | None] = dict.fromkeys(SITE_IDS, 0)
    order = [s for s in SITE_IDS if "finger" in s or "hand" in s or "forearm" in s]
    order += [s for s in SITE_IDS if s not in order]
    left = total
    while left > 0:
        for site in order:
            current = sites[site] or 0
            if left and current < MAX_SITE_SCORE and rng.random() < 0.7:
                sites[site] = current + 1
                left -= 1
    return sites


def _woman_of_childbearing_potential(participant: Participant, on: datetime.date) -> bool:
    return participant.sex == Sex.FEMALE and on.year - participant.birth_year < 50


def fill_recipient(
    recipient: Participant,
    *,
    nurse: User,
    investigator: User,
    examined: datetime.date,
    index_date: datetime.date | None,
    skin_total: int,
    complete: bool = True,
) -> None:
    """The recipient's forms, examinations dated ``examined`` (their screening visit)."""
    rng = random.Random(f"{SEED}-{recipient.code}")  # noqa: S311 — synthetic demo data
    day = index_date or examined
    cbp = _woman_of_childbearing_potential(recipient, day)
    female = recipient.sex == Sex.FEMALE
    actions.save_profile(
        recipient,
        by=nurse,
        index_date=index_date,
        childbearing_potential=("yes" if cbp else "no") if female else "",
        effective_contraception="yes" if cbp else "",
        social_security="yes",
        cyclophosphamide_given="yes",
    )
    actions.add_course(
        recipient,
        by=nurse,
        start=examined - _days(rng.randint(400, 500)),
        end=examined - _days(rng.randint(230, 300)),
        boluses=6,
    )
    actions.save_findings(
        recipient,
        by=nurse,
        section="classification",
        replies={
            **_replies(
                examined - _days(rng.randint(200, 900)),
                ("skin_thickening_proximal_to_mcp", "raynaud_phenomenon", "proximal_scleroderma"),
                "yes",
            ),
            "anti_topoisomerase_i": Reply("yes", examined - _days(rng.randint(200, 900))),
            **_replies(
                examined, ("skin_thickening_sparing_fingers", "scleroderma_like_disorder_explains")
            ),
        },
    )
    actions.add_skin_score(
        recipient,
        by=nurse,
        date=examined,
        sites=_skin_sites(rng, skin_total),
        examiner="Investigateur (démo)",
    )
    if not complete:
        return
    actions.save_findings(
        recipient,
        by=nurse,
        section="organs",
        replies={
            "ild_on_imaging": Reply(
                "yes", examined - _days(rng.randint(10, 60)), "TDM HR : verre dépoli"
            ),
            **_replies(
                examined,
                (
                    "pah_rhc_confirmed",
                    "refractory_congestive_heart_failure",
                    "uncontrolled_ventricular_arrhythmia",
                    "pericardial_effusion_haemodynamic",
                    "cyclophosphamide_cystitis_sequelae",
                    "uncontrolled_hypertension",
                ),
            ),
        },
    )
    history = _replies(examined, RECIPIENT_HISTORY)
    if cbp:
        history["pregnancy"] = Reply("no", day - _days(rng.randint(0, 10)))
    actions.save_findings(recipient, by=nurse, section="history", replies=history)
    baseline = examined - _days(rng.randint(330, 400))
    fvc = rng.randint(55, 70)
    actions.add_measurements(
        recipient,
        by=nurse,
        group="lung-function",
        date=baseline,
        values={
            "fvc_pct_pred": Value(fvc + rng.randint(9, 15), "%"),
            "tlc_pct_pred": Value(rng.randint(70, 85), "%"),
            "dlco_pct_pred": Value(rng.randint(50, 65), "%"),
        },
        source="EFR",
    )
    actions.add_measurements(
        recipient,
        by=nurse,
        group="lung-function",
        date=examined,
        time=datetime.time(9, 30),
        values={
            "fvc_pct_pred": Value(fvc, "%"),
            "tlc_pct_pred": Value(rng.randint(60, 75), "%"),
            "dlco_pct_pred": Value(rng.randint(35, 55), "%"),
        },
        source="EFR",
    )
    actions.add_measurements(
        recipient,
        by=nurse,
        group="blood-gases",
        date=examined,
        values={
            "pao2": Value(round(rng.uniform(9.5, 12.0), 1), "kPa"),
            "paco2": Value(round(rng.uniform(4.8, 5.6), 1), "kPa"),
        },
    )
    actions.add_measurements(
        recipient,
        by=nurse,
        group="heart-tests",
        date=examined - _days(rng.randint(5, 60)),
        values={
            "echo_spap": Value(rng.randint(25, 38), "mmHg"),
            "lvef": Value(rng.randint(55, 68), "%"),
            "rhc_mpap": Value(rng.randint(14, 22), "mmHg"),
        },
    )
    actions.add_measurements(
        recipient,
        by=nurse,
        group="labs",
        date=examined,
        values={
            "creatinine": Value(rng.randint(55, 85), "µmol/L", 45, 90),
            "alt": Value(rng.randint(12, 34), "U/L", None, 35),
            "ast": Value(rng.randint(12, 34), "U/L", None, 35),
            "bilirubin": Value(rng.randint(5, 15), "µmol/L", None, 17),
            "neutrophils": Value(round(rng.uniform(2.5, 6.0), 1), "10⁹/L", 1.5, 7),
            "platelets": Value(rng.randint(180, 380), "10⁹/L", 150, 400),
            "haemoglobin": Value(round(rng.uniform(11.5, 14.0), 1), "g/dL", 12, 16),
            "cd4": Value(rng.randint(450, 900), "/mm3", 500, 1500),
        },
        source="Laboratoire central",
    )
    actions.add_measurements(
        recipient,
        by=nurse,
        group="body",
        date=examined,
        values={
            "weight": Value(rng.randint(50, 80), "kg"),
            "height": Value(rng.randint(155, 180), "cm"),
        },
    )
    actions.add_blood_pressure(
        recipient,
        by=nurse,
        date=examined,
        time=datetime.time(9, 0),
        systolic=rng.randint(110, 140),
        diastolic=rng.randint(65, 88),
    )
    actions.save_statements(
        recipient,
        by=investigator,
        replies={
            "refractory_to_recommended_immunosuppression": Reply(
                "yes", day, "Aggravation malgré 6 bolus de cyclophosphamide"
            ),
            "non_ssc_causes_excluded_respiratory": Reply("yes", day, "Pas de BPCO ni d'emphysème"),
            "uncontrolled_psychiatric_disorder": Reply("no", day),
            "poor_compliance_risk": Reply("no", day),
        },
    )


def fill_donor(
    donor: Participant,
    *,
    nurse: User,
    investigator: User,
    examined: datetime.date,
    index_date: datetime.date | None,
    xylocaine_allergy: bool = False,
) -> None:
    rng = random.Random(f"{SEED}-{donor.code}")  # noqa: S311 — synthetic demo data
    day = index_date or examined
    cbp = _woman_of_childbearing_potential(donor, day)
    actions.save_profile(
        donor,
        by=nurse,
        index_date=index_date,
        childbearing_potential=("yes" if cbp else "no") if donor.sex == Sex.FEMALE else "",
        effective_contraception="yes" if cbp else "",
        social_security="yes",
    )
    replies = {
        "xylocaine_allergy": Reply("yes" if xylocaine_allergy else "no", examined),
        **_replies(examined - _days(rng.randint(0, 5)), DONOR_TESTS),
    }
    if cbp:
        replies["pregnancy"] = Reply("no", day - _days(rng.randint(0, 10)))
    actions.save_findings(donor, by=nurse, section="donor-medical", replies=replies)
    actions.save_statements(
        donor, by=investigator, replies={"donation_contraindication_other": Reply("no", day)}
    )


def sign(
    participant: Participant, investigator: User, decision: str, on: datetime.date
) -> EligibilitySignature:
    """The investigator's signature of the demo's decision (the demo's users are authenticated)."""
    return actions.record_signature(participant, by=investigator, decision=decision, date=on)
