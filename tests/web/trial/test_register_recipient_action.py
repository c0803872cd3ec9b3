"""actions.register_recipient: codes, validation at the field, permission and site."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from sclerocell.web.trial import actions, studycode
from sclerocell.web.trial.models import Participant
from tests.web.conftest import Personas
from tests.web.trial.conftest import new_recipient


def test_it_issues_consecutive_valid_codes_per_site(personas: Personas) -> None:
    first = new_recipient(personas.site_a, personas.investigator_a)
    second = new_recipient(personas.site_a, personas.nurse_a)
    other_site = new_recipient(personas.site_b, personas.investigator_b)
    assert (first.code[:7], second.code[:7], other_site.code[:7]) == (
        "01-R001",
        "01-R002",
        "02-R001",
    )
    assert all(studycode.is_valid(p.code) for p in (first, second, other_site))


def test_it_keeps_only_the_month_and_year_of_birth(personas: Personas) -> None:
    recipient = new_recipient(personas.site_a, personas.investigator_a)
    recipient.refresh_from_db()
    assert (recipient.birth_month, recipient.birth_year) == (6, 1970)
    assert recipient.birth_month_year == "06/1970"


def test_it_rejects_a_screening_date_before_march_2014(personas: Personas) -> None:
    with pytest.raises(ValidationError) as error:
        new_recipient(
            personas.site_a, personas.investigator_a, screening_date=datetime.date(2014, 2, 28)
        )
    assert "screening_date" in error.value.message_dict
    assert not Participant.objects.exists()


def test_it_rejects_a_future_screening_date_in_french(personas: Personas) -> None:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with translation.override("fr"), pytest.raises(ValidationError) as error:
        new_recipient(personas.site_a, personas.investigator_a, screening_date=tomorrow)
    assert error.value.message_dict["screening_date"] == ["Cette date est dans le futur."]


def test_it_rejects_a_birth_after_the_screening(personas: Personas) -> None:
    with pytest.raises(ValidationError) as error:
        new_recipient(personas.site_a, personas.investigator_a, birth_year=2015, birth_month=4)
    assert "birth_year" in error.value.message_dict


@pytest.mark.parametrize("month", [0, 13])
def test_it_rejects_a_month_of_birth_out_of_range(personas: Personas, month: int) -> None:
    with pytest.raises(ValidationError) as error:
        new_recipient(personas.site_a, personas.investigator_a, birth_month=month)
    assert "birth_month" in error.value.message_dict


def test_it_rejects_an_unknown_sex(personas: Personas) -> None:
    with pytest.raises(ValidationError) as error:
        new_recipient(personas.site_a, personas.investigator_a, sex="X")
    assert "sex" in error.value.message_dict


def test_it_refuses_an_investigator_of_another_site(personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        new_recipient(personas.site_b, personas.investigator_a)
    assert not Participant.objects.exists()


@pytest.mark.parametrize(
    "persona", ["monitor_a", "statistician", "safety_board", "admin", "cell_therapy_a"]
)
def test_it_refuses_a_role_that_cannot_register(personas: Personas, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        new_recipient(personas.site_a, getattr(personas, persona))


def test_it_refuses_a_deactivated_account(personas: Personas) -> None:
    personas.investigator_a.is_active = False
    personas.investigator_a.save()
    with pytest.raises(PermissionDenied):
        new_recipient(personas.site_a, personas.investigator_a)


def test_it_reports_when_a_site_has_used_every_code(personas: Personas) -> None:
    from sclerocell.web.trial.models import SiteCounter

    SiteCounter.objects.create(
        site=personas.site_a, kind="recipient", last_sequence=studycode.MAX_SEQUENCE
    )
    with pytest.raises(ValidationError):
        actions.register_recipient(
            personas.site_a,
            by=personas.investigator_a,
            birth_year=1970,
            birth_month=1,
            sex="M",
            screening_date=datetime.date(2015, 1, 5),
        )
