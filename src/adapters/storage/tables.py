"""SQLAlchemy 2.0 typed tables. Alembic migrations create them; this module only describes them.

The same tables serve the application, the REST API and Grafana, so names and columns are part of
the dashboards' contract: change them only with a migration and the dashboards in the same commit.
"""

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Float, Index, Integer, MetaData, String, Text, UniqueConstraint, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with a naming convention, so migrations are stable across databases."""

    metadata = MetaData(naming_convention=NAMING)


class ObservationRow(Base):
    """A vintage of a point-in-time series value: (series, date) may have several revisions."""

    __tablename__ = "observations"
    __table_args__ = (
        UniqueConstraint("series_id", "observation_date", "revision", name="uq_observations_key"),
        Index("ix_observations_pit", "series_id", "observation_date", "release_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    series_id: Mapped[str] = mapped_column(String(64))
    observation_date: Mapped[date] = mapped_column(Date)
    release_date: Mapped[date] = mapped_column(Date)
    revision: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(32))


class InstrumentPriceRow(Base):
    """Settlement or close of an instrument on one session."""

    __tablename__ = "instrument_prices"

    instrument: Mapped[str] = mapped_column(String(32), primary_key=True)
    trade_date: Mapped[date] = mapped_column(Date, primary_key=True, index=True)
    price: Mapped[float] = mapped_column(Float)
    rate: Mapped[float | None] = mapped_column(Float, nullable=True)
    source: Mapped[str] = mapped_column(String(32))


class CurvePointRow(Base):
    """A curve vertex; ``day_count`` says what ``tenor_days`` counts (one convention per curve id)."""

    __tablename__ = "curve_points"

    curve_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    curve_date: Mapped[date] = mapped_column(Date, primary_key=True, index=True)
    tenor_days: Mapped[int] = mapped_column(Integer, primary_key=True)
    day_count: Mapped[str] = mapped_column(String(8))
    rate: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(32))


class AssetRunRow(Base):
    """Outcome of one asset for one partition (or range) in one run: the pipeline-health timeline."""

    __tablename__ = "asset_runs"

    run_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    asset: Mapped[str] = mapped_column(String(64), primary_key=True)
    partition_start: Mapped[date] = mapped_column(Date, primary_key=True)
    partition_end: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True, index=True)
    duration_seconds: Mapped[float | None] = mapped_column(Float, nullable=True)
    rows: Mapped[int | None] = mapped_column(Integer, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)


class ConnectorRunRow(Base):
    """Latest outcome of each connector for each partition date: the connector status grid."""

    __tablename__ = "connector_runs"

    connector: Mapped[str] = mapped_column(String(32), primary_key=True)
    partition_date: Mapped[date] = mapped_column(Date, primary_key=True, index=True)
    status: Mapped[str] = mapped_column(String(16))
    rows: Mapped[int] = mapped_column(Integer)
    latest_data_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    duration_seconds: Mapped[float] = mapped_column(Float)
    lag_sessions: Mapped[int | None] = mapped_column(Integer, nullable=True)  # newest data behind the partition
    allowed_lag_sessions: Mapped[int | None] = mapped_column(Integer, nullable=True)


class ReturnRow(Base):
    """Silver daily changes: listed instruments, continuous fronts, curve tenors and price-like series."""

    __tablename__ = "returns"

    instrument: Mapped[str] = mapped_column(String(48), primary_key=True)
    trade_date: Mapped[date] = mapped_column(Date, primary_key=True, index=True)
    kind: Mapped[str] = mapped_column(String(16))  # instrument | front | curve | series
    price_return: Mapped[float | None] = mapped_column(Float, nullable=True)  # simple or log (series), decimal
    rate_change_bp: Mapped[float | None] = mapped_column(Float, nullable=True)


class MacroFeatureRow(Base):
    """A macro feature value and the date it became known (point-in-time, event-dated)."""

    __tablename__ = "macro_features"

    series_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    feature: Mapped[str] = mapped_column(String(32), primary_key=True)
    known_from: Mapped[date] = mapped_column(Date, primary_key=True, index=True)
    observation_date: Mapped[date] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)


class AgentSignalRow(Base):
    """One agent signal on one date."""

    __tablename__ = "agent_signals"

    date: Mapped[date] = mapped_column(Date, primary_key=True)
    signal_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    agent: Mapped[str] = mapped_column(String(32), index=True)
    direction: Mapped[str] = mapped_column(String(8))
    strength: Mapped[float] = mapped_column(Float)
    confidence: Mapped[float] = mapped_column(Float)
    value: Mapped[float | None] = mapped_column(Float, nullable=True)
    horizon_days: Mapped[int] = mapped_column(Integer)


class AgentReportRow(Base):
    """An agent's narrative and model diagnostics (JSON) on one date; AGENT_STALE reads ``date``."""

    __tablename__ = "agent_reports"

    date: Mapped[date] = mapped_column(Date, primary_key=True)
    agent: Mapped[str] = mapped_column(String(32), primary_key=True)
    narrative: Mapped[str] = mapped_column(Text)
    diagnostics: Mapped[str] = mapped_column(Text)


