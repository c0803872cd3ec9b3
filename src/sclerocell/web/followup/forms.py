"""Entry forms of the follow-up pages. They parse input; the actions validate and write.

:func:`outcome_form` builds the entry form of any outcome form from its declaration
(``definitions.FormSpec``): one input per field, of the field's type, with its label, unit and
help. Ranges, dates and units are checked by the actions (``checks``), which name the field.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sclerocell.web.trial.forms import DateInput, VersionedForm
from sclerocell.web.trial.identityguard import refuse_identifiers

from .definitions import BASELINE, FORMS, SCHEDULED, UNSCHEDULED, FieldSpec, FormSpec, Kind
from .lifecycle import FORM_TRANSITIONS, QUERY_TRANSITIONS

EMPTY = ("", "—")


def _bool(value: str) -> bool:
    return value == "True"


def _input(spec: FieldSpec) -> forms.Field:
    common: dict[str, Any] = {"label": spec.label, "required": False, "help_text": spec.help}
    if spec.kind is Kind.INTEGER and spec.choices:
        return forms.TypedChoiceField(
            choices=[EMPTY, *spec.choices], coerce=int, empty_value=None, **common
        )
    if spec.kind is Kind.INTEGER:
        return forms.IntegerField(widget=forms.TextInput(attrs={"inputmode": "numeric"}), **common)
    if spec.kind is Kind.DECIMAL:
        return forms.DecimalField(
            max_digits=spec.digits,
            decimal_places=spec.decimals,
            localize=True,
            widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            **common,
        )
    if spec.kind is Kind.BOOLEAN:
        return forms.TypedChoiceField(
            choices=[EMPTY, *((str(code), label) for code, label in spec.choices)],
            coerce=_bool,
            empty_value=None,
            **common,
        )
    if spec.kind is Kind.CHOICE:
        return forms.ChoiceField(choices=[EMPTY, *spec.choices], **common)
    if spec.kind is Kind.DATE:
        return forms.DateField(widget=DateInput(), **common)
    return forms.CharField(
        max_length=spec.max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[refuse_identifiers],
        **common,
    )


class OutcomeEntryForm(VersionedForm):
    """The fields of one outcome form, a reason for a change, and the version it was opened on."""

    spec: FormSpec

    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[refuse_identifiers],
        help_text=_("Needed to change a value already entered, or a complete form."),
    )

    def values(self) -> dict[str, Any]:
        return {spec.name: self.cleaned_data.get(spec.name) for spec in self.spec.fields}


def outcome_form(spec: FormSpec, *args: Any, **kwargs: Any) -> OutcomeEntryForm:
    fields = {field.name: _input(field) for field in spec.fields}
    form_class = type(f"{spec.model_name}Entry", (OutcomeEntryForm,), {"spec": spec, **fields})
    form: OutcomeEntryForm = form_class(*args, **kwargs)
    form.order_fields([*fields, "reason"])
    return form


def initial_values(spec: FormSpec, values: dict[str, Any]) -> dict[str, Any]:
    """Stored values as the inputs show them (booleans as the select's codes)."""
    shown: dict[str, Any] = {}
    for field in spec.fields:
        value = values.get(field.name)
        shown[field.name] = (
            str(value) if field.kind is Kind.BOOLEAN and value is not None else value
        )
    return shown


class VisitForm(forms.Form):
    code = forms.ChoiceField(label=_("visit"))
    visit_date = forms.DateField(label=_("visit date"), widget=DateInput())

    def __init__(self, *args: Any, codes: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 — narrows the type
        field.choices = codes


class VisitDateForm(VersionedForm):
    visit_date = forms.DateField(label=_("visit date"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[refuse_identifiers],
    )


class TransitionForm(VersionedForm):
    transition = forms.ChoiceField(choices=[(name, name) for name in FORM_TRANSITIONS])


class SignatureForm(VersionedForm):
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        strip=False,
    )


class RaiseQueryForm(forms.Form):
    visit = forms.TypedChoiceField(label=_("visit"), required=False, coerce=int, empty_value=None)
    form = forms.ChoiceField(
        label=_("form"),
        required=False,
        choices=[EMPTY, *((code, spec.title) for code, spec in FORMS.items())],
    )
    field = forms.CharField(label=_("field"), required=False, max_length=64)
    text = forms.CharField(
        label=_("question"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[refuse_identifiers],
        help_text=_("What should the site check or correct? No identities."),
    )

    def __init__(self, *args: Any, visits: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["visit"]
        assert isinstance(field, forms.TypedChoiceField)  # noqa: S101 — narrows the type
        field.choices = [EMPTY, *visits]


class QueryTransitionForm(VersionedForm):
    transition = forms.ChoiceField(choices=[(name, name) for name in QUERY_TRANSITIONS])
    text = forms.CharField(
        label=_("message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[refuse_identifiers],
    )


class CalendarForm(forms.Form):
    as_of = forms.DateField(label=_("as of"), required=False, widget=DateInput())
    horizon = forms.IntegerField(
        label=_("due within (days)"), required=False, min_value=0, max_value=730
    )


class QueryFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), required=False)

    def __init__(self, *args: Any, statuses: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["status"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 — narrows the type
        field.choices = [("", _("all")), *statuses]


def visit_choices(
    taken: set[str], names: dict[str, Any], *, infused: bool, scheduled: Iterable[str] = SCHEDULED
) -> list[tuple[str, Any]]:
    """The visits that can still be recorded (baseline and each visit of the schedule in force,
    ``scheduled``, once; unscheduled visits any number of times)."""
    codes = [c for c in (BASELINE, *scheduled, UNSCHEDULED) if c not in taken or c == UNSCHEDULED]
    if not infused:
        codes = [c for c in codes if c == BASELINE]
    return [(code, names[code]) for code in codes]
