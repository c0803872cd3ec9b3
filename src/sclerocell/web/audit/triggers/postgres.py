"""PostgreSQL: one generic row trigger function, the chain-append function and the guard.

``sclerocell_audit_row()`` serialises OLD/NEW with ``to_jsonb`` (so a column added or dropped
by a migration needs no new trigger) and reads the table's audit settings from its trigger
arguments: pk column, bookkeeping columns, participant column and foreign-key hops.

``sclerocell_audit_append()`` reads the context the application set for the transaction
(``sclerocell.audit_ctx``); without it, the change came from outside the application (direct SQL)
unless the connection says it is the application's (``sclerocell.app``, set when Django opens
it). It enforces the reason rule, takes the chain's advisory lock (held to commit, so concurrent
writers append one after the other), reads the last event, and inserts the next one with its
hash, computed exactly as ``chain.event_hash`` does.
"""

from __future__ import annotations

from typing import Any

from ..chain import GENESIS
from ..registry import AuditSpec

# An arbitrary constant naming the audit chain's advisory lock.
CHAIN_LOCK = 0x5C1E0A0D17
ROW_TRIGGER = "sclerocell_audit"

FIELD_FUNCTION = """
CREATE OR REPLACE FUNCTION sclerocell_audit_field(text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN $1 IS NULL THEN '-;' ELSE length($1)::text || ':' || $1 || ';' END
$$;
"""

