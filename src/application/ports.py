"""Ports: the Protocols the application services need from the outside world.

Adapters do not inherit from these; mypy checks that they conform where the container wires them.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from types import TracebackType
from typing import Protocol, Self

import pandas as pd

from application.messages import (
    Channel,
    Delivery,
    DeliveryReceipt,
    DeliveryStatus,
    EmailContent,
    MessageKind,
    OutboundMessage,
    SlackContent,
)
from domain.alerts.lifecycle import AlertEvent, AlertState, AlertStatus, EventKind, RuleGroup, Silence
from domain.alerts.rules import AlertRule, RuleId
from domain.alerts.snapshot import (
    ConnectorFreshness,
    DrawdownLevel,
    FailedAsset,
    LimitUtilisation,
    SignalChange,
    VarLevel,
)
from domain.market.bronze import BronzeBatch, Connector, CurvePoint, InstrumentPrice, Observation


class Clock(Protocol):
    """Where 'now' comes from; the domain never reads the clock itself."""

    def now(self) -> datetime:
        """Current instant, timezone-aware (UTC)."""
        ...

    def today(self) -> date:
        """Current date in America/Sao_Paulo."""
        ...


class MarketDataSource(Protocol):
    """A source of Bronze records for each of the six connectors (live APIs or the synthetic market)."""

    @property
    def name(self) -> str:
        """``live`` or ``synthetic``."""
        ...

    def fetch(self, connector: Connector, start: date, end: date) -> BronzeBatch:
        """Everything ``connector`` publishes for dates in [start, end], as known on ``end``.

        Raises ``MarketDataError`` (or a subclass) naming the source, series and date on failure.
        """
        ...


@dataclass(frozen=True, slots=True)
class UpsertCounts:
    """What an idempotent write did."""

    inserted: int = 0
    updated: int = 0
    revised: int = 0
    unchanged: int = 0

    @property
    def written(self) -> int:
        """Rows inserted, updated or added as revisions."""
        return self.inserted + self.updated + self.revised

    def __add__(self, other: "UpsertCounts") -> "UpsertCounts":
        return UpsertCounts(self.inserted + other.inserted, self.updated + other.updated,
                            self.revised + other.revised, self.unchanged + other.unchanged)


class ObservationRepository(Protocol):
    """Point-in-time series store: every vintage kept, reads 'as known on D'."""

    def upsert(self, observations: Sequence[Observation]) -> UpsertCounts:
        """Insert new values; a changed value adds a revision with its own release date."""
        ...

    def as_of(self, series_ids: Sequence[str], start: date, end: date, *, as_of: date) -> pd.DataFrame:
        """Latest vintage released on or before ``as_of`` of each (series, date) in [start, end].

        Columns: series_id, observation_date, release_date, revision, value.
        """
        ...

    def history(self, series_ids: Sequence[str], start: date, end: date, *, as_of: date) -> pd.DataFrame:
        """Every vintage released on or before ``as_of`` (same columns as :meth:`as_of`)."""
        ...

    def vintages(self, series_id: str, observation_date: date) -> pd.DataFrame:
        """Every vintage of one value: columns release_date, revision, value, source."""
        ...


class PriceRepository(Protocol):
    """Settlement and closing prices keyed by (instrument, trade date)."""

    def upsert(self, prices: Sequence[InstrumentPrice]) -> UpsertCounts:
        """Insert or replace prices by key."""
        ...

    def between(self, start: date, end: date, *, instruments: Sequence[str] | None = None) -> pd.DataFrame:
        """Columns instrument, trade_date, price, rate, source."""
        ...


class CurveRepository(Protocol):
    """Curve vertices keyed by (curve id, date, tenor)."""

    def upsert(self, points: Sequence[CurvePoint]) -> UpsertCounts:
        """Insert or replace vertices by key."""
        ...

    def replace(self, curve_ids: Sequence[str], start: date, end: date, points: Sequence[CurvePoint]) -> UpsertCounts:
        """Delete the curves' vertices dated in [start, end], then insert ``points`` (derived curves)."""
        ...

    def between(self, curve_ids: Sequence[str], start: date, end: date) -> pd.DataFrame:
        """Columns curve_id, curve_date, tenor_days, day_count, rate, source."""
        ...


@dataclass(frozen=True, slots=True)
class ConnectorRun:
    """Outcome of one connector fetch, for the pipeline-health grid and STALE_DATA."""

    connector: Connector
    partition_date: date
    status: str  # "success" | "failed"
    rows: int
    latest_data_date: date | None
    error: str | None
    started_at: datetime
    finished_at: datetime
    # B3 sessions the newest data lags the partition, and the connector's allowance (None when failed).
    lag_sessions: int | None = None
    allowed_lag_sessions: int | None = None


