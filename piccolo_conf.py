from piccolo.conf.apps import AppRegistry

from src.db import DB

__all__ = ["APP_REGISTRY", "DB"]

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
