"""Slack and e-mail from the same notification: Block Kit slack-sdk accepts, the subject format, escaping."""

from datetime import date

from slack_sdk.models.blocks import Block

from application.alerts.messages import alert_message
from domain.alerts.snapshot import ConnectorFreshness, VarLevel
from tests.unit.alerts.desk import CONNECTORS, T0, Desk, calm, minutes

MON, THU = date(2026, 11, 23), date(2026, 11, 19)


def test_a_var_alert_has_the_subject_line_and_valid_block_kit_with_the_values_and_a_link() -> None:
    desk = Desk()
    [n] = desk.run(calm(T0, var=(VarLevel(MON, 0.95, 2.9, 2.9e6), VarLevel(MON, 0.99, 5.4, 5.4e6))))
    message = alert_message(n, base_url="http://desk.local/")
    assert message.email.subject == "[macrodesk][CRITICAL] VAR_CRITICAL: VaR99 5.4% of NAV > 5.0%"
    assert "book: VaR99 5.4% of NAV > 5.0% [observed 5.4 vs threshold 5 (percent_of_nav)" in message.email.text
    assert message.key == "alert:VAR_CRITICAL:2026-11-24T13:00:00.000000Z" and message.kind == "alert"
    blocks = [Block.parse(b) for b in message.slack.blocks]
    for block in blocks:
        block.validate_json()
    assert blocks[0].text.text == "[CRITICAL] VAR_CRITICAL"  # type: ignore[union-attr]
    assert "2026-11-24 10:00 São Paulo (13:00 UTC)" in message.slack.blocks[-2]["elements"][0]["text"]
    assert message.link == "http://desk.local/api/v1/reports/daily/latest"


def test_many_subjects_stay_within_slack_limits_and_html_is_escaped() -> None:
    desk = Desk()
    rows = tuple(ConnectorFreshness(c, THU, THU, "<script>alert(1)</script>" + "x" * 400) for c in CONNECTORS)
    [n] = desk.run(calm(T0, connectors=rows))
    message = alert_message(n, base_url="http://desk.local")
    assert len(message.slack.blocks) <= 50
    assert all(len(b["text"]["text"]) <= 3000 for b in message.slack.blocks if b["type"] == "section")
    assert "<script>" not in (message.email.html or "") and "&lt;script&gt;" in (message.email.html or "")
    assert message.email.subject == ("[macrodesk][WARNING] STALE_DATA: 6 subjects firing: b3; bcb_ptax; bcb_sgs; "
                                     "fred; treasury; yahoo")
    assert message.link == "http://desk.local/api/v1/alerts/active"


def test_a_resolution_message_says_resolved_with_what_it_was() -> None:
    desk = Desk()
    desk.run(calm(T0, var=(VarLevel(MON, 0.95, 3.5, 3.5e6), VarLevel(MON, 0.99, 4.0, 4e6))))
    desk.run(calm(T0 + minutes(5)))
    [done] = desk.run(calm(T0 + minutes(30)))
    message = alert_message(done, base_url="http://desk.local")
    assert message.email.subject == "[macrodesk][RESOLVED] VAR_BREACH: resolved: book"
    assert "book: resolved at 2026-11-24 10:05 (was: VaR95 3.5% of NAV > 3.0%)" in message.email.text
    assert message.slack.blocks[0]["text"]["text"] == "[RESOLVED] VAR_BREACH"
