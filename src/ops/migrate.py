"""Apply pending Piccolo migrations (the only way the schema is created or changed)."""

from __future__ import annotations

import contextlib
import io

from piccolo.apps.migrations.commands.forwards import run_forwards


class MigrationError(Exception):
    pass


async def migrate(verbose: bool = False) -> None:
    quiet = contextlib.redirect_stdout(io.StringIO())
    with contextlib.nullcontext() if verbose else quiet:
        result = await run_forwards(app_name="all", migration_id="all")
    if not result.success:
        raise MigrationError(f"migrations failed: {result.message}")
