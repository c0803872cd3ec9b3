"""Every step of one chain, from screening to infusion, is in the audit trail: one event at
least per step, with its action, the person who did it and the participant it concerns."""

from __future__ import annotations

from sclerocell.web.audit.models import AuditEvent
from sclerocell.web.product import actions as product_actions
from sclerocell.web.product.label_pdf import product_code
from sclerocell.web.screening import actions as screening_actions
from sclerocell.web.screening import demo as screening_demo
from sclerocell.web.trial import actions as trial_actions
from sclerocell.web.trial.models import Participant
from tests.web.conftest import PASSWORD, Personas
from tests.web.product import factories
from tests.web.product.helpers import french_url
from tests.web.trial.conftest import SCREENED

DECIDED = factories.ELIGIBLE_ON


def test_every_step_from_screening_to_infusion_is_in_the_audit_trail(
    personas: Personas,
) -> None:
    nurse, investigator = personas.nurse_a, personas.investigator_a
    unit = personas.cell_therapy_a
    person = {"birth_month": 6, "screening_date": SCREENED}
    # Screening and consent.
    recipient = trial_actions.register_recipient(
        personas.site_a, by=nurse, birth_year=1970, sex="F", **person
    )
    trial_actions.record_consent(recipient, by=nurse, form_version="v1.0", signed_date=SCREENED)
    donor = trial_actions.register_donor(
        recipient, by=nurse, relationship="sibling", birth_year=1972, sex="M", **person
    )
    trial_actions.record_consent(donor, by=nurse, form_version="v1.0", signed_date=SCREENED)
    # Eligibility signed off on complete screening data.
    screening_demo.fill_recipient(
        recipient,
        nurse=nurse,
        investigator=investigator,
        examined=SCREENED,
        index_date=DECIDED,
        skin_total=22,
    )
    screening_demo.fill_donor(
        donor, nurse=nurse, investigator=investigator, examined=SCREENED, index_date=DECIDED
    )
    for participant in (recipient, donor):
        screening_actions.sign_eligibility(
            Participant.objects.get(pk=participant.pk),
            by=investigator,
            password=PASSWORD,
            decision="eligible",
            date=DECIDED,
        )
    recipient = Participant.objects.get(pk=recipient.pk)
    donor = Participant.objects.get(pk=donor.pk)
    # Donor selection and inclusion.
    trial_actions.select_donor(recipient, by=investigator, donor=donor, date=DECIDED)
    recipient = trial_actions.enrol(recipient, by=investigator, date=factories.INCLUDED_ON)
    donor = trial_actions.enrol(donor, by=investigator, date=factories.INCLUDED_ON)
    # Harvest, batch, release, label, bedside check, infusion.
    batch = factories.batch(personas, factories.harvest(personas, donor))
    factories.release(personas, batch)
    label = personas.client(unit).get(french_url("product:label", recipient.code))
    assert (label.status_code, label["Content-Type"]) == (200, "application/pdf")
    check = factories.check(personas, Participant.objects.get(pk=recipient.pk), batch)
    assert check.accepted
    product_actions.record_infusion(
        Participant.objects.get(pk=recipient.pk), by=nurse, **factories.infusion_fields()
    )

    steps = [
        ("register_recipient", nurse, recipient),
        ("record_consent", nurse, recipient),
        ("register_donor", nurse, donor),
        ("record_consent", nurse, donor),
        ("sign_eligibility", investigator, recipient),
        ("sign_eligibility", investigator, donor),
        ("select_donor", investigator, recipient),
        ("enrol", investigator, recipient),
        ("enrol", investigator, donor),
        ("record_harvest", unit, donor),
        ("record_batch", unit, recipient),
        ("release_batch", unit, recipient),
        ("bedside_check", nurse, recipient),
        ("record_infusion", nurse, recipient),
    ]
    firsts = []
    for action, actor, participant in steps:
        events = AuditEvent.objects.for_participant(participant).filter(
            action=action, actor_username=actor.get_username(), actor_role=actor.role
        )
        assert events.exists(), (action, actor.get_username(), participant.code)
        firsts.append(events.order_by("seq").values_list("seq", flat=True)[0])
    # In the order of the chain (the donor's own steps interleave with the recipient's).
    recipient_steps = [seq for seq, (_, _, p) in zip(firsts, steps, strict=True) if p == recipient]
    assert recipient_steps == sorted(recipient_steps)
    # The label is a read, not a change: what it encodes is what the bedside check recorded.
    assert check.product_code == product_code(batch)
