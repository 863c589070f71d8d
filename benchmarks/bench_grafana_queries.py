"""Every Grafana panel, variable and annotation query on ten years of synthetic history (2015-2024) in PostgreSQL.

1. Builds (or, with ``--reuse``, reuses) the PostgreSQL database ``macrodesk_grafana_bench`` on
   ``MACRODESK_TEST_POSTGRES_URL``'s server: migrated to head, market data, agents and signals computed over
   2015-01-01..2024-12-31 on the synthetic market in one range run (``macrodesk backfill``'s path), then the book
   (portfolio, risk, report) over the same ten years, recorded in the run history.
2. Expands each query as Grafana does (tests/grafana_sql.py) over the whole ten years (the widest range a user
   can pick, so the largest result sets), template variables at their default (the latest session).
3. Runs each query ``REPEATS`` times after one warm-up, on one connection, fetching every row, and reports the
   median and the maximum in milliseconds. The target is <= 100 ms for every query.

Prints a table and writes benchmarks/results/grafana_queries.json.
"""

import argparse
import os
import socket
import statistics
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from tempfile import TemporaryDirectory
from zoneinfo import ZoneInfo

from harness import ROOT, machine, write_result
from pydantic import SecretStr
from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.grafana_sql import expand_macros, interpolate_variables, load_dashboards, sql_targets

from adapters.storage import migrations
from application.pipeline import (
    RangePipeline,
    market_data_steps,
    portfolio_steps,
    report_steps,
    risk_steps,
    signal_steps,
)
from domain.alerts.staleness import next_b3_session
from entrypoints.container import build_container
from entrypoints.settings import Settings

