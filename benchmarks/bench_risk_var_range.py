"""The ``risk_var`` step alone over 2015-01-01..2024-12-31 on the synthetic market.

Bootstraps every layer risk_var reads (Bronze, Silver, agents, signals, portfolio) once into a SQLite
file kept under ``benchmarks/.cache/`` (``--rebuild`` to redo it; ``--cache DIR`` elsewhere), then times
``RiskService.compute_var`` over the ten years, ``--repeat`` times (the best is reported). ``--profile``
prints the top cProfile entries of one run; ``--dump FILE`` writes the stored risk tables (risk_metrics,
risk_components, var_backtest) to a pickle and ``--compare FILE`` checks them against an earlier dump
(exact equality, and the largest relative difference), to prove a speed-up changed no number.

Prints a table and writes benchmarks/results/risk_var_range.json.
"""

import argparse
import cProfile
import os
import pickle
import pstats
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from harness import ROOT, fresh_container, machine, write_result
from rich.console import Console
from rich.table import Table

from application.pipeline import RangePipeline, market_data_steps, portfolio_steps, signal_steps
from entrypoints.container import Container

START, END = date(2015, 1, 1), date(2024, 12, 31)
TABLES = ("risk_metrics", "risk_components", "var_backtest")
DB_NAME = "risk_inputs.db"


def _container(folder: Path, rebuild: bool) -> tuple[Container, float | None]:
    """A container whose database holds every input of risk_var over the ten years (built once)."""
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / DB_NAME
    ready = folder / f"{DB_NAME}.ready"
    if rebuild:
        for path in (db, ready):
            path.unlink(missing_ok=True)
    if ready.exists():
        return fresh_container(folder, DB_NAME), None
    db.unlink(missing_ok=True)
    container = fresh_container(folder, DB_NAME)
    pipeline = RangePipeline(market_data_steps(container.market_data_ingestion(), container.silver_transforms())
                             + signal_steps(container.agent_service(), container.signal_service())
                             + portfolio_steps(container.portfolio_service()))
    started = time.perf_counter()
    outcomes = pipeline.run(START, END)
    seconds = time.perf_counter() - started
    failed = [f"{o.step}: {o.error}" for o in outcomes if o.status != "success"]
    if failed:
        raise SystemExit(f"bootstrap of the risk inputs failed: {failed}")
    ready.write_text(f"{seconds:.1f}\n")
    return container, seconds


def _tables(container: Container, start: date, end: date) -> dict[str, pd.DataFrame]:
    with container.unit_of_work() as uow:
        return {t: uow.book.read(t, start, end) for t in TABLES}


def _compare(now: dict[str, pd.DataFrame], before: dict[str, pd.DataFrame], start: date,
             end: date) -> dict[str, object]:
    """Per table: same shape and keys, exactly equal or not, and the largest relative difference."""
    out: dict[str, object] = {}
    for table in TABLES:
        earlier = before[table][(before[table]["date"] >= start) & (before[table]["date"] <= end)]
        a, b = now[table].reset_index(drop=True), earlier.reset_index(drop=True)
        if a.shape != b.shape or list(a.columns) != list(b.columns):
            out[table] = {"same_shape": False, "now": list(a.shape), "before": list(b.shape)}
            continue
        numeric = [c for c in a.columns if pd.api.types.is_float_dtype(a[c])]
        other = [c for c in a.columns if c not in numeric]
        keys_equal = bool(a[other].astype(str).equals(b[other].astype(str)))
        x, y = a[numeric].to_numpy(dtype=np.float64), b[numeric].to_numpy(dtype=np.float64)
        both_nan = np.isnan(x) & np.isnan(y)
        scale = np.maximum(np.abs(y), 1e-300)
        rel = np.where(both_nan, 0.0, np.abs(x - y) / scale)
        out[table] = {"same_shape": True, "rows": len(a), "keys_equal": keys_equal,
                      "exactly_equal": bool(keys_equal and (np.array_equal(x, y) or np.all((x == y) | both_nan))),
                      "max_relative_difference": float(np.nanmax(rel)) if rel.size else 0.0}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, default=ROOT / "benchmarks" / ".cache",
                        help="folder of the input database")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the input database")
    parser.add_argument("--repeat", type=int, default=1, help="timed runs of risk_var (best reported)")
    parser.add_argument("--profile", action="store_true", help="print the top cProfile entries of one run")
    parser.add_argument("--dump", type=Path, help="write the risk tables of the last run to this pickle")
    parser.add_argument("--compare", type=Path, help="compare the risk tables with this earlier dump")
    parser.add_argument("--start", type=date.fromisoformat, default=START, help="first date of the timed range")
    parser.add_argument("--end", type=date.fromisoformat, default=END, help="last date of the timed range")
    args = parser.parse_args()
    start, end = args.start, args.end

    container, bootstrap = _container(args.cache, args.rebuild)
    risk = container.risk_service()
    times, cpu = [], []
    run = None
    for _ in range(max(1, args.repeat)):
        started, cpu_started = time.perf_counter(), time.process_time()
        run = risk.compute_var(start, end)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        risk.compute_var(start, end)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
    assert run is not None
    tables = _tables(container, start, end)
    container.shutdown_resources()
    if args.dump:
        args.dump.write_bytes(pickle.dumps(tables))
    comparison = _compare(tables, pickle.loads(args.compare.read_bytes()), start, end) if args.compare else None

    result: dict[str, object] = {
        "benchmark": "risk_var_range", "range": f"{start}..{end}", "machine": machine(),
        "load_average_1m_5m_15m": [round(v, 2) for v in os.getloadavg()],
        "risk_var_seconds": round(min(times), 2), "risk_var_runs_seconds": [round(t, 2) for t in times],
        # CPU seconds of the process: less sensitive than wall time to other sessions on a shared machine.
        "risk_var_cpu_seconds": round(min(cpu), 2),
        "goal_seconds": 20, "sessions": run.sessions, "rows": run.rows, "model_fits": run.model_fits,
        "input_bootstrap_seconds": None if bootstrap is None else round(bootstrap, 1),
    }
    if comparison is not None:
        result["compared_with"] = str(args.compare)
        result["comparison"] = comparison
    table = Table(title=f"risk_var over {start}..{end}")
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_row("risk_var seconds (best)", f"{min(times):.2f}")
    table.add_row("runs", ", ".join(f"{t:.2f}" for t in times))
    table.add_row("risk_var CPU seconds (best)", f"{min(cpu):.2f}")
    table.add_row("sessions / rows / fits", f"{run.sessions} / {run.rows} / {run.model_fits}")
    table.add_row("load average 1/5/15 min", " ".join(f"{v:.2f}" for v in os.getloadavg()))
    if comparison is not None:
        for name, facts in comparison.items():
            table.add_row(f"vs dump: {name}", str(facts))
    Console().print(table)
    print(f"risk_var_seconds={min(times):.2f} cpu_seconds={min(cpu):.2f}")
    write_result("risk_var_range", result)


if __name__ == "__main__":
    main()
