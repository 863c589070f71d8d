"""Daily risk-factor changes (domain.book.FACTORS) from the Silver returns, on B3 sessions, with their gaps."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pandas as pd
import structlog

from application.ports import UnitOfWork
from domain.book import FACTOR_SOURCES, FACTORS
from domain.market.calendar import b3_sessions
from domain.market.factor_days import FACTOR_CALENDARS, FactorGap, classify_changes

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class FactorChanges:
    """Factor changes on B3 sessions and the sessions where a factor's market was open but its change is missing."""

    changes: pd.DataFrame
    gaps: tuple[FactorGap, ...]


class FactorHistory:
    """Reads factor changes; a market closed by its own calendar moves 0, a missing print is a stated gap (NaN)."""

    def __init__(self, uow: Callable[[], UnitOfWork]) -> None:
        self._uow = uow

    def changes(self, start: date, end: date) -> pd.DataFrame:
        """Index: B3 sessions in [start, end] (Timestamps); columns: FACTORS keys; values in factor units.

        NaN before a factor's first observation in the range (it did not exist yet) and on a session
        where its market was open but no change is stored (a gap: a held factor's gap fails the
        session's P&L and risk with a DataGapError); 0.0 on a session its own market was closed (NYSE
        for the S&P 500 and oil, US bond-market days for the UST, B3 for Brazilian factors).
        """
        return self.read(start, end).changes

    def read(self, start: date, end: date) -> FactorChanges:
        """The changes of :meth:`changes` and the gaps they contain, logged as ``factor.gap``."""
        sources = list(FACTOR_SOURCES.values())
        with self._uow() as uow:
            rows = uow.returns.between(start, end, instruments=[s.return_instrument for s in sources])
        sessions = pd.DatetimeIndex(pd.to_datetime(b3_sessions(start, end)))
        frame = pd.DataFrame(index=sessions, columns=list(FACTORS), dtype=float)
        if not rows.empty:
            rows = rows.assign(trade_date=pd.to_datetime(rows["trade_date"]))
            for source in sources:
                values = rows[rows["instrument"] == source.return_instrument].set_index("trade_date")[source.field]
                frame[source.factor] = values.dropna().astype(float).reindex(sessions) * source.scale
        changes, gaps = classify_changes(frame, FACTOR_CALENDARS)
        for gap in gaps:
            log.warning("factor.gap", factor=gap.factor, day=gap.day.isoformat(), calendar=str(gap.calendar))
        return FactorChanges(changes, tuple(gaps))
