"""Command line: `python -m src.ops.cli serve|migrate|seed|staff` (the Makefile calls these)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import socket
import sys
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from src.db import configure_database, stop_embedded
from src.domain.staff import StaffError
from src.observability import setup_logging
from src.ops.commands import COMMANDS as DATABASE_COMMANDS
from src.ops.commands import Result, run_command
from src.ops.migrate import migrate
from src.ops.seed import is_empty, seed_demo
from src.settings import Settings, SettingsError, get_settings

log = logging.getLogger("src.ops.cli")


async def _prepare(settings: Settings) -> None:
    """Migrate; in development (and tests) seed the demo data into an empty database.
    Elsewhere an empty database stays empty: no demo account with a published password."""
    await migrate()
    if settings.is_development and await is_empty():
        await seed_demo()
        log.info("demo data seeded")


class PortInUseError(Exception):
    pass


def _check_port(host: str, port: int) -> None:
    """Fail before any work (and before saying "ready") when the address is taken: uvicorn
    would only find out after start-up and die right after the banner."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # The same option uvicorn sets: only a live listener blocks, not old TIME_WAIT sockets.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise PortInUseError(
                f"cannot listen on {host}:{port} ({exc.strerror}). Another server is probably"
                f" running there: stop it, or choose another port, e.g. PORT={port + 1} make run"
            ) from exc


def uvicorn_proxy_options(settings: Settings) -> dict[str, Any]:
    """X-Forwarded-For/-Proto are believed only from TRUSTED_PROXIES (none by default): any
    other client could otherwise choose the address the login limits count."""
    return {
        "proxy_headers": bool(settings.trusted_proxies),
        "forwarded_allow_ips": list(settings.trusted_proxies) or [],
    }


def cmd_serve(_: argparse.Namespace) -> None:
    import uvicorn

    from src.http.app import create_app

    settings = get_settings()
    _check_port(settings.host, settings.port)
    started = time.perf_counter()
    configure_database(settings)
    asyncio.run(_prepare(settings))
    app = create_app(settings)
    print(
        f"Acme Dashboard: http://{settings.host}:{settings.port}/  "
        f"(API /api, docs /schema, back office /admin/)  "
        f"(ready in {time.perf_counter() - started:.1f}s)",
        flush=True,
    )
    if settings.is_development:
        print("Demo login: user@nextmail.com / 123456", flush=True)
        print(
            "Back office: make a staff account with "
            "`make staff ARGS='--username NAME --password PASSWORD'`, then log in at /admin/",
            flush=True,
        )
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level="warning",
        access_log=False,
        # uvicorn's own loggers go to the one root handler (escaped, redacted lines).
        log_config=None,
        lifespan="on",
        **uvicorn_proxy_options(settings),
        # Longer than clients' and proxies' idle timeouts (httpx 5 s, load balancers 60 s), so
        # the server never closes a kept-alive connection just as a client reuses it.
        timeout_keep_alive=65,
    )


def _run_db(action: Callable[[], Coroutine[Any, Any, None]]) -> None:
    configure_database(get_settings())
    try:
        asyncio.run(action())
    finally:
        stop_embedded()


def database_command(name: str) -> Callable[[argparse.Namespace], None]:
    """A command of the shared table (src.ops.commands), run against the configured database."""

    def run(args: argparse.Namespace) -> None:
        options = vars(args)
        if name == "staff":
            settings = get_settings()
            options["username"] = args.username or settings.staff_username
            options["password"] = args.password or settings.staff_password
            if not options["username"] or not options["password"]:
                raise SystemExit(
                    "error: give --username and --password (or STAFF_USERNAME and STAFF_PASSWORD)"
                )
        result: list[Result] = []

        async def action() -> None:
            try:
                result.append(await run_command(name, options))
            except (StaffError, ValueError) as exc:
                raise SystemExit(f"error: {exc}") from None

        _run_db(action)
        print(result[0]["message"])

    return run


