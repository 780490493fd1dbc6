from __future__ import annotations

import msgspec
from litestar import Controller, Response, delete, get, patch, post, put
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
from src.http.customers.dto import CustomerCreate, CustomerPatch, CustomerUpdate
from src.http.etag import parse_if_match, with_etag
from src.http.idempotency import IDEMPOTENT
from src.http.openapi import API_SECURITY, errors
from src.http.params import IfMatch, Limit, PageNumber, PageSize, Query, parse_id


class CustomerController(Controller):
    path = "/customers"
    tags = ["customers"]
    security = API_SECURITY

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
        middleware=[IDEMPOTENT],
        summary="Create a customer (honours Idempotency-Key)",
        responses=errors(409, 415, 422),
    )
    async def create_customer(self, data: JSONBody[CustomerCreate]) -> Response[CustomerOut]:
        customer = await CustomerRepository().create(
            data.name.strip(), data.email.strip(), data.image_url
        )
        return with_etag(customer, HTTP_201_CREATED)

    @put(
        "/{customer_id:str}",
        summary="Replace a customer",
        responses=errors(404, 409, 412, 415),
    )
    async def replace_customer(
        self, customer_id: FromPath[str], data: JSONBody[CustomerUpdate], if_match: IfMatch = None
    ) -> Response[CustomerOut]:
        return await _update(customer_id, data, if_match)

    @patch(
        "/{customer_id:str}",
        summary="Change any of name, email, imageUrl",
        responses=errors(404, 409, 412, 415),
    )
    async def patch_customer(
        self, customer_id: FromPath[str], data: JSONBody[CustomerPatch], if_match: IfMatch = None
    ) -> Response[CustomerOut]:
        return await _update(customer_id, data, if_match)

    @delete(
        "/{customer_id:str}",
        status_code=HTTP_204_NO_CONTENT,
        summary="Delete a customer and their invoices",
        responses=errors(404, no_content=True),
    )
    async def delete_customer(self, customer_id: FromPath[str]) -> Response[None]:
        await CustomerRepository().delete(parse_id(customer_id, NOT_FOUND))
        return Response(None, status_code=HTTP_204_NO_CONTENT)


async def _update(
    customer_id: str, body: CustomerUpdate | CustomerPatch, if_match: str | None
) -> Response[CustomerOut]:
    uid = parse_id(customer_id, NOT_FOUND)
    expected = parse_if_match(if_match, CHANGED)
    changes = {
        k: v.strip() if isinstance(v, str) and k != "image_url" else v
        for k, v in msgspec.structs.asdict(body).items()
        if v is not msgspec.UNSET
    }
    return with_etag(await CustomerRepository().update(uid, changes, expected))
