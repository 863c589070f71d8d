"""The report as e-mail, Slack summary and web page in a real headless Chromium, from the stored JSON.

Also: a string stored in any report field is inert everywhere (page, e-mail HTML and text, Slack), and
a chart whose PNG export fails or hangs leaves the e-mail without that image, counted and stated.
"""

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import uvicorn
from slack_sdk.models.blocks import Block

from adapters.charts.export import KaleidoPngExporter
from adapters.charts.figures import CHARTS
from adapters.templates.renderer import JinjaReportRenderer
from application.ports import StoredReport
from domain.reporting import DI1_CONVENTION, SECTION_TITLES, DailyReport, Table
from entrypoints.api.app import create_app
from entrypoints.container import Container
from tests.browser import visit
from tests.e2e.report_fixtures import report_container

URL = "http://reports.example/api/v1/reports/daily/2023-12-28"
XSS = "<script>alert(1)</script>"
SCREENSHOT = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "daily_report.png"


@pytest.fixture(scope="module")
def container(bootstrapped_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Container]:
    built = report_container(bootstrapped_db, tmp_path_factory.mktemp("rendering"))
    yield built
    built.shutdown_resources()


@pytest.fixture(scope="module")
def stored(container: Container) -> StoredReport:
    """The newest stored report whose Actions hold trades (a session can rightly have none)."""
    reading = container.report_reading()
    for summary in reading.listing(limit=500).items:
        report = reading.stored(summary.day)
        if DailyReport.from_json(report.content).section("actions").table("Trades").rows:
            return report
    raise AssertionError("no stored report has trades")


@pytest.fixture(scope="module")
def mail(container: Container, stored: StoredReport):
    return container.report_renderer().email(stored, report_url=URL)


def _poisoned(stored: StoredReport) -> StoredReport:
    """The stored report with the script in a commentary, a trade rationale and a stress scenario name."""
    report = DailyReport.from_json(stored.content)
    sections = []
    for section in report.sections:
        tables = list(section.tables)
        if section.key == "actions":
            trades = section.table("Trades")
            rows = tuple((*row[:-1], XSS) for row in trades.rows)
            tables = [Table(t.title, t.columns, rows) if t.title == "Trades" else t for t in tables]
        if section.key == "risk":
            stress = section.table("Stress scenarios")
            rows = tuple((XSS, *row[1:]) for row in stress.rows[:1]) + stress.rows[1:]
            tables = [Table(t.title, t.columns, rows) if t.title == "Stress scenarios" else t for t in tables]
        commentary = XSS if section.key == "portfolio" else section.commentary
        sections.append(replace(section, commentary=commentary, tables=tuple(tables)))
    poisoned = DailyReport(report.day, report.generated_at, tuple(sections))
    return StoredReport(stored.day, stored.generated_at, stored.schema_version, poisoned.to_json())


def test_the_email_html_refers_only_to_inline_pngs_it_carries_and_stays_under_gmails_clipping(mail, stored) -> None:
    cids = set(re.findall(r'src="cid:([^"]+)"', mail.html))
    assert cids == {image.cid for image in mail.inline_images}
    assert len(cids) >= 6  # every chart whose data the report carries
    assert all(image.png.startswith(b"\x89PNG\r\n\x1a\n") for image in mail.inline_images)
    assert len(mail.html.encode("utf-8")) < 102 * 1024
    assert "data:image" not in mail.html
    assert [t for t in SECTION_TITLES.values() if f"<h2>{t}</h2>" not in mail.html] == []
    assert mail.html.count(DI1_CONVENTION) == 1
    assert mail.subject.startswith(f"macrodesk daily report {stored.day.isoformat()}: NAV ")


def test_the_plain_text_alternative_carries_every_section_the_trades_in_contracts_and_the_link(mail, stored) -> None:
    report = DailyReport.from_json(stored.content)
    for title in SECTION_TITLES.values():
        assert f"== {title.upper()} ==" in mail.text
    for row in report.section("actions").table("Trades").rows:
        assert f"order: {row[0]}" in mail.text and f"contracts: {row[3]}" in mail.text
    assert URL in mail.text


def test_the_slack_summary_parses_with_slack_sdk_within_its_limits_and_links_the_report(container, stored) -> None:
    summary = container.report_renderer().slack(stored, report_url=URL)
    blocks = [Block.parse(b) for b in summary.blocks]
    assert all(b is not None for b in blocks) and len(blocks) <= 50
    header = summary.blocks[0]
    assert header["type"] == "header" and len(header["text"]["text"]) <= 150
    sections = [b for b in summary.blocks if b["type"] == "section"]
    assert all(len(b.get("text", {}).get("text", "")) <= 3000 and len(b.get("fields", [])) <= 10 for b in sections)
    labels = [f["text"].split("\n")[0] for f in sections[0]["fields"]]
    assert labels == ["*NAV*", "*Day P&amp;L*", "*VaR95 1-day (% NAV)*", "*VaR99 1-day (% NAV)*", "*Drawdown*",
                      "*Regime*", "*Circuit breaker*", "*Limits breached*"]
    buttons = [e for b in summary.blocks if b["type"] == "actions" for e in b["elements"]]
    assert buttons[0]["url"] == URL
    trades = DailyReport.from_json(stored.content).section("actions").table("Trades").rows
    assert trades[0][0] in summary.blocks[4]["text"]["text"]