def cmd_seed_large(args: argparse.Namespace) -> None:
    from src.ops.synthetic import NotSyntheticError, progress_bar, seed_large

    dsn = configure_database(get_settings())

    async def run() -> None:
        await migrate()
        await seed_demo()
        total = args.customers + (args.invoices if args.customers else 0)
        result = await seed_large(
            dsn, args.invoices, args.customers, args.force, progress_bar(total)
        )
        print(
            f"synthetic data in place: {result.customers:,} customers, "
            f"{result.invoices:,} invoices in {result.seconds:.1f}s (plus the demo data)"
        )

    try:
        asyncio.run(run())
    except NotSyntheticError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    finally:
        stop_embedded()


def cmd_import(args: argparse.Namespace) -> None:
    from src.ops.csvfiles import import_file

    path = Path(args.file)
    if not path.is_file():
        raise SystemExit(f"error: no such file: {path}")
    size = path.stat().st_size
    ok: list[bool] = []

    async def run() -> None:
        await migrate()
        ok.append(await import_file(args.kind, path, size, args.dry_run))

    _run_db(run)
    if not ok[0]:
        raise SystemExit(1)


def cmd_export(args: argparse.Namespace) -> None:
    from src.ops.csvfiles import export_file

    started = time.perf_counter()
    written: list[int] = []

    async def run() -> None:
        written.append(await export_file(args.kind, Path(args.file), args.query, args.status))

    _run_db(run)
    print(f"{args.file}: {written[0] / 1e6:.1f} MB in {time.perf_counter() - started:.1f}s")


def cmd_openapi(_: argparse.Namespace) -> None:
    import msgspec

    from src.http.app import create_app

    document = create_app(manage_database=False).openapi_schema.to_schema()
    sys.stdout.write(msgspec.json.format(msgspec.json.encode(document)).decode() + "\n")


# The shared database commands (src.ops.commands) plus those that only make sense here.
COMMANDS: dict[str, tuple[Callable[[argparse.Namespace], None], str]] = {
    "serve": (cmd_serve, "migrate, seed an empty database, serve on HOST:PORT"),
    **{name: (database_command(name), command.help) for name, command in DATABASE_COMMANDS.items()},
    "seed-large": (cmd_seed_large, "replace the synthetic data set (default 1M invoices)"),
    "import": (cmd_import, "import a CSV file of customers or invoices (all rows or none)"),
    "export": (cmd_export, "export customers or invoices to a CSV file"),
    "openapi": (cmd_openapi, "print the OpenAPI document (the frontend's types come from it)"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m src.ops.cli", description="Acme Dashboard")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (_, help_text) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text)
        for option in DATABASE_COMMANDS[name].options if name in DATABASE_COMMANDS else ():
            if option.flag:
                command.add_argument(f"--{option.name}", action="store_true", help=option.help)
            else:
                command.add_argument(f"--{option.name}", help=option.help)
        if name in ("import", "export"):
            command.add_argument("kind", choices=("customers", "invoices"))
            command.add_argument("file", help="the CSV file")
        if name == "import":
            command.add_argument(
                "--dry-run", action="store_true", help="only check the rows; write nothing"
            )
        if name == "export":
            command.add_argument("--query", default="", help="the list's search text")
            command.add_argument(
                "--status", choices=("paid", "pending", "overdue"), help="invoices only"
            )
        if name == "seed-large":
            command.add_argument("--invoices", type=_count, default=1_000_000)
            command.add_argument("--customers", type=_count, default=100_000)
            command.add_argument(
                "--force", action="store_true", help="add to a database holding other data"
            )
    return parser


def _count(raw: str) -> int:
    value = int(raw.replace("_", "").replace(",", ""))
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = get_settings()
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    setup_logging(settings)
    try:
        COMMANDS[args.command][0](args)
    except PortInUseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
