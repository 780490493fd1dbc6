"""Request bodies, declared once: `data: JSONBody[Model]` in a handler is all it takes.

`StrictBody` is the app-wide data DTO (see create_app), so every handler's `data` goes through
`decode` below: strict types (`"3"` is not 3, `true` is not 1), every failing field in one 400,
human messages naming the field as the client sent it, and the model's own msgspec schema in the
OpenAPI document. Litestar's own lenient decoding never sees a body, and a body that is not
JSON at all (invalid UTF-8, a nesting bomb, garbage) is a 400 of the same shape, not a 500.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Generator
from functools import cache
from types import UnionType
from typing import Any, ClassVar, NamedTuple, TypeVar, Union, get_args, get_origin, get_type_hints

import msgspec
from litestar.dto import AbstractDTO, DTOFieldDefinition
from litestar.exceptions import HTTPException
from litestar.openapi.spec import Reference
from litestar.status_codes import HTTP_415_UNSUPPORTED_MEDIA_TYPE
from litestar.typing import FieldDefinition

from src.domain.errors import FieldError, ValidationError

S = TypeVar("S", bound=msgspec.Struct)

INVALID = "Invalid request."
NOT_JSON = "Send a JSON object (Content-Type: application/json)."
UNREADABLE = (
    "The body is not JSON this API can read: check its quotes, commas and brackets,"
    " and that it is UTF-8."
)
ONLY_JSON = "Send the body as JSON (Content-Type: application/json)."
# A field's messages, by what is wrong with the value: its type ("type"), too small ("min"), too
# large ("max"), not matching its pattern or a choice ("pattern"), too long or short ("length"),
# absent ("required"). A plain string is used for every kind.
Messages = dict[str, "str | dict[str, str]"]
# Extra per-field checks beyond msgspec's constraints: (value, the app's settings) -> a message,
# or None when the value is fine.
Check = Callable[[Any, Any], "str | None"]


class _Field(NamedTuple):
    name: str  # the attribute
    key: str  # the JSON key
    required: bool
    type: Any  # what the value converts to (a PATCH field's UnsetType left out)
    integer: bool  # JSON Schema's "integer": 7617.0 is one, as much as 7617
    # The field's pattern with JSON Schema's meaning of a final `$` (the end of the text):
    # Python's `$` also matches before a final newline, so msgspec lets "a@b.cd\n" through.
    end_anchored: re.Pattern[str] | None


@cache
def _fields(model: type[msgspec.Struct]) -> tuple[_Field, ...]:
    """The model's fields, worked out once per model rather than on every request."""
    info = msgspec.inspect.type_info(model)
    assert isinstance(info, msgspec.inspect.StructType)
    hints = get_type_hints(model, include_extras=True)
    return tuple(
        _Field(
            f.name,
            f.encode_name,
            f.required,
            _without_unset(hints[f.name]),
            _is_int(f.type),
            _end_anchored(f.type),
        )
        for f in info.fields
    )


def _end_anchored(info: msgspec.inspect.Type) -> re.Pattern[str] | None:
    if isinstance(info, msgspec.inspect.Metadata):
        return _end_anchored(info.type)
    if isinstance(info, msgspec.inspect.UnionType):
        return next((p for t in info.types if (p := _end_anchored(t))), None)
    pattern = getattr(info, "pattern", None) if isinstance(info, msgspec.inspect.StrType) else None
    if pattern and pattern.endswith("$") and not pattern.endswith("\\$"):
        return re.compile(pattern[:-1] + r"\Z")
    return None


def _is_int(info: msgspec.inspect.Type) -> bool:
    if isinstance(info, msgspec.inspect.Metadata):
        return _is_int(info.type)
    if isinstance(info, msgspec.inspect.UnionType):
        return any(_is_int(t) for t in info.types)
    return isinstance(info, msgspec.inspect.IntType)


def validate(model: type[S], raw: Any, settings: Any = None) -> S:
    """Build `model` from decoded JSON, or raise ValidationError listing every bad field.

    A field with a default (every field of a PATCH model) may be left out."""
    if not isinstance(raw, dict):
        raise ValidationError([FieldError("body", NOT_JSON)], INVALID)
    fields = _fields(model)
    messages: Messages = getattr(model, "__messages__", {})
    checks: dict[str, Check] = getattr(model, "__checks__", {})
    known = {f.key for f in fields}
    errors: list[FieldError] = [
        FieldError(_printable(key), f"Unknown field: remove {_printable(key)!r}.")
        for key in raw
        if key not in known
    ]
    values: dict[str, Any] = {}
    for field in fields:
        name = field.key
        if name not in raw:
            if field.required:
                errors.append(FieldError(name, _message(messages, name, "required")))
            continue
        sent = raw[name]
        if field.integer and isinstance(sent, float) and sent.is_integer():
            sent = int(sent)
        try:
            value = msgspec.convert(sent, type=field.type, strict=True)
        except msgspec.ValidationError as exc:
            errors.append(FieldError(name, _message(messages, name, _kind(str(exc)), str(exc))))
            continue
        if problem := _problem(field, value, messages, checks.get(name), settings):
            errors.append(FieldError(name, problem))
            continue
        values[field.name] = value
    if errors:
        raise ValidationError(errors, INVALID)
    return model(**values)


