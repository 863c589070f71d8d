from pathlib import Path

import pytest
from typer.testing import CliRunner

from entrypoints.cli import app

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MACRODESK_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("MACRODESK_DATABASE_URL", raising=False)
    return tmp_path


def test_db_upgrade_creates_the_embedded_database_at_the_head_revision(env: Path) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert (env / "macrodesk.db").exists()
    current = runner.invoke(app, ["db", "current"])
    assert current.exit_code == 0
    assert current.stdout.strip() == "0005"


def test_run_refuses_a_b3_holiday_and_names_the_previous_session(env: Path) -> None:
    result = runner.invoke(app, ["run", "--date", "2026-11-20"])
    assert result.exit_code == 2
    assert "2026-11-20 is not a B3 session" in result.output and "2026-11-19" in result.output


def test_backfill_refuses_a_reversed_range_and_a_malformed_date(env: Path) -> None:
    reversed_range = runner.invoke(app, ["backfill", "--start", "2024-02-01", "--end", "2024-01-31"])
    assert reversed_range.exit_code == 2 and "is before --start" in reversed_range.output
    malformed = runner.invoke(app, ["backfill", "--start", "2024-13-01", "--end", "2024-12-31"])
    assert malformed.exit_code == 2 and "is not a date" in malformed.output
