"""Prometheus metrics read from the database at scrape time (a custom collector).

The pipeline runs in other processes (Dagster's run workers, the CLI), so counters kept in the API's memory
would miss them. Everything the pipeline, the alert evaluator and the delivery worker do is already
recorded in tables; this collector turns those rows into metric families on every scrape, so
``/metrics`` is right whichever process did the work (see docs/decisions.md, "Pipeline metrics: pulled").

Tables that a deployment may not have yet (the alert and delivery logs of migrations 0006 and 0007) are
read when present and otherwise skipped.
"""

import logging
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric, SummaryMetricFamily
from sqlalchemy import Connection, Engine, func, inspect, select, text
from sqlalchemy.exc import SQLAlchemyError

from adapters.storage.tables import AssetRunRow, ConnectorRunRow, DailyReportRow

log = logging.getLogger(__name__)

_A = AssetRunRow.__table__
_K = ConnectorRunRow.__table__
_R = DailyReportRow.__table__

_ASSET_RUNS = select(_A.c.asset, _A.c.status, func.count()).group_by(_A.c.asset, _A.c.status)
_ASSET_TOTALS = select(_A.c.asset, func.count(_A.c.duration_seconds), func.coalesce(func.sum(_A.c.duration_seconds), 0),
                       func.coalesce(func.sum(_A.c.rows), 0)).group_by(_A.c.asset)
_LATEST_START = select(_A.c.asset, func.max(_A.c.started_at).label("started_at")) \
    .where(_A.c.started_at.is_not(None)).group_by(_A.c.asset).subquery()
_LAST_RUN = select(_A.c.asset, _A.c.duration_seconds, _A.c.status).join(
    _LATEST_START, (_LATEST_START.c.asset == _A.c.asset) & (_LATEST_START.c.started_at == _A.c.started_at))
_LAST_SUCCESS = select(_A.c.asset, func.max(_A.c.finished_at).label("finished_at")) \
    .where(_A.c.status == "success").group_by(_A.c.asset)
_LATEST_PARTITION = select(_K.c.connector, func.max(_K.c.partition_date).label("partition_date")) \
    .group_by(_K.c.connector).subquery()
_CONNECTORS = select(_K.c.connector, _K.c.status, _K.c.rows, _K.c.lag_sessions, _K.c.allowed_lag_sessions).join(
    _LATEST_PARTITION, (_LATEST_PARTITION.c.connector == _K.c.connector)
    & (_LATEST_PARTITION.c.partition_date == _K.c.partition_date))
_REPORTS = select(func.count(), func.max(_R.c.date).label("date"))
_LATEST_REPORT = select(_R.c.content).order_by(_R.c.date.desc()).limit(1)
_ALERTS_FIRED = text("SELECT rule_id, count(*) FROM alert_events WHERE kind = 'fired' GROUP BY rule_id")
_ALERT_EVENTS = text("SELECT rule_id, kind, count(*) FROM alert_events GROUP BY rule_id, kind")
_DELIVERY_ATTEMPTS = text("SELECT channel, outcome, count(*) FROM delivery_attempts GROUP BY channel, outcome")
_DELIVERIES = text("SELECT channel, status, count(*) FROM deliveries GROUP BY channel, status")


def _epoch(value: datetime | None) -> float | None:
    if value is None:
        return None
    # SQLite returns naive datetimes; everything stored is UTC.
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp()


