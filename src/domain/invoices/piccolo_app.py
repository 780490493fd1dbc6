from pathlib import Path

from piccolo.conf.apps import AppConfig

from src.domain.invoices.tables import Invoice, InvoiceSummary

APP_CONFIG = AppConfig(
    app_name="invoices",
    migrations_folder_path=str(Path(__file__).resolve().parents[3] / "migrations" / "invoices"),
    table_classes=[Invoice, InvoiceSummary],
    migration_dependencies=["src.domain.customers.piccolo_app"],
    commands=[],
)
