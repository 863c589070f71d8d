"""``macrodesk alerts evaluate`` and ``macrodesk alerts list`` on an embedded database (messages to the outbox)."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from entrypoints.cli import app

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MACRODESK_DATA_DIR", str(tmp_path))
    for name in ("DATABASE_URL", "SLACK_BOT_TOKEN", "SMTP_HOST"):
        monkeypatch.delenv(f"MACRODESK_{name}", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    return tmp_path


def test_evaluate_on_an_empty_desk_reports_stale_connectors_and_agents_and_writes_the_outbox(env: Path) -> None:
    result = runner.invoke(app, ["alerts", "evaluate", "--at", "2026-11-24T09:00-03:00"])
    assert result.exit_code == 0, result.output
    assert "11 firing, 2 message(s)" in result.output
    assert "sent firing message alert:STALE_DATA:2026-11-24T12:00:00.000000Z" in result.output
    outbox = sorted(p.suffix for p in (env / "reports" / "outbox").rglob("*.*"))
    assert outbox.count(".eml") == 2 and outbox.count(".json") == 2

    listing = runner.invoke(app, ["alerts", "list"])
    assert listing.exit_code == 0
    assert "VAR_CRITICAL" in listing.output and "Active alerts (11)" in listing.output
    assert runner.invoke(app, ["alerts", "list", "--active"]).output.count("STALE_DATA") == 6


def test_evaluate_refuses_an_instant_without_a_timezone(env: Path) -> None:
    result = runner.invoke(app, ["alerts", "evaluate", "--at", "2026-11-24T09:00"])
    assert result.exit_code == 2 and "give a timezone" in result.output


def test_evaluate_refuses_an_instant_outside_the_calendars_even_past_year_9999_in_utc(env: Path) -> None:
    for at in ("2099-01-01T00:00:00Z", "9999-12-31T23:59:59-05:00", "1990-01-01T00:00:00Z"):
        result = runner.invoke(app, ["alerts", "evaluate", "--at", at])
        assert result.exit_code == 2 and "outside the calendars' range 2000-01-01..2060-12-31" in result.output, at
