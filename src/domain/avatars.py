"""Customer avatars: an uploaded PNG, JPEG or WebP becomes a square WebP thumbnail in storage,
and the customer's imageUrl points at it."""

from __future__ import annotations

import asyncio
import hashlib
import io
import re
import warnings
from uuid import UUID

from src.domain.customers.repository import CustomerOut, CustomerRepository
from src.domain.errors import FieldError, ValidationError
from src.domain.storage import Storage

MAX_UPLOAD_BYTES = 1024 * 1024
THUMBNAIL_PIXELS = 256
FORMATS = frozenset({"PNG", "JPEG", "WEBP"})
# Images are decoded to make the thumbnail: refuse a small file that unpacks to a huge picture.
MAX_PIXELS = 40_000_000
URL_PREFIX = "/api/avatars/"
_NAME = re.compile(r"^[0-9a-f-]{36}-[0-9a-f]{16}\.webp$")

NOT_AN_IMAGE = FieldError("avatar", "Please choose a PNG, JPEG or WebP image.")
TOO_BIG = "Please choose an image of at most 1 MB."


def thumbnail(data: bytes) -> bytes:
    """A square WebP of the image's centre; ValidationError for anything but PNG/JPEG/WebP."""
    # Imported here: Pillow is needed for uploads only, not at every (Lambda) cold start.
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=sorted(FORMATS))
            if image.format not in FORMATS:
                raise ValidationError([NOT_AN_IMAGE])
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError([FieldError("avatar", "Please choose a smaller image.")])
            image.load()
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        Image.DecompressionBombWarning,
        Image.DecompressionBombError,
        SyntaxError,
    ):
        raise ValidationError([NOT_AN_IMAGE]) from None
    upright: Image.Image = ImageOps.exif_transpose(image)
    upright = upright.convert("RGBA" if upright.mode in ("RGBA", "LA", "P") else "RGB")
    square = ImageOps.fit(upright, (THUMBNAIL_PIXELS, THUMBNAIL_PIXELS), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    square.save(out, format="WEBP", quality=85)
    return out.getvalue()


def key_for(name: str) -> str | None:
    """The storage key of an avatar file name from a URL, or None if it is not one of ours."""
    return f"avatars/{name}" if _NAME.match(name) else None


async def set_avatar(store: Storage, customer_id: UUID, data: bytes) -> CustomerOut:
    repository = CustomerRepository()
    before = await repository.get(customer_id)  # 404 before any work
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError([FieldError("avatar", TOO_BIG)])
    picture = await asyncio.to_thread(thumbnail, data)
    name = f"{customer_id}-{hashlib.sha256(picture).hexdigest()[:16]}.webp"
    await asyncio.to_thread(store.put, f"avatars/{name}", picture, "image/webp")
    customer = await repository.update(customer_id, {"image_url": URL_PREFIX + name})
    await _forget(store, before.image_url, keep=customer.image_url)
    return customer


async def remove_avatar(store: Storage, customer_id: UUID) -> CustomerOut:
    repository = CustomerRepository()
    before = await repository.get(customer_id)
    customer = await repository.update(customer_id, {"image_url": None})
    await _forget(store, before.image_url, keep=None)
    return customer


async def _forget(store: Storage, url: str | None, keep: str | None) -> None:
    if url and url != keep and url.startswith(URL_PREFIX):
        key = key_for(url.removeprefix(URL_PREFIX))
        if key:
            await asyncio.to_thread(store.delete, key)
