"""Agents and signals backfill benchmark over 2015..2024 on the synthetic market.

Bronze and Silver are built first (not timed), then the five agents, the aggregation and the
monitor run over the range through the same services as ``macrodesk backfill``. Prints a table,
checks that the signals are alive, and writes benchmarks/results/signals_backfill.json.
"""

import tempfile
import time
from datetime import date
from pathlib import Path

from harness import fresh_container, machine, write_result
from rich.console import Console
from rich.table import Table

from application.pipeline import RangePipeline, market_data_steps, signal_steps

START, END = date(2015, 1, 1), date(2024, 12, 31)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        c = fresh_container(Path(tmp))
        setup = RangePipeline(market_data_steps(c.market_data_ingestion(), c.silver_transforms()))
        setup_outcomes = setup.run(date(2010, 1, 4), END)
        assert all(o.status == "success" for o in setup_outcomes), setup_outcomes
        pipeline = RangePipeline(signal_steps(c.agent_service(), c.signal_service()))
        started = time.perf_counter()
        outcomes = pipeline.run(START, END)
        seconds = time.perf_counter() - started
        with c.unit_of_work() as uow:
            strategies = uow.signals.strategies(START, END)
            regimes = uow.signals.regimes(START, END)
            events = uow.signals.events(START, END)
        c.shutdown_resources()
    signs = strategies.groupby("strategy_id")["signal"].agg(long=lambda s: int((s > 0).sum()),
                                                             short=lambda s: int((s < 0).sum()))
    regime_days = {str(k): int(v) for k, v in regimes["regime"].value_counts().items()}
    event_counts = {str(k): int(v) for k, v in events["kind"].value_counts().items()}
    alive = bool((signs["long"] > 0).all() and (signs["short"] > 0).all() and event_counts.get("flip", 0) > 0
                 and len(regime_days) > 1)
    table = Table(title=f"Agents + signals backfill {START}..{END} (synthetic, SQLite)")
    for column in ("step", "status", "seconds", "rows"):
        table.add_column(column)
    for o in outcomes:
        table.add_row(o.step, o.status, f"{o.seconds:.2f}", str(o.rows))
    table.add_row("total", "", f"{seconds:.2f}", "")
    console = Console()
    console.print(table)
    console.print(signs)
    console.print(f"regime days: {regime_days}; events: {event_counts}; alive: {alive}")
    result = {
        "benchmark": "signals_backfill", "start": START.isoformat(), "end": END.isoformat(),
        "seconds": round(seconds, 2), "goal_seconds": 60,
        "steps": {o.step: {"seconds": round(o.seconds, 3), "rows": o.rows, "status": o.status} for o in outcomes},
        "alive": alive, "strategy_signs": signs.to_dict(orient="index"), "regime_days": regime_days,
        "events": event_counts, "machine": machine(),
    }
    write_result("signals_backfill", result)
    if not alive or any(o.status != "success" for o in outcomes):
        raise SystemExit("signals are not alive or a step failed")


if __name__ == "__main__":
    main()
