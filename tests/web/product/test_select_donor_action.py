"""Choosing the donor by the protocol's family priority (D-I2), with a reason when not first."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sclerocell.web.trial import actions
from sclerocell.web.trial.models import DonorSelection
from tests.web.conftest import Personas
from tests.web.product import factories
from tests.web.product.helpers import refusal
from tests.web.trial.conftest import Trial, new_donor

CHOSEN = factories.ELIGIBLE_ON


def test_the_top_ranked_donor_needs_no_justification(trial: Trial, personas: Personas) -> None:
    donor = factories.eligible(trial.donor_a, personas.investigator_a)
    selection = actions.select_donor(
        trial.recipient_a, by=personas.investigator_a, donor=donor, date=CHOSEN
    )
    assert (selection.donor, selection.top_ranked, selection.justification) == (donor, True, "")


def test_the_spouse_over_a_sibling_needs_a_justification(trial: Trial, personas: Personas) -> None:
    by = personas.investigator_a
    factories.eligible(trial.donor_a, by)  # a sibling
    spouse = factories.eligible(new_donor(trial.recipient_a, by, relationship="spouse"), by)
    text = refusal(
        lambda: actions.select_donor(trial.recipient_a, by=by, donor=spouse, date=CHOSEN),
        "justification",
    )
    assert "a reason is required" in text
    selection = actions.select_donor(
        trial.recipient_a,
        by=by,
        donor=spouse,
        date=CHOSEN,
        justification="Sibling lives abroad and cannot travel for the harvest",
    )
    assert selection.top_ranked is False


def test_an_ineligible_donor_is_not_chosen(trial: Trial, personas: Personas) -> None:
    text = refusal(
        lambda: actions.select_donor(
            trial.recipient_a, by=personas.investigator_a, donor=trial.donor_a, date=CHOSEN
        ),
        "donor",
    )
    assert "is not eligible" in text


def test_another_recipients_donor_is_not_chosen(trial: Trial, personas: Personas) -> None:
    other = factories.eligible(
        new_donor(trial.recipient_a, personas.investigator_a), personas.investigator_a
    )
    factories.eligible(trial.recipient_a, personas.investigator_a)
    from tests.web.trial.conftest import new_recipient

    second = new_recipient(personas.site_a, personas.investigator_a)
    text = refusal(
        lambda: actions.select_donor(second, by=personas.investigator_a, donor=other, date=CHOSEN),
        "donor",
    )
    assert "registered for another recipient" in text


def test_changing_the_donor_needs_a_reason(trial: Trial, personas: Personas) -> None:
    by = personas.investigator_a
    first = factories.eligible(trial.donor_a, by)
    second = factories.eligible(new_donor(trial.recipient_a, by), by)
    actions.select_donor(trial.recipient_a, by=by, donor=first, date=CHOSEN)
    refusal(
        lambda: actions.select_donor(trial.recipient_a, by=by, donor=second, date=CHOSEN),
        "reason",
    )
    changed = actions.select_donor(
        trial.recipient_a, by=by, donor=second, date=CHOSEN, reason="First donor fell ill"
    )
    assert changed.donor == second
    assert DonorSelection.objects.filter(recipient=trial.recipient_a).count() == 1


def test_a_nurse_does_not_choose_the_donor(trial: Trial, personas: Personas) -> None:
    donor = factories.eligible(trial.donor_a, personas.investigator_a)
    with pytest.raises(PermissionDenied):
        actions.select_donor(trial.recipient_a, by=personas.nurse_a, donor=donor, date=CHOSEN)


def test_the_donor_is_never_changed_after_the_infusion(trial: Trial, personas: Personas) -> None:
    by = personas.investigator_a
    recipient = factories.infused(personas, trial.recipient_a)
    other = factories.eligible(new_donor(recipient, by), by)
    with pytest.raises(ValidationError):
        actions.select_donor(recipient, by=by, donor=other, date=CHOSEN, reason="x")
