"""No identity enters the trial tables: no field for one, and free text refuses one (MR-001)."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import translation

from sclerocell.web.trial.identityguard import identifier_kind, refuse_identifiers

IDENTITY_NAMES = re.compile(
    r"name|surname|initials|address|street|city|zip|postal|phone|mobile|tel|fax|e?mail|"
    r"nir|ssn|social|secu|insee|ipp|mrn|patient_id|hospital_id|birth_?date|dob|date_of_birth|"
    r"birth_day|birthday|photo|ip_address",
    re.I,
)


def test_no_field_of_the_trial_app_is_named_like_an_identity() -> None:
    fields = [
        (model.__name__, field.name)
        for model in apps.get_app_config("trial").get_models()
        for field in model._meta.get_fields()
        if not field.auto_created or field.concrete
    ]
    assert fields, "the trial app declares models"
    assert [f for f in fields if IDENTITY_NAMES.search(f[1])] == []


def test_the_participant_holds_the_month_and_year_of_birth_only() -> None:
    participant = apps.get_model("trial", "Participant")
    names = {field.name for field in participant._meta.get_fields()}
    assert {"birth_year", "birth_month"} <= names
    assert not any("day" in name and "birth" in name for name in names)


@pytest.mark.parametrize(
    "text",
    [
        "1 85 05 78 006 084 36",
        "185057800608436",
        "2 70 06 2A 116 012",
        "06 12 34 56 78",
        "0612345678",
        "+33 6 12 34 56 78",
        "+33 (0)1 42 49 49 49",
        "01.42.49.49.49",
        "jean.dupont@aphp.fr",
        "IPP 80012345",
        "dossier 123456789",
    ],
)
def test_it_refuses_text_that_looks_like_an_identifier(text: str) -> None:
    with pytest.raises(ValidationError):
        refuse_identifiers(f"Note: {text}.")


@pytest.mark.parametrize(
    "text",
    [
        "v2.0 of 10/02/2014",
        "Consentement version 3 du 2016-01-04",
        "Sibling not compatible; spouse chosen (HLA not required for MSC)",
        "mRSS 22, FVC 64 %, DLCO 41 %",
        "Dose 1 x 10^6 cells/kg, 75 kg",
        "Recipient 01-R007-4",
        "Visit M12 on 12/03/2016 at 10:30",
        "",
    ],
)
def test_it_accepts_clinical_free_text(text: str) -> None:
    refuse_identifiers(text)


def test_it_names_what_the_text_looks_like_in_french() -> None:
    with translation.override("fr"):
        assert "téléphone" in (identifier_kind("06 12 34 56 78") or "")
        assert "sécurité sociale" in (identifier_kind("1 85 05 78 006 084 36") or "")
        assert "e-mail" in (identifier_kind("x@y.fr") or "")
