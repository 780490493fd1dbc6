"""The database commands that both the CLI (`python -m src.ops.cli`) and the Lambda migrator
run: one table, so a command behaves the same wherever an operator starts it.

Each command takes its options as a mapping (argparse's namespace or the Lambda event) and
answers a JSON-able result whose `message` the CLI prints.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from src.ops.migrate import migrate
from src.ops.seed import seed_demo
from src.settings import get_settings

Result = dict[str, Any]


@dataclass(frozen=True)
class Option:
    name: str
    help: str
    flag: bool = False


@dataclass(frozen=True)
class Command:
    help: str
    run: Callable[[Mapping[str, Any]], Awaitable[Result]]
    options: tuple[Option, ...] = ()


def _text(options: Mapping[str, Any], name: str) -> str | None:
    value = options.get(name)
    return str(value) if value else None


async def _migrate(options: Mapping[str, Any]) -> Result:
    started = time.perf_counter()
    await migrate()
    result: Result = {
        "ok": True,
        "command": "migrate",
        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
        "message": "migrations applied",
    }
    settings = get_settings()
    if settings.db_app_role:
        # The API's least-privilege role (src/ops/db_roles.py), with the password from the
        # secret: also how a rotated password takes effect (rotate, then migrate).
        from src.ops.db_roles import ensure_app_role

        await ensure_app_role(settings.db_app_role, settings.db_app_password or "")
        result["app_role"] = settings.db_app_role
    if options.get("seed"):
        await seed_demo()
        result["seeded"] = True
        result["message"] += "; demo data in place"
    return result


async def _seed(_: Mapping[str, Any]) -> Result:
    await migrate()
    await seed_demo()
    return {
        "ok": True,
        "command": "seed",
        "message": "demo data in place (1 user, 6 customers, 13 invoices, 12 revenue months)",
    }


async def _staff(options: Mapping[str, Any]) -> Result:
    from src.domain.staff import upsert_staff

    await migrate()
    account = await upsert_staff(
        _text(options, "username") or "",
        _text(options, "password") or "",
        _text(options, "email"),
    )
    verb = "created" if account.created else "updated (password reset, sessions ended)"
    return {
        "ok": True,
        "command": "staff",
        "username": account.username,
        "created": account.created,
        "message": f"staff account {account.username!r} <{account.email}> {verb}",
    }


COMMANDS: dict[str, Command] = {
    "migrate": Command(
        "apply pending migrations",
        _migrate,
        (Option("seed", "also upsert the demo data", flag=True),),
    ),
    "seed": Command("upsert the demo data (idempotent)", _seed),
    "staff": Command(
        "create a back-office staff account, or reset its password",
        _staff,
        (
            Option("username", "default: STAFF_USERNAME"),
            Option("password", "default: STAFF_PASSWORD (6+ characters)"),
            Option("email", "default: <username>@staff.invalid"),
        ),
    ),
}


async def run_command(name: str, options: Mapping[str, Any]) -> Result:
    command = COMMANDS.get(name)
    if command is None:
        raise ValueError(f"unknown command {name!r} (expected one of {', '.join(COMMANDS)})")
    return await command.run(options)
