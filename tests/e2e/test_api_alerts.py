"""The alert API: rules, PATCH with validation and audit, history, active, test alert, silences; 401/403/404/422;
a PATCH through one container changes the next evaluation in another container on the same database."""

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from adapters.storage import migrations
from adapters.storage.database import create_database_engine
from entrypoints.api.app import create_app
from entrypoints.container import Container
from tests.fakes import FixedClock
from tests.integration.alerts.desk_data import Figures, alert_container, alert_settings, at, store, subjects
from tests.slack_server import SlackWebApi
from tests.smtp_server import SmtpSink

AUTH = {"Authorization": "Bearer s3cret"}


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'api.db'}"
    migrations.upgrade(url)
    return url


@pytest.fixture
def api(url: str, tmp_path: Path, slack_api: SlackWebApi, smtp_server: SmtpSink) -> Iterator[TestClient]:
    container = alert_container(alert_settings(url, tmp_path, slack_api, smtp_server), FixedClock(at(0)))
    with TestClient(create_app(container)) as client:
        yield client


def test_rules_list_the_ten_defaults_with_units_and_ranges(api: TestClient) -> None:
    rules = api.get("/api/v1/alerts/rules").json()
    assert [r["id"] for r in rules] == ["STALE_DATA", "VAR_BREACH", "VAR_CRITICAL", "DRAWDOWN_WARNING",
                                        "DRAWDOWN_CRITICAL", "LIMIT_BREACH", "SIGNAL_FLIP", "CONVICTION_SURGE",
                                        "PIPELINE_FAILURE", "AGENT_STALE"]
    var = api.get("/api/v1/alerts/rules/VAR_CRITICAL").json()
    assert var == {"id": "VAR_CRITICAL", "description": var["description"], "severity": "CRITICAL",
                   "comparison": ">", "threshold": 5.0, "unit": "percent_of_nav", "enabled": True,
                   "cooldown_minutes": 30, "default_threshold": 5.0, "threshold_range": "(0, 100]",
                   "follows_limit": True, "limit": "100% of var99"}
    stale = api.get("/api/v1/alerts/rules/STALE_DATA").json()
    assert (stale["follows_limit"], stale["limit"]) == (False, None)
    assert api.get("/api/v1/alerts/rules/NOPE").status_code == 404


def test_mutations_need_the_bearer_token(api: TestClient) -> None:
    for method, path, body in [("patch", "/api/v1/alerts/rules/VAR_BREACH", {"enabled": False}),
                               ("post", "/api/v1/alerts/test", None),
                               ("post", "/api/v1/alerts/silences", {}),
                               ("delete", "/api/v1/alerts/silences/1", None)]:
        kwargs: dict[str, Any] = {} if body is None else {"json": body}
        assert getattr(api, method)(path, **kwargs).status_code == 401
        assert getattr(api, method)(path, headers={"Authorization": "Bearer wrong"}, **kwargs).status_code == 403
    assert api.get("/api/v1/alerts/rules/VAR_BREACH").json()["enabled"] is True


@pytest.mark.parametrize(("body", "field"), [
    ({"threshold": -1}, "threshold"),
    ({"threshold": 300}, "threshold"),  # 300 is not a percentage of NAV
    ({"cooldown_minutes": 0}, "cooldown_minutes"),
    ({"cooldown_minutes": 1441}, "cooldown_minutes"),
    ({"enabled": "sometimes"}, "enabled"),
    ({"threshold": "high"}, "threshold"),
    ({"colour": "red"}, "colour"),
])
def test_an_invalid_patch_is_422_naming_the_field_and_changes_nothing(api: TestClient, body: dict[str, Any],
                                                                      field: str) -> None:
    response = api.patch("/api/v1/alerts/rules/VAR_BREACH", json=body, headers=AUTH)
    assert response.status_code == 422
    assert any(field in [str(part) for part in error["loc"]] for error in response.json()["detail"])
    assert api.get("/api/v1/alerts/rules/VAR_BREACH").json()["threshold"] == 3.0
    assert api.get("/api/v1/alerts/rules/VAR_BREACH/audit").json() == []


@pytest.mark.parametrize("raw", ['{"threshold": 1e400}', '{"threshold": NaN}', '{"threshold": -Infinity}'])
def test_a_number_json_cannot_carry_is_422_naming_the_field_not_a_500(api: TestClient, raw: str) -> None:
    response = api.patch("/api/v1/alerts/rules/VAR_BREACH", content=raw,
                         headers={**AUTH, "Content-Type": "application/json"})
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "threshold"] and error["input"] in ("inf", "nan", "-inf")
    assert api.get("/api/v1/alerts/rules/VAR_BREACH").json()["threshold"] == 3.0