def test_a_script_stored_in_the_report_is_inert_on_the_page_in_the_email_and_in_slack(container, stored) -> None:
    poisoned = _poisoned(stored)
    exporter = KaleidoPngExporter(timeout_seconds=0.001)  # no images needed here
    renderer = JinjaReportRenderer(exporter)
    page = renderer.page(poisoned)
    mail = renderer.email(poisoned, report_url=URL)
    slack = renderer.slack(poisoned, report_url=URL)
    exporter.close()
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    for html in (page, mail.html or ""):
        assert XSS not in html
        assert html.count(escaped) >= 2  # commentary and trade rationale
    assert XSS in mail.text  # plain text shows it as text; nothing interprets it
    texts = [slack.text] + [str(b) for b in slack.blocks]
    assert all(XSS not in t for t in texts)
    assert any(escaped in t for t in texts)
    # In the chart JSON plotly serialises the scenario name with "<" and ">" as \u003c / \u003e escapes.
    assert "alert(1)" in page and "<script>alert" not in page


def test_a_hung_chart_export_leaves_the_email_without_images_counted_and_stated(stored) -> None:
    exporter = KaleidoPngExporter(timeout_seconds=0.001)
    renderer = JinjaReportRenderer(exporter)
    mail = renderer.email(stored, report_url=URL)
    assert mail.inline_images == ()
    drawn = len(re.findall(r"image not exported", mail.html or ""))
    assert drawn >= 6 and renderer.export_failures == drawn
    assert "cid:" not in (mail.html or "")
    exporter.close()


def _chromium_children() -> list[int]:
    """Processes this test process started that run Chromium (choreographer's wrapper or Chromium itself)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            parent = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (proc / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if parent == os.getpid() and b"chromium" in command:
            found.append(int(proc.name))
    return found


def test_a_browser_that_starts_after_its_start_timeout_is_closed_not_left_running(stored) -> None:
    before = set(_chromium_children())
    exporter = KaleidoPngExporter(start_timeout_seconds=0.05)  # Chromium takes longer than that to open
    renderer = JinjaReportRenderer(exporter)
    mail = renderer.email(stored, report_url=URL)
    assert mail.inline_images == ()
    assert renderer.export_failures == len(re.findall(r"image not exported", mail.html or "")) >= 6
    exporter.close()  # waits for the late browser to open and close
    assert set(_chromium_children()) - before == set()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def served(container: Container) -> Iterator[str]:
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(container), host="127.0.0.1", port=port, log_config=None))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(600):
        if server.started:
            break
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


FACTS = """{
  headings: [...document.querySelectorAll('section.report-section h2')].map(e => e.textContent),
  charts: [...document.querySelectorAll('figure.chart')].filter(f => f.querySelector('.main-svg'))
            .map(f => f.dataset.chart),
  gaps: [...document.querySelectorAll('ul.gaps li')].map(e => e.textContent),
  trades: [...document.querySelectorAll('#actions table.data tbody tr')].map(r => r.cells[3].textContent),
  convention: [...document.querySelectorAll('#actions p.note')].map(e => e.textContent)
}"""
READY = ("document.querySelectorAll('figure.chart').length > 0 && "
         "[...document.querySelectorAll('figure.chart')].every(f => f.querySelector('.main-svg'))")


def test_headless_chromium_shows_the_seven_sections_every_chart_and_the_trades_without_leaving_loopback(
        served: str, stored: StoredReport) -> None:
    seen = visit(f"{served}/api/v1/reports/daily/{stored.day.isoformat()}", facts=FACTS, ready=READY)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    SCREENSHOT.write_bytes(seen.screenshot)
    assert seen.facts["headings"] == list(SECTION_TITLES.values())
    report = DailyReport.from_json(stored.content)
    missing = {key for key, *_ in CHARTS} - set(seen.facts["charts"])
    # A chart is on the page, or its absence is a stated gap (never an empty figure).
    for key in missing:
        title = next(t for k, _, t, _ in CHARTS if k == key)
        assert f"{title}: chart not drawn, the report carries no data for it" in seen.facts["gaps"]
    assert len(seen.facts["charts"]) >= 6
    trades = report.section("actions").table("Trades")
    assert seen.facts["trades"] == [f"{row[3]:,}" for row in trades.rows]  # contracts column
    assert seen.facts["convention"] == [DI1_CONVENTION]
    outside = [u for u in seen.requests if not u.startswith(("http://127.0.0.1:", "data:"))
               and not u.startswith(f"{served}/")]
    assert outside == [f"{served}/favicon.ico"] or outside == []
    assert seen.screenshot.startswith(b"\x89PNG") and len(seen.screenshot) > 100_000