APPEND_FUNCTION = """
CREATE OR REPLACE FUNCTION sclerocell_audit_append(
    p_table text, p_pk text, p_participant bigint, p_op text,
    p_old jsonb, p_new jsonb, p_bookkeeping text[]
) RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
  raw text := nullif(current_setting('sclerocell.audit_ctx', true), '');
  ctx jsonb;
  v_channel text;
  v_changed text;
  v_needs_reason boolean := false;
  v_seq bigint;
  v_prev text;
  v_ts timestamptz;
  v_actor_id bigint;
  v_hash text;
BEGIN
  IF p_op = 'update' THEN
    SELECT '[' || coalesce(string_agg(to_json(n.key)::text, ',' ORDER BY n.key COLLATE "C"), '')
             || ']',
           coalesce(bool_or(NOT (n.key = ANY (coalesce(p_bookkeeping, ARRAY[]::text[])))
                            AND (p_old ->> n.key) IS NOT NULL AND (p_old ->> n.key) <> ''), false)
      INTO v_changed, v_needs_reason
      FROM jsonb_each(p_new) AS n
     WHERE n.value IS DISTINCT FROM p_old -> n.key;
    IF v_changed = '[]' THEN
      RETURN;  -- an UPDATE that changes nothing is not an event
    END IF;
  ELSE
    SELECT '[' || coalesce(string_agg(to_json(n.key)::text, ',' ORDER BY n.key COLLATE "C"), '')
             || ']'
      INTO v_changed
      FROM jsonb_each(coalesce(p_new, p_old)) AS n;
    v_needs_reason := p_op = 'delete';
  END IF;

  IF raw IS NOT NULL THEN
    ctx := raw::jsonb;
    v_channel := 'action';
  ELSIF current_setting('sclerocell.app', true) = 'on' THEN
    ctx := '{}'::jsonb;
    v_channel := 'unscoped';
  ELSE
    ctx := jsonb_build_object(
      'actor_username', current_user::text,
      'reason', coalesce(current_setting('sclerocell.reason', true), ''));
    v_channel := 'direct_sql';
  END IF;
  IF v_channel <> 'direct_sql' AND v_needs_reason AND coalesce(ctx ->> 'reason', '') = '' THEN
    RAISE EXCEPTION 'sclerocell-audit: reason required to % row % of %', p_op, p_pk, p_table
      USING ERRCODE = 'check_violation';
  END IF;

  PERFORM pg_advisory_xact_lock(__CHAIN_LOCK__);
  SELECT e.seq, e.hash INTO v_seq, v_prev FROM audit_event AS e ORDER BY e.seq DESC LIMIT 1;
  v_seq := coalesce(v_seq, 0) + 1;
  v_prev := coalesce(v_prev, '__GENESIS__');
  v_ts := clock_timestamp();
  v_actor_id := (ctx ->> 'actor_id')::bigint;
  v_hash := encode(sha256(convert_to(v_prev || '|'
    || sclerocell_audit_field(v_seq::text)
    || sclerocell_audit_field(to_char(v_ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
    || sclerocell_audit_field(p_table)
    || sclerocell_audit_field(p_pk)
    || sclerocell_audit_field(p_participant::text)
    || sclerocell_audit_field(p_op)
    || sclerocell_audit_field(p_old::text)
    || sclerocell_audit_field(p_new::text)
    || sclerocell_audit_field(v_changed)
    || sclerocell_audit_field(v_actor_id::text)
    || sclerocell_audit_field(coalesce(ctx ->> 'actor_username', ''))
    || sclerocell_audit_field(coalesce(ctx ->> 'actor_role', ''))
    || sclerocell_audit_field(coalesce(ctx ->> 'reason', ''))
    || sclerocell_audit_field(coalesce(ctx ->> 'action', ''))
    || sclerocell_audit_field(coalesce(ctx ->> 'scope_id', ''))
    || sclerocell_audit_field(v_channel)
    || sclerocell_audit_field(session_user::text)
    || sclerocell_audit_field(coalesce(ctx ->> 'origin_address', ''))
    || sclerocell_audit_field(coalesce(ctx ->> 'origin_user_agent', '')), 'UTF8')), 'hex');

  INSERT INTO audit_event (
    seq, occurred_at, table_name, row_pk, participant_pk, operation, old_values, new_values,
    changed_fields, actor_id, actor_username, actor_role, reason, action, scope_id, channel,
    db_user, origin_address, origin_user_agent, prev_hash, hash
  ) VALUES (
    v_seq, v_ts, p_table, p_pk, p_participant, p_op, p_old::text, p_new::text,
    v_changed, v_actor_id, coalesce(ctx ->> 'actor_username', ''),
    coalesce(ctx ->> 'actor_role', ''), coalesce(ctx ->> 'reason', ''),
    coalesce(ctx ->> 'action', ''), coalesce(ctx ->> 'scope_id', ''), v_channel,
    session_user::text, coalesce(ctx ->> 'origin_address', ''),
    coalesce(ctx ->> 'origin_user_agent', ''), v_prev, v_hash
  );
END
$fn$;
""".replace("__CHAIN_LOCK__", str(CHAIN_LOCK)).replace("__GENESIS__", GENESIS)

# Arguments: 0 pk column, 1 bookkeeping columns (comma-separated), 2 participant column ('' for
# none), then groups of 4 per foreign-key hop: table, pk column, pk type, fk column.
ROW_FUNCTION = """
CREATE OR REPLACE FUNCTION sclerocell_audit_row() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  v_old jsonb;
  v_new jsonb;
  v_row jsonb;
  v_participant text;
  i integer := 3;
BEGIN
  IF TG_OP = 'INSERT' THEN
    v_new := to_jsonb(NEW); v_row := v_new;
  ELSIF TG_OP = 'UPDATE' THEN
    v_old := to_jsonb(OLD); v_new := to_jsonb(NEW); v_row := v_new;
  ELSE
    v_old := to_jsonb(OLD); v_row := v_old;
  END IF;
  IF TG_ARGV[2] <> '' THEN
    v_participant := v_row ->> TG_ARGV[2];
    WHILE i + 3 < TG_NARGS AND v_participant IS NOT NULL LOOP
      EXECUTE format('SELECT %I::text FROM %I WHERE %I = $1::%s',
                     TG_ARGV[i + 3], TG_ARGV[i], TG_ARGV[i + 1], TG_ARGV[i + 2])
         INTO v_participant USING v_participant;
      i := i + 4;
    END LOOP;
  END IF;
  PERFORM sclerocell_audit_append(
    TG_TABLE_NAME, v_row ->> TG_ARGV[0], v_participant::bigint, lower(TG_OP),
    v_old, v_new, string_to_array(nullif(TG_ARGV[1], ''), ','));
  RETURN NULL;
END
$fn$;
"""

