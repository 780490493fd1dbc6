"""A customer's page: their invoices (paginated, newest first) and their statement."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Controller, Request, get
from litestar.params import FromPath

from src.domain.customers.repository import NOT_FOUND
from src.domain.invoices.repository import InvoicePage
from src.domain.statements import Statement, customer_invoices, statement
from src.http.auth import app_settings
from src.http.openapi import errors
from src.http.params import PageNumber, PageSize, parse_id


class CustomerPageController(Controller):
    path = "/customers/{customer_id:str}"
    tags = ["customers"]

    @get("/invoices", summary="A customer's invoices, newest first", responses=errors(404))
    async def invoices_of_customer(
        self, customer_id: FromPath[str], page: PageNumber = 1, page_size: PageSize = 10
    ) -> InvoicePage:
        return await customer_invoices(parse_id(customer_id, NOT_FOUND), page, page_size)

    @get(
        "/statement",
        summary="What the customer owes by age, and what they paid",
        responses=errors(404),
    )
    async def customer_statement(
        self, request: Request[Any, Any, Any], customer_id: FromPath[str]
    ) -> Statement:
        today = dt.datetime.now(app_settings(request).zone).date()
        return await statement(parse_id(customer_id, NOT_FOUND), today)
