from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CutoffForm(forms.Form):
    cutoff = forms.DateField(
        label=_("Data cut-off"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Data after this date are left out. Blank: today."),
    )
