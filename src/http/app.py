"""create_app(): wiring only — routes, middleware, the error map, OpenAPI, lifespan."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import swagger_ui_bundle
from litestar import Litestar, Router
from litestar.config.compression import CompressionConfig
from litestar.datastructures import State
from litestar.middleware.base import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins import PluginProtocol
from litestar.plugins.core import MsgspecDIPlugin
from litestar.static_files import create_static_files_router

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


class _Litestar(Litestar):
    """Litestar without its pydantic plugins: the API's bodies are msgspec Structs, and the
    plugins would import pydantic (~100 ms of every cold start) because the back office, a
    separate FastAPI app, installs it."""

    @staticmethod
    def _get_default_plugins(plugins: list[PluginProtocol]) -> list[PluginProtocol]:
        plugins.append(MsgspecDIPlugin())
        return plugins


SWAGGER_DIR = Path(swagger_ui_bundle.swagger_ui_path)


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
                js_url="/static/swagger/swagger-ui-bundle.js",
                css_url="/static/swagger/swagger-ui.css",
                standalone_preset_js_url="/static/swagger/swagger-ui-standalone-preset.js",
                favicon="<link rel='icon' href='/static/swagger/favicon-32x32.png'>",
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
    swagger_assets = create_static_files_router(
        path="/static/swagger",
        directories=[SWAGGER_DIR],
        include_in_schema=False,
        cache_control=None,
    )
    handlers: list[Any] = [health, ready, api, admin, swagger_assets, frontend_root, frontend]
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
