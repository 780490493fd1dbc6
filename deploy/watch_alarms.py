"""Watch a stage's alarms for the first minutes after a deploy; exit 1 if one fires.

    python3 deploy/watch_alarms.py --minutes 10 --alarms name1,name2,...

Polls CloudWatch (the AWS CLI, `describe-alarms`) every --interval seconds, a bounded number
of times. An alarm that goes into ALARM after the watch started fails it at once (the
pipeline then rolls back); one that was already in ALARM before is reported, not blamed on
this deploy. Standard library + the AWS CLI that CI runners have.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

Describe = Callable[[Sequence[str]], list[dict[str, Any]]]


def describe_with_cli(names: Sequence[str]) -> list[dict[str, Any]]:
    result = subprocess.run(
        ["aws", "cloudwatch", "describe-alarms", "--output", "json", "--alarm-names", *names],
        capture_output=True,
        text=True,
        check=True,
    )
    alarms: list[dict[str, Any]] = json.loads(result.stdout).get("MetricAlarms", [])
    return alarms


def _when(alarm: dict[str, Any]) -> dt.datetime:
    return dt.datetime.fromisoformat(str(alarm["StateUpdatedTimestamp"]).replace("Z", "+00:00"))


def watch(
    names: Sequence[str],
    minutes: float,
    interval: float,
    describe: Describe = describe_with_cli,
    sleep: Callable[[float], None] = time.sleep,
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
) -> list[str]:
    """The alarms that went into ALARM during the watch (empty: all quiet)."""
    started = now()
    rounds = max(1, int(minutes * 60 / interval) + 1)
    for n in range(rounds):
        alarms = describe(names)
        missing = set(names) - {a["AlarmName"] for a in alarms}
        if missing:
            print(f"watch: unknown alarms {sorted(missing)}", flush=True)
        fired = [
            f"{a['AlarmName']}: {a.get('StateReason', '')}"
            for a in alarms
            if a["StateValue"] == "ALARM" and _when(a) >= started
        ]
        if fired:
            return fired
        old = [a["AlarmName"] for a in alarms if a["StateValue"] == "ALARM"]
        if old and n == 0:
            print(f"watch: already in ALARM before this deploy: {old}", flush=True)
        if n < rounds - 1:
            sleep(interval)
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--alarms", required=True, help="comma-separated alarm names")
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--interval", type=float, default=30)
    args = parser.parse_args(argv)
    names = [n for n in args.alarms.split(",") if n]
    if not names:
        print("watch: no alarms named")
        return 2
    fired = watch(names, args.minutes, args.interval)
    if fired:
        for line in fired:
            print(f"watch: ALARM {line}")
        return 1
    print(f"watch: {len(names)} alarms quiet for {args.minutes:g} minutes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
