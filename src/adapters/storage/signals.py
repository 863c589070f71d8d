"""Agent outputs, strategy and aggregated signals, regimes and monitor events."""

from datetime import date

import pandas as pd
from sqlalchemy import Connection

from adapters.storage.frames import read_range, replace_range
from adapters.storage.tables import (
    AgentReportRow,
    AgentSignalRow,
    AggregatedSignalRow,
    RegimeRow,
    SignalEventRow,
    StrategySignalRow,
)
from application.ports import UpsertCounts

_AS = AgentSignalRow.__table__
_AR = AgentReportRow.__table__
_SS = StrategySignalRow.__table__
_AG = AggregatedSignalRow.__table__
_RG = RegimeRow.__table__
_EV = SignalEventRow.__table__


class SqlAlchemySignalRepository:
    """The signal layer's tables; every write replaces a date range."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def replace_agent(self, agent: str, start: date, end: date, signals: pd.DataFrame,
                      reports: pd.DataFrame) -> UpsertCounts:
        """One agent's signals and reports dated in [start, end]."""
        counts = replace_range(self._c, _AS, "date", start, end, signals, where=_AS.c.agent == agent)
        return counts + replace_range(self._c, _AR, "date", start, end, reports, where=_AR.c.agent == agent)

    def replace_strategies(self, start: date, end: date, frame: pd.DataFrame) -> UpsertCounts:
        """Strategy signals dated in [start, end]."""
        return replace_range(self._c, _SS, "date", start, end, frame)

    def replace_aggregated(self, start: date, end: date, frame: pd.DataFrame, regimes: pd.DataFrame) -> UpsertCounts:
        """Aggregated signals and regime probabilities dated in [start, end]."""
        return replace_range(self._c, _AG, "date", start, end, frame) + replace_range(
            self._c, _RG, "date", start, end, regimes)

    def replace_events(self, start: date, end: date, frame: pd.DataFrame) -> UpsertCounts:
        """Monitor events dated in [start, end]."""
        return replace_range(self._c, _EV, "date", start, end, frame)

    def agent_signals(self, start: date, end: date) -> pd.DataFrame:
        """Agent signals dated in [start, end]."""
        return read_range(self._c, _AS, "date", start, end)

    def agent_reports(self, start: date, end: date) -> pd.DataFrame:
        """Agent reports dated in [start, end]."""
        return read_range(self._c, _AR, "date", start, end)

    def strategies(self, start: date, end: date) -> pd.DataFrame:
        """Strategy signals dated in [start, end]."""
        return read_range(self._c, _SS, "date", start, end)

    def aggregated(self, start: date, end: date) -> pd.DataFrame:
        """Aggregated signals dated in [start, end]."""
        return read_range(self._c, _AG, "date", start, end)

    def regimes(self, start: date, end: date) -> pd.DataFrame:
        """Regime probabilities dated in [start, end]."""
        return read_range(self._c, _RG, "date", start, end)

    def events(self, start: date, end: date) -> pd.DataFrame:
        """Monitor events dated in [start, end]."""
        return read_range(self._c, _EV, "date", start, end)
