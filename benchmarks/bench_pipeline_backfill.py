"""The whole 22-asset pipeline: history bootstrap, a Dagster range backfill, and one Dagster run per day.

1. ``bootstrap_seconds``: every layer over 2015-01-01..2024-12-31 on the synthetic market through the
   application services in one pass per layer (``macrodesk backfill``'s path), into a fresh SQLite file.
2. ``dagster_seconds``: a Dagster backfill of all 22 assets over the 251 B3 sessions of 2024, as ranged
   runs (the assets' backfill policy, ``MACRODESK_BACKFILL_CHUNK_SESSIONS`` sessions per run), on a
   Dagster instance with the default SQLite storage. Its bookkeeping share is the run time not spent
   inside the assets (compute is timed separately on the same range through the services).
3. ``per_partition_seconds``: the same year as one Dagster run per session, timed on a 20-session
   sample and extrapolated to 251.
4. ``ratio`` = per_partition_seconds / dagster_seconds.

Prints a table and writes benchmarks/results/pipeline_backfill.json.
"""

import argparse
import os
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

import dagster as dg
from harness import fresh_container, machine, write_result
from rich.console import Console
from rich.table import Table

from domain.market.calendar import b3_sessions
from entrypoints.container import build_container
from entrypoints.dagster.definitions import build_definitions
from entrypoints.settings import Settings

BOOT_START, BOOT_END = date(2015, 1, 1), date(2024, 12, 31)
YEAR_START, YEAR_END = date(2024, 1, 1), date(2024, 12, 31)
SAMPLE = 20
RANGE_START = "dagster/asset_partition_range_start"
RANGE_END = "dagster/asset_partition_range_end"


def _settings(folder: Path, db: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{db}", data_dir=folder)


def _dagster_range(folder: Path, db: Path, sessions: list[date], chunk: int) -> tuple[float, int, list[str]]:
    """Ranged runs over ``sessions`` in chunks, on a fresh SQLite-backed Dagster instance."""
    home = folder / "dagster_range"
    home.mkdir()
    settings = _settings(folder, db)
    container = build_container(settings)
    job = build_definitions(settings).resolve_job_def("daily_pipeline")
    failures: list[str] = []
    runs = 0
    started = time.perf_counter()
    with dg.DagsterInstance.local_temp(str(home)) as instance:
        for i in range(0, len(sessions), chunk):
            part = sessions[i:i + chunk]
            result = job.execute_in_process(
                instance=instance, resources={"macrodesk": container}, raise_on_error=False,
                tags={RANGE_START: part[0].isoformat(), RANGE_END: part[-1].isoformat()},
                run_config={"loggers": {"console": {"config": {"log_level": "ERROR"}}}})
            runs += 1
            if not result.success:
                failures.append(f"{part[0]}..{part[-1]}")
    seconds = time.perf_counter() - started
    container.shutdown_resources()
    return seconds, runs, failures


def _dagster_daily(folder: Path, db: Path, sessions: list[date]) -> tuple[float, list[str]]:
    home = folder / "dagster_daily"
    home.mkdir()
    settings = _settings(folder, db)
    container = build_container(settings)
    job = build_definitions(settings).resolve_job_def("daily_pipeline")
    failures = []
    started = time.perf_counter()
    with dg.DagsterInstance.local_temp(str(home)) as instance:
        for day in sessions:
            result = job.execute_in_process(
                partition_key=day.isoformat(), instance=instance, resources={"macrodesk": container},
                raise_on_error=False, run_config={"loggers": {"console": {"config": {"log_level": "ERROR"}}}})
            if not result.success:
                failures.append(day.isoformat())
    seconds = time.perf_counter() - started
    container.shutdown_resources()
    return seconds, failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, default=None,
                        help="copy the bootstrapped ten-year SQLite database here (for the other benchmarks' --db)")
    args = parser.parse_args()
    console = Console()
    chunk = Settings().backfill_chunk_sessions
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        boot_db = folder / "boot.db"
        container = fresh_container(folder, boot_db.name)
        pipeline = container.range_pipeline()
        started = time.perf_counter()
        boot = pipeline.run(BOOT_START, BOOT_END)
        bootstrap_seconds = time.perf_counter() - started
        container.shutdown_resources()
        failed = [o.step for o in boot if o.status != "success"]
        if failed:
            raise SystemExit(f"bootstrap failed: {failed}")
        if args.keep is not None:
            shutil.copyfile(boot_db, args.keep)
        compute_2024 = sum(o.seconds for o in pipeline.run(YEAR_START, YEAR_END))  # services only, for the share
        sessions = b3_sessions(YEAR_START, YEAR_END)

        range_db = folder / "range.db"
        shutil.copyfile(boot_db, range_db)
        dagster_seconds, runs, range_failures = _dagster_range(folder, range_db, sessions, chunk)
        os.environ["DAGSTER_EVENT_BATCH_SIZE"] = "1000"
        batch_db = folder / "batch.db"
        shutil.copyfile(boot_db, batch_db)
        (folder / "dagster_range").rename(folder / "dagster_range_unbatched")
        batched_seconds, _, _ = _dagster_range(folder, batch_db, sessions, chunk)
        del os.environ["DAGSTER_EVENT_BATCH_SIZE"]

        daily_db = folder / "daily.db"
        shutil.copyfile(boot_db, daily_db)
        sample = sessions[-SAMPLE:]
        sample_seconds, daily_failures = _dagster_daily(folder, daily_db, sample)
    per_partition_seconds = sample_seconds / len(sample) * len(sessions)
    bookkeeping = max(dagster_seconds - compute_2024, 0.0)
    result = {
        "benchmark": "pipeline_backfill", "assets": 22, "machine": machine(),
        "bootstrap_seconds": round(bootstrap_seconds, 1), "bootstrap_range": f"{BOOT_START}..{BOOT_END}",
        "bootstrap_steps": {o.step: round(o.seconds, 2) for o in boot}, "bootstrap_goal_seconds": 300,
        "dagster_seconds": round(dagster_seconds, 1), "dagster_sessions": len(sessions), "dagster_runs": runs,
        "dagster_chunk_sessions": chunk, "dagster_compute_seconds": round(compute_2024, 1),
        "dagster_bookkeeping_seconds": round(bookkeeping, 1),
        "dagster_bookkeeping_share": round(bookkeeping / dagster_seconds, 3) if dagster_seconds else None,
        "dagster_seconds_with_event_batch_size_1000": round(batched_seconds, 1),
        "per_partition_sample_sessions": len(sample), "per_partition_sample_seconds": round(sample_seconds, 1),
        "per_partition_seconds": round(per_partition_seconds, 1),
        "ratio": round(per_partition_seconds / dagster_seconds, 2), "ratio_goal": 5,
        "failures": {"range": range_failures, "daily": daily_failures},
    }
    table = Table(title="22-asset pipeline backfills (synthetic market, SQLite)")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key in ("bootstrap_seconds", "dagster_seconds", "dagster_compute_seconds", "dagster_bookkeeping_seconds",
                "dagster_bookkeeping_share", "dagster_seconds_with_event_batch_size_1000",
                "per_partition_sample_seconds", "per_partition_seconds", "ratio"):
        table.add_row(key, str(result[key]))
    console.print(table)
    write_result("pipeline_backfill", result)
    if range_failures or daily_failures:
        raise SystemExit(f"failed runs: {result['failures']}")


if __name__ == "__main__":
    main()
