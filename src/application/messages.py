"""Outbound messages: what the report and the alerts hand to the notifiers, one content per channel.

These are the shared contract between the report rendering, the delivery service and the alerting service.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class Channel(StrEnum):
    """A delivery channel; every message goes to each channel independently."""

    SLACK = "slack"
    EMAIL = "email"


class MessageKind(StrEnum):
    """What a message is about (used in the delivery log and the metrics)."""

    DAILY_REPORT = "daily_report"
    ALERT = "alert"
    TEST = "test"


@dataclass(frozen=True, slots=True)
class InlineImage:
    """A PNG carried as an inline ``cid:`` part of an e-mail's ``multipart/related`` body."""

    cid: str
    """Content-ID without angle brackets; the HTML refers to it as ``cid:<cid>``."""
    png: bytes
    filename: str


@dataclass(frozen=True, slots=True)
class EmailContent:
    """An e-mail: subject, ``text/plain`` alternative, optional HTML with its inline images."""

    subject: str
    text: str
    html: str | None = None
    inline_images: tuple[InlineImage, ...] = ()


@dataclass(frozen=True, slots=True)
class SlackContent:
    """A Slack message: notification/fallback ``text`` and Block Kit ``blocks`` (JSON-ready dicts)."""

    text: str
    blocks: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class OutboundMessage:
    """One message to deliver on one or more channels.

    ``key`` is the idempotency key: a (key, channel) pair is delivered at most once unless forced
    (e.g. ``daily_report:2026-11-27``, ``alert:VAR_BREACH:2026-11-27T09:30:00Z``).
    """

    key: str
    kind: MessageKind
    email: EmailContent
    slack: SlackContent
    link: str | None = None


class DeliveryStatus(StrEnum):
    """Where one (message key, channel) delivery stands."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # permanent error, or attempts exhausted: reported, not retried


@dataclass(frozen=True, slots=True)
class Delivery:
    """A row of the delivery log."""

    key: str
    channel: Channel
    kind: MessageKind
    status: DeliveryStatus
    attempts: int
    created_at: datetime
    updated_at: datetime
    next_attempt_at: datetime | None = None
    last_error: str | None = None
    provider_message_id: str | None = None
    sent_at: datetime | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DeliveryReceipt:
    """What a notifier returns once the provider accepted the message."""

    channel: Channel
    provider_message_id: str | None


class DeliveryError(Exception):
    """A notifier could not deliver: ``retriable`` errors are retried with backoff, others are not."""

    def __init__(self, channel: Channel, detail: str, *, retriable: bool,
                 retry_after_seconds: float | None = None) -> None:
        super().__init__(f"{channel}: {detail}")
        self.channel = channel
        self.detail = detail
        self.retriable = retriable
        self.retry_after_seconds = retry_after_seconds
