from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from typer.testing import CliRunner

from adapters.storage.migrations import alembic_config
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
    head = ScriptDirectory.from_config(alembic_config(f"sqlite:///{env / 'macrodesk.db'}")).get_current_head()
    assert current.stdout.strip() == head and head is not None


# Refusals of bad input (holidays, reversed or future ranges, malformed dates) are in test_cli_input.py.


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
