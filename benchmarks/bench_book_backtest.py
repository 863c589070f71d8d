"""The model book of the 2015-2024 synthetic backtest: how often each limit is breached, and how it performs.

Runs every layer up to ``risk_limits`` (the report is not needed) over 2015-01-01..2024-12-31 on the synthetic
market into a fresh SQLite file, then reads the stored tables:

* ``breach_share``: per limit (keys are the limit names, e.g. ``risk_budget_share``), the share of book sessions
  on which ``limit_status`` says breached; ``circuit_breaker_share`` likewise per breaker state;
* ``annual_return`` (geometric, from the NAV), ``volatility`` (annualised daily returns), ``sharpe``
  (annual_return / volatility, excess over zero: the synthetic book is funded at zero), ``max_drawdown``;
* ``turnover``: traded notional a year over the mean NAV, where a session's traded notional is
  sum_i |contracts_t - contracts_{t-1}| x |notional per contract| (today's, or yesterday's for a closed line);
* ``costs``: the transaction costs the track record books (``book_nav.costs`` when the book stores it), a year,
  in BRL and as a fraction of mean NAV; null while the track record has no costs.

``--database FILE`` reuses an SQLite file already bootstrapped up to portfolio_sizing (bench_risk_var_range.py's
cache) and runs only the three risk steps, minutes instead of the whole bootstrap.

Prints a table and writes benchmarks/results/book_backtest.json (``--label before`` writes book_backtest_before.json).
"""

import argparse
import math
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from harness import fresh_container, machine, write_result
from rich.console import Console
from rich.table import Table

START, END = date(2015, 1, 1), date(2024, 12, 31)
SESSIONS_PER_YEAR = 252


def _turnover(positions: pd.DataFrame, nav: pd.DataFrame) -> float:
    frame = positions[["date", "instrument", "contracts", "notional_brl"]].copy()
    frame["per_contract"] = (frame["notional_brl"] / frame["contracts"].where(frame["contracts"] != 0)).abs()
    contracts = frame.pivot_table(index="date", columns="instrument", values="contracts", aggfunc="sum")
    per = frame.pivot_table(index="date", columns="instrument", values="per_contract", aggfunc="mean")
    contracts = contracts.reindex(nav["date"]).fillna(0.0)
    per = per.reindex(nav["date"])
    size = per.fillna(per.shift(1))  # a closed line trades at yesterday's size per contract
    traded = (contracts.diff().abs().fillna(contracts.abs()) * size.fillna(0.0)).sum(axis=1)
    years = len(nav) / SESSIONS_PER_YEAR
    return float(traded.sum() / float(nav["nav"].mean()) / years)


def summarise(tables: dict[str, pd.DataFrame]) -> dict[str, Any]:
    """Breach shares per limit and the book's performance from the stored tables."""
    nav = tables["book_nav"].sort_values("date").reset_index(drop=True)
    limits = tables["limit_status"]
    sessions = int(limits["date"].nunique())
    breach = {str(k): round(float(v), 4) for k, v in limits.groupby("limit_name")["breached"].mean().items()}
    breakers = limits.drop_duplicates("date")["circuit_breaker"].value_counts(normalize=True)
    returns = nav["daily_return"].to_numpy(float)
    years = len(nav) / SESSIONS_PER_YEAR
    first_nav = float(nav["nav"].iloc[0]) - float(nav["pnl"].iloc[0])
    annual = (float(nav["nav"].iloc[-1]) / first_nav) ** (1 / years) - 1
    vol = float(np.std(returns, ddof=1) * math.sqrt(SESSIONS_PER_YEAR))
    costs = None
    costs_pct = None
    if "costs" in nav.columns:
        costs = float(nav["costs"].abs().sum() / years)
        costs_pct = costs / float(nav["nav"].mean())
    return {
        "sessions": sessions, "book_start": str(nav["date"].iloc[0]), "book_end": str(nav["date"].iloc[-1]),
        "breach_share": breach,
        "circuit_breaker_share": {str(k): round(float(v), 4) for k, v in breakers.items()},
        "annual_return": round(annual, 4), "volatility": round(vol, 4),
        "sharpe": round(annual / vol, 3) if vol > 0 else None,
        "max_drawdown": round(float(-nav["drawdown"].min()), 4),
        "turnover": round(_turnover(tables["positions"], nav), 2),
        "costs_brl_per_year": round(costs, 0) if costs is not None else None,
        "costs": round(costs_pct, 5) if costs_pct is not None else None,
        "mean_gross_leverage": round(float(nav["gross_leverage"].mean()), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--label", default="", help="suffix of the result file (e.g. 'before')")
    parser.add_argument("--start", type=date.fromisoformat, default=START)
    parser.add_argument("--end", type=date.fromisoformat, default=END)
    parser.add_argument("--database", type=Path,
                        help="an SQLite file already holding every layer up to portfolio_sizing over the range (e.g. "
                             "benchmarks/.cache/risk_inputs.db of bench_risk_var_range.py): only the risk steps run")
    args = parser.parse_args()
    start, end = args.start, args.end
    console = Console()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) if args.database is None else args.database.parent
        # The ten-year run keeps the default history (2010 on); a shorter range starts its history with the range.
        container = fresh_container(folder, **({} if args.database is None else {"name": args.database.name}),
                                    **({} if start == START else {"history_start": start}))
        pipeline = container.range_pipeline()
        skip = {"daily_report"}  # the report adds nothing to the book
        if args.database is not None:
            skip |= {s.name for s in pipeline._steps if not s.name.startswith("risk_")}
        pipeline = type(pipeline)([s for s in pipeline._steps if s.name not in skip])
        started = time.perf_counter()
        outcomes = pipeline.run(start, end)
        seconds = time.perf_counter() - started
        failed = {o.step: o.error for o in outcomes if o.status != "success"}
        if failed:
            raise SystemExit(f"backtest failed: {failed}")
        with container.unit_of_work() as uow:
            tables = {t: uow.book.read(t, start, end) for t in ("book_nav", "positions", "limit_status")}
        container.shutdown_resources()
    result = {"benchmark": "book_backtest", "machine": machine(), "range": f"{start}..{end}",
              "seconds": round(seconds, 1), "steps": {o.step: round(o.seconds, 2) for o in outcomes},
              **summarise(tables)}
    table = Table(title=f"Model book, synthetic {start}..{end}")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key, value in result["breach_share"].items():
        table.add_row(f"breach share {key}", f"{value:.1%}")
    for key in ("annual_return", "volatility", "sharpe", "max_drawdown", "turnover", "costs", "mean_gross_leverage",
                "seconds"):
        table.add_row(key, str(result[key]))
    console.print(table)
    write_result("book_backtest" + (f"_{args.label}" if args.label else ""), result)


if __name__ == "__main__":
    main()
