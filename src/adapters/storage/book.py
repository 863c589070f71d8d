"""Portfolio and risk tables, written and read as date-ranged frames."""

from collections.abc import Sequence
from datetime import date

import pandas as pd
from sqlalchemy import Connection, delete, func, insert, select

from adapters.storage.frames import read_range, replace_range
from adapters.storage.tables import (
    BookNavRow,
    LimitStatusRow,
    OptimiserFallbackRow,
    PnlAttributionRow,
    PortfolioWeightRow,
    PositionRow,
    RiskComponentRow,
    RiskMetricRow,
    StressResultRow,
    TradeRow,
    VarBacktestRow,
)
from application.ports import OptimiserFallback, UpsertCounts

_F = OptimiserFallbackRow.__table__

TABLES = {
    "portfolio_weights": PortfolioWeightRow.__table__, "positions": PositionRow.__table__,
    "book_nav": BookNavRow.__table__, "trades": TradeRow.__table__, "pnl_attribution": PnlAttributionRow.__table__,
    "risk_metrics": RiskMetricRow.__table__, "risk_components": RiskComponentRow.__table__,
    "var_backtest": VarBacktestRow.__table__, "stress_results": StressResultRow.__table__,
    "limit_status": LimitStatusRow.__table__,
}


class SqlAlchemyBookRepository:
    """Every table of the portfolio and risk layers, by name; each write replaces a date range."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def replace(self, table: str, start: date, end: date, frame: pd.DataFrame) -> UpsertCounts:
        """Replace ``table``'s rows dated in [start, end] by ``frame``."""
        return replace_range(self._c, TABLES[table], "date", start, end, frame)

    def read(self, table: str, start: date, end: date) -> pd.DataFrame:
        """``table``'s rows dated in [start, end]."""
        return read_range(self._c, TABLES[table], "date", start, end)

    def last_date_before(self, table: str, day: date) -> date | None:
        """The latest date of ``table`` strictly before ``day`` (the state a range starts from)."""
        t = TABLES[table]
        value: date | None = self._c.execute(select(func.max(t.c.date)).where(t.c.date < day)).scalar_one_or_none()
        return value

    def replace_fallbacks(self, start: date, end: date, fallbacks: Sequence[OptimiserFallback]) -> UpsertCounts:
        """Replace the optimiser fallbacks dated in [start, end]."""
        removed = self._c.execute(delete(_F).where(_F.c.date.between(start, end))).rowcount
        if fallbacks:
            self._c.execute(insert(_F), [{"date": f.day, "reason": f.reason} for f in fallbacks])
        kept = min(removed, len(fallbacks))
        return UpsertCounts(inserted=len(fallbacks) - kept, updated=kept)

    def fallbacks(self, start: date, end: date) -> list[OptimiserFallback]:
        """The optimiser fallbacks dated in [start, end], by date."""
        rows = self._c.execute(select(_F).where(_F.c.date.between(start, end)).order_by(_F.c.date))
        return [OptimiserFallback(r.date, r.reason) for r in rows]
