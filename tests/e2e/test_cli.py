from pathlib import Path

import pytest
from typer.testing import CliRunner

from entrypoints.cli import app

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MACRODESK_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("MACRODESK_DATABASE_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "200")  # rich wraps tables to the terminal width; keep the run id on one line
    return tmp_path


def test_db_upgrade_creates_the_embedded_database_at_the_head_revision(env: Path) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert (env / "macrodesk.db").exists()
    current = runner.invoke(app, ["db", "current"])
    assert current.exit_code == 0
    assert current.stdout.strip() == "0008"


def test_run_refuses_a_b3_holiday_and_names_the_previous_session(env: Path) -> None:
    result = runner.invoke(app, ["run", "--date", "2026-11-20"])
    assert result.exit_code == 2
    assert "2026-11-20 is not a B3 session" in result.output and "2026-11-19" in result.output


def test_backfill_refuses_a_reversed_range_and_a_malformed_date(env: Path) -> None:
    reversed_range = runner.invoke(app, ["backfill", "--start", "2024-02-01", "--end", "2024-01-31"])
    assert reversed_range.exit_code == 2 and "is before --start" in reversed_range.output
    malformed = runner.invoke(app, ["backfill", "--start", "2024-13-01", "--end", "2024-12-31"])
    assert malformed.exit_code == 2 and "is not a date" in malformed.output


def test_a_backfill_records_every_step_in_the_run_history_including_what_it_could_not_do(env: Path) -> None:
    from datetime import date

    from entrypoints.container import build_container
    from entrypoints.settings import Settings

    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    # Two sessions with only a trailing fetch window of history: the layers up to the signals compute; the
    # book needs a year of factor history, so portfolio_optimization fails and everything after it is skipped.
    result = runner.invoke(app, ["backfill", "--start", "2024-06-03", "--end", "2024-06-04"])
    assert result.exit_code == 1
    container = build_container(Settings())
    with container.unit_of_work() as uow:
        runs = uow.pipeline_runs.connector_runs()
    run_ids = {line.split("(run ")[1].split(")")[0] for line in result.output.splitlines() if "(run cli-" in line}
    assert len(run_ids) == 1
    history = {r.asset: r for r in container.run_history().run(run_ids.pop())}
    container.shutdown_resources()
    assert len(history) == 22
    assert history["signal_aggregation"].status == "success"
    assert history["portfolio_optimization"].status == "failed"
    assert "fewer than 273 sessions of factor history" in (history["portfolio_optimization"].error or "")
    assert {a for a, r in history.items() if r.status == "skipped"} == {
        "portfolio_sizing", "risk_var", "risk_stress", "risk_limits", "daily_report"}
    assert all(r.partition_start == date(2024, 6, 3) and r.partition_end == date(2024, 6, 4)
               for r in history.values())
    assert history["bronze_b3"].started_at is not None and history["bronze_b3"].finished_at is not None
    assert {r.connector for r in runs} and all(r.status == "success" for r in runs)