def test_a_silence_id_beyond_the_database_integers_is_422_not_a_500(api: TestClient) -> None:
    response = api.delete(f"/api/v1/alerts/silences/{2**63}", headers=AUTH)
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["path", "silence_id"]
    assert api.delete(f"/api/v1/alerts/silences/{2**63 - 1}", headers=AUTH).status_code == 404


def test_a_threshold_for_the_rule_without_one_is_422_and_an_unknown_rule_404(api: TestClient) -> None:
    response = api.patch("/api/v1/alerts/rules/PIPELINE_FAILURE", json={"threshold": 2}, headers=AUTH)
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "threshold"]
    assert api.patch("/api/v1/alerts/rules/NOPE", json={"enabled": False}, headers=AUTH).status_code == 404


def test_a_patch_in_one_container_changes_the_next_evaluation_in_another_and_is_audited(
        url: str, tmp_path: Path, slack_api: SlackWebApi, smtp_server: SmtpSink, api: TestClient) -> None:
    engine = create_database_engine(url)
    store(engine, Figures(var95=0.025))
    engine.dispose()
    worker: Container = alert_container(alert_settings(url, tmp_path, slack_api, smtp_server), FixedClock(at(0)))
    assert worker.alert_service().evaluate(at(0)).notifications == ()

    response = api.patch("/api/v1/alerts/rules/VAR_BREACH", json={"threshold": 2.0}, headers=AUTH)
    assert response.status_code == 200 and response.json()["threshold"] == 2.0

    assert len(worker.alert_service().evaluate(at(5)).notifications) == 1
    assert subjects(smtp_server) == ["[macrodesk][WARNING] VAR_BREACH: VaR95 2.5% of NAV > 2.0%"]
    [entry] = api.get("/api/v1/alerts/rules/VAR_BREACH/audit").json()
    assert (entry["changed_by"], entry["old_values"], entry["new_values"]) == (
        "api", {"threshold": 3.0, "follows_limit": True}, {"threshold": 2.0, "follows_limit": False})
    # Told to follow its limit again, the rule is back at the 3% VaR95 limit (effective at the next evaluation).
    back = api.patch("/api/v1/alerts/rules/VAR_BREACH", json={"follow_limit": True}, headers=AUTH).json()
    assert (back["threshold"], back["follows_limit"]) == (3.0, True)
    both = api.patch("/api/v1/alerts/rules/VAR_BREACH", json={"follow_limit": True, "threshold": 2.0}, headers=AUTH)
    assert both.status_code == 422 and "threshold" in both.text
    history = api.get("/api/v1/alerts", params={"rule": "VAR_BREACH", "status": "fired"}).json()
    assert [(h["subject"], h["value"], h["threshold"]) for h in history] == [("book", 2.5, 2.0)]
    [active] = api.get("/api/v1/alerts/active").json()
    assert (active["rule_id"], active["message"], active["muted"]) == (
        "VAR_BREACH", "VaR95 2.5% of NAV > 2.0%", None)
    worker.shutdown_resources()


def test_the_test_alert_reports_each_channels_outcome(api: TestClient, slack_api: SlackWebApi,
                                                      smtp_server: SmtpSink) -> None:
    response = api.post("/api/v1/alerts/test", headers=AUTH)
    assert response.status_code == 200
    assert sorted((o["channel"], o["status"]) for o in response.json()) == [("email", "sent"), ("slack", "sent")]
    assert subjects(smtp_server) == ["[macrodesk][TEST] test alert requested by api"]
    assert len(slack_api.accepted) == 1


