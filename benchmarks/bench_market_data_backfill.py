"""Backfill benchmark: the nine Bronze/Silver layers over 2015..2024 on the synthetic source.

Runs the same path as ``macrodesk backfill`` (RangePipeline over the application services) into a
fresh SQLite database, prints a table and writes benchmarks/results/market_data_backfill.json.
"""

import json
import platform
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from adapters.storage import migrations  # noqa: E402
from adapters.storage.tables import Base  # noqa: E402
from domain.market.calendar import b3_sessions  # noqa: E402
from entrypoints.container import build_container  # noqa: E402
from entrypoints.settings import Settings  # noqa: E402

START, END = date(2015, 1, 1), date(2024, 12, 31)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        migrations.upgrade(url)
        container = build_container(Settings(database_url=url, data_dir=Path(tmp)))
        pipeline = container.range_pipeline()
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
        "table_rows": rows, "machine": {"python": platform.python_version(), "cpus": __import__("os").cpu_count()},
    }
    out = ROOT / "benchmarks" / "results" / "market_data_backfill.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {out.relative_to(ROOT)}")
    if failed:
        raise SystemExit(f"failed steps: {[o.step for o in failed]}")


if __name__ == "__main__":
    main()
