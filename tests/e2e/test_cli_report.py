"""``macrodesk report render``: one self-contained page per stored report, a clear error for a missing one."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from domain.reporting import SECTION_TITLES
from entrypoints.cli import app

runner = CliRunner()


def console_script(*args: str) -> subprocess.CompletedProcess[str]:
    """``macrodesk ARGS`` in a subprocess, with this test's environment."""
    return subprocess.run([sys.executable, "-m", "entrypoints.cli", *args], capture_output=True, text=True,
                          env=dict(os.environ), timeout=600, check=False)


@pytest.fixture
def env(bootstrapped_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copyfile(bootstrapped_db, tmp_path / "macrodesk.db")
    monkeypatch.setenv("MACRODESK_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("MACRODESK_DATABASE_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    return tmp_path


def test_render_writes_a_page_that_opens_from_disk_with_plotly_inline(env: Path) -> None:
    out = env / "page.html"
    result = runner.invoke(app, ["report", "render", "--date", "2023-12-27", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out.resolve())
    page = out.read_text()
    assert all(f"<h2>{title}</h2>" in page for title in SECTION_TITLES.values())
    assert "/api/v1/reports/static/" not in page and "Plotly" in page  # plotly.js inline: no server needed
    assert "http://localhost:8000/api/v1/reports/daily/2023-12-27" in result.output


def test_render_without_an_out_file_writes_under_the_data_dir_and_a_missing_date_names_the_latest(env: Path) -> None:
    result = runner.invoke(app, ["report", "render"])
    assert result.exit_code == 0, result.output
    assert (env / "reports" / "daily_report_2023-12-28.html").exists()
    # Errors as the console script gives them: one line on stderr, exit 1 (runtime) or 2 (usage).
    missing = console_script("report", "render", "--date", "2021-01-04")
    assert missing.returncode == 2
    assert missing.stderr.strip() == ("error: --date: no daily report for 2021-01-04; "
                                      "the latest available is 2023-12-28")
    malformed = console_script("report", "render", "--date", "2021-13-04")
    assert malformed.returncode == 2 and "is not a date" in malformed.stderr
    assert len(malformed.stderr.strip().splitlines()) == 1


def test_an_out_file_that_cannot_be_written_is_a_usage_error_naming_out_and_creates_no_folder(env: Path) -> None:
    missing_folder = env / "no" / "such" / "folder"
    result = runner.invoke(app, ["report", "render", "--out", str(missing_folder / "page.html")])
    assert result.exit_code != 0 and not missing_folder.parent.exists()
    as_user = console_script("report", "render", "--out", str(env))  # a folder, not a file
    assert as_user.returncode == 2
    assert as_user.stderr.strip() == f"error: --out: cannot write {env}: Is a directory"
