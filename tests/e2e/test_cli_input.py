"""What a user can get wrong on the command line: one line on stderr, exit 2 (usage) or 1 (runtime), nothing written.

The console script runs in a subprocess, as a person runs it: real exit codes, separate streams.
"""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from adapters.storage import migrations


def macrodesk(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "entrypoints.cli", *args], capture_output=True, text=True,
                          env=env, timeout=600, check=False)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    variables = {k: v for k, v in os.environ.items() if not k.startswith("MACRODESK_")}
    variables.update(MACRODESK_DATA_DIR=str(tmp_path / "var"), COLUMNS="80")
    return variables


@pytest.fixture
def migrated(env: dict[str, str]) -> Path:
    path = Path(env["MACRODESK_DATA_DIR"]) / "macrodesk.db"
    path.parent.mkdir(parents=True)
    migrations.upgrade(f"sqlite:///{path}")
    return path


def _one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert "Traceback" not in result.stderr + result.stdout
    return lines[0]


def _rows(path: Path) -> dict[str, int]:
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        counts = {t: connection.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar_one()
                  for t in ("asset_runs", "connector_runs", "instrument_prices", "observations")}
    engine.dispose()
    return counts


def test_a_database_that_was_never_migrated_is_named_and_no_empty_file_is_left(env: dict[str, str]) -> None:
    result = macrodesk("run", "--date", "2024-06-03", env=env)
    assert result.returncode == 1
    line = _one_error_line(result)
    assert "run `macrodesk db upgrade` first" in line
    assert not (Path(env["MACRODESK_DATA_DIR"]) / "macrodesk.db").exists()


def test_db_current_on_a_missing_database_says_none_without_creating_it(env: dict[str, str]) -> None:
    result = macrodesk("db", "current", env=env)
    assert result.returncode == 0 and result.stdout.strip() == "none"
    assert not (Path(env["MACRODESK_DATA_DIR"]) / "macrodesk.db").exists()


def test_a_date_outside_the_calendar_is_a_usage_error(env: dict[str, str], migrated: Path) -> None:
    result = macrodesk("run", "--date", "1999-01-04", env=env)
    assert result.returncode == 2
    assert "outside the B3 calendar's range 2000-01-01..2060-12-31" in _one_error_line(result)
    assert _rows(migrated) == {"asset_runs": 0, "connector_runs": 0, "instrument_prices": 0, "observations": 0}


@pytest.mark.parametrize(("args", "expected"), [
    (("run", "--date", "2024-11-20"), "--date 2024-11-20 is not a B3 session (weekend or B3 holiday); "
                                      "the previous session is 2024-11-19"),
    (("run", "--date", "2024-06-01"), "--date 2024-06-01 is not a B3 session (weekend or B3 holiday); "
                                      "the previous session is 2024-05-31"),
    (("dagster-run", "--date", "2024-02-13"), "--date 2024-02-13 is not a B3 session (weekend or B3 holiday); "
                                              "the previous session is 2024-02-09"),
    (("backfill", "--start", "2024-06-01", "--end", "2024-06-04"),
     "--start 2024-06-01 is not a B3 session (weekend or B3 holiday); the next session is 2024-06-03"),
    (("backfill", "--start", "2024-06-03", "--end", "2024-12-25"),
     "--end 2024-12-25 is not a B3 session (weekend or B3 holiday); the previous session is 2024-12-23"),
])
def test_a_holiday_or_weekend_is_refused_by_every_command_that_takes_a_date(
        env: dict[str, str], migrated: Path, args: tuple[str, ...], expected: str) -> None:
    result = macrodesk(*args, env=env)
    assert result.returncode == 2
    assert _one_error_line(result) == f"error: {expected}"
    assert _rows(migrated)["asset_runs"] == 0


def test_a_future_session_is_refused_and_leaves_no_rows(env: dict[str, str], migrated: Path) -> None:
    result = macrodesk("run", "--date", "2030-01-02", env=env)
    assert result.returncode == 2
    line = _one_error_line(result)
    assert "--date 2030-01-02 is after the latest complete B3 session" in line
    assert "future sessions are never computed" in line
    assert _rows(migrated) == {"asset_runs": 0, "connector_runs": 0, "instrument_prices": 0, "observations": 0}


