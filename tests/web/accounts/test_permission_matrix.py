"""The permission matrix: the documented table is the code's, and the role rules hold."""

from __future__ import annotations

import re
from pathlib import Path

from sclerocell.web.accounts.roles import (
    MATRIX,
    READ_ONLY_ROLES,
    WRITE_PERMISSIONS,
    Permission,
    Role,
    permissions_markdown,
)

DOC = Path(__file__).resolve().parents[3] / "docs" / "permissions.md"
START = (
    "<!-- permissions-matrix:start"
    " (generated from roles.permissions_markdown(); do not edit by hand) -->\n"
)
END = "<!-- permissions-matrix:end -->"


def documented_table() -> str:
    text = DOC.read_text(encoding="utf-8")
    assert START in text and END in text, "the matrix markers are missing from the doc"
    return text.split(START, 1)[1].split(END, 1)[0]


def test_the_table_in_the_doc_is_exactly_the_generated_one() -> None:
    assert documented_table() == permissions_markdown()


def test_the_doc_explains_every_role_and_every_permission() -> None:
    text = DOC.read_text(encoding="utf-8")
    for role in Role:
        assert re.search(rf"^\| `{role.value}` \|", text, re.M), role
    for permission in Permission:
        assert re.search(rf"^\| `{permission.value}` \|", text, re.M), permission


def test_the_doc_lists_the_write_permissions_of_the_code() -> None:
    text = DOC.read_text(encoding="utf-8")
    listed = text.split("`WRITE_PERMISSIONS` (clinical edits):", 1)[1].split("\n\n", 1)[0]
    names = {name.strip(" .\n") for name in listed.replace("\n", " ").split(",")}
    assert names == {permission.value for permission in WRITE_PERMISSIONS}


def test_every_role_has_a_row_in_the_matrix() -> None:
    assert set(MATRIX) == set(Role)


def test_read_only_roles_hold_no_write_permission() -> None:
    assert READ_ONLY_ROLES == {Role.MONITOR, Role.STATISTICIAN, Role.SAFETY_BOARD}
    for role in READ_ONLY_ROLES:
        assert MATRIX[role].isdisjoint(WRITE_PERMISSIONS), role


def test_the_administrator_holds_no_clinical_permission() -> None:
    assert MATRIX[Role.ADMINISTRATOR] == {Permission.MANAGE_USERS}
    assert MATRIX[Role.ADMINISTRATOR].isdisjoint(WRITE_PERMISSIONS)


def test_only_the_administrator_manages_users() -> None:
    managers = {
        role for role, permissions in MATRIX.items() if Permission.MANAGE_USERS in permissions
    }
    assert managers == {Role.ADMINISTRATOR}


def test_the_user_model_follows_the_matrix(personas) -> None:  # type: ignore[no-untyped-def]
    for user in personas.all_users():
        for permission in Permission:
            assert user.can(permission) == (permission in MATRIX[Role(user.role)])


def test_an_inactive_user_holds_no_permission(personas) -> None:  # type: ignore[no-untyped-def]
    personas.investigator_a.is_active = False
    assert not any(personas.investigator_a.can(permission) for permission in Permission)
