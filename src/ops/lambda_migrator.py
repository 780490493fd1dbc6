"""Deploy-time Lambda entry point: runs a command of the shared table (src.ops.commands).

The event names it: ``{"command": "migrate", "seed": false}`` (the default) or
``{"command": "staff", "username": ..., "password": ..., "email": ...}``. Raising makes the
invocation fail, which fails ``sst deploy`` (and the live alias stays where it was).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from src.db import DB, configure_database
from src.observability import instrument_engine, request_scope, setup_logging
from src.ops.commands import run_command
from src.settings import get_settings

settings = get_settings()
configure_database(settings)
instrument_engine(DB)
setup_logging(settings)
log = logging.getLogger(__name__)


def handler(event: dict[str, Any] | None, context: Any) -> dict[str, Any]:
    event = event or {}
    with request_scope(getattr(context, "aws_request_id", None)):
        result = asyncio.run(run_command(str(event.get("command", "migrate")), event))
        # The message names the staff account's email; the log keeps to the outcome.
        outcome = {key: value for key, value in result.items() if key != "message"}
        log.info("migrator finished", extra={"result": outcome})
        return result
