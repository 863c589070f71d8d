"""The ``daily_report`` step alone: assembling and storing the structured reports of a range (target <= 10 s).

The database is bootstrapped through every step the report reads (the range pipeline over 2015-2024 by
default, the ``daily_report`` step included: its time during the bootstrap is recorded as
``bootstrap_daily_report_seconds``); then the assembly is timed again on that database, ``--repeat`` times
(re-running a range replaces its reports). Rendering is not part of it: pages are rendered on demand.

``--keep FILE`` saves the bootstrapped SQLite file, ``--db FILE`` reuses one (no bootstrap), so the
assembly can be re-measured quietly without re-running the ten-year pipeline. ``--profile N`` prints the
N costliest functions (cProfile, cumulative) of one extra assembly. Prints a table and writes
benchmarks/results/report_assembly.json (wall and CPU seconds, the best of the runs) with the load
average before and after.

Re-measure on a kept database: ``python benchmarks/bench_report_assembly.py --db FILE --repeat 3``.
"""

import argparse
import cProfile
import os
import pstats
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

from harness import fresh_container, machine, write_result
from rich.console import Console
from rich.table import Table

from entrypoints.container import build_container
from entrypoints.settings import Settings

START, END = date(2015, 1, 1), date(2024, 12, 31)
TARGET_SECONDS = 10.0


def bootstrap(folder: Path, start: date, end: date) -> dict[str, float]:
    """Run the range pipeline on a new database in ``folder``; return each step's seconds."""
    container = fresh_container(folder, "report.db", history_start=start)
    outcomes = container.range_pipeline().run(start, end)
    container.shutdown_resources()
    failed = [o.step for o in outcomes if o.status != "success"]
    if failed:
        raise SystemExit(f"bootstrap failed: {failed}")
    return {o.step: round(o.seconds, 2) for o in outcomes}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, help="reuse this bootstrapped SQLite file (no bootstrap)")
    parser.add_argument("--keep", type=Path, help="save the bootstrapped SQLite file here")
    parser.add_argument("--start", type=date.fromisoformat, default=START)
    parser.add_argument("--end", type=date.fromisoformat, default=END)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--profile", type=int, default=0, help="print the N costliest functions of one run")
    parser.add_argument("--name", default="report_assembly", help="results file name")
    args = parser.parse_args()
    result: dict[str, object] = {"benchmark": "report_assembly", "range": f"{args.start}..{args.end}",
                                 "load_average_1m_before": round(os.getloadavg()[0], 2)}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "report.db"
        if args.db:
            shutil.copyfile(args.db, db)
        else:
            steps = bootstrap(folder, args.start, args.end)
            result["bootstrap_daily_report_seconds"] = steps.get("daily_report")
            if args.keep:
                shutil.copyfile(db, args.keep)
        container = build_container(Settings(database_url=f"sqlite:///{db}", data_dir=folder,
                                             history_start=args.start))
        service = container.report_service()
        timings, cpu = [], []
        for _ in range(args.repeat):
            started, cpu_started = time.perf_counter(), time.process_time()
            assembled = service.assemble(args.start, args.end)
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
        if args.profile:
            profiler = cProfile.Profile()
            profiler.runcall(service.assemble, args.start, args.end)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.profile)
        container.shutdown_resources()
    # CPU seconds of this process too: on a shared machine they move less with the load than wall time.
    result.update({"assembly_seconds": round(min(timings), 2), "assembly_runs": [round(t, 2) for t in timings],
                   "assembly_cpu_seconds": round(min(cpu), 2),
                   "sessions": assembled.sessions, "reports": assembled.rows,
                   "machine": machine(), "load_average_1m_after": round(os.getloadavg()[0], 2),
                   "target_seconds": TARGET_SECONDS})
    table = Table(title="daily_report assembly")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key, value in result.items():
        if key != "machine":
            table.add_row(key, str(value))
    Console().print(table)
    write_result(args.name, result)


if __name__ == "__main__":
    main()
