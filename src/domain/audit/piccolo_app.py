from pathlib import Path

from piccolo.conf.apps import AppConfig

from src.domain.audit.tables import AuditEntry

APP_CONFIG = AppConfig(
    app_name="audit",
    migrations_folder_path=str(Path(__file__).resolve().parents[3] / "migrations" / "audit"),
    table_classes=[AuditEntry],
    # Its migration puts triggers on these apps' tables.
    migration_dependencies=[
        "src.domain.users.piccolo_app",
        "src.domain.customers.piccolo_app",
        "src.domain.invoices.piccolo_app",
    ],
    commands=[],
)
