"""The page guards: @permission_required and PermissionRequiredMixin."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.views import View

from sclerocell.web.accounts.decorators import PermissionRequiredMixin, permission_required
from sclerocell.web.accounts.roles import Permission
from tests.web.conftest import Personas


@permission_required(Permission.ENROL_SUBJECT)
def enrol(request: HttpRequest) -> HttpResponse:
    return HttpResponse("enrolled")


class Exports(PermissionRequiredMixin, View):
    permission = Permission.EXPORT_DATA

    def get(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse("exported")


def request_by(user: object) -> HttpRequest:
    request = RequestFactory().get("/fr/somewhere/")
    request.user = user  # type: ignore[assignment]
    return request


def test_a_role_with_the_permission_passes(personas: Personas) -> None:
    assert enrol(request_by(personas.investigator_a)).content == b"enrolled"


def test_a_role_without_the_permission_gets_403(personas: Personas) -> None:
    for user in (personas.nurse_a, personas.monitor_a, personas.admin):
        with pytest.raises(PermissionDenied):
            enrol(request_by(user))


def test_an_anonymous_visitor_goes_to_login(db: None) -> None:
    response = enrol(request_by(AnonymousUser()))
    assert response.status_code == 302
    assert response["Location"].startswith("/fr/accounts/login/?next=/fr/somewhere/")


def test_an_inactive_user_gets_403(personas: Personas) -> None:
    personas.investigator_a.is_active = False
    with pytest.raises(PermissionDenied):
        enrol(request_by(personas.investigator_a))


def test_the_mixin_guards_a_class_based_view(personas: Personas) -> None:
    view = Exports.as_view()
    assert view(request_by(personas.statistician)).content == b"exported"
    with pytest.raises(PermissionDenied):
        view(request_by(personas.monitor_a))
    assert view(request_by(AnonymousUser())).status_code == 302


def test_the_guarded_view_tells_its_permission() -> None:
    assert enrol.permission == Permission.ENROL_SUBJECT  # type: ignore[attr-defined]
