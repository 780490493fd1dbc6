from pathlib import Path

from piccolo.conf.apps import AppConfig

from src.domain.revenue.tables import Revenue

APP_CONFIG = AppConfig(
    app_name="revenue",
    migrations_folder_path=str(Path(__file__).resolve().parents[3] / "migrations" / "revenue"),
    table_classes=[Revenue],
    migration_dependencies=[],
    commands=[],
)
