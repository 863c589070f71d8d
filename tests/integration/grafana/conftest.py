"""A PostgreSQL database filled by the pipeline, run by the CLI in other processes (built once per session).

Bootstrap 2022-01-03..2023-03-24 in one range run (the model book's NAV starts on 2023-02-02, once it has a
year of factor history, and on the synthetic market of seed 20100104 its first trades are on 2023-03-23 and
2023-03-24, when the DI1_10Y signal first clears the sizing: the last sessions carry positions, trades, VaR,
stress and limits), then two daily runs on the next sessions, then one
daily run on the live source pointed at a closed port: its connectors fail for real (red cells, failed asset
runs with their errors, skipped downstream assets); then the alert rules are evaluated once (alert events and
deliveries to the local outbox).
"""

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from adapters.storage import migrations
from tests.conftest import create_postgres_database, drop_postgres_database

START = date(2022, 1, 3)
BOOTSTRAP_END = date(2023, 3, 24)
DAILY = (date(2023, 3, 27), date(2023, 3, 28))
FAILED_SESSION = date(2023, 3, 29)
CLOSED_PORT_URL = "http://127.0.0.1:9"
LIVE_URL_SETTINGS = ("BCB_SGS_URL", "BCB_OLINDA_URL", "FRED_URL", "YAHOO_URL", "B3_URL", "US_TREASURY_URL",
                     "TESOURO_URL")


@dataclass(frozen=True)
class PipelineDatabase:
    """Where the filled database is and the time range that covers both its sessions and its run history."""

    url: str
    start: datetime
    end: datetime


def macrodesk(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run the ``macrodesk`` CLI in a separate process."""
    command = [str(Path(sys.executable).with_name("macrodesk")), *args]
    return subprocess.run(command, env={**os.environ, **env}, capture_output=True, text=True, timeout=1800)


def fill_with_pipeline(url: str, data_dir: Path) -> None:
    """Bootstrap, two daily runs and one failing run, each a ``macrodesk`` process."""
    env = {"MACRODESK_DATABASE_URL": url, "MACRODESK_DATA_DIR": str(data_dir),
           "MACRODESK_HISTORY_START": START.isoformat(), "MACRODESK_LOG_LEVEL": "WARNING"}
    done = macrodesk(["backfill", "--start", START.isoformat(), "--end", BOOTSTRAP_END.isoformat()], env)
    assert done.returncode == 0, done.stderr[-3000:]
    for day in DAILY:
        done = macrodesk(["run", "--date", day.isoformat()], env)
        assert done.returncode == 0, done.stderr[-3000:]
    failing = {**env, "MACRODESK_MARKET_SOURCE": "live", "MACRODESK_HTTP_ATTEMPTS": "1",
               "MACRODESK_HTTP_TIMEOUT_SECONDS": "2", "MACRODESK_FRED_API_KEY": "not-a-key",
               **{f"MACRODESK_{name}": CLOSED_PORT_URL for name in LIVE_URL_SETTINGS}}
    done = macrodesk(["run", "--date", FAILED_SESSION.isoformat()], failing)
    assert done.returncode == 1, done.stderr[-3000:]
    # The alert rules evaluated once, as the Dagster sensor would after a run; messages go to the local outbox.
    done = macrodesk(["alerts", "evaluate"], env)
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.fixture(scope="session")
def pipeline_postgres(postgres_admin: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[PipelineDatabase]:
    """A migrated PostgreSQL database the pipeline filled from other processes.

    ``MACRODESK_GRAFANA_TEST_URL`` names an already filled database to reuse instead (while editing dashboards).
    """
    window = (datetime(2021, 12, 1, tzinfo=UTC), datetime.now(UTC) + timedelta(days=1))
    if os.environ.get("MACRODESK_GRAFANA_TEST_URL"):
        migrations.upgrade(os.environ["MACRODESK_GRAFANA_TEST_URL"])
        yield PipelineDatabase(os.environ["MACRODESK_GRAFANA_TEST_URL"], *window)
        return
    url = create_postgres_database(postgres_admin)
    try:
        migrations.upgrade(url)
        fill_with_pipeline(url, tmp_path_factory.mktemp("grafana_pipeline"))
        yield PipelineDatabase(url, *window)
    finally:
        drop_postgres_database(postgres_admin, url)
