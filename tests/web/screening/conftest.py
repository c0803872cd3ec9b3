"""Screening data for the persona sites, entered through the screening actions like real data.

``complete_recipient`` fills every form of a recipient so that the verdict is "eligible" under
the default readings (the data of ``examples/recipient.json``, moved to the test calendar);
``complete_donor`` does the same for a donor.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from sclerocell.web.accounts.models import User
from sclerocell.web.screening import actions
from sclerocell.web.screening.actions import Reply, Value
from sclerocell.web.screening.catalogue import FINDING_BY_SLUG
from sclerocell.web.trial.models import Participant
from tests.web.conftest import PASSWORD, Personas
from tests.web.trial.conftest import SCREENED, Trial, make_trial

DAY = SCREENED  # the index date: the screening date (2015-03-02)


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def answers(day: datetime.date, **given: str) -> dict[str, Reply]:
    return {code: Reply(answer, day) for code, answer in given.items()}


def complete_recipient(
    recipient: Participant,
    nurse: User,
    investigator: User,
    *,
    day: datetime.date = DAY,
    skin_score: bool = True,
    history: bool = True,
) -> None:
    """Every form of a recipient, eligible under the default readings (``skin_score=False``,
    ``history=False``: those forms left for the test to fill)."""
    actions.save_profile(
        recipient,
        by=nurse,
        childbearing_potential="yes",
        effective_contraception="yes",
        social_security="yes",
        cyclophosphamide_given="no",
    )
    actions.save_findings(
        recipient,
        by=nurse,
        section="classification",
        replies=answers(
            day - days(30),
            skin_thickening_proximal_to_mcp="yes",
            raynaud_phenomenon="yes",
            anti_topoisomerase_i="yes",
            skin_thickening_sparing_fingers="no",
            scleroderma_like_disorder_explains="no",
            proximal_scleroderma="yes",
        ),
    )
    actions.save_findings(
        recipient,
        by=nurse,
        section="organs",
        replies=answers(
            day - days(20),
            ild_on_imaging="yes",
            pah_rhc_confirmed="no",
            refractory_congestive_heart_failure="no",
            uncontrolled_ventricular_arrhythmia="no",
            pericardial_effusion_haemodynamic="no",
            cyclophosphamide_cystitis_sequelae="no",
            uncontrolled_hypertension="no",
        ),
    )
    if history:
        _history(recipient, nurse, day)
    actions.add_measurements(
        recipient,
        by=nurse,
        group="lung-function",
        date=day - days(380),
        values={
            "fvc_pct_pred": Value(80, "%"),
            "tlc_pct_pred": Value(78, "%"),
            "dlco_pct_pred": Value(50, "%"),
        },
    )
    actions.add_measurements(
        recipient,
        by=nurse,
        group="lung-function",
        date=day - days(15),
        time=datetime.time(9, 30),
        values={
            "fvc_pct_pred": Value(68, "%"),
            "tlc_pct_pred": Value(70, "%"),
            "dlco_pct_pred": Value(42, "%"),
        },
    )
    actions.add_measurements(
        recipient,
        by=nurse,
        group="blood-gases",
        date=day - days(15),
        values={"pao2": Value(9.6, "kPa"), "paco2": Value(5.1, "kPa")},
    )
    actions.add_measurements(
        recipient,
        by=nurse,
        group="heart-tests",
        date=day - days(40),
        values={
            "echo_spap": Value(32, "mmHg"),
            "lvef": Value(60, "%"),
            "rhc_mpap": Value(19, "mmHg"),
        },
    )
    actions.add_measurements(
        recipient,
        by=nurse,
        group="labs",
        date=day - days(7),
        values={
            "creatinine": Value(72, "µmol/L", 45, 90),
            "alt": Value(28, "U/L", None, 35),
            "ast": Value(30, "U/L", None, 35),
            "bilirubin": Value(9, "µmol/L", None, 17),
            "neutrophils": Value(4.1, "10⁹/L"),
            "platelets": Value(260, "10⁹/L"),
            "haemoglobin": Value(12.4, "g/dL"),
            "cd4": Value(650, "/mm3"),
        },
    )
    actions.add_measurements(
        recipient,
        by=nurse,
        group="body",
        date=day - days(7),
        values={"weight": Value(58, "kg"), "height": Value(164, "cm")},
    )
    actions.add_blood_pressure(
        recipient,
        by=nurse,
        date=day - days(7),
        time=datetime.time(8, 30),
        systolic=128,
        diastolic=76,
    )
    if skin_score:
        actions.add_skin_score(
            recipient, by=nurse, date=day - days(7), sites=MRSS_20, examiner="Dr A"
        )
    actions.save_statements(
        recipient,
        by=investigator,
        replies=answers(
            day,
            refractory_to_recommended_immunosuppression="yes",
            non_ssc_causes_excluded_respiratory="yes",
            uncontrolled_psychiatric_disorder="no",
            poor_compliance_risk="no",
        ),
    )


def _history(recipient: Participant, nurse: User, day: datetime.date) -> None:
    actions.save_findings(
        recipient,
        by=nurse,
        section="history",
        replies=answers(
            day - days(5),
            **dict.fromkeys(
                FINDING_BY_SLUG["history"].codes,
                "no",
            ),
        ),
    )


MRSS_20 = {
    "face": 1,
    "anterior_chest": 1,
    "abdomen": 0,
    "right_fingers": 3,
    "left_fingers": 3,
    "right_hand_dorsum": 2,
    "left_hand_dorsum": 2,
    "right_forearm": 2,
    "left_forearm": 2,
    "right_upper_arm": 1,
    "left_upper_arm": 1,
    "right_thigh": 0,
    "left_thigh": 0,
    "right_lower_leg": 1,
    "left_lower_leg": 1,
    "right_foot_dorsum": 0,
    "left_foot_dorsum": 0,
}


def complete_donor(
    donor: Participant, nurse: User, investigator: User, *, day: datetime.date = DAY
) -> None:
    """Every form of a (male) donor, eligible."""
    actions.save_profile(donor, by=nurse, social_security="yes")
    actions.save_findings(
        donor,
        by=nurse,
        section="donor-medical",
        replies=answers(
            day - days(3),
            **dict.fromkeys(
                (
                    "xylocaine_allergy",
                    "hiv_serology",
                    "htlv_serology",
                    "hbs_antigen",
                    "hcv_serology",
                    "syphilis_serology",
                    "hiv_pcr",
                    "hcv_pcr",
                    "hbv_pcr",
                ),
                "no",
            ),
        ),
    )
    actions.save_statements(
        donor, by=investigator, replies=answers(day, donation_contraindication_other="no")
    )


@pytest.fixture
def trial(personas: Personas) -> Trial:
    """A recipient with a donor and a consent at each site, no screening data."""
    return make_trial(personas)


@dataclass
class Screened:
    trial: Trial
    recipient: Participant
    donor: Participant


@pytest.fixture
def screened(personas: Personas) -> Screened:
    """Site A's recipient and donor with complete screening data (both eligible)."""
    trial = make_trial(personas)
    from tests.web.trial.conftest import new_consent

    new_consent(trial.donor_a, personas.investigator_a)
    complete_recipient(trial.recipient_a, personas.nurse_a, personas.investigator_a)
    complete_donor(trial.donor_a, personas.nurse_a, personas.investigator_a)
    return Screened(trial, trial.recipient_a, trial.donor_a)


def sign(participant: Participant, investigator: User, decision: str = "eligible") -> object:
    return actions.sign_eligibility(
        participant, by=investigator, password=PASSWORD, decision=decision
    )


def url(name: str, participant: Participant, language: str = "fr") -> str:
    """The page's URL in ``language`` (French, the default of the teams)."""
    from django.urls import reverse
    from django.utils import translation

    with translation.override(language):
        return reverse(f"screening:{name}", args=[participant.code])


def status_of(participant: Participant, criterion: str) -> str:
    """The live status of one criterion, from the database as it is now."""
    from sclerocell.web.screening.evaluation import evaluate

    screening = evaluate(Participant.objects.get(pk=participant.pk)).screening
    assert screening is not None
    return screening.result.find(criterion).status.value


def verdict_of(participant: Participant) -> str:
    from sclerocell.web.screening.evaluation import evaluate

    screening = evaluate(Participant.objects.get(pk=participant.pk)).screening
    assert screening is not None
    return screening.verdict.value
