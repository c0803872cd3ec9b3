"""The form of the export page: which format, to which cut-off, over which of the user's sites."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sclerocell.web.accounts.models import Site
from sclerocell.web.trial.forms import DateInput

from .formats import ALL, FORMATS

ALL_SITES = ""


class ExportForm(forms.Form):
    format = forms.ChoiceField(label=_("format"), widget=forms.RadioSelect, initial="tables")
    cutoff = forms.DateField(
        label=_("cut-off date"),
        widget=DateInput(),
        help_text=_("Visits dated on or before this day are exported."),
    )
    site = forms.ChoiceField(label=_("sites"), required=False)

    def __init__(self, *args: Any, sites: list[Site], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(f.code, f.label) for f in FORMATS.values() if f.available]
        choices.append((ALL, _("All formats")))
        self.fields["format"].choices = choices  # type: ignore[attr-defined]
        self.fields["site"].choices = [  # type: ignore[attr-defined]
            (ALL_SITES, _("all my sites")),
            *((str(s.number), str(s)) for s in sites),
        ]
        self.fields["cutoff"].initial = timezone.localdate()

    def clean_cutoff(self) -> datetime.date:
        cutoff: datetime.date = self.cleaned_data["cutoff"]
        if cutoff > timezone.localdate():
            raise ValidationError(
                _("The cut-off date cannot be in the future."), code="future_cutoff"
            )
        return cutoff
