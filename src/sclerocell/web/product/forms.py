"""Forms of the enrolment and product-chain pages. They only parse input: the actions validate."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sclerocell.product.specification import Karyotype, Mycoplasma, Sterility
from sclerocell.web.accounts.models import User
from sclerocell.web.trial.forms import DateInput, VersionedForm, _reason_field
from sclerocell.web.trial.identityguard import refuse_identifiers
from sclerocell.web.trial.models import Participant, SafetyBoardOutcome

from .models import Batch, Harvest, Moment, PunctureSite


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _date(label: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput())


def _moment(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(label=label, widget=DateTimeInput())


def _text(label: Any, *, required: bool = False, rows: int = 2, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        validators=[refuse_identifiers],
        **kwargs,
    )


def _number(label: Any, *, required: bool = True, places: int = 1) -> forms.DecimalField:
    return forms.DecimalField(label=label, required=required, decimal_places=places)


# --- Enrolment ---------------------------------------------------------------------------------


class DonorSelectionForm(VersionedForm):
    donor = forms.ChoiceField(label=_("donor"))
    date = _date(_("date of the choice"))
    justification = _text(
        _("why this donor rather than a higher-priority one"),
        help_text=_("Required when a donor of a higher priority tier is available."),
    )
    reason = _reason_field(required=False)

    def __init__(self, *args: Any, donors: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["donor"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 — narrows the type
        field.choices = donors


class SafetyBoardDecisionForm(forms.Form):
    dose_level = forms.TypedChoiceField(label=_("dose level reviewed"), coerce=int)
    outcome = forms.ChoiceField(
        label=_("decision"), choices=SafetyBoardOutcome.choices, widget=forms.RadioSelect
    )
    decided_on = _date(_("date of the decision"))
    minutes_reference = forms.CharField(
        label=_("reference of the minutes"), max_length=120, validators=[refuse_identifiers]
    )
    note = _text(_("note"))

    def __init__(self, *args: Any, levels: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["dose_level"]
        assert isinstance(field, forms.TypedChoiceField)  # noqa: S101
        field.choices = levels


class AmendmentForm(forms.Form):
    version = forms.CharField(
        label=_("protocol version"), max_length=40, validators=[refuse_identifiers]
    )
    reference = forms.CharField(
        label=_("approval reference"), max_length=200, validators=[refuse_identifiers]
    )
    approved_on = _date(_("date of approval"))
    effective_from = _date(_("in force from"))
    recipients_max = forms.IntegerField(label=_("maximum recipients included"), required=False)
    donors_max = forms.IntegerField(label=_("maximum donors included"), required=False)
    inclusion_end = forms.DateField(
        label=_("last day of the inclusion period"), required=False, widget=DateInput()
    )
    participation_months = forms.IntegerField(label=_("participation (months)"), required=False)
    summary = _text(_("summary"), rows=3)


# --- Product chain -----------------------------------------------------------------------------


class HarvestForm(forms.Form):
    harvested_on = _date(_("date of the harvest"))
    puncture_site = forms.ChoiceField(label=_("puncture site"), choices=PunctureSite.choices)
    volume_ml = _number(_("marrow volume (mL)"))
    local_anaesthetic = forms.CharField(
        label=_("local anaesthetic"), max_length=120, validators=[refuse_identifiers]
    )
    operator = forms.ModelChoiceField(
        label=_("operator"), queryset=User.objects.none(), required=False
    )
    operator_role = forms.CharField(
        label=_("operator (role)"),
        max_length=120,
        required=False,
        validators=[refuse_identifiers],
        help_text=_("When the operator has no account here: their role, not their name."),
    )
    note = _text(_("note"))

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["operator"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = staff


def _choice(label: Any, choices: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=False, choices=[("", "—"), *choices])


class ResultFields(forms.Form):
    """The QC results of a batch; an empty one is not available yet."""

    viability_pct = _number(_("viability (%)"), required=False, places=2)
    cd73_pct = _number("CD73 (%)", required=False, places=2)
    cd90_pct = _number("CD90 (%)", required=False, places=2)
    cd105_pct = _number("CD105 (%)", required=False, places=2)
    cd45_pct = _number("CD45 (%)", required=False, places=2)
    cd34_pct = _number("CD34 (%)", required=False, places=2)
    cd14_cd11b_pct = _number("CD14/CD11b (%)", required=False, places=2)
    cd19_cd79a_pct = _number("CD19/CD79α (%)", required=False, places=2)
    hla_dr_pct = _number("HLA-DR (%)", required=False, places=2)
    sterility = _choice(
        _("sterility"), [(Sterility.NO_GROWTH, _("no growth")), (Sterility.GROWTH, _("growth"))]
    )
    endotoxin_eu_per_ml = _number(_("endotoxin (EU/mL)"), required=False, places=3)
    mycoplasma = _choice(
        _("mycoplasma"),
        [(Mycoplasma.NEGATIVE, _("negative")), (Mycoplasma.POSITIVE, _("positive"))],
    )
    karyotype = _choice(
        _("karyotype"), [(Karyotype.NORMAL, _("normal")), (Karyotype.ABNORMAL, _("abnormal"))]
    )


class BatchForm(ResultFields):
    harvest = forms.ModelChoiceField(
        label=_("harvest"), queryset=Harvest.objects.none(), empty_label=None
    )
    number = forms.CharField(label=_("batch number"), max_length=30)
    manufactured_on = _date(_("date of manufacture"))
    passages = forms.IntegerField(label=_("passages"), min_value=0)
    cell_count = forms.IntegerField(
        label=_("cells in the bag"), min_value=1, help_text=_("e.g. 70000000 for 7 × 10⁷.")
    )
    volume_ml = _number(_("volume (mL)"))
    expires_at = _moment(_("expiry"))
    field_order = [
        "harvest",
        "number",
        "manufactured_on",
        "passages",
        "cell_count",
        "volume_ml",
        "expires_at",
    ]

    def __init__(self, *args: Any, harvests: QuerySet[Harvest], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["harvest"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = harvests


class BatchResultsForm(ResultFields, VersionedForm):
    reason = _reason_field(required=False)


class ReleaseForm(forms.Form):
    batch = forms.ModelChoiceField(
        label=_("batch"), queryset=Batch.objects.none(), empty_label=None
    )
    outcome = forms.ChoiceField(
        label=_("decision"),
        choices=[("released", _("release")), ("rejected", _("reject"))],
        widget=forms.RadioSelect,
    )
    recipient_weight_kg = forms.DecimalField(
        label=_("recipient weight (kg)"),
        decimal_places=1,
        help_text=_("For the endotoxin limit per kg of recipient."),
    )
    deviation = _text(
        _("documented deviation"),
        rows=3,
        help_text=_("Required to release a batch out of specification."),
    )
    meaning_confirmed = forms.BooleanField(
        label=_("I sign this decision; its meaning is recorded with my signature."),
        required=False,
    )
    password = forms.CharField(
        label=_("your password (electronic signature)"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        strip=False,
    )

    def __init__(self, *args: Any, batches: QuerySet[Batch], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["batch"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = batches


class BedsideCheckForm(forms.Form):
    """Text inputs a barcode scanner fills (it types the code and Enter)."""

    product_code = forms.CharField(
        label=_("product code (scan the bag)"),
        max_length=400,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )
    recipient_code = forms.CharField(
        label=_("recipient's study code (scan the wristband)"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    weight_kg = forms.DecimalField(label=_("weight today (kg)"), decimal_places=1)


class InfusionForm(forms.Form):
    started_at = _moment(_("start"))
    ended_at = _moment(_("end"))
    volume_ml = _number(_("volume infused (mL)"))
    rate_ml_per_min = _number(_("rate (mL/min)"), places=2)
    weight_kg = _number(_("weight on the day (kg)"))
    premedication = _text(_("premedication"))
    immediate_reaction = forms.TypedChoiceField(
        label=_("immediate reaction"),
        choices=[("no", _("no")), ("yes", _("yes"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reaction_description = _text(_("description of the reaction"))

    VITALS = (
        ("systolic_mmhg", _("systolic pressure (mmHg)"), True),
        ("diastolic_mmhg", _("diastolic pressure (mmHg)"), True),
        ("heart_rate_bpm", _("heart rate (/min)"), True),
        ("temperature_c", _("temperature (°C)"), True),
        ("spo2_pct", _("SpO₂ (%)"), False),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for moment in Moment:
            for name, label, required in self.VITALS:
                self.fields[f"{moment.value}_{name}"] = forms.DecimalField(
                    label=f"{moment.label} — {label}", required=required, decimal_places=1
                )

    def vital_signs(self) -> dict[str, dict[str, Any]]:
        return {
            moment.value: {
                name: self.cleaned_data.get(f"{moment.value}_{name}")
                for name, _l, _r in self.VITALS
            }
            for moment in Moment
        }

    def action_arguments(self) -> dict[str, Any]:
        data = {
            key: self.cleaned_data[key]
            for key in (
                "started_at",
                "ended_at",
                "volume_ml",
                "rate_ml_per_min",
                "weight_kg",
                "premedication",
                "immediate_reaction",
                "reaction_description",
            )
        }
        data["vital_signs"] = self.vital_signs()
        return data


def donor_choices(donors: list[Participant], tiers: dict[str, int]) -> list[tuple[str, str]]:
    """The recipient's donors, labelled with their tie and priority tier (or "not available")."""
    choices = []
    for donor in donors:
        tier = tiers.get(donor.code)
        status = _("priority %(tier)d") % {"tier": tier} if tier is not None else _("not available")
        choices.append(
            (donor.code, f"{donor.code} — {donor.get_relationship_display()} — {status}")
        )
    return choices
