"""A transient answer from a live source is retried on both execution paths: the CLI range run and Dagster.

Every source URL points at one loopback server. The PTAX endpoint first answers BCB's
"Requisição inválida!" page with HTTP 200 (rbcb #57, python-bcb #27), then the real payload; the
other sources answer 404, so their steps fail on their own and nothing else matters here.
"""

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import dagster as dg
import pytest
from typer.testing import CliRunner

from adapters.market_data.bcb_ptax import PTAX_PATH
from adapters.storage import migrations
from entrypoints.cli import app
from entrypoints.container import build_container
from entrypoints.dagster.definitions import build_definitions
from entrypoints.settings import Settings
from tests.loopback import LoopbackServer, Reply, loopback

FIXTURES = Path(__file__).parents[1] / "fixtures"
SESSION = date(2025, 10, 7)
PTAX_PREFIX = PTAX_PATH.split("(")[0]
URLS = ("bcb_sgs_url", "bcb_olinda_url", "fred_url", "yahoo_url", "b3_url", "b3_price_report_url",
        "us_treasury_url", "tesouro_url")


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with loopback() as srv:
        srv.route(PTAX_PREFIX, Reply(200, (FIXTURES / "transient" / "bcb_requisicao_invalida.html").read_bytes(),
                                     "text/html"),
                  Reply(body=(FIXTURES / "bcb" / "ptax_dolar_2025-10-01_2025-10-07.json").read_bytes()))
        yield srv


def live_settings(server: LoopbackServer, tmp: Path) -> dict[str, str]:
    values = {name: server.url for name in URLS}
    values.update(database_url=f"sqlite:///{tmp / 'live.db'}", data_dir=str(tmp), market_source="live",
                  fred_api_key="0123456789abcdef0123456789abcdef", http_attempts="3", http_backoff_seconds="0.01",
                  fetch_window_days="6", history_start="2025-09-01", retry_delay_seconds="0.01")
    return values


def stored_ptax(settings: Settings) -> int:
    container = build_container(settings)
    with container.unit_of_work() as uow:
        frame = uow.observations.as_of(["BR_PTAX_BUY"], date(2025, 10, 1), SESSION, as_of=SESSION)
    container.shutdown_resources()
    return len(frame)


def test_the_cli_range_run_retries_a_transient_page_and_stores_the_data(
        server: LoopbackServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    values = live_settings(server, tmp_path)
    for name, value in values.items():
        monkeypatch.setenv(f"MACRODESK_{name.upper()}", value)
    migrations.upgrade(values["database_url"])

    result = CliRunner().invoke(app, ["run", "--date", SESSION.isoformat()])

    assert result.exit_code == 1  # the sources that answer 404 fail their steps
    assert "bronze_bcb_ptax" in result.output
    assert len(server.hits(PTAX_PREFIX)) == 2
    assert stored_ptax(Settings(**values)) == 5  # type: ignore[arg-type]


def test_a_dagster_run_retries_a_transient_page_and_materializes_the_asset(server: LoopbackServer,
                                                                             tmp_path: Path) -> None:
    settings = Settings(**live_settings(server, tmp_path))  # type: ignore[arg-type]
    migrations.upgrade(settings.database_url)
    container = build_container(settings)

    result = build_definitions(settings).resolve_job_def("daily_pipeline").execute_in_process(
        partition_key=SESSION.isoformat(), instance=dg.DagsterInstance.ephemeral(),
        resources={"macrodesk": container}, raise_on_error=False)
    container.shutdown_resources()

    succeeded = {e.step_key for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_SUCCESS}
    retried = {e.step_key for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_UP_FOR_RETRY}
    assert "bronze_bcb_ptax" in succeeded and "bronze_bcb_ptax" not in retried  # retried inside the fetch
    assert len(server.hits(PTAX_PREFIX)) == 2
    assert stored_ptax(settings) == 5
