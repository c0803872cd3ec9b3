"""API operations about the caller: who am I, with which role and sites."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest
from ninja import Router, Schema

from .api_auth import TokenAuth
from .models import User

router = Router(tags=["accounts"], auth=TokenAuth())


class MeOut(Schema):
    username: str
    role: str
    role_label: str
    sites: list[int]
    read_only_token: bool


@router.get("/me", response=MeOut, summary="The caller's account")
def me(request: HttpRequest) -> MeOut:
    user = cast(User, request.auth)  # type: ignore[attr-defined]
    return MeOut(
        username=user.username,
        role=user.role,
        role_label=str(user.get_role_display()),
        sites=list(user.sites.order_by("number").values_list("number", flat=True)),
        read_only_token=request.api_token.read_only,  # type: ignore[attr-defined]
    )