ADMIN_URL = os.environ.get("MACRODESK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
DATABASE = "macrodesk_grafana_bench"
START, END = date(2015, 1, 1), date(2024, 12, 31)
REPEATS = 20
TARGET_MS = 100.0


def _url(database: str) -> str:
    return make_url(ADMIN_URL).set(database=database).render_as_string(hide_password=False)



def build(url: str) -> float:
    """Create the database afresh and fill it with the pipeline over 2015-2024; returns the pipeline's seconds.

    Market data, agents and signals first, then the book (portfolio, risk, report), which starts once it has
    the factor history it needs (about 13 months in). Then a morning with the network down: the live connectors,
    pointed at a loopback port nobody listens on, fail for real on the next session, and the alert rules are
    evaluated at 07:00 (the failures and stale data fire; their messages go to the local outbox), so that the
    failure, alert and delivery panels have rows. Finally ``ANALYZE``, as autovacuum would after a bulk load.
    """
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{DATABASE}"'))
    admin.dispose()
    migrations.upgrade(url)
    started = time.perf_counter()
    with TemporaryDirectory() as folder:
        container = build_container(Settings(database_url=url, data_dir=Path(folder)))
        c = container
        history = RangePipeline(market_data_steps(c.market_data_ingestion(), c.silver_transforms())
                                + signal_steps(c.agent_service(), c.signal_service()), c.clock())
        book = RangePipeline(portfolio_steps(c.portfolio_service()) + risk_steps(c.risk_service())
                             + report_steps(c.report_service()), c.clock())
        outcomes = history.run(START, END) + book.run(START, END)
        container.run_history().record_range_run(f"cli-{uuid.uuid4()}", START, END, outcomes)
        container.shutdown_resources()
        failed = [f"{o.step}: {o.error}" for o in outcomes if o.status == "failed"]
        if failed:
            raise SystemExit(f"the pipeline failed: {failed}")
        seconds = time.perf_counter() - started
        _network_down_morning(url, Path(folder))
    with create_engine(url, isolation_level="AUTOCOMMIT").connect() as connection:
        connection.execute(text("ANALYZE"))
    return seconds


def _network_down_morning(url: str, folder: Path) -> None:
    """The next session run on live sources that cannot be reached, then the 07:00 alert evaluation."""
    with socket.socket() as probe:  # a loopback port that was free a moment ago: connections are refused
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    session = next_b3_session(END)
    urls = {name: dead for name in ("bcb_sgs_url", "bcb_olinda_url", "fred_url", "yahoo_url", "b3_url",
                                    "b3_price_report_url", "us_treasury_url", "tesouro_url")}
    live = build_container(Settings(database_url=url, data_dir=folder, market_source="live", http_attempts=2,
                                    http_backoff_seconds=0.0, fred_api_key=SecretStr("bench"), **urls))
    steps = market_data_steps(live.market_data_ingestion(), live.silver_transforms())
    outcomes = RangePipeline(steps, live.clock()).run(session, session)
    live.run_history().record_range_run(f"cli-{uuid.uuid4()}", session, session, outcomes)
    if not any(o.status == "failed" for o in outcomes):
        raise SystemExit("the network-down morning failed nothing")
    at = datetime.combine(next_b3_session(session), dtime(7, 0), tzinfo=ZoneInfo("America/Sao_Paulo"))
    report = live.alert_service().evaluate(at)
    live.shutdown_resources()
    print(f"network-down morning {session}: {sum(o.status == 'failed' for o in outcomes)} steps failed; "
          f"alerts firing at {at:%Y-%m-%d %H:%M}: {sorted({str(i.rule_id) for i in report.firing})}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help="reuse an existing filled database (migrated to head)")
    parser.add_argument("--database", default=DATABASE, help="database name (with --reuse: any filled database)")
    args = parser.parse_args()
    url = _url(args.database)
    build_seconds = None
    if args.reuse:
        migrations.upgrade(url)
    else:
        build_seconds = build(url)

    engine = create_engine(url)
    raw = engine.raw_connection()
    cursor = raw.cursor()
    counts = {}
    for table in ("asset_runs", "connector_runs", "strategy_signals", "aggregated_signals", "signal_events",
                  "risk_metrics", "limit_status", "stress_results", "book_nav", "pnl_attribution", "positions",
                  "trades"):
        cursor.execute(f"SELECT count(*) FROM {table}")
        counts[table] = cursor.fetchone()[0]

    start = datetime(START.year, START.month, START.day, tzinfo=UTC)
    end = datetime.now(UTC) + timedelta(days=1)
    targets = sql_targets(load_dashboards(), "macrodesk-pg")
    variables: dict[str, dict[str, object]] = {}
    for target in targets:
        if target.kind == "variable":
            cursor.execute(expand_macros(target.sql, start, end))
            variables.setdefault(target.dashboard, {})[target.title] = cursor.fetchone()[0]

    rows = []
    for target in targets:
        sql = expand_macros(interpolate_variables(target.sql, variables.get(target.dashboard, {})), start, end)
        cursor.execute(sql)
        cursor.fetchall()  # warm-up
        timings = []
        for _ in range(REPEATS):
            began = time.perf_counter()
            cursor.execute(sql)
            result = cursor.fetchall()
            timings.append((time.perf_counter() - began) * 1000)
        rows.append({"dashboard": target.dashboard, "kind": target.kind, "title": target.title,
                     "ref_id": target.ref_id, "rows": len(result), "median_ms": round(statistics.median(timings), 2),
                     "max_ms": round(max(timings), 2)})
    raw.close()
    engine.dispose()

    table = Table(title=f"Grafana queries on {START.year}-{END.year} (PostgreSQL, {REPEATS} runs each)")
    for column in ("dashboard", "query", "rows", "median ms", "max ms"):
        table.add_column(column)
    for r in rows:
        table.add_row(r["dashboard"], f"{r['kind']}: {r['title']} [{r['ref_id']}]"[:70], str(r["rows"]),
                      f"{r['median_ms']:.2f}", f"{r['max_ms']:.2f}")
    Console().print(table)
    empty = [f"{r['dashboard']}: {r['title']} [{r['ref_id']}]" for r in rows if r["rows"] == 0]
    if empty and args.database == DATABASE:
        raise SystemExit(f"queries with no rows on ten years of history: {empty}")
    worst = max(r["max_ms"] for r in rows)
    over = [r for r in rows if r["max_ms"] > TARGET_MS]
    print(f"{len(rows)} queries; worst max {worst:.1f} ms; over {TARGET_MS:.0f} ms: {len(over)}")
    if args.database != DATABASE:
        print(f"not written: {args.database} is not the ten-year benchmark database")
        return
    write_result("grafana_queries", {
        "machine": machine(), "load_average_1m": os.getloadavg()[0], "history": [START.isoformat(), END.isoformat()],
        "build_seconds": build_seconds, "table_rows": counts, "repeats": REPEATS, "target_ms": TARGET_MS,
        "worst_max_ms": worst, "queries_over_target": len(over), "queries": rows})


if __name__ == "__main__":
    main()
