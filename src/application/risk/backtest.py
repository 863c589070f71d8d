"""Rolling backtest of the 99% 1-day historical VaR against the book's realised P&L.

A pair is (P&L on book date t, VaR of the previous book date): the VaR of the book held at the close of
t-1 forecasts t's P&L. The row of date D covers the BACKTEST_WINDOW (250) book dates ending at D and is
written only when all 250 have a pair, i.e. from the 251st book date on (the first book date has no
previous VaR; a date whose VaR could not be measured breaks the pairs of the 250 rows after it). Before
that there is no row: a shorter window would make the Basel zones meaningless.
"""

from collections.abc import Mapping
from datetime import date
from typing import Any

import pandas as pd

from domain.risk.backtest import count_exceptions, kupiec_pof, traffic_light

BACKTEST_WINDOW = 250
BACKTEST_CONFIDENCE = 0.99


def backtest_rows(nav: pd.DataFrame, var99: Mapping[date, float], start: date, end: date) -> list[dict[str, Any]]:
    """``var_backtest`` rows for the book dates in [start, end].

    ``nav`` holds ``date`` and ``pnl`` of every book date from at least BACKTEST_WINDOW dates before
    ``start`` to ``end``, ascending; ``var99`` maps book dates to their historical 99% 1-day VaR.
    """
    days = list(nav["date"])
    pnl = nav["pnl"].astype(float).to_numpy()
    forecast = [var99.get(days[i - 1]) if i > 0 else None for i in range(len(days))]
    rows = []
    for end_at, day in enumerate(days):
        first = end_at - BACKTEST_WINDOW + 1
        if not start <= day <= end or first < 0:
            continue
        window = forecast[first:end_at + 1]
        if any(v is None for v in window):
            continue
        index = pd.Index(days[first:end_at + 1])
        exceptions = count_exceptions(pd.Series(pnl[first:end_at + 1], index=index),
                                      pd.Series([float(v) for v in window if v is not None], index=index))
        kupiec = kupiec_pof(exceptions, BACKTEST_WINDOW, confidence=BACKTEST_CONFIDENCE)
        rows.append({"date": day, "window_days": BACKTEST_WINDOW, "exceptions": exceptions,
                     "expected": round(kupiec.expected_rate * BACKTEST_WINDOW, 9), "kupiec_lr": kupiec.statistic,
                     "kupiec_p_value": kupiec.p_value,
                     "traffic_light": str(traffic_light(exceptions, BACKTEST_WINDOW, confidence=BACKTEST_CONFIDENCE))})
    return rows
