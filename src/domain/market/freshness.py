"""How far a connector's newest data may lag the session it was fetched for (the pipeline-health grid)."""

from dataclasses import dataclass
from datetime import date

from domain.market.bronze import Connector
from domain.market.calendar import b3_sessions

# Sessions a connector's latest data may lag its partition: FRED and Treasury publish the next day.
FRESHNESS_SESSIONS = {Connector.FRED: 3, Connector.TREASURY: 2}
DEFAULT_FRESHNESS_SESSIONS = 1


@dataclass(frozen=True, slots=True)
class Freshness:
    """B3 sessions between a connector's newest data and its partition, and how many are allowed."""

    lag_sessions: int
    allowed_sessions: int

    @property
    def fresh(self) -> bool:
        """True when the lag is within the allowance."""
        return self.lag_sessions <= self.allowed_sessions


def connector_freshness(connector: Connector, latest_data_date: date, partition_date: date) -> Freshness:
    """Lag of ``latest_data_date`` behind ``partition_date`` in B3 sessions, with the connector's allowance.

    Parameters
    ----------
    connector : Connector
        The Bronze connector (its allowance: FRED 3 sessions, Treasury 2, the others 1).
    latest_data_date, partition_date : date
        Newest date in the fetched data and the session the fetch was for.

    Returns
    -------
    Freshness
        ``lag_sessions = max(#sessions in [latest_data_date, partition_date] - 1, 0)``; data dated after the
        partition (never expected) counts as lag 0.
    """
    lag = max(len(b3_sessions(latest_data_date, partition_date)) - 1, 0)
    return Freshness(lag, FRESHNESS_SESSIONS.get(connector, DEFAULT_FRESHNESS_SESSIONS))
