from __future__ import annotations

from typing import Annotated

import msgspec

from src.domain.rules import EMAIL_PATTERN

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=255, pattern=r"\S")]
Email = Annotated[str, msgspec.Meta(max_length=255, pattern=EMAIL_PATTERN)]
ImageUrl = Annotated[str, msgspec.Meta(max_length=255, pattern=r"^(/|https://)\S*$")]

MESSAGES = {
    "name": "Please enter a name (1 to 255 characters).",
    "email": "Please enter a valid email address.",
    "imageUrl": "Please enter an image path starting with / or https://.",
}


class CustomerCreate(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    name: Name
    email: Email
    image_url: ImageUrl | None = None

    __messages__ = MESSAGES


class CustomerUpdate(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    """PUT: name and email required; a missing imageUrl clears it."""

    name: Name
    email: Email
    image_url: ImageUrl | None = None

    __messages__ = MESSAGES


class CustomerPatch(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    name: Name | msgspec.UnsetType = msgspec.UNSET
    email: Email | msgspec.UnsetType = msgspec.UNSET
    image_url: ImageUrl | msgspec.UnsetType | None = msgspec.UNSET

    __messages__ = MESSAGES
