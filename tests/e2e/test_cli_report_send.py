"""``macrodesk report send`` with no Slack token and no SMTP host: the local outbox gets the files."""

import email
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from email.policy import default as default_policy
from pathlib import Path

import pytest
from dependency_injector import providers
from typer.testing import CliRunner

from adapters.storage import migrations
from entrypoints.cli import app
from entrypoints.container import Container, build_container
from entrypoints.settings import Settings
from tests.fakes import FakeReportRenderer, sample_report

runner = CliRunner()
DAY = date(2026, 11, 27)


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    for name in ("MACRODESK_DATABASE_URL", "MACRODESK_SLACK_BOT_TOKEN", "MACRODESK_SMTP_HOST"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MACRODESK_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("COLUMNS", "250")
    settings = Settings()
    migrations.upgrade(settings.resolved_database_url)
    container = build_container(settings)
    with container.unit_of_work() as uow:
        uow.reports.save(DAY, sample_report(DAY), generated_at=datetime(2026, 11, 27, 22, tzinfo=UTC),
                         schema_version=1)
        uow.commit()
    container.shutdown_resources()
    # The CLI builds its own container: override the renderer on the class, for this test only.
    with Container.report_renderer.override(providers.Object(FakeReportRenderer())):
        yield tmp_path


def test_report_send_writes_the_eml_and_the_slack_json_to_the_outbox_once(env: Path) -> None:
    result = runner.invoke(app, ["report", "send", "--date", "2026-11-27"])
    assert result.exit_code == 0, result.output
    outbox = env / "reports" / "outbox"
    eml, slack = outbox / "daily_report_2026-11-27.eml", outbox / "daily_report_2026-11-27.slack.json"
    assert f"email: {eml.resolve()}" in result.output and f"slack: {slack.resolve()}" in result.output
    message = email.message_from_bytes(eml.read_bytes(), policy=default_policy)
    assert message.get_content_type() == "multipart/alternative"
    assert message["Subject"] == "macrodesk daily report 2026-11-27"
    assert json.loads(slack.read_text())["blocks"][0]["type"] == "header"

    again = runner.invoke(app, ["report", "send", "--date", "2026-11-27", "--channel", "email"])
    assert again.exit_code == 0 and "already delivered" in again.output


def test_report_send_for_a_session_without_a_report_names_the_latest(env: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "entrypoints.cli", "report", "send", "--date", "2026-11-20"],
                            capture_output=True, text=True, env=dict(os.environ), timeout=600, check=False)
    assert result.returncode == 2
    assert result.stderr.strip() == ("error: --date: no daily report for 2026-11-20; "
                                     "the latest available is 2026-11-27")
