"""Piccolo's configuration: the engine (src/db.py) and the apps whose migrations it runs.

The app configures the engine at start-up from the settings create_app was given; only when
nothing has (Piccolo's own CLI: `piccolo migrations forwards all`) is it pointed at the
environment's DATABASE_URL here.
"""

from piccolo.conf.apps import AppRegistry

from src.db import DB, configure_unless_configured
from src.settings import get_settings

__all__ = ["APP_REGISTRY", "DB"]

configure_unless_configured(get_settings)

APP_REGISTRY = AppRegistry(
    apps=[
        "src.domain.users.piccolo_app",
        "src.domain.customers.piccolo_app",
        "src.domain.invoices.piccolo_app",
        "src.domain.revenue.piccolo_app",
        "src.domain.audit.piccolo_app",
        "src.domain.keys.piccolo_app",
        "piccolo.apps.user.piccolo_app",
        "piccolo_api.session_auth.piccolo_app",
    ]
)
