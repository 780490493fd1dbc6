from __future__ import annotations

from litestar import Controller, get

from src.domain.dashboard.repository import Dashboard, DashboardRepository
from src.http.openapi import API_SECURITY, errors


class DashboardController(Controller):
    path = "/dashboard"
    tags = ["dashboard"]
    security = API_SECURITY

    @get(
        "/", summary="Cards, revenue and the latest invoices in one round trip", responses=errors()
    )
    async def overview(self) -> Dashboard:
        return await DashboardRepository().overview()
