"""The audit trail: every create, update and delete of audited tables, recorded by triggers.

The database is the one place every path meets (the API, the back office, the CLI, imports), so
the trail is written there, in the same transaction as the change. Who made it comes from the
transaction-local setting `app.actor` (JSON: kind, id, name) that the application sets; a write
without it is recorded as the system's.

- `audit_attach('<table>', '<secret column>', ...)` puts the three triggers on a table: one line
  in a migration audits a new table (its primary key must be called `id`). Secret columns are
  named in "changed" when their value changes, never with their values.
- Statement-level triggers with transition tables: a bulk COPY costs one INSERT ... SELECT.
- Append-only: updates, deletes and TRUNCATE of audit_log raise, except inside audit_prune()
  (the one way to remove entries, for the retention setting). The recording and pruning
  functions are SECURITY DEFINER, so the application's role needs no write privilege on the
  table at all; UPDATE, DELETE and TRUNCATE are revoked from PUBLIC and from `acme_app` when
  that role exists.
"""

from migrations.sql_v1 import sql_forwards

ID = "2026-11-28T12:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "audit trail rules and triggers"

STATEMENTS = [
    # The table itself comes from the previous migration (Piccolo's, from tables.py).
    "ALTER TABLE audit_log ALTER COLUMN at SET DEFAULT clock_timestamp()",
    "ALTER TABLE audit_log ADD CONSTRAINT audit_log_actor_kind"
    " CHECK (actor_kind IN ('user', 'staff', 'apiKey', 'system'))",
    "ALTER TABLE audit_log ADD CONSTRAINT audit_log_action"
    " CHECK (action IN ('created', 'updated', 'deleted'))",
    # One row's history, newest first, from the index alone up to the heap fetch of the page.
    "CREATE INDEX audit_log_row_idx ON audit_log (table_name, row_id, id DESC)",
    # Date filters in the back office, and the retention prune. Entries arrive in time order, so
    # a BRIN index serves both at almost no cost per write (a b-tree here cost every write more).
    "CREATE INDEX audit_log_at_idx ON audit_log USING brin (at)",
    # What changed, as {"before": {...}, "after": {...}} holding only the changed fields (the
    # whole row, less `skip`, on a create or a delete), and {"changed": [...]} naming secret
    # columns whose value changed. NULL when an update changed nothing. Creates and deletes are
    # one jsonb subtraction, so a bulk load stays cheap; only updates compare field by field.
    """
    CREATE FUNCTION audit_changes(before jsonb, after jsonb, secret text[], skip text[])
    RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$
    DECLARE
        b jsonb;
        a jsonb;
        changed text[];
        result jsonb;
    BEGIN
        IF before IS NULL THEN
            RETURN jsonb_build_object('after', after - skip - secret);
        ELSIF after IS NULL THEN
            RETURN jsonb_build_object('before', before - skip - secret);
        END IF;
        SELECT coalesce(jsonb_object_agg(o.key, o.value) FILTER (WHERE NOT o.key = ANY (secret)),
                        '{}'),
               coalesce(jsonb_object_agg(n.key, n.value) FILTER (WHERE NOT n.key = ANY (secret)),
                        '{}'),
               array_agg(n.key ORDER BY n.key) FILTER (WHERE n.key = ANY (secret))
          INTO b, a, changed
          FROM jsonb_each(before) o JOIN jsonb_each(after) n ON n.key = o.key
         WHERE o.value IS DISTINCT FROM n.value AND NOT o.key = ANY (skip);
        IF a = '{}' AND changed IS NULL THEN
            RETURN NULL;
        END IF;
        result := jsonb_build_object('before', b, 'after', a);
        IF changed IS NOT NULL THEN
            result := result || jsonb_build_object('changed', to_jsonb(changed));
        END IF;
        RETURN result;
    END $$
    """,
    """
    CREATE FUNCTION audit_record() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    DECLARE
        actor jsonb := coalesce(nullif(current_setting('app.actor', true), '')::jsonb,
                                '{"kind": "system", "id": null, "name": "System"}');
        kind text := coalesce(actor ->> 'kind', 'system');
        who text := left(coalesce(nullif(actor ->> 'name', ''), kind), 255);
        who_id text := left(actor ->> 'id', 64);
        secret text[] := coalesce(TG_ARGV, '{}');  -- NULL when the trigger has no arguments
        -- The id, the timestamps and generated columns (search keys) follow from the rest: not
        -- changes of their own.
        skip text[] := ARRAY['id', 'created_at', 'updated_at']
                       || ARRAY(SELECT attname::text FROM pg_attribute
                                 WHERE attrelid = TG_RELID AND attgenerated <> '');
    BEGIN
        IF TG_OP = 'INSERT' THEN
            INSERT INTO audit_log (actor_kind, actor_id, actor_name, table_name, row_id, action, changes)
            SELECT kind, who_id, who, TG_TABLE_NAME, r ->> 'id', 'created',
                   audit_changes(NULL, r, secret, skip)
              FROM (SELECT to_jsonb(n) AS r FROM new_rows n) x;
        ELSIF TG_OP = 'DELETE' THEN
            INSERT INTO audit_log (actor_kind, actor_id, actor_name, table_name, row_id, action, changes)
            SELECT kind, who_id, who, TG_TABLE_NAME, r ->> 'id', 'deleted',
                   audit_changes(r, NULL, secret, skip)
              FROM (SELECT to_jsonb(o) AS r FROM old_rows o) x;
        ELSE
            INSERT INTO audit_log (actor_kind, actor_id, actor_name, table_name, row_id, action, changes)
            SELECT kind, who_id, who, TG_TABLE_NAME, row_id, 'updated', changes
              FROM (SELECT n.id::text AS row_id,
                           audit_changes(to_jsonb(o), to_jsonb(n), secret, skip) AS changes
                      FROM old_rows o JOIN new_rows n ON n.id = o.id) x
             WHERE changes IS NOT NULL;
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION audit_attach(target regclass, VARIADIC secret text[] DEFAULT '{}')
    RETURNS void LANGUAGE plpgsql AS $$
    DECLARE
        name text := (SELECT relname FROM pg_class WHERE oid = target);
        args text := (SELECT coalesce(string_agg(quote_literal(s), ', '), '') FROM unnest(secret) s);
    BEGIN
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION audit_record(%s)',
                       name || '_audit_insert', target, args);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %s'
                       ' REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION audit_record(%s)',
                       name || '_audit_update', target, args);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION audit_record(%s)',
                       name || '_audit_delete', target, args);
    END $$
    """,
    """
    CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' AND current_setting('app.audit_prune', true) = 'on' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'the audit trail is append-only: % of audit_log refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END $$
    """,
    """
    CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()
    """,
    """
    CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()
    """,
    """
    CREATE FUNCTION audit_prune(older_than timestamptz) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    DECLARE
        removed bigint;
    BEGIN
        PERFORM set_config('app.audit_prune', 'on', true);
        DELETE FROM audit_log WHERE at < older_than;
        GET DIAGNOSTICS removed = ROW_COUNT;
        PERFORM set_config('app.audit_prune', '', true);
        RETURN removed;
    END $$
    """,
    "REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC",
    # Only the owner (the migrator, an operator's CLI) may prune: not the application's role.
    "REVOKE EXECUTE ON FUNCTION audit_prune(timestamptz) FROM PUBLIC",
    """
    DO $$ BEGIN
        IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'acme_app') THEN
            REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM acme_app;
        END IF;
    END $$
    """,
    "SELECT audit_attach('customers')",
    "SELECT audit_attach('invoices')",
    "SELECT audit_attach('users', 'password')",
]


forwards = sql_forwards(ID, "audit", DESCRIPTION, STATEMENTS)
