from piccolo.columns import UUID, Timestamptz, Varchar
from piccolo.columns.readable import Readable
from piccolo.table import Table


class Customer(Table, tablename="customers"):
    id = UUID(primary_key=True)
    name = Varchar(length=255, required=True)
    # Unique case-insensitively through the lower(email) index made by the migration.
    email = Varchar(length=255, required=True)
    image_url = Varchar(length=255, null=True, default=None)
    created_at = Timestamptz()
    # Also set by a trigger on every UPDATE, whoever writes (ETags rely on it).
    updated_at = Timestamptz()

    @classmethod
    def get_readable(cls) -> Readable:
        """How a customer appears where an invoice points at one (the back office)."""
        return Readable(template="%s", columns=[cls.name])
