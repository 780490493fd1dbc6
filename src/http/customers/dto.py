from __future__ import annotations

from typing import Annotated, Any

import msgspec

from src.domain.rules import (
    EMAIL_PATTERN,
    IMAGE_URL_RULE,
    NAME_PATTERN,
    NAME_RULE,
    SAME_SITE_IMAGE_PATTERN,
    email_problem,
    image_url_problem,
)

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=255, pattern=NAME_PATTERN)]
# The pattern states the shape; the look-alike rule (email_problem) is checked at run time.
Email = Annotated[
    str,
    msgspec.Meta(
        max_length=255,
        pattern=EMAIL_PATTERN,
        description="An email address. A domain label mixing Latin, Cyrillic and Greek letters"
        " (a look-alike of another domain) is refused.",
    ),
]
# The document states the same-site rule; hosts listed in IMAGE_HOSTS are also accepted at run
# time (checked by `_image_url` below, which also enforces the pattern).
ImageUrl = Annotated[
    str,
    msgspec.Meta(
        max_length=255,
        description=f"{IMAGE_URL_RULE[0].upper()}{IMAGE_URL_RULE[1:]}, or an https:// address"
        " on a host the deployment lists in IMAGE_HOSTS",
        extra_json_schema={"extra": {"pattern": SAME_SITE_IMAGE_PATTERN}},
    ),
]

MESSAGES: dict[str, Any] = {
    "name": f"Please enter a name of 1 to 255 characters, {NAME_RULE}.",
    "email": "Please enter a valid email address (at most 255 characters).",
    "imageUrl": {
        "type": f"imageUrl must be {IMAGE_URL_RULE}, or null for no picture.",
        "length": "imageUrl must be at most 255 characters.",
    },
}


def _image_url(value: str, settings: Any) -> str | None:
    return image_url_problem(value, tuple(getattr(settings, "image_hosts", ())))


def _email(value: str, _: Any) -> str | None:
    return email_problem(value)


CHECKS = {"imageUrl": _image_url, "email": _email}


class CustomerCreate(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    name: Name
    email: Email
    image_url: ImageUrl | None = None

    __messages__ = MESSAGES
    __checks__ = CHECKS


class CustomerUpdate(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    """PUT: name and email required; a missing imageUrl clears it."""

    name: Name
    email: Email
    image_url: ImageUrl | None = None

    __messages__ = MESSAGES
    __checks__ = CHECKS


class CustomerPatch(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    name: Name | msgspec.UnsetType = msgspec.UNSET
    email: Email | msgspec.UnsetType = msgspec.UNSET
    image_url: ImageUrl | msgspec.UnsetType | None = msgspec.UNSET

    __messages__ = MESSAGES
    __checks__ = CHECKS
