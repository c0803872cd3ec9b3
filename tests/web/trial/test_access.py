"""Access functions: scoped by site, 404 for another site's participant, 403 by role."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from sclerocell.web.accounts.roles import Permission
from sclerocell.web.trial import access
from tests.web.conftest import Personas
from tests.web.trial.conftest import Trial


def test_an_investigator_sees_only_the_participants_of_their_site(
    trial: Trial, personas: Personas
) -> None:
    codes = set(access.participants_for(personas.investigator_a).values_list("code", flat=True))
    assert codes == {trial.recipient_a.code, trial.donor_a.code}


def test_a_sponsor_level_statistician_sees_both_sites(trial: Trial, personas: Personas) -> None:
    assert access.participants_for(personas.statistician).count() == 4


def test_it_finds_a_participant_by_code_or_by_primary_key(trial: Trial, personas: Personas) -> None:
    user = personas.investigator_a
    assert access.get_participant_for(user, trial.recipient_a.code) == trial.recipient_a
    assert access.get_participant_for(user, trial.recipient_a.pk) == trial.recipient_a
    assert access.get_participant_for(user, str(trial.recipient_a.pk)) == trial.recipient_a


def test_it_answers_404_for_another_sites_participant(trial: Trial, personas: Personas) -> None:
    with pytest.raises(Http404):
        access.get_participant_for(personas.investigator_a, trial.recipient_b.code)
    with pytest.raises(Http404):
        access.get_participant_for(personas.investigator_a, trial.recipient_b.pk)


def test_it_answers_404_for_a_code_with_a_wrong_check_digit(
    trial: Trial, personas: Personas
) -> None:
    code = trial.recipient_a.code
    wrong = code[:-1] + str((int(code[-1]) + 1) % 10)
    with pytest.raises(Http404):
        access.get_participant_for(personas.investigator_a, wrong)


def test_it_answers_404_for_another_sites_consent(trial: Trial, personas: Personas) -> None:
    with pytest.raises(Http404):
        access.get_consent_for(personas.investigator_a, trial.recipient_a, trial.consent_b.pk)


@pytest.mark.parametrize("persona", ["safety_board", "admin"])
def test_roles_without_view_subjects_are_refused(
    trial: Trial, personas: Personas, persona: str
) -> None:
    with pytest.raises(PermissionDenied):
        access.participants_for(getattr(personas, persona))


def test_the_permission_is_checked_before_the_site(trial: Trial, personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        access.get_participant_for(
            personas.monitor_a, trial.recipient_b.code, Permission.EDIT_SCREENING
        )


def test_an_anonymous_user_is_refused(trial: Trial) -> None:
    with pytest.raises(PermissionDenied):
        access.participants_for(AnonymousUser())
    assert not access.sites_for(AnonymousUser()).exists()
    assert not access.may_act_at(AnonymousUser(), Permission.VIEW_SUBJECTS, trial.recipient_a.site)
    assert not access.counted_participants_for(AnonymousUser()).exists()


def test_a_deactivated_account_sees_no_site(personas: Personas) -> None:
    personas.investigator_a.is_active = False
    assert not access.sites_for(personas.investigator_a).exists()


def test_the_safety_board_counts_participants_without_seeing_them(
    trial: Trial, personas: Personas
) -> None:
    assert access.counted_participants_for(personas.safety_board).count() == 4
    assert not access.counted_participants_for(personas.admin).exists()


def test_a_site_is_found_by_number_only_among_the_users_sites(personas: Personas) -> None:
    user, register = personas.investigator_a, Permission.REGISTER_SUBJECT
    assert access.get_site_for(user, 1, register) == personas.site_a
    with pytest.raises(Http404):
        access.get_site_for(user, 2, register)
    with pytest.raises(PermissionDenied):
        access.get_site_for(personas.monitor_a, 1, register)