class StrategySignalRow(Base):
    """A strategy's signal on a generic: the cells of the signal heatmap (asset class x strategy)."""

    __tablename__ = "strategy_signals"

    date: Mapped[date] = mapped_column(Date, primary_key=True)
    strategy_id: Mapped[str] = mapped_column(String(48), primary_key=True)
    generic: Mapped[str] = mapped_column(String(16), primary_key=True)
    asset_class: Mapped[str] = mapped_column(String(16), index=True)
    signal: Mapped[float] = mapped_column(Float)
    confidence: Mapped[float] = mapped_column(Float)


class AggregatedSignalRow(Base):
    """The aggregated signal of a generic on one date."""

    __tablename__ = "aggregated_signals"

    date: Mapped[date] = mapped_column(Date, primary_key=True)
    generic: Mapped[str] = mapped_column(String(16), primary_key=True)
    asset_class: Mapped[str] = mapped_column(String(16))
    signal: Mapped[float] = mapped_column(Float)
    confidence: Mapped[float] = mapped_column(Float)
    posterior_variance: Mapped[float | None] = mapped_column(Float, nullable=True)
    n_strategies: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(24))


class RegimeRow(Base):
    """Filtered regime probabilities on one date."""

    __tablename__ = "regime_probabilities"

    date: Mapped[date] = mapped_column(Date, primary_key=True)
    goldilocks: Mapped[float] = mapped_column(Float)
    reflation: Mapped[float] = mapped_column(Float)
    stagflation: Mapped[float] = mapped_column(Float)
    deflation: Mapped[float] = mapped_column(Float)
    regime: Mapped[str] = mapped_column(String(16))


class SignalEventRow(Base):
    """A monitor event (flip, conviction_surge, divergence); SIGNAL_FLIP and CONVICTION_SURGE read these."""

    __tablename__ = "signal_events"

    date: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(24), primary_key=True)
    subject: Mapped[str] = mapped_column(String(32), primary_key=True)
    previous: Mapped[float | None] = mapped_column(Float, nullable=True)
    value: Mapped[float | None] = mapped_column(Float, nullable=True)
    detail: Mapped[str] = mapped_column(Text)


class OptimiserFallbackRow(Base):
    """A session on which the optimiser failed and the previous session's targets were kept, with the reason."""

    __tablename__ = "optimiser_fallbacks"

    date: Mapped[date] = mapped_column(Date, primary_key=True)
    reason: Mapped[str] = mapped_column(Text)


class PortfolioWeightRow(Base):
    """Target weight of a generic (signed notional / NAV) from Black-Litterman and the optimiser."""

    __tablename__ = "portfolio_weights"

    date: Mapped[date] = mapped_column(Date, primary_key=True)
    generic: Mapped[str] = mapped_column(String(16), primary_key=True)
    asset_class: Mapped[str] = mapped_column(String(16))
    weight: Mapped[float] = mapped_column(Float)
    expected_return: Mapped[float] = mapped_column(Float)  # posterior mean, daily
    volatility: Mapped[float] = mapped_column(Float)       # daily, per unit of notional
    signal: Mapped[float | None] = mapped_column(Float, nullable=True)
    confidence: Mapped[float | None] = mapped_column(Float, nullable=True)


class PositionRow(Base):
    """The model book's position in a listed instrument at the close of ``date`` (whole contracts)."""

    __tablename__ = "positions"

    date: Mapped[date] = mapped_column(Date, primary_key=True)
    instrument: Mapped[str] = mapped_column(String(32), primary_key=True)
    generic: Mapped[str] = mapped_column(String(16))
    asset_class: Mapped[str] = mapped_column(String(16), index=True)
    contracts: Mapped[int] = mapped_column(Integer)
    notional_brl: Mapped[float] = mapped_column(Float)  # signed
    factor: Mapped[str] = mapped_column(String(32))
    sensitivity_brl: Mapped[float] = mapped_column(Float)  # BRL per +1 unit (bp or %) of ``factor``