class DatabaseMetricsCollector:
    """Pipeline, connector, report, alert and delivery metrics from the database, computed per scrape."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def describe(self) -> Iterable[Metric]:
        """Nothing up front: registering the collector must not query the database."""
        return []

    def collect(self) -> Iterator[Metric]:
        """Every metric family, or only ``macrodesk_database_metrics_up 0`` when the database cannot be read."""
        up = GaugeMetricFamily("macrodesk_database_metrics_up",
                               "1 when the last scrape could read the pipeline tables from the database")
        try:
            with self._engine.connect() as connection:
                families = list(self._families(connection))
        except SQLAlchemyError as exc:
            log.warning("metrics scrape could not read the database: %s", type(exc).__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families

    def _families(self, connection: Connection) -> Iterator[Metric]:
        tables = set(inspect(connection).get_table_names())
        yield from self._pipeline(connection)
        yield from self._connectors(connection)
        yield from self._reports(connection)
        if "alert_events" in tables:
            yield from self._alerts(connection)
        if {"deliveries", "delivery_attempts"} <= tables:
            yield from self._deliveries(connection)

    def _pipeline(self, connection: Connection) -> Iterator[Metric]:
        runs = CounterMetricFamily("macrodesk_pipeline_asset_runs", "Asset runs recorded, by asset and status",
                                   labels=["asset", "status"])
        for asset, status, count in connection.execute(_ASSET_RUNS):
            runs.add_metric([asset, status], count)
        duration = SummaryMetricFamily("macrodesk_pipeline_asset_duration_seconds",
                                       "Wall-clock seconds of asset runs, by asset", labels=["asset"])
        rows = CounterMetricFamily("macrodesk_pipeline_rows_written", "Rows written by asset runs, by asset",
                                   labels=["asset"])
        for asset, count, seconds, written in connection.execute(_ASSET_TOTALS):
            duration.add_metric([asset], count_value=count, sum_value=float(seconds))
            rows.add_metric([asset], float(written))
        last = GaugeMetricFamily("macrodesk_pipeline_asset_last_duration_seconds",
                                 "Seconds of each asset's most recent run", labels=["asset"])
        last_failed = GaugeMetricFamily("macrodesk_pipeline_asset_last_run_failed",
                                        "1 when each asset's most recent run failed", labels=["asset"])
        for asset, seconds, status in connection.execute(_LAST_RUN):
            if seconds is not None:
                last.add_metric([asset], float(seconds))
            last_failed.add_metric([asset], 1 if status == "failed" else 0)
        success = GaugeMetricFamily("macrodesk_pipeline_asset_last_success_timestamp_seconds",
                                    "Unix time each asset last finished successfully", labels=["asset"])
        for asset, finished in connection.execute(_LAST_SUCCESS):
            stamp = _epoch(finished)
            if stamp is not None:
                success.add_metric([asset], stamp)
        yield from (runs, duration, rows, last, last_failed, success)

    def _connectors(self, connection: Connection) -> Iterator[Metric]:
        ok = GaugeMetricFamily("macrodesk_connector_last_fetch_success",
                               "1 when the connector's latest fetch succeeded with rows", labels=["connector"])
        lag = GaugeMetricFamily("macrodesk_connector_lag_sessions",
                                "B3 sessions the connector's newest data lags its latest partition",
                                labels=["connector"])
        allowed = GaugeMetricFamily("macrodesk_connector_allowed_lag_sessions",
                                    "Sessions of lag the connector is allowed", labels=["connector"])
        for connector, status, row_count, lag_sessions, allowed_sessions in connection.execute(_CONNECTORS):
            ok.add_metric([connector], 1 if status == "success" and row_count > 0 else 0)
            if lag_sessions is not None:
                lag.add_metric([connector], lag_sessions)
            if allowed_sessions is not None:
                allowed.add_metric([connector], allowed_sessions)
        yield from (ok, lag, allowed)

    def _reports(self, connection: Connection) -> Iterator[Metric]:
        count, latest = connection.execute(_REPORTS).one()
        stored = GaugeMetricFamily("macrodesk_reports_stored", "Daily reports stored")
        stored.add_metric([], count)
        yield stored
        if latest is None:
            return
        content = connection.execute(_LATEST_REPORT).scalar_one()
        size = GaugeMetricFamily("macrodesk_report_size_bytes", "UTF-8 size of the latest stored daily report")
        size.add_metric([], len(content.encode()))
        session = GaugeMetricFamily("macrodesk_report_latest_session_timestamp_seconds",
                                    "Unix time (00:00 UTC) of the latest report's session")
        session.add_metric([], datetime(latest.year, latest.month, latest.day, tzinfo=UTC).timestamp())
        assembly = GaugeMetricFamily("macrodesk_report_assembly_seconds",
                                     "Seconds the daily_report asset took in its most recent run")
        for asset, seconds, _status in connection.execute(_LAST_RUN):
            if asset == "daily_report" and seconds is not None:
                assembly.add_metric([], float(seconds))
        yield from (size, session, assembly)

    def _alerts(self, connection: Connection) -> Iterator[Metric]:
        fired = CounterMetricFamily("macrodesk_alerts_fired", "Alert notifications fired, by rule", labels=["rule"])
        for rule, count in connection.execute(_ALERTS_FIRED):
            fired.add_metric([rule], count)
        events = CounterMetricFamily("macrodesk_alert_events", "Alert lifecycle events, by rule and kind",
                                     labels=["rule", "kind"])
        for rule, kind, count in connection.execute(_ALERT_EVENTS):
            events.add_metric([rule, kind], count)
        yield from (fired, events)

    def _deliveries(self, connection: Connection) -> Iterator[Metric]:
        attempts = CounterMetricFamily("macrodesk_delivery_attempts", "Delivery attempts, by channel and outcome",
                                       labels=["channel", "outcome"])
        for channel, outcome, count in connection.execute(_DELIVERY_ATTEMPTS):
            attempts.add_metric([channel, outcome], count)
        deliveries = GaugeMetricFamily("macrodesk_deliveries", "Deliveries in the log, by channel and status",
                                       labels=["channel", "status"])
        for channel, status, count in connection.execute(_DELIVERIES):
            deliveries.add_metric([channel, status], count)
        yield from (attempts, deliveries)
