"""dashboard views: the SQL contract between the schema and the Grafana dashboards

Read-only views named for what they show. Every Grafana panel reads a view, never a table, so a table
change breaks tests/integration/grafana (which runs every panel query), not a dashboard in production.
The views only select, rename, join and group; the rules behind their numbers live in Python (the
connector freshness allowance, for example, is computed by domain.market.freshness at ingestion time and
stored in connector_runs.lag_sessions / allowed_lag_sessions, added here).

Views are created on PostgreSQL only (the production database Grafana reads); the columns and indexes are
created on both databases.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 15:50:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

VIEWS: dict[str, str] = {
    # One row per connector and partition session; state 0 fresh (green), 1 stale or partial (yellow), 2 failed.
    "v_connector_status": """
        SELECT connector, partition_date, status, rows, latest_data_date, lag_sessions, allowed_lag_sessions,
               error, started_at, finished_at, duration_seconds,
               CASE WHEN status <> 'success' THEN 2
                    WHEN rows = 0 OR latest_data_date IS NULL OR lag_sessions IS NULL
                         OR lag_sessions > allowed_lag_sessions THEN 1
                    ELSE 0 END AS state,
               CASE WHEN status <> 'success' THEN 'failed'
                    WHEN rows = 0 OR latest_data_date IS NULL THEN 'partial'
                    WHEN lag_sessions IS NULL OR lag_sessions > allowed_lag_sessions THEN 'stale'
                    ELSE 'fresh' END AS state_label
        FROM connector_runs""",
    "v_connector_status_latest": """
        SELECT DISTINCT ON (connector) *
        FROM v_connector_status
        ORDER BY connector, partition_date DESC""",
    # One row per pipeline run (Dagster or CLI): span, duration and outcome counts of its assets.
    "v_pipeline_runs": """
        SELECT run_id,
               min(partition_start) AS partition_start, max(partition_end) AS partition_end,
               min(started_at) AS started_at, max(finished_at) AS finished_at,
               extract(epoch FROM max(finished_at) - min(started_at)) AS duration_seconds,
               count(*) AS assets,
               count(*) FILTER (WHERE status = 'success') AS succeeded,
               count(*) FILTER (WHERE status = 'failed') AS failed,
               count(*) FILTER (WHERE status = 'skipped') AS skipped,
               coalesce(sum(rows), 0) AS rows,
               CASE WHEN count(*) FILTER (WHERE status = 'failed') > 0 THEN 'failed' ELSE 'success' END AS status
        FROM asset_runs
        GROUP BY run_id""",
    "v_asset_run_timeline": """
        SELECT run_id, asset, partition_start, partition_end, status, attempts, started_at, finished_at,
               duration_seconds, rows, error
        FROM asset_runs""",
    "v_pipeline_failures": """
        SELECT run_id, asset, partition_start, partition_end, attempts,
               coalesce(started_at, finished_at) AS started_at, finished_at, error
        FROM asset_runs
        WHERE status = 'failed'""",
    # Sessions that have a stored book or signals: the dashboards' session picker.
    "v_sessions": """
        SELECT date FROM aggregated_signals GROUP BY date""",
    # Asset class x strategy: a strategy's signal averaged over the generics it trades on that date.
    "v_signal_matrix": """
        SELECT date, asset_class, strategy_id AS strategy, avg(signal) AS signal, avg(confidence) AS confidence,
               count(*) AS generics
        FROM strategy_signals
        GROUP BY date, asset_class, strategy_id""",
    "v_signal_conviction": """
        SELECT date, generic, asset_class, signal, confidence, posterior_variance, n_strategies, method
        FROM aggregated_signals""",
    "v_signal_events": """
        SELECT date, kind, subject, previous, value, detail FROM signal_events""",
    # VaR used by the limits and the limits themselves, as fractions of NAV, one row per session.
    "v_var_vs_limits": """
        SELECT date,
               max(value) FILTER (WHERE limit_name = 'var95') AS var95_pct_nav,
               max(threshold) FILTER (WHERE limit_name = 'var95') AS var95_limit,
               max(value) FILTER (WHERE limit_name = 'var99') AS var99_pct_nav,
               max(threshold) FILTER (WHERE limit_name = 'var99') AS var99_limit
        FROM limit_status
        WHERE limit_name IN ('var95', 'var99')
        GROUP BY date""",
    "v_var_history": """
        SELECT date, method, confidence, horizon_days, var_brl, cvar_brl, var_pct_nav, cvar_pct_nav
        FROM risk_metrics""",
    "v_var_backtest": """
        SELECT date, window_days, exceptions, expected, kupiec_lr, kupiec_p_value, traffic_light
        FROM var_backtest""",
    "v_stress_results": """
        SELECT date, scenario, pnl_brl, pnl_pct_nav, reverse_multiple, not_applied FROM stress_results""",
    "v_limit_utilisation": """
        SELECT date, limit_name, value, threshold, utilisation, breached, subject, circuit_breaker
        FROM limit_status""",
    "v_circuit_breaker": """
        SELECT l.date, max(l.circuit_breaker) AS circuit_breaker, max(n.drawdown) AS drawdown
        FROM limit_status l LEFT JOIN book_nav n ON n.date = l.date
        GROUP BY l.date""",
    "v_nav_drawdown": """
        SELECT date, nav, pnl, daily_return, peak_nav, drawdown, gross_notional, gross_leverage FROM book_nav""",
    "v_pnl_attribution": """
        SELECT date, dimension, bucket, pnl FROM pnl_attribution""",
    "v_positions": """
        SELECT date, instrument, generic, asset_class, contracts, notional_brl, factor, sensitivity_brl
        FROM positions""",
    # Alert history (migration 0007) and delivery attempts (migration 0006).
    "v_alert_events": """
        SELECT id, rule_id AS rule, subject, kind, at, value, threshold, message FROM alert_events""",
    "v_delivery_attempts": """
        SELECT attempted_at, channel, outcome, message_key, round, attempt, error FROM delivery_attempts""",
    "v_trades": """
        SELECT date, instrument, generic, asset_class, direction, contracts, from_contracts, to_contracts,
               sentence, rationale
        FROM trades""",
}

# The panels that filter on time ranges scan these in time order.
INDEXES = [
    ("ix_asset_runs_started_at", "asset_runs", ["started_at"]),
    ("ix_connector_runs_partition_date", "connector_runs", ["partition_date"]),
]


def upgrade() -> None:
    with op.batch_alter_table('connector_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lag_sessions', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('allowed_lag_sessions', sa.Integer(), nullable=True))
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)
    if op.get_bind().dialect.name == "postgresql":
        for name, sql in VIEWS.items():
            op.execute(f"CREATE VIEW {name} AS {sql}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in reversed(list(VIEWS)):
            op.execute(f"DROP VIEW IF EXISTS {name}")
    for name, table, _ in INDEXES:
        op.drop_index(name, table_name=table)
    with op.batch_alter_table('connector_runs', schema=None) as batch_op:
        batch_op.drop_column('allowed_lag_sessions')
        batch_op.drop_column('lag_sessions')
