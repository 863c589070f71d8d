"""The scrape-time collector on both databases: recorded runs become metric families, whatever process wrote them."""

from datetime import UTC, date, datetime

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine

from adapters.database_metrics import DatabaseMetricsCollector
from adapters.storage.unit_of_work import SqlAlchemyUnitOfWork
from application.ports import AssetRun, ConnectorRun
from domain.market.bronze import Connector
from domain.market.freshness import connector_freshness

D1, D2 = date(2026, 11, 19), date(2026, 11, 20)
T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def _at(seconds: float) -> datetime:
    return datetime.fromtimestamp(T0.timestamp() + seconds, UTC)


def _scrape(engine: Engine) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    registry = CollectorRegistry()
    registry.register(DatabaseMetricsCollector(engine))
    text = generate_latest(registry).decode()
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def test_runs_connectors_and_freshness_become_metrics(engine: Engine) -> None:
    # Tue 17 Nov -> Fri 20 Nov: 20 November is a national holiday since 2024, so the sessions are 17, 18 and 19.
    fred = connector_freshness(Connector.FRED, date(2026, 11, 17), D2)
    with SqlAlchemyUnitOfWork(engine) as uow:
        runs = uow.pipeline_runs
        runs.record_asset(AssetRun("r1", "bronze_b3", D1, D1, "success", 1, _at(0), _at(2.5), 100, None))
        runs.record_asset(AssetRun("r1", "risk_var", D1, D1, "success", 1, _at(3), _at(4), 12, None))
        runs.record_asset(AssetRun("r2", "bronze_b3", D2, D2, "failed", 4, _at(60), _at(61.5), 0, "HTTP 500"))
        runs.record_asset(AssetRun("r2", "risk_var", D2, D2, "skipped", 0, None, None, 0, "upstream failed"))
        runs.record_connector(ConnectorRun(Connector.FRED, D2, "success", 40, date(2026, 11, 17), None, _at(0),
                                           _at(1), fred.lag_sessions, fred.allowed_sessions))
        runs.record_connector(ConnectorRun(Connector.B3, D1, "success", 9, D1, None, _at(0), _at(1), 0, 1))
        runs.record_connector(ConnectorRun(Connector.B3, D2, "failed", 0, None, "HTTP 500", _at(60), _at(61)))
        uow.commit()
    scraped = _scrape(engine)
    b3, risk = (("asset", "bronze_b3"),), (("asset", "risk_var"),)
    assert scraped[("macrodesk_pipeline_asset_runs_total", (("asset", "bronze_b3"), ("status", "failed")))] == 1
    assert scraped[("macrodesk_pipeline_asset_runs_total", (("asset", "risk_var"), ("status", "skipped")))] == 1
    assert scraped[("macrodesk_pipeline_asset_duration_seconds_count", b3)] == 2
    assert scraped[("macrodesk_pipeline_asset_duration_seconds_sum", b3)] == 4.0
    assert scraped[("macrodesk_pipeline_rows_written_total", b3)] == 100
    assert scraped[("macrodesk_pipeline_asset_last_duration_seconds", b3)] == 1.5
    assert scraped[("macrodesk_pipeline_asset_last_run_failed", b3)] == 1
    assert scraped[("macrodesk_pipeline_asset_last_run_failed", risk)] == 0
    assert scraped[("macrodesk_pipeline_asset_last_success_timestamp_seconds", risk)] == _at(4).timestamp()
    assert (fred.lag_sessions, fred.allowed_sessions, fred.fresh) == (2, 3, True)
    assert scraped[("macrodesk_connector_lag_sessions", (("connector", "fred"),))] == 2
    assert scraped[("macrodesk_connector_allowed_lag_sessions", (("connector", "fred"),))] == 3
    assert scraped[("macrodesk_connector_last_fetch_success", (("connector", "fred"),))] == 1
    assert scraped[("macrodesk_connector_last_fetch_success", (("connector", "b3"),))] == 0
    assert scraped[("macrodesk_reports_stored", ())] == 0
    assert scraped[("macrodesk_database_metrics_up", ())] == 1


def test_an_empty_database_scrapes_with_no_pipeline_samples(engine: Engine) -> None:
    scraped = _scrape(engine)
    assert scraped[("macrodesk_database_metrics_up", ())] == 1
    assert not [k for k in scraped if k[0].startswith("macrodesk_pipeline_")]


def test_alert_events_and_delivery_attempts_are_counted_by_rule_channel_and_outcome(engine: Engine) -> None:
    from adapters.storage.tables import AlertEventRow, DeliveryAttemptRow, DeliveryRow

    events = [("PIPELINE_FAILURE", "fired"), ("PIPELINE_FAILURE", "renotified"), ("PIPELINE_FAILURE", "fired"),
              ("VAR_CRITICAL", "fired"), ("VAR_CRITICAL", "resolved")]
    attempts = [("slack", "retry"), ("slack", "sent"), ("email", "sent"), ("email", "failed"), ("email", "failed")]
    with engine.begin() as connection:
        connection.execute(AlertEventRow.__table__.insert(), [
            {"rule_id": r, "subject": "-", "kind": k, "at": _at(i), "message": f"{r} {k}"}
            for i, (r, k) in enumerate(events)])
        connection.execute(DeliveryAttemptRow.__table__.insert(), [
            {"message_key": f"alert:{i}", "channel": c, "round": 1, "attempt": 1, "attempted_at": _at(i),
             "outcome": o} for i, (c, o) in enumerate(attempts)])
        connection.execute(DeliveryRow.__table__.insert(), [
            {"message_key": "alert:0", "channel": "slack", "kind": "alert", "status": "sent", "round": 1,
             "attempts": 2, "payload": "{}", "created_at": _at(0), "updated_at": _at(1)}])
    scraped = _scrape(engine)
    assert scraped[("macrodesk_alerts_fired_total", (("rule", "PIPELINE_FAILURE"),))] == 2
    assert scraped[("macrodesk_alerts_fired_total", (("rule", "VAR_CRITICAL"),))] == 1
    assert scraped[("macrodesk_alert_events_total", (("kind", "resolved"), ("rule", "VAR_CRITICAL")))] == 1
    assert scraped[("macrodesk_delivery_attempts_total", (("channel", "email"), ("outcome", "failed")))] == 2
    assert scraped[("macrodesk_delivery_attempts_total", (("channel", "slack"), ("outcome", "retry")))] == 1
    assert scraped[("macrodesk_deliveries", (("channel", "slack"), ("status", "sent")))] == 1
