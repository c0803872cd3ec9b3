"""Forms of the accounts pages and of the administrators' user management."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm, UserChangeForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .actions import check_sites
from .models import User

CODE_DIGITS = 6


class LoginForm(AuthenticationForm):
    """Django's form (translated errors, autocomplete attributes), with the browser's hints."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(autocapitalize="none", spellcheck="false")


class TotpCodeForm(forms.Form):
    code = forms.CharField(
        label=_("6-digit code"),
        help_text=_("The code shown by your authenticator app, which changes every 30 seconds."),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "size": 8,
            }
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if len(code) != CODE_DIGITS or not code.isdigit():
            raise forms.ValidationError(
                _("Enter the 6 digits shown by your authenticator app."), code="format"
            )
        return code


class ApiTokenForm(forms.Form):
    EXPIRY_CHOICES = [
        ("30", _("30 days")),
        ("90", _("90 days")),
        ("365", _("1 year")),
        ("", _("Never")),
    ]

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “weekly export script”."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    expires_in = forms.ChoiceField(
        label=_("Expires after"), choices=EXPIRY_CHOICES, initial="90", required=False
    )
    read_only = forms.BooleanField(
        label=_("Read-only"),
        help_text=_("A read-only token can read but never change anything."),
        initial=True,
        required=False,
    )

    def expires_at(self) -> Any:
        days = self.cleaned_data.get("expires_in")
        return timezone.now() + timedelta(days=int(days)) if days else None


def _clean_sites(form: forms.ModelForm) -> None:  # type: ignore[type-arg]
    role = form.cleaned_data.get("role")
    sites = form.cleaned_data.get("sites")
    if role and sites is not None:
        try:
            check_sites(role, sites)
        except forms.ValidationError as error:
            form.add_error("sites", error)


class StaffUserCreationForm(BaseUserCreationForm):  # type: ignore[type-arg]
    """The administrator's form for a new account: role, sites and a password of the policy."""

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "role", "sites"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _clean_sites(self)
        return cleaned


class StaffUserChangeForm(UserChangeForm):  # type: ignore[type-arg]
    """The administrator's form for an account; the password changes on its own form."""

    class Meta:
        model = User
        fields = [
            "username",
            "password",
            "first_name",
            "last_name",
            "email",
            "role",
            "sites",
            "is_active",
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _clean_sites(self)
        return cleaned
