"""`make import` and `make export`: files streamed from and to disk, a progress bar, all or none."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import ROOT, create_database, drop_database


def cli(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url, "APP_ENV": "test"}
    return subprocess.run(
        [sys.executable, "-m", "src.ops.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def empty_database() -> Iterator[str]:
    url = create_database("acme_cli_import")
    try:
        assert cli(url, "migrate").returncode == 0
        yield url
    finally:
        drop_database(url)


def test_cli_import_all_or_nothing_then_export(empty_database: str, tmp_path: Path) -> None:
    url = empty_database
    rows = "".join(f"Person {n},person{n}@cli.example\n" for n in range(3000))
    bad = tmp_path / "bad.csv"
    bad.write_text("name,email\n" + rows + "Copy,PERSON7@cli.example\nNo Email,\n")
    failed = cli(url, "import", "customers", str(bad))
    assert failed.returncode == 1
    assert "2 lines of the file failed; nothing was imported" in failed.stdout
    assert "line 3002 [email]: The same email as line 9 (emails are unique)." in failed.stdout
    assert "line 3003 [email]: Please enter the email." in failed.stdout
    assert "importing [" in failed.stderr  # the progress bar

    good = tmp_path / "good.csv"
    good.write_text("name,email\n" + rows)
    checked = cli(url, "import", "customers", str(good), "--dry-run")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "3,000 customers ready to import." in checked.stdout
    done = cli(url, "import", "customers", str(good))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Imported 3,000 customers." in done.stdout

    exported = tmp_path / "out.csv"
    result = cli(url, "export", "customers", str(exported), "--query", "person1")
    assert result.returncode == 0, result.stderr
    lines = exported.read_text().splitlines()
    assert lines[0] == "name,email,invoice_count,total_pending,total_paid"
    # person1, person10..19, person100..199, person1000..1999
    assert len(lines) - 1 == 1 + 10 + 100 + 1000
    missing = cli(url, "import", "customers", str(tmp_path / "nope.csv"))
    assert missing.returncode != 0 and "no such file" in missing.stderr
