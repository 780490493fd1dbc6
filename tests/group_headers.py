"""A pytest plugin for `make test`: prints a header when the run reaches the next group (test
file), with the time the previous one took, so that a long run never sits silent on dots."""

from __future__ import annotations

import time


class _Run:
    group: str | None = None
    group_started = 0.0
    started = time.monotonic()


def pytest_runtest_logstart(nodeid: str, location: tuple[str, int | None, str]) -> None:
    group = nodeid.split("::", 1)[0]
    if group == _Run.group:
        return
    now = time.monotonic()
    previous = f" (previous group {now - _Run.group_started:.0f} s)" if _Run.group else ""
    print(f"\n== {group}  [{(now - _Run.started) / 60:.1f} min into the run]{previous}", flush=True)
    _Run.group, _Run.group_started = group, now
