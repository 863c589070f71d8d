"""The Slack notifier against a loopback Web API: payload, ts, error mapping, 429 with Retry-After."""

from unittest import mock

import pytest
from pydantic import SecretStr
from slack_sdk.models.blocks import Block

from adapters.notifiers.slack import SlackNotifier
from application.messages import Channel, DeliveryError, EmailContent, MessageKind, OutboundMessage, SlackContent
from tests.slack_server import SlackWebApi

ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
BLOCKS = (
    {"type": "header", "text": {"type": "plain_text", "text": "Daily report 2026-11-27"}},
    {"type": "section", "text": {"type": "mrkdwn", "text": f"Risk: {ESCAPED}"},
     "fields": [{"type": "mrkdwn", "text": "*NAV*\nR$ 100.3m"}, {"type": "mrkdwn", "text": "*VaR95*\n1.2% of NAV"}]},
    {"type": "actions", "elements": [{"type": "button", "text": {"type": "plain_text", "text": "Full report"},
                                      "url": "http://desk.example/api/v1/reports/daily/2026-11-27"}]},
)


def _message() -> OutboundMessage:
    return OutboundMessage(key="daily_report:2026-11-27", kind=MessageKind.DAILY_REPORT,
                           email=EmailContent(subject="", text=""),
                           slack=SlackContent(text="macrodesk daily report 2026-11-27", blocks=BLOCKS))


def _notifier(api: SlackWebApi) -> SlackNotifier:
    return SlackNotifier(token=SecretStr("xoxb-test-token"), channel="#macro-desk", base_url=api.base_url)


def test_the_message_is_posted_with_its_blocks_and_the_ts_is_the_provider_id(slack_api: SlackWebApi) -> None:
    receipt = _notifier(slack_api).send(_message())
    [post] = slack_api.posts
    assert (receipt.channel, receipt.provider_message_id) == (Channel.SLACK, post.ts)
    assert post.authorization == "Bearer xoxb-test-token"
    assert post.payload["channel"] == "#macro-desk"
    assert post.payload["text"] == "macrodesk daily report 2026-11-27"
    assert post.payload["blocks"] == [dict(b) for b in BLOCKS]
    assert [Block.parse(b).type for b in post.payload["blocks"]] == ["header", "section", "actions"]


def test_escaped_text_reaches_slack_still_escaped(slack_api: SlackWebApi) -> None:
    _notifier(slack_api).send(_message())
    text = slack_api.posts[0].payload["blocks"][1]["text"]["text"]
    assert ESCAPED in text and "<script>" not in text


@pytest.mark.parametrize(("error", "retriable"), [
    ("channel_not_found", False), ("not_in_channel", False), ("invalid_auth", False), ("invalid_blocks", False),
    ("internal_error", True), ("service_unavailable", True),
])
def test_ok_false_errors_are_permanent_or_retriable_by_code(slack_api: SlackWebApi, error: str,
                                                            retriable: bool) -> None:
    slack_api.script(SlackWebApi.error(error))
    with pytest.raises(DeliveryError) as raised:
        _notifier(slack_api).send(_message())
    assert (raised.value.detail, raised.value.retriable) == (error, retriable)


def test_a_server_error_is_retriable(slack_api: SlackWebApi) -> None:
    slack_api.script(SlackWebApi.server_error(500))
    with pytest.raises(DeliveryError) as raised:
        _notifier(slack_api).send(_message())
    assert raised.value.retriable and raised.value.detail.startswith("HTTP 500")
    assert "xoxb-test-token" not in str(raised.value)


def test_a_429_is_retried_by_the_client_after_retry_after(slack_api: SlackWebApi) -> None:
    slack_api.script(SlackWebApi.rate_limited(retry_after=7))
    with mock.patch("slack_sdk.http_retry.builtin_handlers.time.sleep") as sleep:
        receipt = _notifier(slack_api).send(_message())
    assert [p.status for p in slack_api.posts] == [429, 200]
    assert receipt.provider_message_id == slack_api.accepted[0].ts
    [(seconds,), _] = sleep.call_args
    assert 7 <= seconds < 8  # Retry-After plus slack-sdk's jitter below one second


def test_a_429_that_persists_is_retriable_with_the_providers_wait(slack_api: SlackWebApi) -> None:
    slack_api.script(SlackWebApi.rate_limited(retry_after=30), SlackWebApi.rate_limited(retry_after=30))
    with mock.patch("slack_sdk.http_retry.builtin_handlers.time.sleep"), pytest.raises(DeliveryError) as raised:
        _notifier(slack_api).send(_message())
    assert (raised.value.retriable, raised.value.retry_after_seconds) == (True, 30.0)
    assert slack_api.accepted == []
