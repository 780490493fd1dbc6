from __future__ import annotations

from typing import Any

from litestar import MediaType, Response, get
from litestar.status_codes import HTTP_200_OK, HTTP_503_SERVICE_UNAVAILABLE

from src.db import DATABASE_DOWN
from src.domain.sql import fetch_one
from src.http.errors import UNAVAILABLE


@get("/health", tags=["health"], summary="Liveness: the process answers (no database)")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@get("/ready", tags=["health"], summary="Readiness: the database answers SELECT 1")
async def ready() -> Response[dict[str, Any]]:
    try:
        await fetch_one("SELECT 1 AS ok")
    except DATABASE_DOWN:
        return Response(
            {"status": "unavailable", "detail": UNAVAILABLE},
            status_code=HTTP_503_SERVICE_UNAVAILABLE,
            media_type=MediaType.JSON,
        )
    return Response({"status": "ok"}, status_code=HTTP_200_OK)
