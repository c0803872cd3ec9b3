"""Forms of the screening pages. They only parse input: ``screening.actions`` validates and writes.

Numbers accept a decimal comma (``localize``): French lab reports write ``0,8 mg/dL``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sclerocell.clinical.mrss import MAX_SITE_SCORE, MAX_TOTAL
from sclerocell.web.trial.forms import DateInput
from sclerocell.web.trial.identityguard import refuse_identifiers

from . import catalogue
from .actions import Reply, Value
from .models import Answer, FindingAnswer, StatementAnswer


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


def date_field(label: Any, *, required: bool = False) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput())


def time_field(label: Any) -> forms.TimeField:
    return forms.TimeField(label=label, required=False, widget=TimeInput())


def number_field(label: Any, **kwargs: Any) -> forms.FloatField:
    return forms.FloatField(label=label, required=False, localize=True, **kwargs)


def reason_field() -> forms.CharField:
    return forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[refuse_identifiers],
        help_text=_("Needed to change an answer already entered. Kept in the audit trail."),
    )


def answer_field(label: Any, *, yes: Any = None, no: Any = None) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=[
            (Answer.UNANSWERED.value, _("not answered")),
            (Answer.YES.value, yes or _("yes")),
            (Answer.NO.value, no or _("no")),
        ],
        widget=forms.RadioSelect,
    )


class ProfileForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    index_date = date_field(_("index date of the evaluation"))
    childbearing_potential = answer_field(_("woman of childbearing potential"))
    effective_contraception = answer_field(_("effective contraception"))
    social_security = answer_field(_("affiliated to social security"))
    reason = reason_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["index_date"].help_text = _(
            "The date the criteria are evaluated at; blank: the screening date."
        )


class QuestionsForm(forms.Form):
    """One row per question: the answer, its date and a note (findings or statements)."""

    stamp = forms.CharField(widget=forms.HiddenInput, required=False)
    reason = reason_field()

    def __init__(
        self,
        *args: Any,
        questions: list[tuple[str, str, Any, Any]],
        date_label: Any,
        default_date: datetime.date,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.codes = [code for code, _label, _yes, _no in questions]
        self.default_date = default_date
        for code, label, yes, no in questions:
            self.fields[f"{code}-answer"] = answer_field(label, yes=yes, no=no)
            self.fields[f"{code}-date"] = date_field(date_label)
            self.fields[f"{code}-note"] = forms.CharField(
                label=_("note"),
                required=False,
                max_length=300,
                validators=[refuse_identifiers],
            )
        self.order_fields([*(f for f in self.fields if "-" in f), "stamp", "reason"])

    def rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (code, self[f"{code}-answer"], self[f"{code}-date"], self[f"{code}-note"])
            for code in self.codes
        ]

    def replies(self) -> dict[str, Reply]:
        data = self.cleaned_data
        return {
            code: Reply(
                data.get(f"{code}-answer") or "",
                data.get(f"{code}-date") if data.get(f"{code}-answer") else None,
                (data.get(f"{code}-note") or "") if data.get(f"{code}-answer") else "",
            )
            for code in self.codes
        }

    def replies_with_default_dates(self) -> dict[str, Reply]:
        """An answer given without a date is dated on the index date (the form says so)."""
        return {
            code: Reply(r.answer, r.date or (self.default_date if r.answer else None), r.note)
            for code, r in self.replies().items()
        }


def question_initial(
    rows: list[FindingAnswer] | list[StatementAnswer], date_field_name: str
) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for row in rows:
        initial[f"{row.code}-answer"] = row.answer
        initial[f"{row.code}-date"] = getattr(row, date_field_name)
        initial[f"{row.code}-note"] = row.note
    return initial


class MeasurementsForm(forms.Form):
    """One group of measurements made the same day (e.g. a lung function test: FVC, TLC, DLCO)."""

    date = date_field(_("date"), required=True)
    source = forms.CharField(
        label=_("source (laboratory, department)"),
        required=False,
        max_length=80,
        validators=[refuse_identifiers],
    )

    def __init__(self, *args: Any, group: catalogue.MeasurementGroup, **kwargs: Any) -> None:
        kwargs["prefix"] = group.slug
        super().__init__(*args, **kwargs)
        self.group = group
        if group.with_time:
            self.fields["time"] = time_field(_("time"))
        for code in group.codes:
            units = catalogue.UNITS[code]
            self.fields[f"{code}-value"] = number_field(catalogue.label(code))
            self.fields[f"{code}-unit"] = forms.ChoiceField(
                label=_("unit"), choices=[(u, u) for u in units], initial=units[0], required=False
            )
            if group.with_reference:
                self.fields[f"{code}-ref_low"] = number_field(_("lower limit of normal"))
                self.fields[f"{code}-ref_high"] = number_field(_("upper limit of normal"))

    def rows(self) -> list[tuple[str, list[forms.BoundField]]]:
        names = ["value", "unit", *(("ref_low", "ref_high") if self.group.with_reference else ())]
        return [(code, [self[f"{code}-{n}"] for n in names]) for code in self.group.codes]

    def values(self) -> dict[str, Value]:
        data = self.cleaned_data
        found = {}
        for code in self.group.codes:
            value = data.get(f"{code}-value")
            if value is None:
                continue
            found[code] = Value(
                value,
                data.get(f"{code}-unit") or catalogue.UNITS[code][0],
                data.get(f"{code}-ref_low"),
                data.get(f"{code}-ref_high"),
            )
        return found


class BloodPressureForm(forms.Form):
    date = date_field(_("date"), required=True)
    time = time_field(_("time"))
    systolic = number_field(_("systolic"))
    diastolic = number_field(_("diastolic"))
    unit = forms.ChoiceField(
        label=_("unit"), choices=[(u, u) for u in catalogue.BLOOD_PRESSURE_UNITS]
    )


class SkinScoreForm(forms.Form):
    date = date_field(_("date of the examination"), required=True)
    examiner = forms.CharField(
        label=_("examiner"), required=False, max_length=80, validators=[refuse_identifiers]
    )
    total = forms.IntegerField(
        label=_("total (when the sites are not available)"),
        required=False,
        min_value=0,
        max_value=MAX_TOTAL,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = catalogue.lang()
        for site in catalogue.MRSS_SITES:
            self.fields[site.id] = forms.TypedChoiceField(
                label=site.label_fr if language == "fr" else site.label_en,
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", "—"), *((n, str(n)) for n in range(MAX_SITE_SCORE + 1))],
            )

    def sites(self) -> dict[str, int | None]:
        return {site.id: self.cleaned_data.get(site.id) for site in catalogue.MRSS_SITES}


class CyclophosphamideAnswerForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    cyclophosphamide_given = answer_field(
        _("high-dose IV cyclophosphamide ever given"), yes=_("yes, given"), no=_("never given")
    )
    reason = reason_field()


class CourseForm(forms.Form):
    start = date_field(_("start"))
    end = date_field(_("end"))
    boluses = forms.IntegerField(
        label=_("number of boluses"), required=False, min_value=1, max_value=100
    )


class RemoveRowForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[(k, k) for k in ("measurement", "bp", "mrss", "course")], widget=forms.HiddenInput
    )
    row = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason for removing this row"),
        max_length=500,
        validators=[refuse_identifiers],
    )


class SignForm(forms.Form):
    decision = forms.CharField(widget=forms.HiddenInput)
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Entering your password signs this decision electronically."),
    )
    reason = forms.CharField(
        label=_("Reason (needed to replace an earlier decision)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[refuse_identifiers],
    )


class IndexDateForm(forms.Form):
    """View the verdict as of another date (the stored index date is changed in the profile)."""

    index_date = date_field(_("evaluate as of"))
