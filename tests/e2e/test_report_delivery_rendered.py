"""End to end with the real renderer: the pipeline's report sent through the API to loopback SMTP and Slack."""

import dataclasses
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from slack_sdk.models.blocks import Block

from domain.reporting import DailyReport
from entrypoints.api.app import create_app
from tests.e2e.report_fixtures import report_container
from tests.loopback import loopback
from tests.slack_server import SlackWebApi
from tests.smtp_server import SmtpSink

TOKEN = "desk-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
BASE = "http://desk.example:8000"
XSS = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
GMAIL_CLIP_BYTES = 102 * 1000  # Gmail clips HTML bodies over about 102 KB
Sent = tuple[dict[str, Any], SmtpSink, SlackWebApi]


@pytest.fixture(scope="module")
def sent(bootstrapped_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sent]:
    """One send of the latest pipeline report, with XSS planted in every section's commentary."""
    smtp = SmtpSink()
    smtp.up()
    with loopback() as server:
        slack = SlackWebApi(server)
        folder = tmp_path_factory.mktemp("rendered_send")
        container = report_container(
            bootstrapped_db, folder, api_token=SecretStr(TOKEN), public_base_url=BASE,
            slack_bot_token=SecretStr("xoxb-test"), slack_base_url=slack.base_url, smtp_host=smtp.host,
            smtp_port=smtp.port, smtp_security="none", email_sender="macrodesk@desk.example",
            email_recipients=["pm@desk.example"])
        with container.unit_of_work() as uow:
            stored = uow.reports.latest()
            assert stored is not None
            report = DailyReport.from_json(stored.content)
            planted = dataclasses.replace(report, sections=tuple(
                dataclasses.replace(s, commentary=f"{s.commentary} {XSS}") for s in report.sections))
            uow.reports.save(stored.day, planted.to_json(), generated_at=datetime.now(UTC),
                             schema_version=stored.schema_version)
            uow.commit()
        with TestClient(create_app(container)) as client:
            response = client.post("/api/v1/reports/daily/send", headers=AUTH)
        smtp.down()
        assert response.status_code == 200, response.text
        yield response.json(), smtp, slack


def test_the_email_is_alternative_with_related_html_whose_every_cid_is_a_png_part(sent: Sent) -> None:
    body, smtp, _ = sent
    [received] = smtp.received
    message = received.message
    assert message.get_content_type() == "multipart/alternative"
    plain, related = message.get_payload()
    assert plain.get_content_type() == "text/plain" and body["date"] in plain.get_content()
    assert related.get_content_type() == "multipart/related"
    html_part, *images = related.get_payload()
    assert html_part.get_content_type() == "text/html"
    html = html_part.get_content()
    cids = set(re.findall(r'src="cid:([^"]+)"', html))
    parts = {i["Content-ID"].strip("<>"): i for i in images}
    assert cids and cids <= set(parts)
    assert all(parts[c].get_content_type() == "image/png" and parts[c].get_content().startswith(b"\x89PNG")
               for c in cids)
    assert len(html.encode("utf-8")) < GMAIL_CLIP_BYTES
    assert body["report_url"] in html


def test_the_slack_payload_parses_within_slacks_limits_and_links_to_the_report(sent: Sent) -> None:
    body, _, slack = sent
    [post] = slack.accepted
    blocks = post.payload["blocks"]
    assert 0 < len(blocks) <= 50
    parsed = [Block.parse(b) for b in blocks]
    assert all(p is not None for p in parsed)
    for b in blocks:
        if b["type"] == "header":
            assert len(b["text"]["text"]) <= 150
        if b["type"] == "section":
            assert len(b.get("text", {}).get("text", "")) <= 3000 and len(b.get("fields", [])) <= 10
    assert body["report_url"] == f"{BASE}/api/v1/reports/daily/{body['date']}"
    assert body["report_url"] in json.dumps(blocks)


def test_planted_script_tags_stay_inert_in_the_email_and_the_slack_text(sent: Sent) -> None:
    _, smtp, slack = sent
    html = smtp.received[0].message.get_body(("html",)).get_content()
    assert "<script" not in html.lower() and ESCAPED in html
    payload = json.dumps(slack.accepted[0].payload, ensure_ascii=False)
    assert "<script" not in payload and ESCAPED in payload
