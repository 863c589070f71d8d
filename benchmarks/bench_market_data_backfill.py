"""Backfill benchmark: the nine Bronze/Silver layers over 2015..2024 on the synthetic source.

Runs the same path as ``macrodesk backfill`` (RangePipeline over the application services) into a
fresh SQLite database, prints a table and writes benchmarks/results/market_data_backfill.json.
"""

import tempfile
import time
from datetime import date
from pathlib import Path

from harness import fresh_container, machine, write_result
from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select

from adapters.storage.tables import Base
from application.pipeline import RangePipeline, market_data_steps
from domain.market.calendar import b3_sessions

START, END = date(2015, 1, 1), date(2024, 12, 31)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        container = fresh_container(Path(tmp))
        # Only the nine Bronze and Silver layers: the container's range pipeline runs all 22.
        pipeline = RangePipeline(market_data_steps(container.market_data_ingestion(), container.silver_transforms()))
        started = time.perf_counter()
        outcomes = pipeline.run(START, END)
        seconds = time.perf_counter() - started
        with container.engine().connect() as connection:
            rows = {name: int(connection.execute(select(func.count()).select_from(t)).scalar_one())
                    for name, t in Base.metadata.tables.items()}
        container.shutdown_resources()
    failed = [o for o in outcomes if o.status != "success"]
    sessions = len(b3_sessions(START, END))
    table = Table(title=f"Bronze+Silver backfill {START}..{END} ({sessions} B3 sessions, synthetic, SQLite)")
    for column in ("step", "status", "seconds", "rows"):
        table.add_column(column)
    for o in outcomes:
        table.add_row(o.step, o.status, f"{o.seconds:.2f}", str(o.rows))
    table.add_row("total", "failed" if failed else "success", f"{seconds:.2f}", str(sum(rows.values())))
    Console().print(table)
    result = {
        "benchmark": "market_data_backfill", "start": START.isoformat(), "end": END.isoformat(),
        "partitions": sessions, "seconds": round(seconds, 2), "goal_seconds": 60,
        "steps": {o.step: {"seconds": round(o.seconds, 3), "rows": o.rows, "status": o.status} for o in outcomes},
        "table_rows": rows, "machine": machine(),
    }
    write_result("market_data_backfill", result)
    if failed:
        raise SystemExit(f"failed steps: {[o.step for o in failed]}")


if __name__ == "__main__":
    main()
