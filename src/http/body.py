"""Strict request-body reading that reports every failing field at once.

Litestar decodes bodies leniently ("3" becomes 3) and stops at the first error; the forms need
strict types and the full list, so bodies are read here against the same msgspec Structs that
describe them in the OpenAPI document.
"""

from __future__ import annotations

from functools import cache
from types import UnionType
from typing import Any, NamedTuple, TypeVar, Union, get_args, get_origin, get_type_hints

import msgspec
from litestar import Request

from src.domain.errors import FieldError, ValidationError

S = TypeVar("S", bound=msgspec.Struct)

INVALID = "Invalid request."


class _Field(NamedTuple):
    name: str  # the attribute
    key: str  # the JSON key
    required: bool
    type: Any  # what the value converts to (a PATCH field's UnsetType left out)


@cache
def _fields(model: type[msgspec.Struct]) -> tuple[_Field, ...]:
    """The model's fields, worked out once per model rather than on every request."""
    info = msgspec.inspect.type_info(model)
    assert isinstance(info, msgspec.inspect.StructType)
    hints = get_type_hints(model, include_extras=True)
    return tuple(
        _Field(f.name, f.encode_name, f.required, _without_unset(hints[f.name]))
        for f in info.fields
    )


def validate(model: type[S], raw: Any, partial: bool = False) -> S:
    """Build `model` from decoded JSON, or raise ValidationError listing every bad field."""
    if not isinstance(raw, dict):
        raise ValidationError([FieldError("body", "Send a JSON object.")], INVALID)
    fields = _fields(model)
    messages: dict[str, str] = getattr(model, "__messages__", {})
    known = {f.key for f in fields}
    errors: list[FieldError] = [
        FieldError(key, f"Unknown field {key!r}.") for key in raw if key not in known
    ]
    values: dict[str, Any] = {}
    for field in fields:
        name = field.key
        if name not in raw:
            if field.required and not partial:
                errors.append(FieldError(name, messages.get(name, "This field is required.")))
            continue
        try:
            values[field.name] = msgspec.convert(raw[name], type=field.type, strict=True)
        except msgspec.ValidationError as exc:
            errors.append(FieldError(name, messages.get(name, _readable(str(exc)))))
            continue
        if isinstance(values[field.name], str) and "\x00" in values[field.name]:
            # PostgreSQL text cannot hold NUL characters.
            errors.append(FieldError(name, messages.get(name, "Remove the NUL characters.")))
    if errors:
        raise ValidationError(errors, INVALID)
    return model(**values)


def _without_unset(annotation: Any) -> Any:
    """`T | UnsetType` (a PATCH field) converts as `T`: absence is handled before conversion."""
    if get_origin(annotation) in (Union, UnionType):
        kept = tuple(a for a in get_args(annotation) if a is not msgspec.UnsetType)
        return Union[kept] if len(kept) > 1 else kept[0]  # noqa: UP007
    return annotation


def _readable(message: str) -> str:
    # msgspec says e.g. "Expected `int`, got `str`" or "Expected `int` >= 1"
    text = message.replace("`", "")
    return text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")


def decode(body: bytes, model: type[S], partial: bool = False) -> S:
    try:
        raw = msgspec.json.decode(body)
    except msgspec.DecodeError:
        raise ValidationError([FieldError("body", "Send a valid JSON object.")], INVALID) from None
    return validate(model, raw, partial=partial)


async def read_body(request: Request[Any, Any, Any], model: type[S], partial: bool = False) -> S:
    """The body as `model`, strictly; the handler's `data` parameter only documents it."""
    return decode(await request.body(), model, partial=partial)
