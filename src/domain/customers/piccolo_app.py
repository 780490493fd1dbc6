from pathlib import Path

from piccolo.conf.apps import AppConfig

from src.domain.customers.tables import Customer

APP_CONFIG = AppConfig(
    app_name="customers",
    migrations_folder_path=str(Path(__file__).resolve().parents[3] / "migrations" / "customers"),
    table_classes=[Customer],
    migration_dependencies=[],
    commands=[],
)
