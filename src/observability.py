"""One logging setup for every process, and CloudWatch metrics in Embedded Metric Format.

On AWS Lambda (``AWS_LAMBDA_FUNCTION_NAME`` set) log records become one JSON object per
line, tagged with the invocation's request id; elsewhere they are plain human lines.
Metrics are EMF documents printed to stdout: CloudWatch turns them into metrics without
an API call. Within a request they are buffered and written as one document at the end
(``request_scope``); outside one they are written at once.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, TextIO

Unit = Literal["Count", "Milliseconds", "Seconds", "Bytes", "Percent", "None"]

NAMESPACE = "Acme"
SERVICE = "acme-api"

_SENSITIVE_KEY = re.compile(
    r"pass(word)?|secret|token|authori[sz]ation|cookie|session|csrf|api[-_]?key", re.I
)
# Values that look like credentials inside free text (messages, exception strings).
_SENSITIVE_TEXT = [
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+"), r"\1 [redacted]"),
    (
        re.compile(
            r"(?i)\b(password|passwd|secret|token|cookie|authorization)(\"?\s*[:=]\s*)"
            r"(\"[^\"]*\"|'[^']*'|[^\s,;&]+)"
        ),
        r"\1\2[redacted]",
    ),
    (re.compile(r"(postgres(?:ql)?://[^:/@\s]+:)[^@\s]+@"), r"\1[redacted]@"),
    # PostgreSQL's DETAIL of a refused write quotes the row or the key: hashes, emails.
    (re.compile(r"(Failing row contains ).*"), r"\1([redacted])."),
    (
        re.compile(r"(Key \([^\n]*?\))=\(.*?\)( already exists| is not present|\.|$)"),
        r"\1=([redacted])\2",
    ),
]
# Control characters (and Unicode line separators) from a request must never start a forged
# log line or rewrite a terminal: shown as escapes in every human log line.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_STANDARD_ATTRS = frozenset(
    logging.LogRecord("", 0, "", 0, "", (), None).__dict__.keys()
    | {"message", "asctime", "request_id"}
)


@dataclass
class _MetricBuffer:
    values: dict[tuple[str, tuple[tuple[str, str], ...]], list[float]] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)


_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
_pending: contextvars.ContextVar[_MetricBuffer | None] = contextvars.ContextVar(
    "pending_metrics", default=None
)


class _SettingsLike(Protocol):
    @property
    def log_level(self) -> str: ...

    @property
    def lambda_function(self) -> str | None: ...


def escape_controls(text: str) -> str:
    return _CONTROL.sub(
        lambda m: (
            f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}"
        ),
        text,
    )


def redact(text: str) -> str:
    for pattern, replacement in _SENSITIVE_TEXT:
        text = pattern.sub(replacement, text)
    return text


def _clean(key: str, value: Any) -> Any:
    if _SENSITIVE_KEY.search(key):
        return "[redacted]"
    if isinstance(value, str):
        return escape_controls(redact(value))
    if isinstance(value, dict):
        return {str(k): _clean(str(k), v) for k, v in value.items()}
    if isinstance(value, (int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_clean(key, v) for v in value]
    return escape_controls(redact(str(value)))


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line; extra fields are kept, credentials are not."""

    def format(self, record: logging.LogRecord) -> str:
        doc: dict[str, Any] = {
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        request_id = getattr(record, "request_id", None)
        if request_id:
            doc["request_id"] = request_id
        for key, value in record.__dict__.items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                doc[key] = _clean(key, value)
        if record.exc_info:
            doc["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(doc, default=str, separators=(",", ":"))


class HumanFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s: %(message)s", "%H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        # The message (with its arguments: paths, client text) is escaped; a traceback that
        # follows keeps its own line breaks.
        saved = record.msg, record.args
        record.msg, record.args = escape_controls(record.getMessage()), None
        try:
            line = redact(super().format(record))
        finally:
            record.msg, record.args = saved
        extras = {
            k: _clean(k, v)
            for k, v in record.__dict__.items()
            if k not in _STANDARD_ATTRS and not k.startswith("_")
        }
        if extras:
            line += " " + " ".join(f"{k}={v}" for k, v in extras.items())
        return line


_HANDLER_NAME = "acme"
# EMF lines are only useful where CloudWatch reads stdout; elsewhere metrics go to a debug log.
_emf_enabled = False
_metrics_log = logging.getLogger("src.metrics")


def setup_logging(settings: _SettingsLike, stream: TextIO | None = None) -> None:
    """Install the one root handler (idempotent): JSON in Lambda, human lines elsewhere."""
    global _emf_enabled
    in_lambda = bool(settings.lambda_function)
    _emf_enabled = in_lambda
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(JsonFormatter() if in_lambda else HumanFormatter())
    handler.addFilter(_RequestIdFilter())
    root = logging.getLogger()
    # The Lambda runtime installs its own plain-text handler on the root logger: replace it.
    for old in list(root.handlers):
        if in_lambda or old.get_name() == _HANDLER_NAME:
            root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(settings.log_level)
    # Servers and drivers log their own access lines and request details: keep them quiet.
    for noisy in ("uvicorn.access", "asyncpg", "botocore", "mangum"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


# ---- metrics -------------------------------------------------------------------------


_out: TextIO | None = None  # tests point this elsewhere; None means sys.stdout


def _emit(
    metrics: dict[str, list[float]],
    units: dict[str, str],
    dimensions: dict[str, str],
    properties: dict[str, Any] | None = None,
) -> None:
    dims = {"Service": SERVICE, **dimensions}
    doc: dict[str, Any] = {
        "_aws": {
            "Timestamp": int(time.time() * 1000),
            "CloudWatchMetrics": [
                {
                    "Namespace": NAMESPACE,
                    "Dimensions": [sorted(dims)],
                    "Metrics": [{"Name": name, "Unit": units[name]} for name in metrics],
                }
            ],
        },
        **dims,
        **{name: (v[0] if len(v) == 1 else v[:100]) for name, v in metrics.items()},
    }
    request_id = _request_id.get()
    if request_id:
        doc["request_id"] = request_id
    if properties:
        doc.update({k: _clean(k, v) for k, v in properties.items()})
    stream = _out or sys.stdout
    stream.write(json.dumps(doc, separators=(",", ":")) + "\n")
    stream.flush()


def metric(name: str, value: float, unit: Unit = "Count", **dimensions: str) -> None:
    """Record one CloudWatch metric value, e.g. ``metric("User.Login", 1, outcome="failure")``.

    Keep dimension values low-cardinality (an outcome, never a user id). Outside Lambda
    (see ``setup_logging``) the value goes to the ``src.metrics`` debug log instead.
    """
    if not _emf_enabled:
        _metrics_log.debug("%s=%s %s %s", name, value, unit, dimensions or "")
        return
    buffer = _pending.get()
    key = (name, tuple(sorted(dimensions.items())))
    if buffer is None:
        _emit({name: [float(value)]}, {name: unit}, dict(key[1]))
        return
    buffer.values.setdefault(key, []).append(float(value))
    buffer.units[name] = unit


def flush_metrics() -> None:
    """Write the metrics buffered in the current request scope, one document per dimension set."""
    buffer = _pending.get()
    if buffer is None or not buffer.values:
        return
    grouped: dict[tuple[tuple[str, str], ...], dict[str, list[float]]] = {}
    for (name, dims), values in buffer.values.items():
        grouped.setdefault(dims, {})[name] = values
    for dims, metrics in grouped.items():
        _emit(metrics, {name: buffer.units[name] for name in metrics}, dict(dims))
    buffer.values.clear()


@contextmanager
def request_scope(request_id: str | None) -> Iterator[None]:
    """Tag logs with the request id and buffer metrics until the request ends."""
    id_token = _request_id.set(request_id)
    buffer_token = _pending.set(_MetricBuffer())
    try:
        yield
    finally:
        try:
            flush_metrics()
        finally:
            _pending.reset(buffer_token)
            _request_id.reset(id_token)


class _Engine(Protocol):
    async def run_querystring(self, querystring: Any, in_pool: bool = True) -> Any: ...


def instrument_engine(engine: _Engine) -> None:
    """Time every Piccolo query (ORM and raw SQL) as ``Database.QueryDuration`` (ms)."""
    original = engine.run_querystring
    if getattr(original, "_acme_timed", False):
        return

    async def timed(querystring: Any, in_pool: bool = True) -> Any:
        started = time.perf_counter()
        try:
            return await original(querystring, in_pool=in_pool)
        finally:
            metric("Database.QueryDuration", (time.perf_counter() - started) * 1000, "Milliseconds")

    timed._acme_timed = True  # type: ignore[attr-defined]
    engine.run_querystring = timed  # type: ignore[method-assign]
