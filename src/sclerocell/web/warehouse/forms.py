"""The form of the pre-screen page: which site's warehouse, as of which date, for which role."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sclerocell.web.accounts.models import Site
from sclerocell.web.trial.forms import DateInput


class PrescreenForm(forms.Form):
    site = forms.TypedChoiceField(label=_("site"), coerce=int)
    index_date = forms.DateField(label=_("index date"), widget=DateInput())
    role = forms.ChoiceField(
        label=_("criteria"),
        choices=[("recipient", _("recipients")), ("donor", _("donors"))],
        initial="recipient",
    )
    population = forms.ChoiceField(
        label=_("persons screened"),
        choices=[
            ("ssc", _("persons with a diagnosis of systemic sclerosis")),
            ("all", _("every person of the warehouse")),
        ],
        initial="ssc",
    )

    def __init__(self, *args: Any, sites: list[Site], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].choices = [(s.number, str(s)) for s in sites]  # type: ignore[attr-defined]
