"""Forms of the safety pages. They only parse input: the actions validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sclerocell.clinical.ctcae import GRADES, CtcaeTerm
from sclerocell.web.trial.forms import DateInput, VersionedForm
from sclerocell.web.trial.identityguard import refuse_identifiers

from .models import (
    ActionTaken,
    CtcaeVersion,
    Expectedness,
    Outcome,
    Relation,
    ReportKind,
    SeriousnessCriterion,
)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _text_field(label: Any, *, help_text: Any = "", rows: int = 2) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": rows}),
        validators=[refuse_identifiers],
        help_text=help_text,
    )


def _reason_field(*, required: bool) -> forms.CharField:
    return forms.CharField(
        label=_("Reason for the change"),
        required=required,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[refuse_identifiers],
        help_text=_("Kept in the audit trail. No identities."),
    )


class TermSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find the CTCAE term"),
        required=False,
        max_length=100,
        help_text=_(
            "French or English words (“insuffisance rénale”, “zona”, “kidney injury”) or a "
            "MedDRA code (10016558)."
        ),
    )


class GradeField(forms.TypedChoiceField):
    """Shows the term's own grades; accepts 1–5 so that the action says why a grade is refused."""

    def valid_value(self, value: Any) -> bool:
        return str(value) in {str(grade) for grade in GRADES}


def grade_choices(term: CtcaeTerm) -> list[tuple[int, str]]:
    """The grades that exist for ``term``, each with the term's own text."""
    return [(grade, f"{grade} — {term.grade_text(grade)}") for grade in term.allowed_grades]


class AdverseEventForm(VersionedForm):
    meddra_code = forms.CharField(widget=forms.HiddenInput, max_length=8)
    ctcae_version = forms.ChoiceField(
        label=_("CTCAE version"),
        choices=CtcaeVersion.choices,
        initial=CtcaeVersion.V5_0,
        help_text=_(
            "Events graded before the switch to v5.0 keep the version they were graded with."
        ),
    )
    grade = GradeField(label=_("grade"), coerce=int, widget=forms.RadioSelect)
    onset_date = forms.DateField(label=_("onset date"), widget=DateInput())
    end_date = forms.DateField(
        label=_("end date"),
        required=False,
        widget=DateInput(),
        help_text=_("For a resolved or fatal event (the date of death)."),
    )
    outcome = forms.ChoiceField(label=_("outcome"), choices=Outcome.choices)
    relation_to_msc = forms.ChoiceField(label=_("relation to the MSC"), choices=Relation.choices)
    relation_to_procedure = forms.ChoiceField(
        label=_("relation to the bone-marrow procedure"),
        choices=Relation.choices,
        initial=Relation.NOT_APPLICABLE,
        help_text=_("For a donor: the bone-marrow harvest."),
    )
    expectedness = forms.ChoiceField(
        label=_("expectedness"), choices=Expectedness.choices, required=False
    )
    action_taken = forms.ChoiceField(
        label=_("action taken with the infusion"),
        choices=ActionTaken.choices,
        initial=ActionTaken.NOT_APPLICABLE,
    )
    seriousness = forms.MultipleChoiceField(
        label=_("seriousness criteria"),
        choices=SeriousnessCriterion.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Any criterion makes the event serious and starts the reporting clocks."),
    )
    investigator_aware_at = forms.DateTimeField(
        label=_("investigator aware of the serious event at"),
        required=False,
        widget=DateTimeInput(),
        help_text=_("The sponsor must be notified within 24 hours of this time."),
    )
    death_cause = _text_field(_("cause of death"))
    malignancy = forms.BooleanField(
        label=_("malignancy"),
        required=False,
        help_text=_("Tick for a cancer coded outside the neoplasms system organ class."),
    )
    description = _text_field(_("description"), help_text=_("No identities."), rows=3)

    def __init__(self, *args: Any, term: CtcaeTerm, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grade = self.fields["grade"]
        assert isinstance(grade, GradeField)  # noqa: S101 — narrows the type
        grade.choices = grade_choices(term)
        self.fields["meddra_code"].initial = term.meddra_code
        if editing:
            self.fields["reason"] = _reason_field(required=True)

    def event_data(self) -> dict[str, Any]:
        """The cleaned values, as the actions take them."""
        data = {
            key: value
            for key, value in self.cleaned_data.items()
            if key not in {"version", "reason"}
        }
        data["seriousness"] = list(data.get("seriousness") or [])
        data["expectedness"] = data.get("expectedness") or ""
        return data


class AssessmentForm(VersionedForm):
    susar = forms.TypedChoiceField(
        label=_("Is this a SUSAR?"),
        choices=[("yes", _("yes: suspected unexpected serious adverse reaction")), ("no", _("no"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    sponsor_aware_at = forms.DateTimeField(
        label=_("sponsor aware at"),
        required=False,
        widget=DateTimeInput(),
        help_text=_(
            "Leave empty to start the SUSAR clocks when the sponsor notification was received."
        ),
    )
    reason = _reason_field(required=False)


class ReportForm(VersionedForm):
    kind = forms.ChoiceField(label=_("report"), choices=ReportKind.choices)
    sent_at = forms.DateTimeField(label=_("sent at"), widget=DateTimeInput())
    reference = forms.CharField(
        label=_("reference"),
        required=False,
        max_length=100,
        validators=[refuse_identifiers],
        help_text=_("The sponsor's or the authority's case number, if any."),
    )
    reason = _reason_field(required=False)

    def __init__(self, *args: Any, kinds: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)  # noqa: S101 — narrows the type
        kind.choices = kinds
