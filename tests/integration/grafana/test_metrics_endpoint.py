"""/metrics reports what the pipeline did in other processes, read from the database at scrape time."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from domain.market.bronze import Connector
from entrypoints.api.app import create_app
from entrypoints.container import build_container
from entrypoints.settings import Settings
from tests.integration.grafana.conftest import PipelineDatabase

pytestmark = pytest.mark.postgres

BRONZE = [f"bronze_{c}" for c in Connector]
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def samples(text: str) -> Samples:
    """Every sample of an exposition text by (name, sorted labels)."""
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


@pytest.fixture
def scraped(pipeline_postgres: PipelineDatabase, tmp_path: Path) -> Iterator[Samples]:
    container = build_container(Settings(database_url=pipeline_postgres.url, data_dir=tmp_path))
    with TestClient(create_app(container)) as client:
        response = client.get("/metrics")
    assert response.status_code == 200
    yield samples(response.text)


def test_asset_runs_are_counted_by_status_across_the_cli_processes(scraped: Samples) -> None:
    # Three successful runs (bootstrap and two daily runs) of all 22 assets, then a run whose six Bronze
    # connectors failed and whose 16 other assets were skipped.
    runs = {labels: value for (name, labels), value in scraped.items() if name == "macrodesk_pipeline_asset_runs_total"}
    assets = {dict(labels)["asset"] for labels in runs}
    assert len(assets) == 22 and set(BRONZE) <= assets
    for asset in assets:
        assert runs[(("asset", asset), ("status", "success"))] == 3
        other = "failed" if asset in BRONZE else "skipped"
        assert runs[(("asset", asset), ("status", other))] == 1
    assert scraped[("macrodesk_database_metrics_up", ())] == 1


def test_durations_rows_and_latest_outcomes_match_the_run_history(
        scraped: Samples, pipeline_postgres: PipelineDatabase) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(pipeline_postgres.url)
    with engine.connect() as connection:
        expected = {a: (n, s, r) for a, n, s, r in connection.execute(text(
            "SELECT asset, count(duration_seconds), sum(duration_seconds), sum(rows) FROM asset_runs GROUP BY asset"))}
        report_bytes = len(connection.execute(text(
            "SELECT content FROM daily_reports ORDER BY date DESC LIMIT 1")).scalar_one().encode())
        reports = connection.execute(text("SELECT count(*) FROM daily_reports")).scalar_one()
    engine.dispose()
    for asset, (count, seconds, rows) in expected.items():
        labels = (("asset", asset),)
        assert scraped[("macrodesk_pipeline_asset_duration_seconds_count", labels)] == count
        assert scraped[("macrodesk_pipeline_asset_duration_seconds_sum", labels)] == pytest.approx(seconds)
        assert scraped[("macrodesk_pipeline_rows_written_total", labels)] == rows
        assert scraped[("macrodesk_pipeline_asset_last_run_failed", labels)] == (1 if asset in BRONZE else 0)
    assert scraped[("macrodesk_report_size_bytes", ())] == report_bytes
    assert scraped[("macrodesk_reports_stored", ())] == reports
    assert scraped[("macrodesk_report_assembly_seconds", ())] > 0


def test_every_connector_reports_its_failed_latest_fetch(scraped: Samples) -> None:
    for connector in Connector:
        assert scraped[("macrodesk_connector_last_fetch_success", (("connector", str(connector)),))] == 0


def test_an_unreadable_database_leaves_metrics_up_but_flags_the_scrape(tmp_path: Path) -> None:
    container = build_container(Settings(database_url="postgresql+psycopg://nobody:secret@127.0.0.1:1/none",
                                         data_dir=tmp_path))
    with TestClient(create_app(container)) as client:
        response = client.get("/metrics")
    assert response.status_code == 200
    assert samples(response.text)[("macrodesk_database_metrics_up", ())] == 0
    assert "secret" not in response.text


def test_alerts_fired_and_delivery_attempts_are_counted_as_the_logs_record_them(
        scraped: Samples, pipeline_postgres: PipelineDatabase) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(pipeline_postgres.url)
    with engine.connect() as connection:
        fired = dict(connection.execute(text(
            "SELECT rule_id, count(*) FROM alert_events WHERE kind = 'fired' GROUP BY rule_id")).all())
        attempts = {(c, o): n for c, o, n in connection.execute(text(
            "SELECT channel, outcome, count(*) FROM delivery_attempts GROUP BY channel, outcome"))}
    engine.dispose()
    assert "PIPELINE_FAILURE" in fired  # the failing run's six Bronze assets
    assert {dict(labels)["rule"]: value for (name, labels), value in scraped.items()
            if name == "macrodesk_alerts_fired_total"} == fired
    assert attempts and {(dict(labels)["channel"], dict(labels)["outcome"]): value
                         for (name, labels), value in scraped.items()
                         if name == "macrodesk_delivery_attempts_total"} == attempts


def test_every_metric_the_prometheus_dashboard_plots_is_exposed(pipeline_postgres: PipelineDatabase,
                                                                tmp_path: Path) -> None:
    import re

    from tests.grafana_sql import load_dashboards, panels

    container = build_container(Settings(database_url=pipeline_postgres.url, data_dir=tmp_path))
    with TestClient(create_app(container)) as client:
        families = {f.name for f in text_string_to_metric_families(client.get("/metrics").text)}
    plotted = {re.sub(r"_(total|bucket|count|sum)$", "", name)
               for panel in panels(load_dashboards()["metrics"]) for target in panel.get("targets", [])
               for name in re.findall(r"macrodesk_[a-z_]+", target["expr"])}
    assert plotted and plotted <= families, plotted - families
