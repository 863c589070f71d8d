"""POST /api/v1/reports/daily/send: token, validation, delivery to loopback SMTP and Slack, idempotency, force."""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from dependency_injector import providers
from fastapi.testclient import TestClient
from pydantic import SecretStr
from slack_sdk.models.blocks import Block

from adapters.storage import migrations
from entrypoints.api.app import create_app
from entrypoints.container import build_container
from entrypoints.settings import Settings
from tests.fakes import FakeReportRenderer, sample_report
from tests.slack_server import SlackWebApi
from tests.smtp_server import SmtpSink

TOKEN = "desk-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
DAYS = (date(2026, 11, 26), date(2026, 11, 27))
BASE = "http://desk.example:8000"


@pytest.fixture
def client(tmp_path: Path, smtp_server: SmtpSink, slack_api: SlackWebApi) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path / 'api.db'}"
    migrations.upgrade(url)
    settings = Settings(database_url=url, data_dir=tmp_path, api_token=SecretStr(TOKEN), public_base_url=BASE,
                        slack_bot_token=SecretStr("xoxb-test"), slack_base_url=slack_api.base_url,
                        slack_channel="#macro-desk", smtp_host=smtp_server.host, smtp_port=smtp_server.port,
                        smtp_security="none", email_sender="macrodesk@desk.example",
                        email_recipients=["pm@desk.example"])
    container = build_container(settings)
    renderer = FakeReportRenderer()
    container.report_renderer.override(providers.Object(renderer))
    with container.unit_of_work() as uow:
        for day in DAYS:
            uow.reports.save(day, sample_report(day), generated_at=datetime(2026, 11, 27, 22, tzinfo=UTC),
                             schema_version=1)
        uow.commit()
    with TestClient(create_app(container)) as client:
        client.renderer = renderer  # type: ignore[attr-defined]  # what the tests count renderings on
        yield client


