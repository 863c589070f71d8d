"""Chart series stored in the report: windows, VaR exceptions, DI curves a week and a month ago, gaps."""

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from domain import panel as p
from domain.agents import REGIMES
from domain.reporting.series import (
    DI_CURVES,
    HISTORY_SESSIONS,
    NAV_HISTORY,
    REGIME_HISTORY,
    VAR_HISTORY,
    report_series,
    series_tables,
)

DAYS = [date(2023, 12, 26), date(2023, 12, 27), date(2023, 12, 28)]


def _nav() -> pd.DataFrame:
    # P&L of the 27th: -3,000 on an opening NAV of 100,000 (-3%); of the 28th: +1,000 on 97,000.
    return pd.DataFrame({"date": DAYS, "nav": [100_000.0, 97_000.0, 98_000.0], "pnl": [0.0, -3_000.0, 1_000.0],
                         "drawdown": [0.0, -0.03, -0.02]})


def _metrics() -> pd.DataFrame:
    rows = []
    for day, historical in zip(DAYS, (0.02, 0.025, 0.03), strict=True):
        for method, scale in (("historical", 1.0), ("parametric", 0.9), ("monte_carlo", 1.1)):
            rows.append((day, method, 0.99, 1, historical * scale))
            rows.append((day, method, 0.95, 1, historical * scale * 0.7))
    return pd.DataFrame(rows, columns=["date", "method", "confidence", "horizon_days", "var_pct_nav"])


def _limits() -> pd.DataFrame:
    return pd.DataFrame({"date": DAYS * 2, "limit_name": ["var99"] * 3 + ["var95"] * 3,
                         "threshold": [0.04] * 3 + [0.03] * 3})


def _regimes() -> pd.DataFrame:
    share = 1.0 / len(REGIMES)
    return pd.DataFrame([{"date": d, **{str(r): share for r in REGIMES}} for d in DAYS])


def _panel() -> pd.DataFrame:
    index = pd.bdate_range("2023-11-20", "2023-12-28")
    rates = np.linspace(0.10, 0.12, len(index))
    return pd.DataFrame({p.DI_1Y: rates, p.DI_5Y: rates + 0.01}, index=index)


def test_a_loss_beyond_the_previous_sessions_historical_var_is_marked_as_an_exception() -> None:
    series = report_series(_nav(), _metrics(), _limits(), _regimes(), _panel())
    table = series_tables(series, DAYS[-1])["risk"][0][0]
    assert table.title == VAR_HISTORY
    assert table.column("date") == [d.isoformat() for d in DAYS]
    assert table.column("historical (% NAV)") == pytest.approx([2.0, 2.5, 3.0])
    assert table.column("parametric (% NAV)") == pytest.approx([1.8, 2.25, 2.7])
    assert table.column("limit (% NAV)") == pytest.approx([4.0, 4.0, 4.0])
    assert table.column("P&L (% NAV)") == pytest.approx([0.0, -3.0, 1_000 / 97_000 * 100])
    # -3% on the 27th beyond the 26th's 2% VaR; nothing to compare on the first day.
    assert table.column("exception") == [None, 1.0, 0.0]


def test_nav_history_runs_from_the_first_of_january_and_regimes_over_the_last_sessions() -> None:
    nav = pd.concat([pd.DataFrame({"date": [date(2022, 12, 29)], "nav": [90_000.0], "pnl": [0.0],
                                   "drawdown": [0.0]}), _nav()])
    series = report_series(nav, _metrics(), _limits(), _regimes(), _panel())
    tables = series_tables(series, DAYS[1])
    equity = tables["portfolio"][0][0]
    assert equity.title == NAV_HISTORY
    assert equity.rows == (("2023-12-26", 100_000.0, 0.0), ("2023-12-27", 97_000.0, -3.0))
    regimes = tables["regime"][0][0]
    assert regimes.title == REGIME_HISTORY and len(regimes.rows) == 2
    assert regimes.rows[0][1] == pytest.approx(100.0 / len(REGIMES))


def test_the_di_curve_is_shown_today_a_week_and_a_month_ago_with_their_dates() -> None:
    panel = _panel()
    series = report_series(_nav(), _metrics(), _limits(), _regimes(), panel)
    (table,), gaps = series_tables(series, DAYS[-1])["market_snapshot"]
    assert table.title == DI_CURVES and gaps == []
    week = panel.index[panel.index <= pd.Timestamp(DAYS[-1] - timedelta(days=7))][-1]
    month = panel.index[panel.index <= pd.Timestamp(DAYS[-1] - timedelta(days=30))][-1]
    assert table.columns == ("tenor", "today 2023-12-28 (%)", f"1 week ago {week.date()} (%)",
                             f"1 month ago {month.date()} (%)")
    one_year = dict(zip(table.column("tenor"), table.rows, strict=True))["1Y"]
    assert one_year[1:] == pytest.approx([100 * panel[p.DI_1Y].iloc[-1], 100 * panel.loc[week, p.DI_1Y],
                                          100 * panel.loc[month, p.DI_1Y]])
    assert dict(zip(table.column("tenor"), table.rows, strict=True))["3M"][1:] == (None, None, None)


def test_missing_series_become_stated_gaps_not_empty_tables() -> None:
    empty = pd.DataFrame()
    series = report_series(_nav(), empty, empty, empty, _panel().iloc[:0])
    tables = series_tables(series, DAYS[-1])
    assert tables["risk"] == ([], ["no VaR history up to 2023-12-28"])
    assert tables["regime"] == ([], ["no regime probabilities up to 2023-12-28 for their history"])
    assert tables["market_snapshot"][0] == []
    assert "no DI pre curve on or before 2023-12-28 (today)" in tables["market_snapshot"][1]
    assert HISTORY_SESSIONS == 126
