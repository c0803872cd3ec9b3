"""Guards for pages: the role must grant a permission of the matrix.

    @permission_required(Permission.ENROL_SUBJECT)
    def enrol(request, pk): ...

    class SubjectList(PermissionRequiredMixin, ListView):
        permission = Permission.VIEW_SUBJECTS

An anonymous visitor goes to the login page; a logged-in user without the permission gets 403.
Site scoping is the job of the access functions (`sclerocell.web.trial.access`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from .models import User
from .roles import Permission

View = Callable[..., HttpResponse]


def _check(request: HttpRequest, permission: Permission) -> HttpResponse | None:
    user: Any = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not user.can(permission):
        raise PermissionDenied
    return None


def permission_required(permission: Permission) -> Callable[[View], View]:
    permission = Permission(permission)

    def decorator(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            refusal = _check(request, permission)
            if refusal is not None:
                return refusal
            return view(request, *args, **kwargs)

        guarded.permission = permission  # type: ignore[attr-defined]
        return guarded

    return decorator


class PermissionRequiredMixin:
    """The same guard for class-based views: set ``permission`` on the class."""

    permission: Permission

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refusal = _check(request, self.permission)
        if refusal is not None:
            return refusal
        response: HttpResponse = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
        return response


def staff_user(request: HttpRequest) -> User:
    """The signed-in staff member of a view that requires a login (else 403)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user
