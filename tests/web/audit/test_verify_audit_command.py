"""``sclerocell verify-audit`` passes an intact chain and names every altered, deleted or
inserted row — after an attacker with the database owner's rights dropped the guard."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sclerocell.web.accounts.models import Site
from sclerocell.web.audit.chain import event_hash
from sclerocell.web.audit.context import audit_scope
from sclerocell.web.audit.models import AuditEvent
from sclerocell.web.audit.verify import TIMESTAMP_SQL
from tests.web.conftest import Personas

from .conftest import drop_the_guard, execute


def run(*args: str) -> tuple[int, list[str]]:
    out = io.StringIO()
    try:
        call_command("verify_audit", *args, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue().splitlines()
    return 0, out.getvalue().splitlines()


@pytest.fixture
def events(personas: Personas) -> list[AuditEvent]:
    """Five more events: two sites created, renamed, one deleted."""
    user = personas.data_manager_a
    with audit_scope(by=user, action="create_sites"):
        Site.objects.bulk_create([Site(number=91, name="Centre E"), Site(number=92, name="F")])
    with audit_scope(by=user, reason="official names", action="rename_sites"):
        Site.objects.filter(number__in=[91, 92]).update(name="Centre hospitalier")
    with audit_scope(by=user, reason="duplicate", action="delete_site"):
        Site.objects.filter(number=92).delete()
    return list(AuditEvent.objects.order_by("seq"))


def flip_one_byte(seq: int, column: str = "new_values") -> None:
    stored = AuditEvent.objects.values_list(column, flat=True).get(seq=seq)
    position = stored.index("Centre") + 1
    flipped = stored[:position] + chr(ord(stored[position]) ^ 0x01) + stored[position + 1 :]
    execute(f"UPDATE audit_event SET {column} = %s WHERE seq = %s", [flipped, seq])  # noqa: S608


def test_an_intact_chain_passes_and_prints_its_head(events: list[AuditEvent]) -> None:
    status, lines = run()

    head = events[-1]
    assert status == 0
    assert lines == [f"OK events={len(events)} head_seq={head.seq} head_hash={head.hash}"]


def test_flipping_one_byte_of_one_row_fails_and_names_that_row(
    events: list[AuditEvent],
) -> None:
    renamed = events[-2]  # the update of site 92: "Centre hospitalier"
    drop_the_guard()
    flip_one_byte(renamed.seq)

    status, lines = run()

    assert status == 1
    assert lines[0].startswith(f"ALTERED seq={renamed.seq}:")
    assert lines[1].startswith("FAILED problems=1 ")


def test_a_flipped_byte_in_the_old_values_is_named_too(events: list[AuditEvent]) -> None:
    deleted = events[-1]
    drop_the_guard()
    flip_one_byte(deleted.seq, "old_values")

    status, lines = run()

    assert (status, lines[0].split(":")[0]) == (1, f"ALTERED seq={deleted.seq}")


def test_a_deleted_row_is_named(events: list[AuditEvent]) -> None:
    victim = events[-3]
    drop_the_guard()
    execute("DELETE FROM audit_event WHERE seq = %s", [victim.seq])

    status, lines = run()

    assert status == 1
    assert lines[0].startswith(f"MISSING seq={victim.seq}:")
    assert len(lines) == 2


def test_a_forged_row_is_named(events: list[AuditEvent]) -> None:
    last = events[-1]
    drop_the_guard()
    execute(
        "INSERT INTO audit_event (seq, occurred_at, table_name, row_pk, participant_pk, "
        "operation, old_values, new_values, changed_fields, actor_id, actor_username, "
        "actor_role, reason, action, scope_id, channel, db_user, origin_address, "
        "origin_user_agent, prev_hash, hash) SELECT seq + 1, occurred_at, table_name, row_pk, "
        "participant_pk, operation, old_values, new_values, changed_fields, actor_id, "
        "'investigator_b', actor_role, reason, action, scope_id, channel, db_user, "
        "origin_address, origin_user_agent, hash, %s FROM audit_event WHERE seq = %s",
        ["f" * 64, last.seq],
    )

    status, lines = run()

    assert status == 1
    assert lines[0].startswith(f"ALTERED seq={last.seq + 1}:")


def test_a_row_forged_with_a_recomputed_hash_breaks_the_link_to_the_next(
    events: list[AuditEvent],
) -> None:
    """An attacker who knows the algorithm replaces a row: the next row no longer follows it."""
    victim, following = events[-3], events[-2]
    drop_the_guard()
    fields = [
        victim.seq,
        None,
        victim.table_name,
        victim.row_pk,
        victim.participant_pk,
        victim.operation,
        victim.old_values,
        victim.new_values,
        victim.changed_fields,
        victim.actor_id,
        "investigator_b",
        victim.actor_role,
        victim.reason,
        victim.action,
        victim.scope_id,
        victim.channel,
        victim.db_user,
        victim.origin_address,
        victim.origin_user_agent,
    ]
    with connection_cursor() as cursor:
        rendering = TIMESTAMP_SQL[cursor.db.vendor]
        cursor.execute(
            f"SELECT {rendering} FROM audit_event WHERE seq = %s",  # noqa: S608 - a constant
            [victim.seq],
        )
        fields[1] = cursor.fetchone()[0]
    execute(
        "UPDATE audit_event SET actor_username = 'investigator_b', hash = %s WHERE seq = %s",
        [event_hash(victim.prev_hash, fields), victim.seq],
    )

    status, lines = run()

    assert status == 1
    assert lines[0].startswith(f"BROKEN-LINK seq={following.seq}:")
    assert f"{victim.seq}" in lines[0]


def test_an_anchor_recorded_earlier_must_still_be_in_the_chain(
    events: list[AuditEvent],
) -> None:
    head = events[-1]
    assert run("--anchor", f"{head.seq}:{head.hash}")[0] == 0

    drop_the_guard()
    execute("DELETE FROM audit_event WHERE seq = %s", [head.seq])  # cut the tail
    status, lines = run("--anchor", f"{head.seq}:{head.hash}")

    assert status == 1
    assert lines[0].startswith(f"ANCHOR seq={head.seq}:")


def test_a_malformed_anchor_is_refused() -> None:
    with pytest.raises(CommandError):
        call_command("verify_audit", "--anchor", "12:abc")


def connection_cursor() -> object:
    from django.db import connection

    return connection.cursor()
