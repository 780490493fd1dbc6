"""Customer avatars: upload (PUT the image itself), remove, and the thumbnails the app serves."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from litestar import Controller, Request, Response, delete, get, put
from litestar.exceptions import HTTPException, NotFoundException
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import (
    OpenAPIFormat,
    OpenAPIMediaType,
    OpenAPIType,
    Operation,
    RequestBody,
    Schema,
)
from litestar.params import FromPath
from litestar.status_codes import (
    HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    HTTP_415_UNSUPPORTED_MEDIA_TYPE,
)

from src.domain.avatars import MAX_UPLOAD_BYTES, TOO_BIG, key_for, remove_avatar, set_avatar
from src.domain.customers.repository import NOT_FOUND, CustomerOut
from src.domain.errors import FieldError, ValidationError
from src.domain.storage import StoredFile, storage
from src.http.auth import app_settings
from src.http.etag import with_etag
from src.http.openapi import COMMON, ErrorOut, errors
from src.http.params import parse_id

# Thumbnails are named by their content: a new picture gets a new URL, so they never go stale.
CACHE = "private, max-age=31536000, immutable"
# The types of the formats the thumbnailer reads (src.domain.avatars.FORMATS). The dashboard
# sends the picked file's own type, after checking it is one of these.
IMAGE_TYPES = ("image/png", "image/jpeg", "image/webp")
ONLY_IMAGES = (
    "Send the picture as PNG, JPEG or WebP (Content-Type: image/png, image/jpeg or image/webp)."
)


@dataclass
class ImageUpload(Operation):
    """The documented body: the image file itself. (A dataclass again, or Operation's generated
    __init__ would never call __post_init__ and the document would show no body.)"""

    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            content={
                kind: OpenAPIMediaType(
                    schema=Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY)
                )
                for kind in IMAGE_TYPES
            },
            description="A PNG, JPEG or WebP image of at most 1 MB",
            required=True,
        )


class AvatarController(Controller):
    tags = ["customers"]

    @put(
        "/customers/{customer_id:str}/avatar",
        summary="Upload a customer's picture (made a square thumbnail)",
        operation_class=ImageUpload,
        request_max_body_size=MAX_UPLOAD_BYTES,
        responses={
            # A picture over 1 MB is a 400 on the avatar field (TOO_BIG), not a 413.
            **errors(404, common=tuple(code for code in COMMON if code != 413)),
            415: ResponseSpec(
                data_container=ErrorOut,
                description="The body is not image/png, image/jpeg or image/webp",
                generate_examples=False,
            ),
        },
    )
    async def upload_avatar(
        self, request: Request[Any, Any, Any], customer_id: FromPath[str]
    ) -> Response[CustomerOut]:
        if request.content_type[0] not in IMAGE_TYPES:
            raise HTTPException(status_code=HTTP_415_UNSUPPORTED_MEDIA_TYPE, detail=ONLY_IMAGES)
        uid = parse_id(customer_id, NOT_FOUND)
        try:
            data = await request.body()
        except HTTPException as exc:
            if exc.status_code == HTTP_413_REQUEST_ENTITY_TOO_LARGE:
                raise ValidationError([FieldError("avatar", TOO_BIG)]) from None
            raise
        return with_etag(await set_avatar(storage(app_settings(request)), uid, data))

    @delete(
        "/customers/{customer_id:str}/avatar",
        status_code=200,
        summary="Remove a customer's picture",
        responses=errors(404),
    )
    async def delete_avatar(
        self, request: Request[Any, Any, Any], customer_id: FromPath[str]
    ) -> Response[CustomerOut]:
        uid = parse_id(customer_id, NOT_FOUND)
        return with_etag(await remove_avatar(storage(app_settings(request)), uid))

    @get(
        "/avatars/{name:str}",
        summary="A customer's picture (square WebP thumbnail)",
        responses={
            200: ResponseSpec(data_container=bytes, media_type="image/webp", description="WebP"),
            **errors(404),
        },
    )
    async def avatar(self, request: Request[Any, Any, Any], name: FromPath[str]) -> Response[bytes]:
        key = key_for(name)
        if key is None:
            raise NotFoundException()
        stored = await _get(request, key)
        if stored is None:
            raise NotFoundException()
        return Response(
            stored.data, media_type=stored.content_type, headers={"Cache-Control": CACHE}
        )


async def _get(request: Request[Any, Any, Any], key: str) -> StoredFile | None:
    return await asyncio.to_thread(storage(app_settings(request)).get, key)