@dataclass(frozen=True, slots=True)
class AssetRun:
    """Outcome of one asset for one partition (or range) in one pipeline run."""

    run_id: str
    asset: str
    partition_start: date
    partition_end: date
    status: str  # "running" | "success" | "failed" | "skipped"
    attempts: int
    started_at: datetime | None
    finished_at: datetime | None
    rows: int | None
    error: str | None


class PipelineRunRepository(Protocol):
    """History of asset and connector outcomes that dashboards and alerts read."""

    def record_asset(self, run: AssetRun) -> None:
        """Insert or replace the outcome of (run id, asset, partition)."""
        ...

    def record_connector(self, run: ConnectorRun) -> None:
        """Insert or replace the outcome of (connector, partition date)."""
        ...

    def asset_runs(self, run_id: str) -> list[AssetRun]:
        """Every asset outcome of one run."""
        ...

    def fail_running(self, error: str, finished_at: datetime) -> int:
        """Mark every asset still 'running' as failed with ``error`` (its run stopped); returns how many."""
        ...

    def connector_runs(self, connector: Connector | None = None) -> list[ConnectorRun]:
        """Connector outcomes, newest partition first."""
        ...


class ReturnRepository(Protocol):
    """Silver daily changes keyed by (instrument, trade date)."""

    def replace(self, start: date, end: date, frame: pd.DataFrame) -> UpsertCounts:
        """Replace the rows dated in [start, end]; columns instrument, trade_date, kind, price_return,
        rate_change_bp."""
        ...

    def between(self, start: date, end: date, *, instruments: Sequence[str] | None = None,
                kinds: Sequence[str] | None = None) -> pd.DataFrame:
        """Rows dated in [start, end]."""
        ...


class MacroFeatureRepository(Protocol):
    """Macro features, each dated by when it became known."""

    def replace(self, start: date, end: date, frame: pd.DataFrame) -> UpsertCounts:
        """Replace values known from a date in [start, end]; columns series_id, feature, known_from,
        observation_date, value."""
        ...

    def known_between(self, start: date, end: date) -> pd.DataFrame:
        """Values that became known in [start, end] plus the last known before ``start``."""
        ...


class SignalRepository(Protocol):
    """Agent outputs, strategy and aggregated signals, regimes and monitor events; writes replace date ranges."""

    def replace_agent(self, agent: str, start: date, end: date, signals: pd.DataFrame,
                      reports: pd.DataFrame) -> UpsertCounts: ...

    def replace_strategies(self, start: date, end: date, frame: pd.DataFrame) -> UpsertCounts: ...

    def replace_aggregated(self, start: date, end: date, frame: pd.DataFrame,
                           regimes: pd.DataFrame) -> UpsertCounts: ...

    def replace_events(self, start: date, end: date, frame: pd.DataFrame) -> UpsertCounts: ...

    def agent_signals(self, start: date, end: date) -> pd.DataFrame: ...

    def agent_reports(self, start: date, end: date) -> pd.DataFrame: ...

    def strategies(self, start: date, end: date) -> pd.DataFrame: ...

    def aggregated(self, start: date, end: date) -> pd.DataFrame: ...

    def regimes(self, start: date, end: date) -> pd.DataFrame: ...

    def events(self, start: date, end: date) -> pd.DataFrame: ...


@dataclass(frozen=True, slots=True)
class OptimiserFallback:
    """A session whose optimisation failed: the previous session's targets were kept (``reason`` says why)."""

    day: date
    reason: str


class BookRepository(Protocol):
    """The portfolio and risk tables by name (portfolio_weights, positions, book_nav, trades, pnl_attribution,
    risk_metrics, risk_components, var_backtest, stress_results, limit_status); writes replace date ranges."""

    def replace(self, table: str, start: date, end: date, frame: pd.DataFrame) -> UpsertCounts: ...

    def read(self, table: str, start: date, end: date) -> pd.DataFrame: ...

    def last_date_before(self, table: str, day: date) -> date | None: ...

    def replace_fallbacks(self, start: date, end: date, fallbacks: Sequence[OptimiserFallback]) -> UpsertCounts:
        """Replace the optimiser fallbacks dated in [start, end] (written with the weights they explain)."""
        ...

    def fallbacks(self, start: date, end: date) -> list[OptimiserFallback]:
        """The optimiser fallbacks dated in [start, end], by date."""
        ...


