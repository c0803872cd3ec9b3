"""Data migration trial 0003: participants included before ranks existed get one, in order."""

from __future__ import annotations

import importlib

from django.apps import apps

from sclerocell.web.audit.context import audit_scope
from sclerocell.web.trial.models import Enrolment, InclusionCounter
from tests.web.conftest import Personas
from tests.web.product import factories
from tests.web.trial.conftest import Trial, new_recipient

migration = importlib.import_module("sclerocell.web.trial.migrations.0003_backfill_inclusion_ranks")


def test_it_ranks_earlier_inclusions_by_date_and_sets_the_counters(
    trial: Trial, personas: Personas
) -> None:
    by = personas.investigator_a
    late, _ = factories.included_pair(trial.recipient_a, by, day=factories.D(2015, 5, 4))
    early, _ = factories.included_pair(trial.recipient_b, personas.investigator_b)
    third = new_recipient(personas.site_a, by)
    factories.included_pair(third, by, day=factories.D(2015, 6, 1))
    # As the database stood before 0002: inclusion dates, no ranks, no counters.
    with audit_scope(by=None, reason="test: the state before migration 0002", action="test"):
        Enrolment.objects.all().delete()
        InclusionCounter.objects.all().delete()

    migration.backfill(apps, None)

    ranks = dict(Enrolment.objects.filter(kind="recipient").values_list("participant", "rank"))
    assert [ranks[early.pk], ranks[late.pk], ranks[third.pk]] == [1, 2, 3]
    assert set(Enrolment.objects.values_list("dose_level", flat=True)) == {1, None}
    assert InclusionCounter.objects.get(kind="recipient").last_rank == 3
    assert InclusionCounter.objects.get(kind="donor").last_rank == 3


def test_the_eleventh_gets_the_second_dose_level() -> None:
    assert migration.level_of(10) == (1, 1e6)
    assert migration.level_of(11) == (2, 3e6)
