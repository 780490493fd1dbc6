from piccolo.columns import UUID, ForeignKey, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from src.domain.users.tables import User


class ApiKey(Table, tablename="api_keys"):
    id = UUID(primary_key=True)
    user_id = ForeignKey(User, on_delete=OnDelete.cascade, null=False)
    name = Varchar(length=100, required=True)
    scope = Varchar(length=5)  # read | write
    # SHA-256 of the secret; the secret is shown once at creation and never stored.
    secret_hash = Varchar(length=64, secret=True, unique=True)
    hint = Varchar(length=4)
    created_at = Timestamptz()
    expires_at = Timestamptz(null=True, default=None)
    last_used_at = Timestamptz(null=True, default=None)
