"""Slack through the Web API's ``chat.postMessage`` with slack-sdk's ``WebClient`` (Block Kit, 429 handled)."""

from pydantic import SecretStr
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from application.messages import Channel, DeliveryError, DeliveryReceipt, OutboundMessage

# Slack ``error`` codes that another try may fix; every other ``ok: false`` (channel_not_found, not_in_channel,
# invalid_auth, invalid_blocks, msg_too_long...) needs a person and is permanent.
RETRIABLE_ERRORS = frozenset({"ratelimited", "internal_error", "fatal_error", "service_unavailable",
                              "request_timeout", "team_added_to_org"})


class SlackNotifier:
    """Posts each message's Slack content (fallback text + blocks) to one channel; the receipt holds its ``ts``.

    slack-sdk's ``RateLimitErrorRetryHandler`` sleeps for ``Retry-After`` and retries an HTTP 429 inside the
    call (``rate_limit_retries`` times); a 429 that persists, a 5xx or a connection error becomes a retriable
    ``DeliveryError`` for the delivery log's backoff.
    """

    def __init__(self, *, token: SecretStr, channel: str, base_url: str = "https://slack.com/api/",
                 timeout_seconds: int = 30, rate_limit_retries: int = 1) -> None:
        self._channel = channel
        self._client = WebClient(token=token.get_secret_value(), base_url=base_url, timeout=timeout_seconds,
                                 retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=rate_limit_retries)])

    @property
    def channel(self) -> Channel:
        """Slack."""
        return Channel.SLACK

    def send(self, message: OutboundMessage) -> DeliveryReceipt:
        """Deliver ``message.slack`` once; raises ``DeliveryError`` on failure."""
        content = message.slack
        try:
            response = self._client.chat_postMessage(channel=self._channel, text=content.text,
                                                     blocks=[dict(b) for b in content.blocks] or None,
                                                     unfurl_links=False)
        except SlackApiError as exc:
            raise _delivery_error(exc) from None
        except (SlackClientError, OSError, TimeoutError) as exc:
            raise DeliveryError(Channel.SLACK, f"{type(exc).__name__}: {exc}", retriable=True) from None
        return DeliveryReceipt(Channel.SLACK, response.get("ts"))


def _delivery_error(exc: SlackApiError) -> DeliveryError:
    response = exc.response
    status = response.status_code
    data = response.data if isinstance(response.data, dict) else {}
    code = data.get("error") or f"HTTP {status}"
    if status == 429:
        retry_after = response.headers.get("Retry-After") or response.headers.get("retry-after")
        value = retry_after[0] if isinstance(retry_after, list) else retry_after
        return DeliveryError(Channel.SLACK, "rate limited (HTTP 429) after the client's own retries",
                             retriable=True, retry_after_seconds=float(value) if value else None)
    if status >= 500:
        return DeliveryError(Channel.SLACK, f"HTTP {status} ({code})", retriable=True)
    return DeliveryError(Channel.SLACK, str(code), retriable=code in RETRIABLE_ERRORS)