def test_sending_without_a_token_is_401_and_with_a_wrong_token_403(client: TestClient,
                                                                    smtp_server: SmtpSink) -> None:
    assert client.post("/api/v1/reports/daily/send").status_code == 401
    wrong = client.post("/api/v1/reports/daily/send", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 403
    assert smtp_server.received == []


def test_a_date_without_a_report_is_404_naming_the_latest(client: TestClient) -> None:
    response = client.post("/api/v1/reports/daily/send", json={"date": "2026-11-20"}, headers=AUTH)
    assert response.status_code == 404
    assert response.json()["date"] == "2026-11-20" and response.json()["latest_available"] == "2026-11-27"
    assert "2026-11-20" in response.json()["detail"] and "2026-11-27" in response.json()["detail"]


@pytest.mark.parametrize(("body", "field"), [
    ({"date": "2026-13-40"}, "date"), ({"channels": ["fax"]}, "channels"), ({"channels": []}, "channels"),
    ({"force": "sometimes"}, "force"), ({"force": "yes"}, "force"), ({"force": 1}, "force"),
    ({"colour": "red"}, "colour"),
])
def test_bad_bodies_are_422_naming_the_field(client: TestClient, body: dict[str, object], field: str) -> None:
    response = client.post("/api/v1/reports/daily/send", json=body, headers=AUTH)
    assert response.status_code == 422
    assert any(field in map(str, error["loc"]) for error in response.json()["detail"])


@pytest.mark.parametrize(("raw", "field"), [
    ('{"force": 1e400}', "force"), ('{"date": NaN}', "date"), ('{"channels": [Infinity]}', "channels"),
])
def test_numbers_json_cannot_carry_are_422_naming_the_field_not_a_500(client: TestClient, smtp_server: SmtpSink,
                                                                      raw: str, field: str) -> None:
    response = client.post("/api/v1/reports/daily/send", content=raw,
                           headers={**AUTH, "Content-Type": "application/json"})
    assert response.status_code == 422
    assert any(field in map(str, error["loc"]) for error in response.json()["detail"])
    assert smtp_server.received == []


def test_the_latest_report_is_delivered_once_and_force_sends_it_again(
        client: TestClient, smtp_server: SmtpSink, slack_api: SlackWebApi) -> None:
    first = client.post("/api/v1/reports/daily/send", headers=AUTH)
    assert first.status_code == 200
    body = first.json()
    assert body["date"] == "2026-11-27" and body["already_delivered"] is False
    assert body["report_url"] == f"{BASE}/api/v1/reports/daily/2026-11-27"
    assert sorted(body["queued"]) == ["email", "slack"]
    assert {d["channel"]: (d["status"], d["attempts"], d["round"]) for d in body["deliveries"]} == {
        "email": ("sent", 1, 1), "slack": ("sent", 1, 1)}

    [received] = smtp_server.received
    assert received.message["Message-ID"] == next(d["provider_message_id"] for d in body["deliveries"]
                                                  if d["channel"] == "email")
    assert received.message["Subject"] == "macrodesk daily report 2026-11-27"
    [post] = slack_api.accepted
    assert [Block.parse(b).type for b in post.payload["blocks"]] == ["header", "section", "actions"]
    assert post.payload["blocks"][2]["elements"][0]["url"] == body["report_url"]

    again = client.post("/api/v1/reports/daily/send", json={"date": "2026-11-27"}, headers=AUTH)
    assert again.status_code == 200
    assert again.json()["already_delivered"] is True and again.json()["queued"] == []
    assert again.json()["deliveries"] == body["deliveries"]
    assert len(smtp_server.received) == 1 and len(slack_api.accepted) == 1

    forced = client.post("/api/v1/reports/daily/send", json={"channels": ["email"], "force": True}, headers=AUTH)
    assert forced.status_code == 200
    assert [(d["channel"], d["round"], d["status"]) for d in forced.json()["deliveries"]] == [("email", 2, "sent")]
    assert len(smtp_server.received) == 2 and len(slack_api.accepted) == 1


def test_a_channel_that_fails_for_good_is_502_and_the_other_is_delivered(
        client: TestClient, smtp_server: SmtpSink, slack_api: SlackWebApi) -> None:
    slack_api.script(SlackWebApi.error("channel_not_found"))
    response = client.post("/api/v1/reports/daily/send", json={"date": "2026-11-26"}, headers=AUTH)
    assert response.status_code == 502
    rows = {d["channel"]: d for d in response.json()["deliveries"]}
    assert (rows["slack"]["status"], rows["slack"]["last_error"]) == ("failed", "channel_not_found")
    assert rows["email"]["status"] == "sent" and len(smtp_server.received) == 1


def test_an_smtp_outage_answers_202_with_the_retry_scheduled(client: TestClient, smtp_server: SmtpSink) -> None:
    smtp_server.down()
    response = client.post("/api/v1/reports/daily/send", json={"channels": ["email"]}, headers=AUTH)
    assert response.status_code == 202
    [row] = response.json()["deliveries"]
    assert row["status"] == "pending" and row["attempts"] == 1 and row["next_attempt_at"]
    assert "Connect" in row["last_error"]


def test_concurrent_sends_of_one_report_deliver_it_once_and_only_one_answer_says_it_queued(
        client: TestClient, smtp_server: SmtpSink, slack_api: SlackWebApi) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _: client.post("/api/v1/reports/daily/send", json={"date": "2026-11-26"},
                                                      headers=AUTH), range(8)))
    assert {a.status_code for a in answers} <= {200, 202}  # 202: another call's dispatch still in flight
    queued = sorted(channel for a in answers for channel in a.json()["queued"])
    assert queued == ["email", "slack"]  # each channel queued by exactly one of the eight calls
    assert sum(a.json()["already_delivered"] for a in answers) >= 6
    assert len(smtp_server.received) == 1 and len(slack_api.accepted) == 1
    # Rendered once per output: the calls that found the log empty waited for the one rendering and reused it.
    assert sorted(client.renderer.calls) == [("email", "2026-11-26"), ("slack", "2026-11-26")]  # type: ignore[attr-defined]