@dataclass(frozen=True, slots=True)
class StoredReport:
    """A daily report as stored: JSON content with its schema version."""

    day: date
    generated_at: datetime
    schema_version: int
    content: str


@dataclass(frozen=True, slots=True)
class ReportStamp:
    """A stored report's identity without its content: which session, and when it was (re)built."""

    day: date
    generated_at: datetime
    schema_version: int


class ReportRepository(Protocol):
    """One assembled report per session."""

    def save(self, day: date, content: str, *, generated_at: datetime, schema_version: int) -> None: ...

    def save_many(self, reports: Sequence[StoredReport]) -> None:
        """Insert or replace several reports in one batch (a range assembles thousands)."""
        ...

    def get(self, day: date) -> StoredReport | None: ...

    def latest(self) -> StoredReport | None: ...

    def stamp(self, day: date | None = None) -> ReportStamp | None:
        """The stamp of ``day``'s report (the latest report's when ``day`` is None), without its content."""
        ...

    def stamps(self, *, limit: int, offset: int = 0) -> list[ReportStamp]:
        """Stamps of stored reports, newest session first."""
        ...

    def count(self) -> int:
        """Number of stored reports."""
        ...


class Notifier(Protocol):
    """Delivers a message on one channel (Slack, e-mail, a local outbox)."""

    @property
    def channel(self) -> Channel:
        """The channel this notifier serves."""
        ...

    def send(self, message: OutboundMessage) -> DeliveryReceipt:
        """Deliver ``message`` once; raises ``DeliveryError`` (retriable or permanent) on failure."""
        ...


class ReportRenderer(Protocol):
    """Turns a stored report (the single source of truth) into what people read."""

    def page(self, report: StoredReport) -> str:
        """The full HTML page: interactive charts, assets served by the API itself (no CDN)."""
        ...

    def email(self, report: StoredReport, *, report_url: str) -> EmailContent:
        """The full report as an e-mail: HTML with charts as inline ``cid:`` PNGs, plus plain text."""
        ...

    def slack(self, report: StoredReport, *, report_url: str) -> SlackContent:
        """The condensed Block Kit summary with a link to ``report_url``."""
        ...


@dataclass(frozen=True, slots=True)
class RuleChange:
    """An entry of the alert-rule audit log: the changed settings before and after."""

    rule_id: RuleId
    changed_at: datetime
    changed_by: str
    old_values: Mapping[str, object]
    new_values: Mapping[str, object]


class AlertRepository(Protocol):
    """Alert rules, their per-rule and per-key state, events, silences and the audit log."""

    def lock(self, now: datetime) -> None:
        """Serialise evaluations: hold every rule group's row (until commit) and stamp the evaluation time."""
        ...

    def rules(self) -> list[AlertRule]:
        """The ten rules with their current configuration, in rule order."""
        ...

    def rule(self, rule_id: RuleId) -> AlertRule | None: ...

    def save_rule(self, rule: AlertRule, change: RuleChange) -> None:
        """Persist ``rule``'s configuration and append ``change`` to the audit log."""
        ...

    def audit(self, rule_id: RuleId | None = None, limit: int = 100) -> list[RuleChange]:
        """Rule changes, newest first."""
        ...

    def states(self, status: AlertStatus | None = None) -> list[AlertState]: ...

    def save_states(self, states: Sequence[AlertState]) -> None: ...

    def groups(self) -> list[RuleGroup]: ...

    def save_groups(self, groups: Sequence[RuleGroup]) -> None: ...

    def add_events(self, events: Sequence[AlertEvent]) -> None: ...

    def events(self, *, rule_id: RuleId | None = None, kind: EventKind | None = None,
               since: datetime | None = None, limit: int = 100) -> list[AlertEvent]:
        """History, newest first."""
        ...

    def silences(self, *, active_at: datetime | None = None) -> list[Silence]:
        """Unexpired silences (only those in force at ``active_at`` when given), by start."""
        ...

    def add_silence(self, rule_id: RuleId, subject: str | None, starts_at: datetime, ends_at: datetime,
                    reason: str, created_by: str, created_at: datetime) -> Silence: ...

    def expire_silence(self, silence_id: int, at: datetime) -> Silence | None:
        """End a silence now; None when there is no such unexpired silence."""
        ...