GUARD_FUNCTION = """
CREATE OR REPLACE FUNCTION sclerocell_audit_guard() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  -- An event is inserted by sclerocell_audit_append, called from an audit trigger: depth 2.
  IF TG_OP = 'INSERT' AND pg_trigger_depth() > 1 THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'sclerocell-audit: the audit trail is append-only (% refused)', TG_OP
    USING ERRCODE = 'restrict_violation';
END
$fn$;
"""

GUARD_TRIGGERS = """
DROP TRIGGER IF EXISTS sclerocell_audit_guard ON audit_event;
CREATE TRIGGER sclerocell_audit_guard BEFORE INSERT OR UPDATE OR DELETE ON audit_event
  FOR EACH ROW EXECUTE FUNCTION sclerocell_audit_guard();
DROP TRIGGER IF EXISTS sclerocell_audit_guard_truncate ON audit_event;
CREATE TRIGGER sclerocell_audit_guard_truncate BEFORE TRUNCATE ON audit_event
  FOR EACH STATEMENT EXECUTE FUNCTION sclerocell_audit_guard();
"""


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def trigger_arguments(spec: AuditSpec, connection: Any) -> list[str]:
    path = spec.participant_path()
    args = [spec.pk_column, ",".join(spec.bookkeeping_columns()), path.column if path else ""]
    for hop in path.hops if path else ():
        args += [hop.table, hop.pk_column, str(hop.pk_field.rel_db_type(connection)), hop.fk_column]
    return args


def install(cursor: Any, connection: Any, specs: list[AuditSpec], tables: set[str]) -> None:
    for statement in (FIELD_FUNCTION, APPEND_FUNCTION, ROW_FUNCTION, GUARD_FUNCTION):
        cursor.execute(statement)
    cursor.execute(GUARD_TRIGGERS)
    quote = connection.ops.quote_name
    wanted = {spec.table for spec in specs if spec.table in tables}
    cursor.execute(
        "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE t.tgname = %s AND c.relnamespace = to_regnamespace(current_schema())::oid",
        [ROW_TRIGGER],
    )
    for (stale,) in cursor.fetchall():
        if stale not in wanted:
            cursor.execute(f"DROP TRIGGER IF EXISTS {ROW_TRIGGER} ON {quote(stale)}")
    for spec in specs:
        if spec.table not in tables:
            continue  # not migrated yet; the next post_migrate installs it
        args = ", ".join(_literal(a) for a in trigger_arguments(spec, connection))
        cursor.execute(f"DROP TRIGGER IF EXISTS {ROW_TRIGGER} ON {quote(spec.table)}")
        cursor.execute(
            f"CREATE TRIGGER {ROW_TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON "
            f"{quote(spec.table)} FOR EACH ROW EXECUTE FUNCTION sclerocell_audit_row({args})"
        )


def uninstall(cursor: Any, connection: Any) -> None:
    """Remove every audit trigger (the functions stay; they are harmless without triggers)."""
    quote = connection.ops.quote_name
    cursor.execute(
        "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE t.tgname LIKE 'sclerocell_audit%%' "
        "AND c.relnamespace = to_regnamespace(current_schema())::oid"
    )
    for table, name in cursor.fetchall():
        cursor.execute(f"DROP TRIGGER IF EXISTS {quote(name)} ON {quote(table)}")


def connection_setup(connection: Any) -> None:
    """Tell the triggers that writes on this connection come from the application."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('sclerocell.app', 'on', false)")
