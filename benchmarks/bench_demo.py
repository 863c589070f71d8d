"""A new user's first hour: ``macrodesk --help``, a first ``macrodesk demo`` on a fresh data directory, and a second.

Each command runs as a user runs it (the console script in a subprocess, stderr not a terminal, so the
demo prints one line per step with its seconds). Records the load average at the start, the wall time of
each command, the per-step seconds of the first demo's history bootstrap and of its Dagster run.

Prints a table and writes benchmarks/results/demo.json.
"""

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import machine, write_result
from rich.console import Console
from rich.table import Table

MACRODESK = [sys.executable, "-m", "entrypoints.cli"]
_STEP = re.compile(r": (?P<step>\w+) (?P<status>success|failed|skipped) in (?P<seconds>[0-9.]+) s")
_ASSET = re.compile(r"│ (?P<asset>\w+)\s+│ (?P<status>\w+)\s+│ \d+\s+│ (?P<seconds>[0-9.]+)")


def _timed(args: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    result = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
    return time.perf_counter() - started, result


def main() -> None:
    load = os.getloadavg()
    help_seconds = [_timed([str(Path(sys.executable).with_name("macrodesk")), "--help"], dict(os.environ))[0]
                    for _ in range(5)]
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MACRODESK_")}
        env.update(MACRODESK_DATA_DIR=f"{tmp}/var", DAGSTER_HOME=f"{tmp}/dagster", COLUMNS="200")
        first_seconds, first = _timed([*MACRODESK, "demo"], env)
        second_seconds, second = _timed([*MACRODESK, "demo"], env)
    for name, result in (("first", first), ("second", second)):
        if result.returncode != 0:
            raise SystemExit(f"{name} demo failed: {result.stderr[-2000:]}")
    bootstrap = {m["step"]: float(m["seconds"]) for m in _STEP.finditer(first.stderr)}
    dagster = {m["asset"]: float(m["seconds"]) for m in _ASSET.finditer(first.stdout)}
    result = {
        "benchmark": "demo", "machine": machine(), "load_average_1_5_15": [round(x, 2) for x in load],
        "help_seconds_median": round(statistics.median(help_seconds), 3),
        "first_demo_seconds": round(first_seconds, 1), "first_demo_goal_seconds": 120,
        "second_demo_seconds": round(second_seconds, 1), "second_demo_goal_seconds": 30,
        "first_demo_bootstrap_steps": bootstrap, "first_demo_dagster_assets": dagster,
    }
    table = Table(title=f"macrodesk demo (load average {load[0]:.1f})")
    table.add_column("measure")
    table.add_column("seconds", justify="right")
    for key in ("help_seconds_median", "first_demo_seconds", "second_demo_seconds"):
        table.add_row(key, str(result[key]))
    for step, seconds in bootstrap.items():
        table.add_row(f"  bootstrap {step}", f"{seconds:.1f}")
    for asset, seconds in dagster.items():
        table.add_row(f"  dagster {asset}", f"{seconds:.1f}")
    Console().print(table)
    write_result("demo", result)


if __name__ == "__main__":
    main()
