"""The demo trial's enrolment and product chain, through the actions (called by trial.demo).

Each infused demo recipient gets, on the study calendar: the donor chosen and included with
them, a bone-marrow harvest the next day, a batch made the day before the infusion, its signed
release that evening, a bedside check the next morning and the infusion. Synthetic values from a
generator seeded by the study code, so the rest of the demo does not move. One batch is released
under a documented deviation, one bedside check is refused first (wrong wristband), and one
recipient's first batch fails its specification (a contaminated sterility culture): it is
rejected, and a second harvest gives the batch that is released and infused.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from sclerocell.product.dosing import dose_level
from sclerocell.web.accounts.models import User
from sclerocell.web.trial import actions as trial_actions
from sclerocell.web.trial import enrolment
from sclerocell.web.trial.models import InclusionCounter, Participant

from . import actions
from .label_pdf import product_code
from .models import Batch, Harvest

SEED = 20140301
CELL_THERAPY_UNIT = "therapie-cellulaire.a"
DEVIATION_RANK = 6
REFUSED_CHECK_RANK = 3
FAILED_BATCH_RANK = 14
#: Days the rejected batch adds before the infusion (a second harvest, a second culture).
REMAKE_DAYS = 28


def record_amendment(investigator: User) -> None:
    """The substantial amendment of February 2016 (new consent form; the frame is unchanged)."""
    trial_actions.record_protocol_amendment(
        by=investigator,
        version="v2.0",
        reference="Modification substantielle n° 1 — ANSM et CPP (démonstration)",
        approved_on=datetime.date(2016, 1, 15),
        effective_from=datetime.date(2016, 2, 1),
        summary="Nouvelle version du consentement (v2.0 du 15/01/2016).",
    )


def include(
    recipient: Participant,
    donor: Participant,
    investigator: User,
    chosen: datetime.date,
    included: datetime.date,
) -> tuple[Participant, Participant]:
    """Choose the donor, open the next dose level if the safety board must, include both.

    Beyond the study's capacity the inclusion is refused (``ValidationError``) and nothing but
    the choice of the donor is written.
    """
    trial_actions.select_donor(recipient, by=investigator, donor=donor, date=chosen)
    counter = InclusionCounter.objects.filter(kind="recipient").first()
    rank = (counter.last_rank if counter else 0) + 1
    frame = enrolment.frame_on(included)
    if rank <= frame.recipients_max:
        level = dose_level(rank, frame.dose_settings())
        if not enrolment.level_is_open(level.level, included):
            trial_actions.record_safety_board_decision(
                by=investigator,
                dose_level=level.level - 1,
                outcome="escalate",
                decided_on=included - datetime.timedelta(days=7),
                minutes_reference=f"CSI palier {level.level - 1} (démonstration)",
                note="Toxicités du palier revues ; la règle d'arrêt n'est pas déclenchée.",
            )
    recipient = trial_actions.enrol(recipient, by=investigator, date=included)
    donor = trial_actions.enrol(donor, by=investigator, date=included)
    return recipient, donor


@dataclass
class Team:
    investigator: User
    nurse: User


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def infuse(
    recipient: Participant,
    donor: Participant,
    team: Team,
    infused: datetime.date,
    *,
    password: str,
) -> Participant:
    """Harvest, batch, release, bedside check and infusion, ending on ``infused``."""
    rng = random.Random(f"{SEED}-{recipient.code}")  # noqa: S311 — synthetic demo data
    unit = User.objects.get(username=CELL_THERAPY_UNIT)
    enrolled = recipient.enrolment
    assert recipient.inclusion_date is not None  # noqa: S101 — included by include()
    first_harvest = recipient.inclusion_date + datetime.timedelta(days=1)
    weight = Decimal(rng.randint(48, 82))
    target = Decimal(str(enrolled.target_cells_per_kg))
    cells = int(target * weight * Decimal(str(rng.uniform(0.94, 1.06))))
    made = infused - datetime.timedelta(days=1)
    if enrolled.rank == FAILED_BATCH_RANK:
        first = _harvest(donor, unit, team, rng, first_harvest)
        rejected_on = first_harvest + datetime.timedelta(days=21)
        failed = _batch(
            first,
            unit,
            rng,
            f"L{rejected_on.year}-{enrolled.rank:03d}-A",
            rejected_on,
            cells,
            sterility="growth",
        )
        actions.release_batch(
            failed,
            by=unit,
            outcome="rejected",
            password=password,
            meaning_confirmed=True,
            recipient_weight_kg=weight,
            at=_at(rejected_on, 17, 30),
        )
        first_harvest = rejected_on + datetime.timedelta(days=3)
    harvest = _harvest(donor, unit, team, rng, first_harvest)
    out_of_spec = enrolled.rank == DEVIATION_RANK
    batch = _batch(
        harvest,
        unit,
        rng,
        f"L{made.year}-{enrolled.rank:03d}",
        made,
        cells,
        viability=Decimal("68.0") if out_of_spec else None,
    )
    actions.release_batch(
        batch,
        by=unit,
        outcome="released",
        password=password,
        meaning_confirmed=True,
        recipient_weight_kg=weight,
        deviation=(
            "Viabilité 68 % (< 70 %) : produit libéré après accord de l'investigateur "
            "coordonnateur et du pharmacien responsable."
            if out_of_spec
            else ""
        ),
        at=_at(made, 17, 30),
    )
    code = product_code(batch)
    if enrolled.rank == REFUSED_CHECK_RANK:
        actions.check_at_bedside(
            recipient,
            by=team.nurse,
            product_code=code,
            recipient_code=donor.code,
            weight_kg=weight,
            at=_at(infused, 9, 20),
        )
    actions.check_at_bedside(
        recipient,
        by=team.nurse,
        product_code=code,
        recipient_code=recipient.code,
        weight_kg=weight,
        at=_at(infused, 9, 30),
    )
    vitals = {
        "systolic_mmhg": rng.randint(110, 135),
        "diastolic_mmhg": rng.randint(65, 85),
        "heart_rate_bpm": rng.randint(62, 88),
        "temperature_c": Decimal("36.7"),
        "spo2_pct": rng.randint(95, 99),
    }
    actions.record_infusion(
        recipient,
        by=team.nurse,
        started_at=_at(infused, 9, 40),
        ended_at=_at(infused, 10, 20),
        volume_ml=Decimal(50),
        rate_ml_per_min=Decimal("1.25"),
        weight_kg=weight,
        premedication="Paracétamol 1 g per os",
        vital_signs={"before": vitals, "during": vitals, "after": vitals},
        immediate_reaction=False,
    )
    return Participant.objects.get(pk=recipient.pk)


def _harvest(
    donor: Participant, unit: User, team: Team, rng: random.Random, day: datetime.date
) -> Harvest:
    return actions.record_harvest(
        donor,
        by=unit,
        harvested_on=day,
        puncture_site="posterior_iliac_crest",
        volume_ml=Decimal(rng.choice([40, 50, 60])),
        local_anaesthetic="lidocaïne 1 %",
        operator=team.investigator,
    )


def _batch(
    harvest: Harvest,
    unit: User,
    rng: random.Random,
    number: str,
    made: datetime.date,
    cells: int,
    *,
    viability: Decimal | None = None,
    sterility: str = "no_growth",
) -> Batch:
    """A batch made on ``made``, to be infused the next morning (it expires that evening)."""
    return actions.record_batch(
        harvest,
        by=unit,
        number=number,
        manufactured_on=made,
        passages=rng.choice([1, 2, 2, 3]),
        cell_count=cells,
        volume_ml=Decimal(50),
        expires_at=_at(made + datetime.timedelta(days=1), 20),
        viability_pct=viability if viability is not None else Decimal(rng.randint(82, 97)),
        cd73_pct=Decimal("99.0"),
        cd90_pct=Decimal("98.5"),
        cd105_pct=Decimal(rng.randint(95, 99)),
        cd45_pct=Decimal("0.4"),
        cd34_pct=Decimal("0.3"),
        cd14_cd11b_pct=Decimal("0.6"),
        cd19_cd79a_pct=Decimal("0.2"),
        hla_dr_pct=Decimal("0.8"),
        sterility=sterility,
        endotoxin_eu_per_ml=Decimal("0.2"),
        mycoplasma="negative",
        karyotype="normal",
    )
