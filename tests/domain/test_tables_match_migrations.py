"""tables.py is the schema a newcomer reads: every column the queries use is declared there, and
Piccolo's migration autodetection still finds nothing to do (the SQL migrations made them)."""

from __future__ import annotations

import pytest
from piccolo.apps.migrations.commands.new import AutoMigrationManager
from piccolo.conf.apps import Finder

from src.domain.customers.tables import Customer
from src.domain.invoices.tables import InvoiceSummary
from src.domain.sql import fetch, fetch_one


@pytest.mark.parametrize("app_name", ["customers", "invoices", "revenue", "users"])
async def test_autodetection_finds_no_change(app_name: str) -> None:
    app_config = Finder().get_app_config(app_name)
    statements = await AutoMigrationManager().get_alter_statements(app_config)
    assert [s.statements for s in statements if s.statements] == []


async def test_declared_columns_exist_in_the_database(db: None) -> None:
    rows = await fetch(
        "SELECT table_name, column_name FROM information_schema.columns"
        " WHERE table_schema = 'public' AND table_name IN ('customers', 'invoice_summary')"
    )
    present = {(r["table_name"], r["column_name"]) for r in rows}
    for column in (Customer.search_key, InvoiceSummary.paid_count, InvoiceSummary.pending_count):
        assert (column._meta.table._meta.tablename, column._meta.db_column_name) in present


async def test_the_generated_key_is_never_written_by_piccolo(db: None) -> None:
    customer = Customer(name="Zoë Ångström", email="ZOE@Example.com", email_key="zoe@example.com")
    await customer.save()
    await Customer.update({Customer.name: "Zoë Å"}).where(Customer.id == customer.id)
    row = await fetch_one("SELECT search_key FROM customers WHERE id = {}", customer.id)
    assert row == {"search_key": "zoë å\x1fzoe@example.com"}
    found = await Customer.select(Customer.id).where(Customer.search_key.like("%zoe@%"))
    assert found == [{"id": customer.id}]
