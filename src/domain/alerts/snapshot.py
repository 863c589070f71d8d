"""The metrics snapshot the rules are evaluated on: typed rows, built by the application from storage."""

from dataclasses import dataclass
from datetime import date, datetime

BOOK = "book"
"""Subject of the book-level rules (VaR, drawdown): the fund's model book."""


@dataclass(frozen=True, slots=True)
class ConnectorFreshness:
    """A connector's latest successful partition (None if it never succeeded) and its latest error."""

    connector: str
    last_success_session: date | None
    latest_data_date: date | None = None
    last_error: str | None = None


@dataclass(frozen=True, slots=True)
class AgentFreshness:
    """The session of an agent's latest output (None if it never produced one)."""

    agent: str
    latest_session: date | None


@dataclass(frozen=True, slots=True)
class VarLevel:
    """1-day historical VaR of the book at one confidence, in percent of NAV (5.4 means 5.4%)."""

    session: date
    confidence: float
    var_pct_nav: float
    var_brl: float


@dataclass(frozen=True, slots=True)
class DrawdownLevel:
    """Drawdown of the book from its peak NAV, in percent (positive: 6.2 means 6.2% below the peak)."""

    session: date
    drawdown_pct: float
    nav: float
    peak_nav: float


@dataclass(frozen=True, slots=True)
class LimitUtilisation:
    """A risk limit's utilisation in percent (value / threshold x 100) and what it applies to."""

    session: date
    limit_name: str
    subject: str
    value: float
    threshold: float
    utilisation_pct: float


@dataclass(frozen=True, slots=True)
class SignalChange:
    """A signal-monitor event on an aggregated signal: ``kind`` is 'flip' or 'conviction_surge'."""

    session: date
    kind: str
    generic: str
    previous: float
    value: float


@dataclass(frozen=True, slots=True)
class FailedAsset:
    """An asset that failed in the latest pipeline run."""

    run_id: str
    asset: str
    session: date
    error: str


@dataclass(frozen=True, slots=True)
class MetricsSnapshot:
    """Everything the ten rules look at, as of ``as_of`` (timezone-aware).

    ``signal_changes`` hold the monitor events whose scheduled run lies within the last 24 hours of
    open market; ``failed_assets`` only the latest run's failures (``latest_run_id``).
    """

    as_of: datetime
    connectors: tuple[ConnectorFreshness, ...] = ()
    agents: tuple[AgentFreshness, ...] = ()
    var: tuple[VarLevel, ...] = ()
    drawdown: DrawdownLevel | None = None
    limits: tuple[LimitUtilisation, ...] = ()
    signal_changes: tuple[SignalChange, ...] = ()
    failed_assets: tuple[FailedAsset, ...] = ()
    latest_run_id: str | None = None

    def __post_init__(self) -> None:
        if self.as_of.tzinfo is None:
            raise ValueError("MetricsSnapshot.as_of must be timezone-aware")
