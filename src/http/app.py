"""create_app(): wiring only — routes, middleware, the error map, OpenAPI, lifespan."""

from __future__ import annotations

import logging
from collections import Counter
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
from src.http.admin.mount import admin
from src.http.audit import ActorMiddleware, HistoryController
from src.http.auth import AUTH_EXCLUDE, SESSION_COOKIE, AuthController, SessionMiddleware
from src.http.avatars import AvatarController
from src.http.body import StrictBody
from src.http.customer_pages import CustomerPageController
from src.http.customers.controller import CustomerController
from src.http.dashboard import DashboardController
from src.http.errors import EXCEPTION_HANDLERS
from src.http.exports import ExportController
from src.http.health import health, ready
from src.http.imports import ImportController
from src.http.inflight import InFlightLimit
from src.http.invoices.controller import InvoiceController
from src.http.keys import KeyController
from src.http.options import correct_allow, record_allowed_methods
from src.http.params import RejectUnclearParameters
from src.http.paths import RejectUnreadablePaths
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
            " Scripts should use an API key instead (`Authorization: Bearer acme_…`, see the"
            " apiKey scheme): every change is recorded in the audit trail under its name."
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
                "apiKey": SecurityScheme(
                    type="http",
                    scheme="bearer",
                    bearer_format="acme_<secret>",
                    description=(
                        "An API key made at /dashboard/settings/api-keys or POST /api/keys, sent as"
                        " `Authorization: Bearer acme_…`. Scope `read`: GET only (anything else"
                        " answers 403 naming the scope); `write`: everything a user may do except"
                        " managing API keys and their password. Rate-limited per key (429 with"
                        " Retry-After); revoked or expired keys answer 401. Never a browser session"
                        " or a back-office login."
                    ),
                ),
            }
        ),
        # No global security: each operation behind a session states it (API_SECURITY), so
        # login, /health and /ready are documented as open, as they are.
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
            ExportController,
            ImportController,
            AvatarController,
            CustomerPageController,
            HistoryController,
            KeyController,
        ],
        middleware=[
            # Parameters that say two things are refused before anything else is done.
            RejectUnclearParameters,
            # Then the per-client bound (no database work for a request past it), then auth.
            DefineMiddleware(
                InFlightLimit,
                limit=settings.client_max_in_flight,
                session_cookie=SESSION_COOKIE,
                in_flight=Counter(),
            ),
            DefineMiddleware(SessionMiddleware, exclude=AUTH_EXCLUDE),
            # The actor of the request reaches the audit trail through every write.
            ActorMiddleware(),
        ],
    )
    handlers: list[Any] = [health, ready, api, admin, frontend_root, frontend]
    app = _Litestar(
        route_handlers=handlers,
        middleware=[RejectUnreadablePaths, check_host(settings)],
        before_send=[security_headers(settings), correct_allow],
        exception_handlers=EXCEPTION_HANDLERS,
        openapi_config=_openapi(),
        # CSV exports stream uncompressed: gzip at this level would cost more time than the export.
        compression_config=CompressionConfig(
            backend="gzip", minimum_size=1024, exclude_opt_key="no_compression"
        ),
        on_startup=[on_startup] if manage_database else [],
        on_shutdown=[on_shutdown] if manage_database else [],
        debug=False,
        # Logging is set up once by src.observability (JSON in Lambda, human lines locally).
        logging_config=None,
        state=State({"settings": settings}),
        request_max_body_size=64 * 1024,
        # Every handler's `data: JSONBody[Model]` is decoded strictly by one mechanism (see
        # src.http.body); answers are encoded as they are.
        dto=StrictBody,
        return_dto=None,
    )
    record_allowed_methods(app)
    return app
