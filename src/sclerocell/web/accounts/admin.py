"""What the administrator manages in the Django admin: accounts, sites, second factors,
lockouts and API tokens. Nothing clinical is editable here.

For trial models, other apps register at most a read-only view:

    from sclerocell.web.accounts.admin import ReadOnlyModelAdmin

    @admin.register(Batch)
    class BatchAdmin(ReadOnlyModelAdmin): ...
"""

from __future__ import annotations

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from .actions import revoke_token
from .forms import StaffUserChangeForm, StaffUserCreationForm
from .models import ApiToken, Site, User
from .roles import Permission

TOKEN_FIELDS = (
    "name",
    "user",
    "prefix",
    "read_only",
    "created_at",
    "expires_at",
    "last_used_at",
    "revoked_at",
)
# Never the key: whoever reads it can produce the user's codes.
DEVICE_FIELDS = ("user", "name", "confirmed", "created_at", "last_used_at")


def _manages_accounts(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "can", None)) and request.user.can(  # type: ignore[union-attr]
        Permission.MANAGE_USERS
    )


class AccountsAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Open to roles holding MANAGE_USERS; nothing is deleted unless a subclass says so."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _manages_accounts(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _manages_accounts(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _manages_accounts(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _manages_accounts(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ViewOnlyAccountsAdmin(AccountsAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ReadOnlyModelAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """For trial models: visible to whoever may enter the admin, never added, changed, deleted."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.admin_site.has_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.admin_site.has_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Site)
class SiteAdmin(AccountsAdmin):
    list_display = ["number", "name", "city"]
    search_fields = ["name", "city"]


@admin.register(User)
class StaffUserAdmin(AccountsAdmin, UserAdmin):  # type: ignore[type-arg]
    """Accounts are deactivated, never deleted: the audit trail keeps pointing at them."""

    form = StaffUserChangeForm
    add_form = StaffUserCreationForm
    list_display = ["username", "last_name", "first_name", "role", "site_numbers", "is_active"]
    list_filter = ["role", "is_active", "sites"]
    search_fields = ["username", "first_name", "last_name", "email"]
    ordering = ["username"]
    filter_horizontal = []
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Identity"), {"fields": ["first_name", "last_name", "email"]}),
        (_("Role and sites"), {"fields": ["role", "sites", "is_active"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "first_name",
                    "last_name",
                    "email",
                    "role",
                    "sites",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]
    actions = ["reset_second_factor", "unlock"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).prefetch_related("sites")

    @admin.display(description=_("sites"))
    def site_numbers(self, user: User) -> str:
        return ", ".join(f"{site.number:02d}" for site in user.sites.all())

    @admin.action(description=_("Reset the second factor (the user enrols again)"))
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        count, _by_model = TOTPDevice.objects.filter(user__in=queryset).delete()
        self.message_user(
            request,
            ngettext("%(count)d authenticator removed.", "%(count)d authenticators removed.", count)
            % {"count": count},
        )

    @admin.action(description=_("Unlock after failed logins"))
    def unlock(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            AxesProxyHandler.reset_attempts(username=user.get_username())
        self.message_user(request, _("The selected accounts are unlocked."))


@admin.register(ApiToken)
class ApiTokenAdmin(ViewOnlyAccountsAdmin):
    list_display = TOKEN_FIELDS
    list_filter = ["read_only", "revoked_at"]
    search_fields = ["name", "prefix", "user__username"]
    fields = TOKEN_FIELDS
    readonly_fields = TOKEN_FIELDS
    actions = ["revoke"]

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            revoke_token(token, by=request.user)
        self.message_user(request, _("The selected tokens are revoked."))


class TOTPDeviceAccountsAdmin(ViewOnlyAccountsAdmin):
    """Who has enrolled an authenticator; deleting one makes the user enrol again.

    The secret key is never shown: whoever reads it can produce the user's codes.
    """

    list_display = DEVICE_FIELDS
    list_filter = ["confirmed"]
    search_fields = ["user__username"]
    fields = DEVICE_FIELDS
    readonly_fields = DEVICE_FIELDS

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _manages_accounts(request)


class AccessAttemptAccountsAdmin(ViewOnlyAccountsAdmin, AccessAttemptAdmin):  # type: ignore[misc]
    """Failed logins; deleting a user's attempts lifts the lockout."""

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _manages_accounts(request)


class AccessLogAccountsAdmin(ViewOnlyAccountsAdmin, AccessLogAdmin):  # type: ignore[misc]
    pass


class AccessFailureLogAccountsAdmin(ViewOnlyAccountsAdmin, AccessFailureLogAdmin):  # type: ignore[misc]
    pass


# Roles are declared in code: Django's groups would be a second, silent source of rights.
# The third-party registrations are replaced by ones that follow the role matrix.
for _model in (Group, TOTPDevice, AccessAttempt, AccessLog, AccessFailureLog):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
admin.site.register(TOTPDevice, TOTPDeviceAccountsAdmin)
admin.site.register(AccessAttempt, AccessAttemptAccountsAdmin)
admin.site.register(AccessLog, AccessLogAccountsAdmin)
admin.site.register(AccessFailureLog, AccessFailureLogAccountsAdmin)
