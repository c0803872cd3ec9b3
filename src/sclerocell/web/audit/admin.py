"""Django admin for audited models: a reason field, and every save inside an ``audit_scope``.

    @admin.register(Batch)
    class BatchAdmin(AuditedModelAdmin): ...

The change form gains a "Reason for the change" field (required when changing an existing row);
the save runs in an ``audit_scope`` by the logged-in user, so the trigger records who and why.
Deleting through the admin is switched off: trial data is corrected or ended with a reason by an
action, never deleted from a list page.

``audit_the_admin`` (run when the audit app is ready, after the admin has discovered every
app's ``admin.py``) gives this behaviour to any audited model registered with a plain
``ModelAdmin`` — otherwise its change form would hit the database's refusal of a change without
a reason.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from .context import REASON_MAX_LENGTH, audit_scope
from .registry import REGISTRY

REASON_FIELD = "audit_reason"


def reason_field(required: bool) -> forms.CharField:
    return forms.CharField(
        label=_("Reason for the change"),
        help_text=_("Kept in the audit trail."),
        max_length=REASON_MAX_LENGTH,
        required=required,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AuditedAdminMixin:
    """Mix into a ``ModelAdmin`` of an audited model (before it, in the bases)."""

    def _may_write(self, request: HttpRequest, obj: Any) -> bool:
        if obj is None:
            return bool(self.has_add_permission(request))  # type: ignore[attr-defined]
        return bool(self.has_change_permission(request, obj))  # type: ignore[attr-defined]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if kwargs.get("fields") is None and "fields" in kwargs:
            return super().get_form(request, obj, change=change, **kwargs)  # type: ignore[misc]
        fields = kwargs.pop("fields", None)
        if fields is None:
            fields = flatten_fieldsets(self.get_fieldsets(request, obj))
        kwargs["fields"] = [name for name in fields if name != REASON_FIELD]
        form = super().get_form(request, obj, change=change, **kwargs)  # type: ignore[misc]
        return type(form.__name__, (form,), {REASON_FIELD: reason_field(required=change)})

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f != REASON_FIELD]})
            for name, options in super().get_fieldsets(request, obj)  # type: ignore[misc]
        ]
        if not self._may_write(request, obj):
            return fieldsets
        return [*fieldsets, (_("Audit trail"), {"fields": [REASON_FIELD]})]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        parent = super().changeform_view  # type: ignore[misc]
        if request.method != "POST":
            return parent(request, object_id, form_url, extra_context)  # type: ignore[no-any-return]
        opts = self.opts  # type: ignore[attr-defined]
        verb = "add" if object_id is None else "change"
        with audit_scope(
            by=request.user,
            reason=request.POST.get(REASON_FIELD, ""),
            action=f"admin_{verb}_{opts.app_label}_{opts.model_name}",
        ):
            return parent(request, object_id, form_url, extra_context)  # type: ignore[no-any-return]


class AuditedModelAdmin(AuditedAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    pass


def audit_the_admin(site: admin.AdminSite) -> None:
    """Give every audited model's ``ModelAdmin`` on ``site`` the reason field and the scope."""
    for model, model_admin in list(site._registry.items()):
        if model._meta.label_lower not in REGISTRY or isinstance(model_admin, AuditedAdminMixin):
            continue
        base = type(model_admin)
        site.unregister(model)
        site.register(model, type(f"Audited{base.__name__}", (AuditedAdminMixin, base), {}))
