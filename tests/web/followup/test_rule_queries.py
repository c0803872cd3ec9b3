"""Checks raise data queries once a form is complete, and close them when the data are fixed."""

from __future__ import annotations

import pytest
from django.utils import translation

from sclerocell.web.followup import actions
from sclerocell.web.followup.models import OutcomeForm, Query
from sclerocell.web.followup.templatetags.followup_tags import question
from tests.web.conftest import Personas
from tests.web.followup.conftest import FollowUp, enter, mrss_sites

REASON = "Corrected against the source document."


@pytest.fixture
def mismatch(followup: FollowUp, personas: Personas) -> OutcomeForm:
    """A baseline mRSS whose written total (20) differs from its grid (22)."""
    return enter(followup.baseline_a, "mrss", personas.nurse_a, total_reported=20, **mrss_sites(22))


def test_a_draft_raises_no_query(mismatch: OutcomeForm) -> None:
    assert not Query.objects.exists()


def test_completing_the_form_raises_one_query_at_the_field(
    mismatch: OutcomeForm, personas: Personas
) -> None:
    actions.complete_form(mismatch, by=personas.nurse_a)
    query = Query.objects.get()
    assert (query.form, query.field, query.rule, query.status) == (
        "mrss",
        "total_reported",
        "mrss_total_mismatch",
        "open",
    )
    assert query.raised_by is None
    with translation.override("en"):
        assert question(query) == (
            "The total on the source document (20) differs from the sum of the 17 sites (22)."
        )


def test_correcting_the_value_resolves_the_query(
    followup: FollowUp, mismatch: OutcomeForm, personas: Personas
) -> None:
    actions.complete_form(mismatch, by=personas.nurse_a)
    actions.save_form(
        followup.baseline_a,
        "mrss",
        by=personas.nurse_a,
        values={"total_reported": 22},
        reason=REASON,
    )
    query = Query.objects.get()
    assert query.status == "closed"
    assert [m.kind for m in query.messages.all()] == ["raise", "resolved"]


def test_a_query_closed_by_the_data_manager_is_not_raised_again_for_the_same_values(
    followup: FollowUp, mismatch: OutcomeForm, personas: Personas
) -> None:
    form = actions.complete_form(mismatch, by=personas.nurse_a)
    actions.close_query(Query.objects.get(), by=personas.data_manager_a, text="Source says 20.")
    actions.save_form(
        followup.baseline_a,
        "mrss",
        by=personas.nurse_a,
        values={"face": 2},
        reason=REASON,
        expected_version=form.version,
    )  # the grid now sums to 21: the values differ, so the check asks again
    assert Query.objects.filter(status="open").count() == 1
    assert Query.objects.count() == 2


def test_every_automatic_query_is_in_the_audit_trail_of_the_participant(
    followup: FollowUp, mismatch: OutcomeForm, personas: Personas
) -> None:
    from sclerocell.web.audit.models import AuditEvent

    actions.complete_form(mismatch, by=personas.nurse_a)
    events = AuditEvent.objects.for_participant(followup.recipient_a).filter(
        table_name="followup_query"
    )
    assert [e.action for e in events] == ["reconcile_rule_queries"]
    assert events[0].actor_username == "nurse_a"
