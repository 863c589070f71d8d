"""Every PostgreSQL query of every dashboard, expanded as Grafana expands it, runs on a database the pipeline filled."""

from collections.abc import Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine

from adapters.storage.database import create_database_engine
from tests.grafana_sql import Target, expand_macros, finite, interpolate_variables, load_dashboards, sql_targets
from tests.integration.grafana.conftest import FAILED_SESSION, PipelineDatabase

pytestmark = pytest.mark.postgres

PG_UID = "macrodesk-pg"
DASHBOARDS = load_dashboards()
TARGETS = sql_targets(DASHBOARDS, PG_UID)
CONNECTORS = ["b3", "bcb_ptax", "bcb_sgs", "fred", "treasury", "yahoo"]


@pytest.fixture(scope="module")
def engine(pipeline_postgres: PipelineDatabase) -> Iterator[Engine]:
    engine = create_database_engine(pipeline_postgres.url, pooled=False)
    yield engine
    engine.dispose()


def run_sql(engine: Engine, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Execute raw SQL as Grafana's driver does (no parameter binding) and return column names and rows."""
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute(sql)
        columns = [d[0] for d in cursor.description or []]
        return columns, list(cursor.fetchall())
    finally:
        connection.close()


@pytest.fixture(scope="module")
def variables(engine: Engine, pipeline_postgres: PipelineDatabase) -> dict[str, dict[str, Any]]:
    """Each dashboard's template variables set to the first value their query returns (Grafana's default)."""
    values: dict[str, dict[str, Any]] = {}
    for target in TARGETS:
        if target.kind == "variable":
            sql = expand_macros(target.sql, pipeline_postgres.start, pipeline_postgres.end)
            _, rows = run_sql(engine, sql)
            assert rows, f"variable {target.title} of {target.dashboard} has no values"
            values.setdefault(target.dashboard, {})[target.title] = rows[0][0]
    return values


def expanded(target: Target, variables: Mapping[str, Mapping[str, Any]], database: PipelineDatabase) -> str:
    sql = interpolate_variables(target.sql, variables.get(target.dashboard, {}))
    sql = expand_macros(sql, database.start, database.end)
    assert "$" not in sql, f"unexpanded variable or macro left in {sql}"
    return sql


def _numeric(value: Any) -> bool:
    return isinstance(value, Decimal) or finite(value)


def _transformation(panel: Mapping[str, Any], kind: str) -> Mapping[str, Any] | None:
    for transformation in panel.get("transformations", []):
        if transformation["id"] == kind:
            options: Mapping[str, Any] = transformation["options"]
            return options
    return None


def assert_shape(target: Target, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """The columns the panel type, the format and the transformations need."""
    panel = target.panel
    if target.kind == "annotation":
        assert {"time", "timeend", "text", "tags"} <= set(columns)
        assert all(isinstance(r[columns.index("time")], datetime) for r in rows)
        return
    if target.kind == "variable":
        assert all(r[0] is not None for r in rows)
        return
    if target.fmt == "time_series":
        assert "time" in columns, columns
        times = [r[columns.index("time")] for r in rows]
        assert all(isinstance(t, date | datetime) for t in times)
        assert times == sorted(times), "time series must be sorted by time"
        values = [c for c in columns if c not in ("time", "metric")]
        assert values and any(_numeric(r[columns.index(c)]) for r in rows for c in values)
    matrix = _transformation(panel, "groupingToMatrix")
    if matrix:
        assert {matrix["columnField"], matrix["rowField"], matrix["valueField"]} <= set(columns)
        cells = [r[columns.index(matrix["valueField"])] for r in rows]
        assert all(-1 <= float(c) <= 1 for c in cells)
    to_fields = _transformation(panel, "rowsToFields")
    if to_fields:
        assert {m["fieldName"] for m in to_fields["mappings"]} <= set(columns)
    config = _transformation(panel, "configFromData")
    if config and config["configRefId"] == target.ref_id:
        for mapping in config["mappings"]:
            assert _numeric(rows[0][columns.index(mapping["fieldName"])]), mapping
    elif panel.get("type") in ("gauge", "stat", "bargauge"):
        assert any(_numeric(v) for r in rows for v in r), "a stat, gauge or bar gauge needs a number"
    if panel.get("type") == "barchart":
        x_field = panel["options"]["xField"]
        assert x_field in columns
        assert any(_numeric(v) for r in rows for i, v in enumerate(r) if columns[i] != x_field)


# The 99% VaR backtest writes its first row on the 251st session of the book (a 250-day window): the test
# database's book is weeks old, so this series is empty here; the ten-year benchmark requires rows from it.
NEEDS_A_FULL_BACKTEST_WINDOW = {"risk:panel:VaR history, limits and backtest exceptions:C"}


@pytest.mark.parametrize("target", TARGETS, ids=[t.test_id for t in TARGETS])
def test_every_dashboard_query_runs_and_returns_the_columns_its_panel_needs(
        target: Target, engine: Engine, variables: dict[str, dict[str, Any]],
        pipeline_postgres: PipelineDatabase) -> None:
    columns, rows = run_sql(engine, expanded(target, variables, pipeline_postgres))
    if target.test_id in NEEDS_A_FULL_BACKTEST_WINDOW:
        assert run_sql(engine, "SELECT count(*) FROM book_nav")[1][0][0] < 251
        assert rows == [] and columns == ["time", "backtest exceptions"]
        return
    assert rows, f"{target.test_id} returned no rows"
    assert_shape(target, columns, rows)


def test_every_dashboard_but_the_prometheus_one_has_postgres_queries() -> None:
    boards = {t.dashboard for t in TARGETS}
    assert boards == {"pipeline-health", "signal-overview", "risk", "portfolio"}
    assert len([t for t in TARGETS if t.kind == "panel"]) >= 30


def _query(engine: Engine, dashboard: str, title: str, ref_id: str, variables: dict[str, dict[str, Any]],
           database: PipelineDatabase) -> tuple[list[str], list[tuple[Any, ...]]]:
    (target,) = [t for t in TARGETS if t.dashboard == dashboard and t.title == title and t.ref_id == ref_id]
    return run_sql(engine, expanded(target, variables, database))


def test_the_connector_grid_is_red_for_every_connector_after_the_failing_run(
        engine: Engine, variables: dict[str, dict[str, Any]], pipeline_postgres: PipelineDatabase) -> None:
    columns, rows = _query(engine, "pipeline-health", "Connector status, latest session", "A", variables,
                           pipeline_postgres)
    assert columns == ["connector", "state"]
    assert rows == [(c, 2) for c in CONNECTORS]


def test_the_state_timeline_shows_the_sessions_before_the_failure_green(
        engine: Engine, variables: dict[str, dict[str, Any]], pipeline_postgres: PipelineDatabase) -> None:
    _, rows = _query(engine, "pipeline-health", "Connector state, last 30 sessions", "A", variables,
                     pipeline_postgres)
    by_session: dict[date, set[int]] = {}
    for day, _connector, state in rows:
        by_session.setdefault(day, set()).add(state)
    assert by_session[FAILED_SESSION] == {2}
    # The synthetic market is fresh on every session: lag 0 (FRED 1, within its 3), so every other cell is green.
    assert all(states == {0} for day, states in by_session.items() if day != FAILED_SESSION)
    assert len(by_session) == 4  # the bootstrap's last session, two daily runs, the failed run


def test_failure_annotations_carry_each_failed_connector_asset_and_its_error(
        engine: Engine, variables: dict[str, dict[str, Any]], pipeline_postgres: PipelineDatabase) -> None:
    (target,) = [t for t in TARGETS if t.kind == "annotation" and t.title == "Asset failures"]
    columns, rows = run_sql(engine, expanded(target, variables, pipeline_postgres))
    texts = sorted(r[columns.index("text")] for r in rows)
    assert [t.split(":")[0] for t in texts] == [f"bronze_{c}" for c in CONNECTORS]
    assert all(len(t) > len("bronze_b3: ") for t in texts)
    assert all(r[columns.index("tags")].startswith("pipeline,failed,bronze_") for r in rows)


def test_the_signal_matrix_cells_are_the_mean_strategy_signal_of_the_session(
        engine: Engine, variables: dict[str, dict[str, Any]], pipeline_postgres: PipelineDatabase) -> None:
    session = variables["signal-overview"]["session"]
    _, cells = _query(engine, "signal-overview", "Signal matrix: asset class x strategy ($session)", "A",
                      variables, pipeline_postgres)
    _, raw = run_sql(engine, f"SELECT asset_class, strategy_id, signal FROM strategy_signals WHERE date = '{session}'")
    expected: dict[tuple[str, str], list[float]] = {}
    for asset_class, strategy, signal in raw:
        expected.setdefault((asset_class, strategy), []).append(signal)
    assert {(a, s): pytest.approx(v) for a, s, v in cells} == \
        {k: pytest.approx(sum(v) / len(v)) for k, v in expected.items()}
    assert session == max(r[0] for r in run_sql(engine, "SELECT date::text FROM aggregated_signals")[1])


def test_the_var_gauges_take_their_thresholds_from_the_configured_limits(
        engine: Engine, variables: dict[str, dict[str, Any]], pipeline_postgres: PipelineDatabase) -> None:
    _, var95 = _query(engine, "risk", "VaR95 1-day, % of NAV ($session)", "B", variables, pipeline_postgres)
    _, var99 = _query(engine, "risk", "VaR99 1-day, % of NAV ($session)", "B", variables, pipeline_postgres)
    assert var95 == [(pytest.approx(0.03), pytest.approx(0.06))]
    assert var99 == [(pytest.approx(0.05), pytest.approx(0.10))]
