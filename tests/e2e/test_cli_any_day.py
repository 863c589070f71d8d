"""The demo and ``dagster-run`` work on any day: the clock is frozen (Debian's faketime) on a Saturday, a Sunday
and the day after a holiday, and the run lands on the latest complete B3 session; a second demo reuses the history.

One bootstrapped database serves the module (the first demo computes it); each command is a real process.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

FAKETIME = shutil.which("faketime")
pytestmark = pytest.mark.skipif(FAKETIME is None, reason="Debian's faketime is not installed (make setup installs it)")


def macrodesk_at(when: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run the console script with the wall clock starting at ``when`` (UTC) and ticking from there."""
    return subprocess.run([FAKETIME or "faketime", "-f", f"@{when}", sys.executable, "-m", "entrypoints.cli", *args],
                          capture_output=True, text=True, env=env, timeout=3600, check=False)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("any_day")
    variables = {k: v for k, v in os.environ.items() if not k.startswith("MACRODESK_")}
    # Under faketime, the `tail -F` processes Dagster starts to mirror compute logs outlive the run and hold the
    # captured pipes open; this instance keeps its event log and runs but no compute-log files.
    (folder / "dagster").mkdir()
    (folder / "dagster" / "dagster.yaml").write_text(
        "telemetry:\n  enabled: false\ncompute_logs:\n  module: dagster.core.storage.noop_compute_log_manager\n"
        "  class: NoOpComputeLogManager\n")
    variables.update(MACRODESK_DATA_DIR=str(folder / "var"), DAGSTER_HOME=str(folder / "dagster"),
                     MACRODESK_RETRY_DELAY_SECONDS="0", DONT_FAKE_MONOTONIC="1", COLUMNS="200")
    return variables


@pytest.fixture(scope="module")
def first_demo(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return macrodesk_at("2026-11-28 15:00:00", "demo", env=env)  # Saturday 12:00 in São Paulo


def _reports(env: dict[str, str]) -> list[str]:
    engine = create_engine(f"sqlite:///{Path(env['MACRODESK_DATA_DIR']) / 'macrodesk.db'}")
    with engine.connect() as connection:
        days = [str(d) for d in connection.execute(text("SELECT date FROM daily_reports ORDER BY date")).scalars()]
    engine.dispose()
    return days


def test_the_demo_on_a_saturday_runs_friday_s_session_through_dagster(
        first_demo: subprocess.CompletedProcess[str], env: dict[str, str]) -> None:
    assert first_demo.returncode == 0, first_demo.stderr[-3000:]
    assert "Dagster daily_pipeline for 2026-11-27" in first_demo.stdout
    assert "Session 2026-11-27" in first_demo.stdout
    assert "BetaWarning" not in first_demo.stdout + first_demo.stderr
    assert "Traceback" not in first_demo.stderr
    assert _reports(env)[-1] == "2026-11-27"


@pytest.mark.parametrize(("when", "session"), [
    ("2026-11-28 15:00:00", "2026-11-27"),  # Saturday
    ("2026-11-29 15:00:00", "2026-11-27"),  # Sunday
    ("2026-11-21 15:00:00", "2026-11-19"),  # Saturday after Friday 20 November (a B3 holiday)
])
def test_dagster_run_on_a_weekend_or_after_a_holiday_runs_the_latest_complete_session(
        first_demo: subprocess.CompletedProcess[str], env: dict[str, str], when: str, session: str) -> None:
    result = macrodesk_at(when, "dagster-run", env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"for {session}" in result.stdout
    assert result.stdout.count(" success ") + result.stdout.count("│ success") >= 22
    assert "BetaWarning" not in result.stdout + result.stderr


def test_a_second_demo_computes_nothing_already_computed(
        first_demo: subprocess.CompletedProcess[str], env: dict[str, str]) -> None:
    before = _reports(env)
    result = macrodesk_at("2026-11-29 15:00:00", "demo", env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "nothing to bootstrap" in result.stderr
    assert "session 2026-11-27 already computed" in result.stderr
    assert "Session 2026-11-27" in result.stdout
    assert _reports(env) == before


def test_a_demo_days_later_computes_only_the_new_sessions(
        first_demo: subprocess.CompletedProcess[str], env: dict[str, str]) -> None:
    result = macrodesk_at("2026-12-02 15:00:00", "demo", env=env)  # Wednesday: Monday and Tuesday are new
    assert result.returncode == 0, result.stderr[-3000:]
    assert "new sessions since 2026-11-27 2026-11-30..2026-11-30" in result.stdout
    assert "Dagster daily_pipeline for 2026-12-01" in result.stdout
    assert _reports(env)[-3:] == ["2026-11-27", "2026-11-30", "2026-12-01"]