class BookNavRow(Base):
    """The model book's track record: one row per session."""

    __tablename__ = "book_nav"

    date: Mapped[date] = mapped_column(Date, primary_key=True)
    nav: Mapped[float] = mapped_column(Float)
    pnl: Mapped[float] = mapped_column(Float)
    daily_return: Mapped[float] = mapped_column(Float)
    peak_nav: Mapped[float] = mapped_column(Float)
    drawdown: Mapped[float] = mapped_column(Float)  # <= 0, fraction of peak
    gross_notional: Mapped[float] = mapped_column(Float)
    gross_leverage: Mapped[float] = mapped_column(Float)
    costs: Mapped[float] = mapped_column(Float, server_default="0")  # BRL of the session's trades, in ``pnl``
    traded_notional: Mapped[float] = mapped_column(Float, server_default="0")  # BRL: turnover of the session


class TradeRow(Base):
    """One line of the day's trade list, phrased the way a desk talks."""

    __tablename__ = "trades"

    date: Mapped[date] = mapped_column(Date, primary_key=True)
    instrument: Mapped[str] = mapped_column(String(32), primary_key=True)
    generic: Mapped[str] = mapped_column(String(16))
    asset_class: Mapped[str] = mapped_column(String(16))
    direction: Mapped[str] = mapped_column(String(4))
    contracts: Mapped[int] = mapped_column(Integer)
    from_contracts: Mapped[int] = mapped_column(Integer)
    to_contracts: Mapped[int] = mapped_column(Integer)
    sentence: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text)
    rationale: Mapped[str] = mapped_column(Text)


class PnlAttributionRow(Base):
    """Daily P&L by bucket: ``dimension`` is 'asset_class', 'strategy' or 'instrument'."""

    __tablename__ = "pnl_attribution"
    # The cumulative attribution panels (Grafana) read each bucket in date order (migration 0013).
    __table_args__ = (Index("ix_pnl_attribution_dimension_bucket_date", "dimension", "bucket", "date",
                            postgresql_include=["pnl"]),)

    date: Mapped[date] = mapped_column(Date, primary_key=True)
    dimension: Mapped[str] = mapped_column(String(16), primary_key=True)
    bucket: Mapped[str] = mapped_column(String(48), primary_key=True)
    pnl: Mapped[float] = mapped_column(Float)


class RiskMetricRow(Base):
    """VaR and CVaR of the book: one row per method, confidence and horizon (losses as positive BRL)."""

    __tablename__ = "risk_metrics"

    date: Mapped[date] = mapped_column(Date, primary_key=True)
    method: Mapped[str] = mapped_column(String(16), primary_key=True)  # historical | parametric | monte_carlo
    confidence: Mapped[float] = mapped_column(Float, primary_key=True)  # 0.95 | 0.99
    horizon_days: Mapped[int] = mapped_column(Integer, primary_key=True)  # 1 | 10
    var_brl: Mapped[float] = mapped_column(Float)
    cvar_brl: Mapped[float] = mapped_column(Float)
    var_pct_nav: Mapped[float] = mapped_column(Float)
    cvar_pct_nav: Mapped[float] = mapped_column(Float)


class RiskComponentRow(Base):
    """Component VaR (parametric 99% 1-day, Euler): ``dimension`` is 'instrument', 'asset_class' or 'strategy'."""

    __tablename__ = "risk_components"

    date: Mapped[date] = mapped_column(Date, primary_key=True)
    dimension: Mapped[str] = mapped_column(String(16), primary_key=True)
    bucket: Mapped[str] = mapped_column(String(48), primary_key=True)
    var_brl: Mapped[float] = mapped_column(Float)
    share: Mapped[float] = mapped_column(Float)


class VarBacktestRow(Base):
    """Rolling VaR backtest at ``date`` over the trailing window (99% 1-day historical VaR)."""

    __tablename__ = "var_backtest"

    date: Mapped[date] = mapped_column(Date, primary_key=True)
    window_days: Mapped[int] = mapped_column(Integer)
    exceptions: Mapped[int] = mapped_column(Integer)
    expected: Mapped[float] = mapped_column(Float)
    kupiec_lr: Mapped[float] = mapped_column(Float)
    kupiec_p_value: Mapped[float] = mapped_column(Float)
    traffic_light: Mapped[str] = mapped_column(String(8))


class StressResultRow(Base):
    """A stress scenario's P&L on the book, and its reverse-stress multiple (None when it gains)."""

    __tablename__ = "stress_results"

    date: Mapped[date] = mapped_column(Date, primary_key=True)
    scenario: Mapped[str] = mapped_column(String(48), primary_key=True)
    pnl_brl: Mapped[float] = mapped_column(Float)
    pnl_pct_nav: Mapped[float] = mapped_column(Float)
    reverse_multiple: Mapped[float | None] = mapped_column(Float, nullable=True)
    not_applied: Mapped[str] = mapped_column(Text)