class AlertMetricsRepository(Protocol):
    """The stored figures the alert rules look at, as typed rows (the latest of each)."""

    def connector_freshness(self) -> list[ConnectorFreshness]:
        """Per connector seen in ``connector_runs``: latest successful partition, latest error after it."""
        ...

    def agent_freshness(self) -> dict[str, date]:
        """Session of each agent's latest stored output."""
        ...

    def latest_var(self) -> list[VarLevel]:
        """1-day historical VaR95 and VaR99 of the latest risk session (percent of NAV)."""
        ...

    def latest_drawdown(self) -> DrawdownLevel | None: ...

    def latest_limits(self) -> list[LimitUtilisation]: ...

    def signal_changes(self, since: date) -> list[SignalChange]:
        """Flip and conviction-surge events of sessions on or after ``since``."""
        ...

    def latest_run_failures(self) -> tuple[str | None, list[FailedAsset]]:
        """The latest recorded pipeline run's id and its failed assets."""
        ...


@dataclass(frozen=True, slots=True)
class StaticAsset:
    """A file the report page loads (plotly.js, the stylesheet), served by the API itself."""

    name: str
    content: bytes
    media_type: str


class ReportAssets(Protocol):
    """The static files of the report page."""

    def asset(self, name: str) -> StaticAsset | None:
        """The file ``name``, or None if the page has no such asset."""
        ...


@dataclass(frozen=True, slots=True)
class ClaimedDelivery:
    """A due delivery taken by one dispatcher (``claim``) until its lease ends, with the message to send."""

    delivery: Delivery
    message: OutboundMessage
    claim: str


@dataclass(frozen=True, slots=True)
class DeliveryAttempt:
    """One try of one delivery round: ``outcome`` is ``sent``, ``retry`` (retriable error) or ``failed``."""

    key: str
    channel: Channel
    round: int
    attempt: int
    attempted_at: datetime
    outcome: str
    error: str | None = None
    provider_message_id: str | None = None


class DeliveryRepository(Protocol):
    """The delivery log: one row per (message key, channel), the message payload kept until it is sent.

    ``Delivery.extra["round"]`` counts forced re-sends (1 for the first round).
    """

    def enqueue(self, message: OutboundMessage, channel: Channel, *, now: datetime,
                force: bool = False) -> tuple[Delivery, bool]:
        """Queue ``message`` on ``channel`` as pending and due at ``now``; returns the row and whether it queued.

        Idempotent per (key, channel): an existing row is returned untouched unless ``force``, which starts a
        new round (round + 1, attempts 0, pending, the new payload; earlier attempts stay in the attempt log).
        """
        ...

    def get(self, key: str, channel: Channel) -> Delivery | None:
        """The row of (key, channel), if any."""
        ...

    def for_key(self, key: str) -> list[Delivery]:
        """Every channel's row of one message key, ordered by channel."""
        ...

    def recent(self, *, status: DeliveryStatus | None = None, kind: MessageKind | None = None,
               limit: int = 100) -> list[Delivery]:
        """Rows most recently updated first, optionally of one status and kind."""
        ...

    def claim_due(self, *, now: datetime, lease_until: datetime, claim: str, limit: int = 100) -> list[ClaimedDelivery]:
        """Atomically take up to ``limit`` pending rows due at ``now`` that nobody holds (or whose lease ended).

        Two dispatchers never take the same row (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, a single
        conditional ``UPDATE`` on SQLite). The caller commits to publish the claim.
        """
        ...

    def record_attempt(self, key: str, channel: Channel, *, claim: str, now: datetime, status: DeliveryStatus,
                       error: str | None = None, provider_message_id: str | None = None,
                       next_attempt_at: datetime | None = None) -> Delivery | None:
        """Record the outcome of a claimed attempt (attempts + 1) and release the claim.

        ``status`` PENDING means "retry at ``next_attempt_at``". Returns None, writing nothing, when ``claim``
        no longer holds the row (its lease ended and another dispatcher took it, or a forced round replaced it).
        """
        ...

    def attempts(self, key: str, channel: Channel) -> list[DeliveryAttempt]:
        """Every attempt of (key, channel) across rounds, oldest first."""
        ...


class UnitOfWork(Protocol):
    """One transaction over every repository; nothing is written unless ``commit`` is called."""

    observations: ObservationRepository
    prices: PriceRepository
    curves: CurveRepository
    pipeline_runs: PipelineRunRepository
    returns: ReturnRepository
    macro_features: MacroFeatureRepository
    signals: SignalRepository
    book: BookRepository
    reports: ReportRepository
    alerts: AlertRepository
    alert_metrics: AlertMetricsRepository
    deliveries: DeliveryRepository

    def __enter__(self) -> Self: ...

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None: ...

    def commit(self) -> None:
        """Make every write since ``__enter__`` durable."""
        ...

    def rollback(self) -> None:
        """Discard every write since the last commit."""
        ...
