"""A form driven at random through its life cycle: the actions agree with a model of the rules.

Rules checked after every step: the stored values, status and version are the model's; a locked
form never changes (through the actions, nor through a direct database write); every successful
step writes exactly one audit event on the form's row, named after the step (with its reason for
an edit), and every refused step writes none.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from sclerocell.web.audit.context import audit_scope
from sclerocell.web.audit.models import AuditEvent
from sclerocell.web.followup import actions
from sclerocell.web.followup.models import FORM_MODELS, OutcomeForm
from tests.web.conftest import PASSWORD, Personas
from tests.web.followup.conftest import INFUSED, VITALS, FollowUp

MODEL = FORM_MODELS["vitals"]
REVIEWED = {"verified", "signed"}


class FormLifeCycle(RuleBasedStateMachine):
    personas: Personas
    followup: FollowUp
    examples = 0
    reached: set[str] = set()

    @initialize(start=st.sampled_from(["draft", "complete", "verified", "signed"]))
    def a_new_form(self, start: str) -> None:
        """Each example starts from a fresh form, brought through the actions to ``start``."""
        type(self).examples += 1
        p = self.personas
        visit = actions.record_visit(
            self.followup.recipient_a,
            by=p.nurse_a,
            code="UNS",
            visit_date=INFUSED + datetime.timedelta(days=40 + type(self).examples % 300),
        )
        self.form: OutcomeForm = actions.save_form(visit, "vitals", by=p.nurse_a, values=VITALS)
        self.values = self.form.values()
        self.status = "draft"
        self.version = 1
        self.actions = ["save_outcome_form"]
        self.reasons = [False]
        self.locked_row: dict[str, Any] | None = None
        for status, step, action in (
            ("complete", lambda: actions.complete_form(self.form, by=p.nurse_a), "complete_form"),
            ("verified", lambda: actions.verify_form(self.form, by=p.monitor_a), "verify_form"),
            (
                "signed",
                lambda: actions.sign_form(self.form, by=p.investigator_a, password=PASSWORD),
                "sign_form",
            ),
        ):
            if self.status == start:
                break
            self.attempt(step, None, action)
            self.status = status

    # --- helpers ---------------------------------------------------------------------------

    def row(self) -> dict[str, Any]:
        return dict(MODEL.objects.filter(pk=self.form.pk).values().get())

    def attempt(
        self, step: Any, expected: str | None, action: str = "", reason: bool = False
    ) -> None:
        """Run ``step``; ``expected`` is None when it must succeed, else the refusal kind."""
        try:
            step()
        except PermissionDenied:
            assert expected == "permission", expected
        except ValidationError as error:
            codes = {e.code for errors in error.error_dict.values() for e in errors}
            keys = set(error.error_dict)
            assert expected in codes or expected in keys, (expected, codes, keys)
        else:
            assert expected is None, f"{action} should have been refused ({expected})"
            self.version += 1
            self.actions.append(action)
            self.reasons.append(reason)

    # --- rules -----------------------------------------------------------------------------

    @rule(
        field=st.sampled_from(["systolic_bp", "spo2"]),
        value=st.integers(min_value=90, max_value=99),
        reason=st.booleans(),
        stale=st.booleans(),
    )
    def edit(self, field: str, value: int, reason: bool, stale: bool) -> None:
        current = self.values[field]
        if stale:
            expected: str | None = "stale"
        elif self.status == "locked":
            expected = "locked"
        elif current == value:
            expected = "unchanged"
        elif (self.status != "draft" or current is not None) and not reason:
            expected = "reason"
        else:
            expected = None

        def step() -> None:
            actions.save_form(
                self.form.visit,
                "vitals",
                by=self.personas.nurse_a,
                values={field: value},
                reason="Correction after checking the source document." if reason else "",
                expected_version=self.version - 1 if stale else self.version,
            )

        if expected == "unchanged":
            step()  # nothing to save: nothing written, nothing audited (the invariants check)
            return
        self.attempt(step, expected, "save_outcome_form", reason)
        if expected is None:
            self.values[field] = value
            if self.status != "draft":
                self.status = "complete"  # a change voids verification and signature

    @rule()
    def complete(self) -> None:
        expected = {"draft": None, "locked": "locked"}.get(self.status, "status")
        self.attempt(
            lambda: actions.complete_form(self.form, by=self.personas.nurse_a),
            expected,
            "complete_form",
        )
        if expected is None:
            self.status = "complete"

    @rule(by=st.sampled_from(["monitor_a", "nurse_a"]))
    def verify(self, by: str) -> None:
        if by != "monitor_a":
            expected: str | None = "permission"
        else:
            expected = {"complete": None, "locked": "locked"}.get(self.status, "status")
        user = getattr(self.personas, by)
        self.attempt(lambda: actions.verify_form(self.form, by=user), expected, "verify_form")
        if expected is None:
            self.status = "verified"

    @rule(right=st.booleans())
    def sign(self, right: bool) -> None:
        expected: str | None = "password"  # checked first, whatever the status
        if right:
            expected = {"verified": None, "locked": "locked"}.get(self.status, "status")
        password = PASSWORD if right else "not-the-password"

        def step() -> None:
            actions.sign_form(self.form, by=self.personas.investigator_a, password=password)

        self.attempt(step, expected, "sign_form")
        if expected is None:
            self.status = "signed"

    @rule()
    def lock(self) -> None:
        expected = {"signed": None, "locked": "locked"}.get(self.status, "status")
        self.attempt(
            lambda: actions.lock_form(self.form, by=self.personas.data_manager_a),
            expected,
            "lock_form",
        )
        if expected is None:
            self.status = "locked"
            self.locked_row = self.row()

    @precondition(lambda self: self.status == "locked")
    @rule(weight=st.integers(min_value=40, max_value=90))
    def write_to_the_database_directly(self, weight: int) -> None:
        with pytest.raises(DatabaseError, match="sclerocell-followup: locked"):
            with audit_scope(by=self.personas.data_manager_a, reason="bypass", action="bypass"):
                MODEL.objects.filter(pk=self.form.pk).update(weight=weight, status="draft")
        with pytest.raises(DatabaseError, match="sclerocell-followup: locked"):
            with audit_scope(by=self.personas.data_manager_a, reason="bypass", action="bypass"):
                MODEL.objects.filter(pk=self.form.pk).delete()

    # --- invariants ------------------------------------------------------------------------

    @invariant()
    def the_row_is_what_the_rules_say(self) -> None:
        type(self).reached.add(self.status)
        row = self.row()
        assert row["status"] == self.status
        assert row["version"] == self.version
        assert {name: row[name] for name in self.values} == self.values
        signed = self.status in {"signed", "locked"}
        assert (row["signed_by_id"] is not None) == signed
        assert bool(row["signature_meaning"]) == signed
        assert (row["verified_by_id"] is not None) == (self.status in REVIEWED | {"locked"})

    @invariant()
    def a_locked_form_never_changes(self) -> None:
        if self.locked_row is not None:
            assert self.row() == self.locked_row

    @invariant()
    def every_step_is_audited_once(self) -> None:
        events = list(AuditEvent.objects.for_row(self.form))
        assert [e.action for e in events] == self.actions
        assert [bool(e.reason) for e in events] == self.reasons
        assert all(e.actor_username for e in events)


def test_a_form_follows_its_life_cycle_and_a_locked_form_never_changes(
    followup: FollowUp, personas: Personas
) -> None:
    FormLifeCycle.personas = personas
    FormLifeCycle.followup = followup
    run_state_machine_as_test(
        FormLifeCycle,
        settings=settings(
            max_examples=25,
            stateful_step_count=10,
            deadline=None,
            derandomize=True,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
    assert FormLifeCycle.examples >= 25
    assert FormLifeCycle.reached == {"draft", "complete", "verified", "signed", "locked"}
