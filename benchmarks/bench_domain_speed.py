"""Domain speed at ten-year scale: the timings that used to be asserted in unit tests.

Three measurements on seeded synthetic inputs (no database): agents, strategies, aggregation and
monitor over a 2,500-session panel (target 10 s); DI pre curves for 2,500 dates of 30 contracts
(target 2 s); the track record of a nine-position book over 2,500 dates (target 1 s). Prints a table
and writes benchmarks/results/domain_speed.json.
"""

import os
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from harness import ROOT, machine, write_result
from rich.console import Console
from rich.table import Table

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # the seeded panel factory lives with the unit tests

from tests.unit.agents.panel_factory import synthetic_panel

from domain.agents import run_agents
from domain.curves import build_di_curves
from domain.market.calendar import is_business_day
from domain.market.di1 import di1_pu
from domain.market.instruments import future_ticker
from domain.portfolio.track_record import track_record
from domain.signals import aggregate, monitor
from domain.strategies import run_strategies


def _timed(work: Callable[[], Any]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def signals_pipeline() -> float:
    panel = synthetic_panel(seed=7)

    def run() -> None:
        agents = run_agents(panel)
        strategies = run_strategies(panel, agents)
        monitor(aggregate(strategies, agents.regime_probs), strategies)
    return _timed(run)


def di_curves() -> float:
    days = [d.date() for d in pd.bdate_range("2015-01-01", periods=2600) if is_business_day(d.date())][:2500]
    months = np.tile(np.arange(1, 31), len(days))
    frame = pd.DataFrame({
        "trade_date": np.repeat(np.array(days, dtype="datetime64[D]"), 30),
        "instrument": [future_ticker("DI1", d.year + (d.month + k - 1) // 12, (d.month + k - 1) % 12 + 1)
                       for d in days for k in range(1, 31)],
        "price": di1_pu(0.10 + 0.0005 * months, 21 * months), "rate": np.nan})
    return _timed(lambda: build_di_curves(frame))


def track_record_speed() -> float:
    rng = np.random.default_rng(42)
    dates = pd.bdate_range("2015-01-01", periods=2_500)
    factors = [f"F{i}" for i in range(9)]
    changes = pd.DataFrame(rng.normal(size=(2_500, 9)) * 5.0, index=dates, columns=factors)
    columns = pd.MultiIndex.from_arrays([[f"P{i}" for i in range(9)], factors], names=["position", "factor"])
    sens = pd.DataFrame(rng.normal(size=(2_500, 9)) * 1_000.0, index=dates, columns=columns)
    return _timed(lambda: track_record(sens, changes))


def main() -> None:
    rows = [("agents + strategies + aggregation + monitor, 2,500 sessions", signals_pipeline(), 10.0),
            ("DI pre curves, 2,500 dates x 30 contracts", di_curves(), 2.0),
            ("track record, 9 positions x 2,500 dates", track_record_speed(), 1.0)]
    table = Table(title="Domain speed")
    for column in ("measurement", "seconds", "target (s)"):
        table.add_column(column)
    for name, seconds, target in rows:
        table.add_row(name, f"{seconds:.2f}", f"{target:.1f}")
    Console().print(table)
    write_result("domain_speed", {
        "machine": machine(), "load_average_1m": round(os.getloadavg()[0], 2),
        "measurements": [{"name": n, "seconds": round(s, 3), "target_seconds": t} for n, s, t in rows]})


if __name__ == "__main__":
    main()
