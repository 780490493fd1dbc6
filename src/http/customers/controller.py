from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from src.domain.customers.repository import (
    CHANGED,
    NOT_FOUND,
    CustomerOption,
    CustomerOut,
    CustomerPage,
    CustomerRepository,
)
from src.http.body import read_body
from src.http.customers.dto import CustomerCreate, CustomerPatch, CustomerUpdate
from src.http.etag import parse_if_match, with_etag
from src.http.idempotency import IDEMPOTENT
from src.http.openapi import errors
from src.http.params import IfMatch, Limit, PageNumber, PageSize, Query, parse_id


class CustomerController(Controller):
    path = "/customers"
    tags = ["customers"]

    @get("/", summary="Search customers by name or email, with invoice totals", responses=errors())
    async def list_customers(
        self, search: Query = "", page: PageNumber = 1, page_size: PageSize = 10
    ) -> CustomerPage:
        return await CustomerRepository().search(search, page, page_size)

    @get("/options", summary="Customer picker: search as you type", responses=errors())
    async def customer_options(self, search: Query = "", limit: Limit = 20) -> list[CustomerOption]:
        return await CustomerRepository().options(search, limit)

    @get(
        "/{customer_id:str}",
        summary="One customer with invoice totals (with an ETag)",
        responses=errors(404),
    )
    async def get_customer(self, customer_id: FromPath[str]) -> Response[CustomerOut]:
        return with_etag(await CustomerRepository().get(parse_id(customer_id, NOT_FOUND)))

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        opt={"body_model": CustomerCreate},
        middleware=[IDEMPOTENT],
        summary="Create a customer (honours Idempotency-Key)",
        responses=errors(409, 422),
    )
    async def create_customer(
        self, request: Request[Any, Any, Any], data: JSONBody[CustomerCreate]
    ) -> Response[CustomerOut]:
        body = await read_body(request, CustomerCreate)
        customer = await CustomerRepository().create(
            body.name.strip(), body.email.strip(), body.image_url
        )
        return with_etag(customer, HTTP_201_CREATED)

    @put(
        "/{customer_id:str}",
        opt={"body_model": CustomerUpdate},
        summary="Replace a customer",
        responses=errors(404, 409, 412),
    )
    async def replace_customer(
        self,
        request: Request[Any, Any, Any],
        customer_id: FromPath[str],
        data: JSONBody[CustomerUpdate],
        if_match: IfMatch = None,
    ) -> Response[CustomerOut]:
        return await self._update(request, customer_id, CustomerUpdate, if_match)

    @patch(
        "/{customer_id:str}",
        opt={"body_model": CustomerPatch, "partial": True},
        summary="Change any of name, email, imageUrl",
        responses=errors(404, 409, 412),
    )
    async def patch_customer(
        self,
        request: Request[Any, Any, Any],
        customer_id: FromPath[str],
        data: JSONBody[CustomerPatch],
        if_match: IfMatch = None,
    ) -> Response[CustomerOut]:
        return await self._update(request, customer_id, CustomerPatch, if_match, partial=True)

    async def _update(
        self,
        request: Request[Any, Any, Any],
        customer_id: FromPath[str],
        model: type[CustomerUpdate] | type[CustomerPatch],
        if_match: str | None,
        partial: bool = False,
    ) -> Response[CustomerOut]:
        uid = parse_id(customer_id, NOT_FOUND)
        body = await read_body(request, model, partial=partial)
        changes = {
            k: v.strip() if isinstance(v, str) and k != "image_url" else v
            for k, v in msgspec.structs.asdict(body).items()
            if v is not msgspec.UNSET
        }
        expected = parse_if_match(if_match, CHANGED)
        return with_etag(await CustomerRepository().update(uid, changes, expected))

    @delete(
        "/{customer_id:str}",
        status_code=HTTP_204_NO_CONTENT,
        summary="Delete a customer and their invoices",
        responses=errors(404),
    )
    async def delete_customer(self, customer_id: FromPath[str]) -> Response[None]:
        await CustomerRepository().delete(parse_id(customer_id, NOT_FOUND))
        return Response(None, status_code=HTTP_204_NO_CONTENT)
