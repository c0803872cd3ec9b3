"""Forms of the participant pages. They only parse input: the actions validate and write."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sclerocell.web.accounts.models import Site

from .identityguard import refuse_identifiers
from .models import EndCause, Participant, Relationship, Sex

MONTHS = [(month, f"{month:02d}") for month in range(1, 13)]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput())


def _reason_field(*, required: bool) -> forms.CharField:
    return forms.CharField(
        label=_("Reason for the change"),
        required=required,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[refuse_identifiers],
        help_text=_("Kept in the audit trail. No identities."),
    )


class VersionedForm(forms.Form):
    """Carries the version of the row the form was opened on (optimistic concurrency)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def expected_version(self) -> int | None:
        value = self.cleaned_data.get("version")
        return value if isinstance(value, int) else None


class PersonFields(forms.Form):
    birth_month = forms.TypedChoiceField(label=_("month of birth"), choices=MONTHS, coerce=int)
    birth_year = forms.IntegerField(label=_("year of birth"), min_value=1900, max_value=2100)
    sex = forms.ChoiceField(label=_("sex"), choices=Sex.choices)
    screening_date = _date_field(_("screening date"))


class RecipientForm(PersonFields):
    site = forms.ModelChoiceField(label=_("site"), queryset=Site.objects.none(), empty_label=None)
    field_order = ["site", "birth_month", "birth_year", "sex", "screening_date"]

    def __init__(self, *args: Any, sites: QuerySet[Site], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        site_field = self.fields["site"]
        assert isinstance(site_field, forms.ModelChoiceField)  # noqa: S101 — narrows the type
        site_field.queryset = sites


class DonorForm(PersonFields):
    relationship = forms.ChoiceField(
        label=_("relationship to the recipient"), choices=Relationship.choices
    )
    selection_note = forms.CharField(
        label=_("donor selection note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[refuse_identifiers],
        help_text=_("Why this donor was chosen, when not in the protocol's priority order."),
    )
    field_order = ["relationship", "birth_month", "birth_year", "sex", "screening_date"]


class ConsentForm(forms.Form):
    form_version = forms.CharField(
        label=_("consent form version"),
        max_length=40,
        validators=[refuse_identifiers],
        help_text=_("As printed on the form, e.g. “v2.0 of 10/02/2014”."),
    )
    signed_date = _date_field(_("date signed"))


class WithdrawConsentForm(VersionedForm):
    date = _date_field(_("date withdrawn"))
    reason = _reason_field(required=True)


class EditParticipantForm(PersonFields, VersionedForm):
    reason = _reason_field(required=True)

    def __init__(self, *args: Any, participant: Participant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if participant.is_donor:
            self.fields["relationship"] = forms.ChoiceField(
                label=_("relationship to the recipient"), choices=Relationship.choices
            )
            self.fields["selection_note"] = forms.CharField(
                label=_("donor selection note"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                validators=[refuse_identifiers],
            )
        self.order_fields(
            ["relationship", "birth_month", "birth_year", "sex", "screening_date", "selection_note"]
        )

    def changes(self) -> dict[str, Any]:
        skip = {"reason", "version"}
        return {key: value for key, value in self.cleaned_data.items() if key not in skip}


class DatedStepForm(VersionedForm):
    """The inclusion or infusion date (a reason is needed only to change a recorded date)."""

    date = _date_field(_("date"))
    reason = _reason_field(required=False)


class EndParticipationForm(VersionedForm):
    cause = forms.ChoiceField(
        label=_("cause"),
        choices=EndCause.choices,
        help_text=_(
            "A death is recorded as a grade 5 adverse event with its cause: recording it ends "
            "the participation."
        ),
    )
    date = _date_field(_("end of participation"))
    reason = _reason_field(required=True)


class ParticipantSearchForm(forms.Form):
    q = forms.CharField(label=_("Study code"), required=False, max_length=12)
    stage = forms.ChoiceField(label=_("Stage"), required=False)

    def __init__(self, *args: Any, stages: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stage_field = self.fields["stage"]
        assert isinstance(stage_field, forms.ChoiceField)  # noqa: S101 — narrows the type
        stage_field.choices = [("", _("all stages")), *stages]


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Attach an action's errors to the fields they name (others to the whole form)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, messages in error.message_dict.items():
        field = key if key in form.fields and key != NON_FIELD_ERRORS else None
        for message in messages:
            form.add_error(field, message)


def initial_date(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""
