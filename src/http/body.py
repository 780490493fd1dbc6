"""Strict request-body reading that reports every failing field at once.

Litestar decodes bodies leniently ("3" becomes 3) and stops at the first error; the forms need
strict types and the full list, so bodies are read here against the same msgspec Structs that
describe them in the OpenAPI document.
"""

from __future__ import annotations

from types import UnionType
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

import msgspec
from litestar import Request

from src.domain.errors import FieldError, ValidationError

S = TypeVar("S", bound=msgspec.Struct)

INVALID = "Invalid request."


def _messages(model: type[msgspec.Struct]) -> dict[str, str]:
    return dict(getattr(model, "__messages__", {}))


def validate(model: type[S], raw: Any, partial: bool = False) -> S:
    """Build `model` from decoded JSON, or raise ValidationError listing every bad field."""
    if not isinstance(raw, dict):
        raise ValidationError([FieldError("body", "Send a JSON object.")], INVALID)
    info = msgspec.inspect.type_info(model)
    assert isinstance(info, msgspec.inspect.StructType)
    messages = _messages(model)
    known = {f.encode_name: f for f in info.fields}
    errors: list[FieldError] = [
        FieldError(key, f"Unknown field {key!r}.") for key in raw if key not in known
    ]
    values: dict[str, Any] = {}
    for field in info.fields:
        name = field.encode_name
        if name not in raw:
            if field.required and not partial:
                errors.append(FieldError(name, messages.get(name, "This field is required.")))
            continue
        try:
            values[field.name] = msgspec.convert(
                raw[name], type=_hints(model)[field.name], strict=True
            )
        except msgspec.ValidationError as exc:
            errors.append(FieldError(name, messages.get(name, _readable(str(exc)))))
            continue
        if isinstance(values[field.name], str) and "\x00" in values[field.name]:
            # PostgreSQL text cannot hold NUL characters.
            errors.append(FieldError(name, messages.get(name, "Remove the NUL characters.")))
    if errors:
        raise ValidationError(errors, INVALID)
    return model(**values)


_HINTS: dict[type, dict[str, Any]] = {}


def _without_unset(annotation: Any) -> Any:
    """`T | UnsetType` (a PATCH field) converts as `T`: absence is handled before conversion."""
    if get_origin(annotation) in (Union, UnionType):
        kept = tuple(a for a in get_args(annotation) if a is not msgspec.UnsetType)
        return Union[kept] if len(kept) > 1 else kept[0]  # noqa: UP007
    return annotation


def _hints(model: type[msgspec.Struct]) -> dict[str, Any]:
    if model not in _HINTS:
        hints = get_type_hints(model, include_extras=True)
        _HINTS[model] = {name: _without_unset(hint) for name, hint in hints.items()}
    return _HINTS[model]


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
