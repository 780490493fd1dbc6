"""create_app(): wiring only — routes, middleware, the error map, OpenAPI, lifespan."""

from __future__ import annotations

import logging
from typing import Any

from litestar import Litestar, Router
from litestar.config.compression import CompressionConfig
from litestar.datastructures import State
from litestar.middleware.base import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins import PluginProtocol
from litestar.plugins.core import MsgspecDIPlugin

from src.db import close_pool, configure_database, open_pool, stop_embedded
from src.domain import calendar
from src.http.admin_mount import admin
from src.http.auth import AUTH_EXCLUDE, AuthController, SessionMiddleware
from src.http.customers.controller import CustomerController
from src.http.dashboard import DashboardController
from src.http.errors import EXCEPTION_HANDLERS
from src.http.health import health, ready
from src.http.invoices.controller import InvoiceController
from src.http.payments import PaymentController
from src.http.security import check_host, security_headers
from src.http.static import frontend, frontend_root
from src.settings import Settings, get_settings

log = logging.getLogger("src.http.app")

# Swagger UI 5 (npm swagger-ui-dist, renders OpenAPI 3.1) is copied into the frontend build at
# /swagger/ and served with it: by src/http/static.py locally, by the static site in production.
SWAGGER = "/swagger"


class _Litestar(Litestar):
    """Litestar without its pydantic plugins: the API's bodies are msgspec Structs, and the
    plugins would import pydantic (~100 ms of every cold start) because the back office, a
    separate FastAPI app, installs it."""

    @staticmethod
    def _get_default_plugins(plugins: list[PluginProtocol]) -> list[PluginProtocol]:
        plugins.append(MsgspecDIPlugin())
        return plugins


def _openapi() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="Acme Dashboard API",
        version="1.0.0",
        description=(
            "Invoices, customers and the dashboard overview. Money is integer cents; fields are"
            " camelCase. Log in with POST /api/auth/login, then send the token as"
            " `Authorization: Bearer <token>` (or use the session cookie with X-CSRF-Token)."
        ),
        path="/schema",
        render_plugins=[
            SwaggerRenderPlugin(
                path="/",
                js_url=f"{SWAGGER}/swagger-ui-bundle.js",
                css_url=f"{SWAGGER}/swagger-ui.css",
                standalone_preset_js_url=f"{SWAGGER}/swagger-ui-standalone-preset.js",
                favicon=f"<link rel='icon' href='{SWAGGER}/favicon-32x32.png'>",
            )
        ],
        components=Components(
            security_schemes={
                "bearer": SecurityScheme(
                    type="http", scheme="bearer", description="Token from POST /api/auth/login"
                ),
                "cookie": SecurityScheme(
                    type="apiKey", name="acme_session", security_scheme_in="cookie"
                ),
            }
        ),
        security=[{"bearer": []}, {"cookie": []}],
    )


def create_app(settings: Settings | None = None, manage_database: bool = True) -> Litestar:
    """The ASGI app. With `manage_database`, start-up points the engine at the database and
    opens the pool (and stops an embedded server at shutdown)."""
    settings = settings or get_settings()

    calendar.use_zone(settings.zone)

    async def on_startup() -> None:
        configure_database(settings)
        await open_pool(settings)

    async def on_shutdown() -> None:
        await close_pool()
        stop_embedded()

    api = Router(
        path="/api",
        route_handlers=[
            AuthController,
            DashboardController,
            InvoiceController,
            PaymentController,
            CustomerController,
        ],
        middleware=[DefineMiddleware(SessionMiddleware, exclude=AUTH_EXCLUDE)],
    )
    handlers: list[Any] = [health, ready, api, admin, frontend_root, frontend]
    return _Litestar(
        route_handlers=handlers,
        before_send=[security_headers(settings)],
        middleware=[check_host(settings)],
        exception_handlers=EXCEPTION_HANDLERS,
        openapi_config=_openapi(),
        compression_config=CompressionConfig(backend="gzip", minimum_size=1024),
        on_startup=[on_startup] if manage_database else [],
        on_shutdown=[on_shutdown] if manage_database else [],
        debug=False,
        # Logging is set up once by src.observability (JSON in Lambda, human lines locally).
        logging_config=None,
        state=State({"settings": settings}),
        request_max_body_size=64 * 1024,
    )