def _problem(
    field: _Field, value: Any, messages: Messages, check: Check | None, settings: Any
) -> str | None:
    """What is wrong with a value that has the right type, beyond msgspec's own constraints."""
    if value is not None and check and (problem := check(value, settings)):
        return problem
    if isinstance(value, str):
        if field.end_anchored and not field.end_anchored.search(value):
            return _message(messages, field.key, "pattern")
        if "\x00" in value:  # PostgreSQL text cannot hold NUL characters.
            return f"{field.key} must not contain NUL characters."
    return None


def _without_unset(annotation: Any) -> Any:
    """`T | UnsetType` (a PATCH field) converts as `T`: absence is handled before conversion."""
    if get_origin(annotation) in (Union, UnionType):
        kept = tuple(a for a in get_args(annotation) if a is not msgspec.UnsetType)
        return Union[kept] if len(kept) > 1 else kept[0]  # noqa: UP007
    return annotation


_KINDS = (
    (re.compile(r"^Expected `\w+` (>|>=) "), "min"),
    (re.compile(r"^Expected `\w+` (<|<=) "), "max"),
    (re.compile(r"^Expected `\w+` of length"), "length"),
    (re.compile(r"^Expected `\w+` matching regex"), "pattern"),
    (re.compile(r"^Invalid enum value"), "pattern"),
)


def _kind(error: str) -> str:
    return next((kind for pattern, kind in _KINDS if pattern.search(error)), "type")


def _message(messages: Messages, name: str, kind: str, error: str = "") -> str:
    found = messages.get(name)
    if isinstance(found, str):
        return found
    if found and (text := found.get(kind) or found.get("type")):
        return text
    if kind == "required":
        return f"{name} is required."
    return f"{name} is not valid: {_readable(error)}" if error else f"{name} is not valid."


def _readable(message: str) -> str:
    # msgspec says e.g. "Expected `int`, got `str`"; drop its `$.path` suffix and backticks.
    text = message.split(" - at `", 1)[0].replace("`", "")
    return text[0].lower() + text[1:] + ("" if text.endswith(".") else ".")


def _printable(key: str) -> str:
    """An unknown key as it may be shown back: bounded, without control characters."""
    cleaned = "".join(c if c.isprintable() else "?" for c in key[:50])
    return cleaned or "?"


def decode(body: bytes, model: type[S], settings: Any = None) -> S:
    """`model` from a raw JSON body, strictly; any undecodable body is a 400."""
    try:
        raw = msgspec.json.decode(body)
    except (msgspec.DecodeError, RecursionError, UnicodeDecodeError, ValueError):
        message = UNREADABLE if body.strip() else NOT_JSON  # nothing sent: say what to send
        raise ValidationError([FieldError("body", message)], INVALID) from None
    return validate(model, raw, settings)


class StrictBody(AbstractDTO[Any]):
    """The app-wide data DTO: `data: JSONBody[Model]` decodes through `decode(body, Model)`.

    It only reads request bodies (the app sets `return_dto=None`) and documents each body as
    the model's own schema, so the OpenAPI document shows the same constraints as before."""

    _models: ClassVar[dict[str, type[msgspec.Struct]]] = {}

    @classmethod
    def is_supported_model_type_field(cls, field_definition: FieldDefinition) -> bool:
        return field_definition.is_subclass_of(msgspec.Struct)

    @classmethod
    def create_for_field_definition(
        cls, field_definition: FieldDefinition, handler_id: str, backend_cls: Any = None
    ) -> None:
        if field_definition.name != "data":
            return
        if not field_definition.is_subclass_of(msgspec.Struct):
            raise TypeError(
                f"request bodies are msgspec Structs; {field_definition.annotation!r} is not"
            )
        cls._models[handler_id] = field_definition.annotation

    @classmethod
    def create_openapi_schema(
        cls, field_definition: FieldDefinition, handler_id: str, schema_creator: Any
    ) -> Any:
        model = FieldDefinition.from_annotation(
            cls._models[handler_id], kwarg_definition=field_definition.kwarg_definition
        )
        result = schema_creator.for_field_definition(model)
        # Unknown fields are refused (every body model forbids them): say so in the document.
        schema = (
            schema_creator.schema_registry.from_reference(result).schema
            if isinstance(result, Reference)
            else result
        )
        schema.additional_properties = False
        return result

    def decode_bytes(self, value: bytes) -> Any:
        media_type = self.asgi_connection.headers.get("content-type", "").split(";")[0]
        if media_type.strip().lower() != "application/json":
            # A cross-site HTML form can send text/plain or form data without a preflight,
            # never application/json: refusing the rest stops forged writes and logins.
            raise HTTPException(status_code=HTTP_415_UNSUPPORTED_MEDIA_TYPE, detail=ONLY_JSON)
        return decode(value, self._model(), self._settings())

    def decode_builtins(self, value: dict[str, Any]) -> Any:
        return validate(self._model(), value, self._settings())

    def _model(self) -> type[msgspec.Struct]:
        return self._models[self.asgi_connection.route_handler.handler_id]

    def _settings(self) -> Any:
        return getattr(self.asgi_connection.app.state, "settings", None)

    @classmethod
    def generate_field_definitions(
        cls, model_type: type[Any]
    ) -> Generator[DTOFieldDefinition, None, None]:
        yield from ()

    @classmethod
    def detect_nested_field(cls, field_definition: FieldDefinition) -> bool:
        return False