def test_silences_are_created_listed_and_expired(api: TestClient) -> None:
    body = {"rule": "STALE_DATA", "subject": "b3", "start": "2026-11-24T12:00:00Z", "end": "2026-11-24T14:00:00Z",
            "reason": "B3 file service maintenance"}
    created = api.post("/api/v1/alerts/silences", json=body, headers=AUTH)
    assert created.status_code == 201
    silence = created.json()
    assert (silence["rule"], silence["subject"], silence["created_by"]) == ("STALE_DATA", "b3", "api")
    assert [s["id"] for s in api.get("/api/v1/alerts/silences").json()] == [silence["id"]]
    bad = api.post("/api/v1/alerts/silences", json=body | {"end": "2026-11-24T11:00:00Z"}, headers=AUTH)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "end"]
    assert api.post("/api/v1/alerts/silences", json=body | {"rule": "NOPE"}, headers=AUTH).status_code == 404
    assert api.delete(f"/api/v1/alerts/silences/{silence['id']}", headers=AUTH).status_code == 200
    assert api.get("/api/v1/alerts/silences").json() == []
    assert api.delete(f"/api/v1/alerts/silences/{silence['id']}", headers=AUTH).status_code == 404


def test_inputs_that_once_raised_500s_are_422s_and_store_nothing(api: TestClient) -> None:
    silence = {"rule": "STALE_DATA", "start": "2026-11-24T14:00:00Z", "end": "2026-11-25T14:00:00Z", "reason": "x"}
    json_body = {**AUTH, "Content-Type": "application/json"}
    # 9999-12-31T23:59:59-05:00 is in year 10000 once converted to UTC.
    beyond = api.post("/api/v1/alerts/silences", json=silence | {"end": "9999-12-31T23:59:59-05:00"}, headers=AUTH)
    assert beyond.status_code == 422 and beyond.json()["detail"][0]["loc"] == ["body", "end"]
    since = api.get("/api/v1/alerts", params={"since": "9999-12-31T23:59:59-05:00"})
    assert since.status_code == 422 and since.json()["detail"][0]["loc"] == ["query", "since"]
    naive = api.get("/api/v1/alerts", params={"since": "2026-11-29T23:19:00"})  # as the silences: offset required
    assert naive.status_code == 422 and naive.json()["detail"][0]["loc"] == ["query", "since"]
    huge = api.patch("/api/v1/alerts/rules/VAR_CRITICAL", content='{"threshold": 1' + "0" * 310 + "}",
                     headers=json_body)
    assert huge.status_code == 422 and huge.json()["detail"][0]["loc"] == ["body", "threshold"]
    # An unpaired surrogate is not text: 422, echoed escaped (writing it raw into the 422 failed with a 500).
    key = api.patch("/api/v1/alerts/rules/VAR_CRITICAL", content='{"\\ud800": 1}', headers=json_body)
    assert key.status_code == 422 and key.json()["detail"][0]["input"] == "\\ud800"
    reason = api.post("/api/v1/alerts/silences", content=json.dumps(silence | {"reason": "\ud800"}),
                      headers=json_body)
    assert reason.status_code == 422 and reason.json()["detail"][0]["loc"] == ["body", "reason"]
    long_input = api.patch("/api/v1/alerts/rules/VAR_CRITICAL", json={"enabled": "y" * 100_000}, headers=AUTH)
    assert long_input.status_code == 422 and len(long_input.content) < 2_000
    assert api.get("/api/v1/alerts/silences").json() == []
    assert api.get("/api/v1/alerts/rules/VAR_CRITICAL/audit").json() == []


@pytest.mark.parametrize(("field", "value"), [("reason", "   "), ("reason", "x\u0000y"), ("subject", "b3\u0007")])
def test_a_silence_with_blank_or_control_character_text_is_422_naming_the_field(api: TestClient, field: str,
                                                                               value: str) -> None:
    body = {"rule": "STALE_DATA", "subject": "b3", "start": "2026-11-24T12:00:00Z", "end": "2026-11-24T14:00:00Z",
            "reason": "maintenance"} | {field: value}
    response = api.post("/api/v1/alerts/silences", json=body, headers=AUTH)
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", field]
    assert api.get("/api/v1/alerts/silences").json() == []


def test_expiring_a_running_silence_answers_with_its_actual_end(api: TestClient) -> None:
    now = at(0)  # the API's fixed clock
    body = {"rule": "STALE_DATA", "start": (now - timedelta(hours=1)).isoformat(),
            "end": (now + timedelta(days=30)).isoformat(), "reason": "vendor outage"}
    created = api.post("/api/v1/alerts/silences", json=body, headers=AUTH).json()
    expired = api.delete(f"/api/v1/alerts/silences/{created['id']}", headers=AUTH)
    assert expired.status_code == 200
    # Now by the API's clock (which ticks a millisecond per reading), not the 30 days it was set for.
    assert timedelta(0) <= datetime.fromisoformat(expired.json()["end"]) - now < timedelta(seconds=1)