def test_a_range_reaching_past_the_latest_session_is_refused(env: dict[str, str], migrated: Path) -> None:
    result = macrodesk("backfill", "--start", "2024-06-03", "--end", "2030-01-02", env=env)
    assert result.returncode == 2
    assert "--end 2030-01-02 is after the latest complete B3 session" in _one_error_line(result)
    assert _rows(migrated)["asset_runs"] == 0


def test_a_range_before_the_source_history_names_the_limit(env: dict[str, str], migrated: Path) -> None:
    result = macrodesk("backfill", "--start", "2005-01-03", "--end", "2005-02-01", env=env)
    assert result.returncode == 2
    assert _one_error_line(result) == ("error: --start 2005-01-03 is before the market source's history, which "
                                       "starts on 2010-01-04 (MACRODESK_HISTORY_START)")
    assert _rows(migrated)["asset_runs"] == 0


def test_a_malformed_date_and_a_missing_option_are_usage_errors_in_one_line(env: dict[str, str]) -> None:
    malformed = macrodesk("backfill", "--start", "2024-13-01", "--end", "2024-12-31", env=env)
    assert malformed.returncode == 2
    assert _one_error_line(malformed) == "error: --start '2024-13-01' is not a date (YYYY-MM-DD)"
    missing = macrodesk("run", env=env)
    assert missing.returncode == 2
    assert _one_error_line(missing) == "error: Missing option '--date'. (see: python -m entrypoints.cli run --help)"
    unknown = macrodesk("report", "send", "--channel", "fax", env=env)
    assert unknown.returncode == 2
    assert _one_error_line(unknown) == ("error: Invalid value for '--channel': 'fax' is not one of 'slack', 'email'. "
                                        "(see: python -m entrypoints.cli report send --help)")


def test_a_long_error_is_printed_in_full_even_on_a_narrow_terminal(env: dict[str, str]) -> None:
    result = macrodesk("run", "--date", "2024-06-03", env={**env, "COLUMNS": "40"})
    line = _one_error_line(result)
    assert len(line) > 40 and line.endswith("run `macrodesk db upgrade` first")


def test_serve_refuses_a_database_never_migrated_and_leaves_no_file(env: dict[str, str]) -> None:
    result = macrodesk("serve", env=env)
    assert result.returncode == 1
    assert "run `macrodesk db upgrade` first" in _one_error_line(result)
    assert not (Path(env["MACRODESK_DATA_DIR"]) / "macrodesk.db").exists()


def test_serve_refuses_a_port_outside_1_65535_and_a_port_already_taken_in_one_line(env: dict[str, str],
                                                                                   migrated: Path) -> None:
    out_of_range = macrodesk("serve", "--port", "99999", env=env)
    assert out_of_range.returncode == 2
    assert "--port" in _one_error_line(out_of_range) and "65535" in out_of_range.stderr
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        busy = macrodesk("serve", "--host", "127.0.0.1", "--port", str(port), env=env)
    assert busy.returncode == 1
    assert _one_error_line(busy) == f"error: cannot listen on 127.0.0.1:{port}: Address already in use"


@pytest.mark.parametrize(("variable", "value", "expected"), [
    ("MACRODESK_API_PORT", "70000", "MACRODESK_API_PORT: Input should be less than or equal to 65535"),
    ("MACRODESK_LOG_LEVEL", "LOUD", "MACRODESK_LOG_LEVEL: must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL"),
    ("MACRODESK_EMAIL_RECIPIENTS", "pm@desk.example,not an address",
     "MACRODESK_EMAIL_RECIPIENTS: 'not an address' is not an e-mail address"),
])
def test_an_invalid_setting_is_one_line_naming_the_variable(env: dict[str, str], variable: str, value: str,
                                                           expected: str) -> None:
    result = macrodesk("db", "current", env=env | {variable: value})
    assert result.returncode == 1
    assert _one_error_line(result) == f"error: invalid settings: {expected}"