class LimitStatusRow(Base):
    """One risk limit's utilisation on one date; LIMIT_BREACH reads ``utilisation >= 1``."""

    __tablename__ = "limit_status"

    date: Mapped[date] = mapped_column(Date, primary_key=True)
    limit_name: Mapped[str] = mapped_column(String(48), primary_key=True)
    value: Mapped[float] = mapped_column(Float)
    threshold: Mapped[float] = mapped_column(Float)
    utilisation: Mapped[float] = mapped_column(Float)
    breached: Mapped[bool] = mapped_column(Boolean)
    subject: Mapped[str] = mapped_column(String(48))
    circuit_breaker: Mapped[str] = mapped_column(String(64))


class DailyReportRow(Base):
    """The assembled daily report of a session: seven sections as JSON (rendering and delivery read it)."""

    __tablename__ = "daily_reports"

    date: Mapped[date] = mapped_column(Date, primary_key=True)
    generated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    schema_version: Mapped[int] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(Text)


class AlertRuleRow(Base):
    """One alert rule's current configuration (the migration seeds the defaults; PATCH overrides them)."""

    __tablename__ = "alert_rules"

    rule_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    description: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(16))
    comparison: Mapped[str] = mapped_column(String(4))
    unit: Mapped[str] = mapped_column(String(24))
    threshold: Mapped[float | None] = mapped_column(Float, nullable=True)
    enabled: Mapped[bool] = mapped_column(Boolean)
    cooldown_minutes: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    updated_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    follows_limit: Mapped[bool] = mapped_column(Boolean, server_default=false())


class AlertGroupRow(Base):
    """A rule's notification state (its last message); evaluations lock these rows first."""

    __tablename__ = "alert_groups"

    rule_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    last_notified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_evaluated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class AlertStateRow(Base):
    """The state machine of one (rule, subject): firing or resolved, muted or not, when last sent."""

    __tablename__ = "alert_states"

    rule_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    subject: Mapped[str] = mapped_column(String(64), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    value: Mapped[float | None] = mapped_column(Float, nullable=True)
    threshold: Mapped[float | None] = mapped_column(Float, nullable=True)
    message: Mapped[str] = mapped_column(Text)
    since: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    notified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    muted: Mapped[str | None] = mapped_column(String(16), nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    resolution_announced: Mapped[bool] = mapped_column(Boolean)


class AlertEventRow(Base):
    """The alert history: fired, renotified, resolved, suppressed (silenced) or inhibited, with the values."""

    __tablename__ = "alert_events"
    __table_args__ = (Index("ix_alert_events_rule_at", "rule_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    rule_id: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    value: Mapped[float | None] = mapped_column(Float, nullable=True)
    threshold: Mapped[float | None] = mapped_column(Float, nullable=True)
    message: Mapped[str] = mapped_column(Text)
    notification_key: Mapped[str | None] = mapped_column(String(96), nullable=True)


class AlertSilenceRow(Base):
    """A silence of one rule (one subject or all) for a time window; DELETE expires it (``expired_at``)."""

    __tablename__ = "alert_silences"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    rule_id: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str | None] = mapped_column(String(64), nullable=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    reason: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class AlertRuleAuditRow(Base):
    """Who changed which rule when, from what to what (JSON objects of the changed settings)."""

    __tablename__ = "alert_rule_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    rule_id: Mapped[str] = mapped_column(String(32), index=True)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    changed_by: Mapped[str] = mapped_column(String(64))
    old_values: Mapped[str] = mapped_column(Text)
    new_values: Mapped[str] = mapped_column(Text)
class DeliveryRow(Base):
    """The delivery log: one row per (message key, channel), with the payload kept until it is sent."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("message_key", "channel", name="uq_deliveries_key_channel"),
        Index("ix_deliveries_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    message_key: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))  # pending | sent | failed
    round: Mapped[int] = mapped_column(Integer)  # 1, then + 1 per forced re-send
    attempts: Mapped[int] = mapped_column(Integer)  # attempts in the current round
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    provider_message_id: Mapped[str | None] = mapped_column(String(255), nullable=True)
    payload: Mapped[str] = mapped_column(Text)  # the message as JSON (this channel's content only)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    claim_token: Mapped[str | None] = mapped_column(String(64), nullable=True)
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class DeliveryAttemptRow(Base):
    """Every try of every delivery (append-only): the log an operator reads after an outage."""

    __tablename__ = "delivery_attempts"
    __table_args__ = (Index("ix_delivery_attempts_key", "message_key", "channel"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    message_key: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(16))
    round: Mapped[int] = mapped_column(Integer)
    attempt: Mapped[int] = mapped_column(Integer)
    attempted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str] = mapped_column(String(16))  # sent | retry | failed
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    provider_message_id: Mapped[str | None] = mapped_column(String(255), nullable=True)
