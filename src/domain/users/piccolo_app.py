from pathlib import Path

from piccolo.conf.apps import AppConfig

from src.domain.users.tables import LoginAttempt, User, UserSession

APP_CONFIG = AppConfig(
    app_name="users",
    migrations_folder_path=str(Path(__file__).resolve().parents[3] / "migrations" / "users"),
    table_classes=[User, UserSession, LoginAttempt],
    migration_dependencies=[],
    commands=[],
)
