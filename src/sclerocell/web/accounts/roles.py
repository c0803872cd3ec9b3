"""Roles and the permission matrix of the trial, declared in code.

The matrix is the single source of truth: views, the HTTP API and the documentation
(`docs/permissions.md`, checked by a test) all read it. A role grants a set of permissions; a
user holds one role and belongs to one or more sites, and every permission is exercised only
on the subjects of the user's sites (see `sclerocell.web.trial.access`).
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    INVESTIGATOR = "investigator"
    RESEARCH_NURSE = "research_nurse"
    CELL_THERAPY_UNIT = "cell_therapy_unit"
    PHARMACOVIGILANCE = "pharmacovigilance"
    DATA_MANAGER = "data_manager"
    MONITOR = "monitor"
    STATISTICIAN = "statistician"
    SAFETY_BOARD = "safety_board"
    ADMINISTRATOR = "administrator"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.INVESTIGATOR: _("Investigator"),
    Role.RESEARCH_NURSE: _("Research nurse / coordinator"),
    Role.CELL_THERAPY_UNIT: _("Cell therapy unit"),
    Role.PHARMACOVIGILANCE: _("Pharmacovigilance"),
    Role.DATA_MANAGER: _("Data manager"),
    Role.MONITOR: _("Monitor"),
    Role.STATISTICIAN: _("Statistician"),
    Role.SAFETY_BOARD: _("Safety board"),
    Role.ADMINISTRATOR: _("Administrator"),
}

ROLE_CHOICES = [(role.value, ROLE_LABELS[role]) for role in Role]


class Permission(StrEnum):
    VIEW_SUBJECTS = "view_subjects"
    REGISTER_SUBJECT = "register_subject"
    EDIT_SCREENING = "edit_screening"
    RECORD_CONSENT = "record_consent"
    SIGN_ELIGIBILITY = "sign_eligibility"
    ENROL_SUBJECT = "enrol_subject"
    END_PARTICIPATION = "end_participation"
    RECORD_PRODUCT = "record_product"
    RELEASE_BATCH = "release_batch"
    RECORD_INFUSION = "record_infusion"
    ENTER_FOLLOWUP = "enter_followup"
    SIGN_FORMS = "sign_forms"
    RECORD_ADVERSE_EVENT = "record_adverse_event"
    ASSESS_SERIOUS_EVENT = "assess_serious_event"
    RAISE_QUERY = "raise_query"
    ANSWER_QUERY = "answer_query"
    CLOSE_QUERY = "close_query"
    VERIFY_SOURCE_DATA = "verify_source_data"
    LOCK_FORMS = "lock_forms"
    VIEW_AUDIT_TRAIL = "view_audit_trail"
    VIEW_SAFETY = "view_safety"
    VIEW_REPORTS = "view_reports"
    EXPORT_DATA = "export_data"
    MANAGE_USERS = "manage_users"


P = Permission

# Roles that never change trial data, whatever else they may do.
READ_ONLY_ROLES = frozenset({Role.MONITOR, Role.STATISTICIAN, Role.SAFETY_BOARD})

# Permissions that change trial data ("clinical edits").
WRITE_PERMISSIONS = frozenset(
    {
        P.REGISTER_SUBJECT,
        P.EDIT_SCREENING,
        P.RECORD_CONSENT,
        P.SIGN_ELIGIBILITY,
        P.ENROL_SUBJECT,
        P.END_PARTICIPATION,
        P.RECORD_PRODUCT,
        P.RELEASE_BATCH,
        P.RECORD_INFUSION,
        P.ENTER_FOLLOWUP,
        P.SIGN_FORMS,
        P.RECORD_ADVERSE_EVENT,
        P.ASSESS_SERIOUS_EVENT,
        P.ANSWER_QUERY,
        P.LOCK_FORMS,
    }
)

MATRIX: dict[Role, frozenset[Permission]] = {
    Role.INVESTIGATOR: frozenset(
        {
            P.VIEW_SUBJECTS,
            P.REGISTER_SUBJECT,
            P.EDIT_SCREENING,
            P.RECORD_CONSENT,
            P.SIGN_ELIGIBILITY,
            P.ENROL_SUBJECT,
            P.END_PARTICIPATION,
            P.RECORD_INFUSION,
            P.ENTER_FOLLOWUP,
            P.SIGN_FORMS,
            P.RECORD_ADVERSE_EVENT,
            P.ANSWER_QUERY,
            P.VIEW_AUDIT_TRAIL,
            P.VIEW_SAFETY,
            P.VIEW_REPORTS,
        }
    ),
    Role.RESEARCH_NURSE: frozenset(
        {
            P.VIEW_SUBJECTS,
            P.REGISTER_SUBJECT,
            P.EDIT_SCREENING,
            P.RECORD_CONSENT,
            P.RECORD_INFUSION,
            P.ENTER_FOLLOWUP,
            P.RECORD_ADVERSE_EVENT,
            P.ANSWER_QUERY,
            P.VIEW_AUDIT_TRAIL,
        }
    ),
    Role.CELL_THERAPY_UNIT: frozenset(
        {P.VIEW_SUBJECTS, P.RECORD_PRODUCT, P.RELEASE_BATCH, P.VIEW_AUDIT_TRAIL}
    ),
    Role.PHARMACOVIGILANCE: frozenset(
        {
            P.VIEW_SUBJECTS,
            P.RECORD_ADVERSE_EVENT,
            P.ASSESS_SERIOUS_EVENT,
            P.VIEW_SAFETY,
            P.VIEW_AUDIT_TRAIL,
        }
    ),
    Role.DATA_MANAGER: frozenset(
        {
            P.VIEW_SUBJECTS,
            P.RAISE_QUERY,
            P.CLOSE_QUERY,
            P.LOCK_FORMS,
            P.VIEW_AUDIT_TRAIL,
            P.VIEW_SAFETY,
            P.VIEW_REPORTS,
            P.EXPORT_DATA,
        }
    ),
    Role.MONITOR: frozenset(
        {
            P.VIEW_SUBJECTS,
            P.RAISE_QUERY,
            P.CLOSE_QUERY,
            P.VERIFY_SOURCE_DATA,
            P.VIEW_AUDIT_TRAIL,
            P.VIEW_SAFETY,
        }
    ),
    Role.STATISTICIAN: frozenset({P.VIEW_SUBJECTS, P.VIEW_REPORTS, P.EXPORT_DATA}),
    Role.SAFETY_BOARD: frozenset({P.VIEW_SAFETY, P.VIEW_REPORTS}),
    Role.ADMINISTRATOR: frozenset({P.MANAGE_USERS}),
}


def has_permission(role: Role | str, permission: Permission) -> bool:
    return Permission(permission) in MATRIX[Role(role)]


def permissions_markdown() -> str:
    """The matrix as the Markdown table kept in docs/permissions.md."""
    roles = list(Role)
    header = "| permission | " + " | ".join(r.value for r in roles) + " |"
    rule = "|---|" + "---|" * len(roles)
    rows = [
        f"| {p.value} | " + " | ".join("✔" if p in MATRIX[r] else "" for r in roles) + " |"
        for p in Permission
    ]
    return "\n".join([header, rule, *rows]) + "\n"
