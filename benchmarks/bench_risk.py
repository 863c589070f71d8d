"""Risk benchmark: Monte Carlo VaR speed (30 factors, 100,000 scenarios) and the 2015..2024 VaR backtest.

Part one runs benchmarks/risk_montecarlo.py (seeded factor history, t-copula with GARCH(1,1)
marginals). Part two bootstraps every layer over 2015-01-01..2024-12-31 on the synthetic market and
backtests the model book's 1-day 99% VaR (each method) against the next session's P&L over the whole
track record: exceptions, Kupiec proportion-of-failures p-value and the Basel zone, and the median
ratio of the 10-day to the 1-day 99% VaR (sqrt(10) = 3.16 when factor changes are serially
uncorrelated). Prints a table and writes benchmarks/results/risk.json.
"""

import json
import tempfile
import time
from datetime import date
from pathlib import Path

import pandas as pd
import risk_montecarlo
from harness import RESULTS, fresh_container, write_result
from rich.console import Console
from rich.table import Table

from domain.risk.backtest import count_exceptions, kupiec_pof, traffic_light

START, END = date(2015, 1, 1), date(2024, 12, 31)


def track_record_backtest() -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        container = fresh_container(Path(tmp), "risk.db")
        started = time.perf_counter()
        outcomes = container.range_pipeline().run(START, END)
        seconds = time.perf_counter() - started
        failed = [o.step for o in outcomes if o.status != "success"]
        if failed:
            raise SystemExit(f"bootstrap failed: {failed}")
        with container.unit_of_work() as uow:
            nav = uow.book.read("book_nav", START, END)
            metrics = uow.book.read("risk_metrics", START, END)
        container.shutdown_resources()
    pnl = nav.set_index("date")["pnl"]
    result: dict[str, object] = {"bootstrap_seconds": round(seconds, 1), "book_start": str(nav["date"].min()),
                                 "book_end": str(nav["date"].max())}
    for method in ("historical", "parametric", "monte_carlo"):
        var = metrics[(metrics["method"] == method) & (metrics["confidence"] == 0.99)
                      & (metrics["horizon_days"] == 1)].set_index("date")["var_brl"]
        # The VaR of the close of D-1 is tested against the P&L of D.
        pairs = pd.DataFrame({"pnl": pnl, "var": var.reindex(pnl.index).shift(1)}).dropna()
        exceptions = count_exceptions(pairs["pnl"], pairs["var"])
        kupiec = kupiec_pof(exceptions, len(pairs), confidence=0.99)
        zone = traffic_light(exceptions, len(pairs), confidence=0.99)
        ten_day = metrics[(metrics["method"] == method) & (metrics["confidence"] == 0.99)
                          & (metrics["horizon_days"] == 10)].set_index("date")["var_brl"]
        # Square-root-of-time would give sqrt(10) = 3.16 for serially uncorrelated factor changes.
        ratio = (ten_day / var.reindex(ten_day.index)).dropna()
        result[method] = {"observations": len(pairs), "exceptions": exceptions,
                          "var99_10d_over_1d_median": round(float(ratio.median()), 3),
                          "expected": round(0.01 * len(pairs), 1), "kupiec_statistic": round(kupiec.statistic, 3),
                          "kupiec_p_value": round(kupiec.p_value, 4), "traffic_light": str(zone)}
    return result


def main() -> None:
    risk_montecarlo.main()
    mc = json.loads((RESULTS / "risk_montecarlo.json").read_text())
    backtest = track_record_backtest()
    report = {"benchmark": "risk", "monte_carlo": {k: mc[k] for k in (
        "factors", "scenarios", "simulate_var_seconds_median", "simulate_var_goal_seconds", "meets_goal",
        "fit_seconds_median", "fit_history_days", "machine")},
        "var99_backtest_2015_2024": backtest}
    write_result("risk", report)
    table = Table(title="1-day 99% VaR backtest of the model book, 2015-2024 (synthetic market)")
    for column in ("method", "days", "exceptions", "expected", "Kupiec p", "zone"):
        table.add_column(column)
    for method in ("historical", "parametric", "monte_carlo"):
        b = backtest[method]
        assert isinstance(b, dict)
        table.add_row(method, str(b["observations"]), str(b["exceptions"]), str(b["expected"]),
                      str(b["kupiec_p_value"]), b["traffic_light"])
    Console().print(table)
    print(f"Monte Carlo simulate+VaR, 30 factors x 100,000 scenarios: {mc['simulate_var_seconds_median']} s")


if __name__ == "__main__":
    main()
