from piccolo.columns import JSONB, BigSerial, Timestamptz, Varchar
from piccolo.table import Table


class AuditEntry(Table, tablename="audit_log"):
    """One recorded change. Written only by the database's triggers; never updated or deleted
    (except by the retention prune)."""

    id = BigSerial(primary_key=True)
    at = Timestamptz(help_text="When the change was made (UTC).")
    actor_kind = Varchar(length=10, help_text="user, staff, apiKey or system.")
    actor_id = Varchar(length=64, null=True, default=None)
    actor_name = Varchar(length=255, help_text="Who made the change.")
    table_name = Varchar(length=63, help_text="customers, invoices, users, ...")
    row_id = Varchar(length=64, help_text="The id of the changed row.")
    action = Varchar(length=7, help_text="created, updated or deleted.")
    changes = JSONB(help_text='Changed fields: {"field": {"before": ..., "after": ...}}.')
