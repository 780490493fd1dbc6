from pathlib import Path

from piccolo.conf.apps import AppConfig

from src.domain.keys.tables import ApiKey

APP_CONFIG = AppConfig(
    app_name="keys",
    migrations_folder_path=str(Path(__file__).resolve().parents[3] / "migrations" / "keys"),
    table_classes=[ApiKey],
    migration_dependencies=["src.domain.users.piccolo_app"],
    commands=[],
)
