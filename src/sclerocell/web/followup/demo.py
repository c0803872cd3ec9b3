"""Synthetic follow-up for the demo trial: visits, outcome forms in every life-cycle state, queries.

Called at the end of ``trial.demo.load``. For the recipients in follow-up on the snapshot date
and the first ones who completed it: the baseline and the response visits (M3, M6, M12) that fall
before the end of participation and before the snapshot; each with an mRSS and lung function,
and at baseline, M3 and M12 the global assessments, a HAQ-DI and (after the infusion) the organ
events (so the ACR-CRISS has its inputs), drawn from a fixed seed (responders improve,
non-responders do not). One recipient's casebook is signed and locked, two are verified, the
others complete, with the latest visit left as a draft. An entry slip raises a check's query; a
visit falls outside its window; the monitors raise, and the sites answer, questions of their
own. Everything goes through the actions, so the audit trail shows it. Synthetic values only;
kept small, since every demo load (and every test of the demo command) runs it.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sclerocell.clinical import haq, mrss
from sclerocell.followup.schedule import scheduled_visit
from sclerocell.web.accounts.models import User
from sclerocell.web.accounts.roles import Role
from sclerocell.web.trial.demo import PASSWORD
from sclerocell.web.trial.models import Participant

from . import actions
from .models import OutcomeForm, Query, Visit

SEED = 20140302
VISITS = ("BL", "M3", "M6", "M12")
#: Visits that also record the global assessments and the HAQ-DI.
FULL_ASSESSMENT = frozenset({"BL", "M3", "M12"})
COMPLETED_WITH_DATA = 2
NO_EVENTS = ("renal_crisis", "lv_failure", "pulmonary_hypertension")


def _staff(participant: Participant, role: Role) -> User:
    user = User.objects.filter(role=role.value, sites=participant.site).order_by("pk").first()
    if user is None:
        raise LookupError(f"no {role.value} at site {participant.site_id} in the demo")
    return user


def _mrss_grid(total: int) -> dict[str, int]:
    scores = dict.fromkeys(mrss.SITE_IDS, 0)
    for site in sorted(mrss.SITE_IDS, key=lambda s: ("fingers" not in s, "hand" not in s, s)):
        scores[site] = min(mrss.MAX_SITE_SCORE, total)
        total -= scores[site]
    return scores


def _haq(index_eighths: int) -> dict[str, int]:
    """One answer per category, the category scores summing to ``index_eighths``."""
    return {
        c.items[0].id: index_eighths // 8 + (i < index_eighths % 8)
        for i, c in enumerate(haq.CATEGORIES)
    }


def _through(forms: list[OutcomeForm], stage: str, people: dict[str, User]) -> None:
    """Take a visit's drafts to ``stage``: one signature for the visit's verified forms."""
    if stage == "draft":
        return
    forms = [actions.complete_form(form, by=people["nurse"]) for form in forms]
    if stage == "complete":
        return
    forms = [actions.verify_form(form, by=people["monitor"]) for form in forms]
    if stage == "verified":
        return
    forms = actions.sign_forms(forms, by=people["investigator"], password=PASSWORD)
    if stage == "signed":
        return
    for form in forms:
        if not Query.objects.filter(visit=form.visit, form=form.SPEC.code, status="open").exists():
            actions.lock_form(form, by=people["data_manager"])


def _one_recipient(
    rng: random.Random, recipient: Participant, snapshot: datetime.date, slip: str, furthest: str
) -> None:
    infusion = recipient.infusion_date
    assert infusion is not None  # noqa: S101 — selected on it
    people = {
        "nurse": _staff(recipient, Role.RESEARCH_NURSE),
        "investigator": _staff(recipient, Role.INVESTIGATOR),
        "monitor": _staff(recipient, Role.MONITOR),
        "data_manager": _staff(recipient, Role.DATA_MANAGER),
    }
    end = min(recipient.end_date or snapshot, snapshot)
    responder = rng.random() < 0.7
    mrss0, fvc0, dlco0 = rng.randint(18, 32), rng.randint(58, 82), rng.randint(38, 62)
    haq0, patient0, physician0 = rng.randint(10, 16), rng.randint(5, 8), rng.randint(5, 7)
    for index, code in enumerate(VISITS):
        if code == "BL":
            day = infusion - datetime.timedelta(days=rng.randint(2, 7))
        else:
            window = scheduled_visit(infusion, code)
            day = window.target + datetime.timedelta(days=rng.randint(-6, 6))
            if code == "M6" and slip == "late":
                day = window.window_end + datetime.timedelta(days=5)
        if day > end:
            return
        visit = actions.record_visit(recipient, by=people["nurse"], code=code, visit_date=day)
        gain = index * (3 if responder else -1)
        total = max(0, mrss0 - gain)
        forms: list[tuple[str, dict[str, Any]]] = [
            ("mrss", _mrss_grid(total) | ({"total_reported": total + 2} if slip == code else {})),
            (
                "pft",
                {
                    "test_date": day,
                    "fvc_percent": Decimal(fvc0 + (index if responder else -2 * index)),
                    "dlco_percent": Decimal(dlco0 + rng.randint(-3, 3)),
                    "ild_on_hrct": True,
                    "fvc_fall_confirmed": False,
                },
            ),
        ]
        if code in FULL_ASSESSMENT:
            better = index if responder else 0
            forms += [
                (
                    "globals",
                    {
                        "patient_global": Decimal(max(0, patient0 - better)),
                        "physician_global": Decimal(max(0, physician0 - better)),
                    },
                ),
                ("haq", _haq(max(0, haq0 - (2 * index if responder else -index)))),
            ]
            if code != "BL":  # no new organ event: ACR-CRISS step 1 is known
                forms.append(("organ_events", dict.fromkeys(NO_EVENTS, False)))
        latest = index == len(VISITS) - 1 or _next_day(infusion, index) > end
        entered = [
            actions.save_form(visit, form_code, by=people["nurse"], values=values)
            for form_code, values in forms
        ]
        _through(entered, "draft" if latest and recipient.end_date is None else furthest, people)


def _next_day(infusion: datetime.date, index: int) -> datetime.date:
    return scheduled_visit(infusion, VISITS[index + 1]).window_start


def _monitor_queries(recipients: list[Participant]) -> None:
    """Two questions from the monitors: one answered and closed, one waiting for the site."""
    for number, recipient in enumerate(recipients[:2]):
        visit = recipient.visits.order_by("-visit_date").first()
        if visit is None:
            continue
        monitor = _staff(recipient, Role.MONITOR)
        query = actions.raise_query(
            recipient,
            by=monitor,
            text="La CVF du compte rendu d’EFR ne correspond pas à la valeur saisie : à vérifier.",
            visit=visit,
            form="pft",
            field="fvc_percent",
        )
        if number == 0:
            nurse = _staff(recipient, Role.RESEARCH_NURSE)
            query = actions.answer_query(
                query, by=nurse, text="Vérifié sur le compte rendu : la valeur saisie est juste."
            )
            actions.close_query(query, by=monitor, text="Merci.")


def load(snapshot: datetime.date, log: Callable[[str], None] = lambda _: None) -> None:
    """Create the follow-up of the infused demo recipients, as it stands on ``snapshot``."""
    rng = random.Random(SEED)  # noqa: S311 — synthetic demo data, not a secret
    infused = Participant.objects.filter(kind="recipient", infusion_date__isnull=False)
    infused = infused.select_related("site").order_by("pk")
    completed = [p for p in infused if p.end_cause == "completed"][:COMPLETED_WITH_DATA]
    recipients = [p for p in infused if p.end_date is None or p in completed]
    # Signing checks the password (Argon2, slow on purpose): one signed casebook suffices.
    furthest = ["locked", "verified", "verified"]
    slips = {0: "M3", 2: "late"}  # an mRSS total written wrong; a visit out of its window
    for number, recipient in enumerate(recipients):
        stage = furthest[number] if number < len(furthest) else "complete"
        _one_recipient(rng, recipient, snapshot, slips.get(number, ""), stage)
    _monitor_queries(list(reversed(recipients)))
    log(f"{Visit.objects.count()} follow-up visits, {Query.objects.count()} data queries created")
