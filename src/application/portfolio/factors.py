"""Daily risk-factor changes (domain.book.FACTORS) from the Silver returns, on B3 sessions."""

from collections.abc import Callable
from datetime import date

import pandas as pd

from application.ports import UnitOfWork
from domain.book import FACTOR_SOURCES, FACTORS
from domain.market.calendar import b3_sessions


class FactorHistory:
    """Reads factor changes; a market closed on a B3 session (US holiday) counts as no change."""

    def __init__(self, uow: Callable[[], UnitOfWork]) -> None:
        self._uow = uow

    def changes(self, start: date, end: date) -> pd.DataFrame:
        """Index: B3 sessions in [start, end] (Timestamps); columns: FACTORS keys; values in factor units.

        A session before a factor's first observation stays NaN (the factor did not exist yet);
        after it, a missing change is 0.
        """
        sources = list(FACTOR_SOURCES.values())
        with self._uow() as uow:
            rows = uow.returns.between(start, end, instruments=[s.return_instrument for s in sources])
        sessions = pd.DatetimeIndex(pd.to_datetime(b3_sessions(start, end)))
        frame = pd.DataFrame(index=sessions, columns=list(FACTORS), dtype=float)
        if rows.empty:
            return frame
        rows = rows.assign(trade_date=pd.to_datetime(rows["trade_date"]))
        for source in sources:
            values = rows[rows["instrument"] == source.return_instrument].set_index("trade_date")[source.field]
            values = values.dropna()
            if values.empty:
                continue
            series = values.astype(float).reindex(sessions) * source.scale
            started = sessions >= values.index.min()
            frame[source.factor] = series.where(~started | series.notna(), 0.0)
        return frame
