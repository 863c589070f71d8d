"""The delivery service on fakes: retries, backoff, permanent errors, independent channels."""

from datetime import UTC, datetime, timedelta

import pytest

from application.delivery import DeliveryService
from application.messages import (
    Channel,
    DeliveryError,
    DeliveryStatus,
    EmailContent,
    MessageKind,
    OutboundMessage,
    SlackContent,
)
from domain.delivery import RetrySchedule
from tests.fakes import FixedClock, InMemoryUnitOfWork, RecordingNotifier

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def _message(key: str) -> OutboundMessage:
    return OutboundMessage(key=key, kind=MessageKind.ALERT, email=EmailContent(subject=key, text="body"),
                           slack=SlackContent(text=key))


class Harness:
    def __init__(self, *, max_attempts: int = 3) -> None:
        self.uow = InMemoryUnitOfWork()
        self.clock = FixedClock(T0)
        self.slack = RecordingNotifier(Channel.SLACK)
        self.email = RecordingNotifier(Channel.EMAIL)
        self.service = DeliveryService(lambda: self.uow, [self.slack, self.email], self.clock,
                                       RetrySchedule(max_attempts=max_attempts, initial_seconds=60.0,
                                                     cap_seconds=600.0), lease_seconds=300.0)

    def row(self, key: str, channel: Channel):  # type: ignore[no-untyped-def]
        return self.uow.deliveries.get(key, channel)

    def advance(self, seconds: float) -> None:
        self.clock.instant += timedelta(seconds=seconds)


def test_a_failing_channel_does_not_block_the_other() -> None:
    h = Harness()
    h.slack.errors = [DeliveryError(Channel.SLACK, "channel_not_found", retriable=False)]
    rows = h.service.deliver(_message("alert:VAR_BREACH:1"))
    assert {r.channel: r.status for r in rows} == {Channel.SLACK: DeliveryStatus.FAILED,
                                                   Channel.EMAIL: DeliveryStatus.SENT}
    assert [m.key for m in h.email.sent] == ["alert:VAR_BREACH:1"]
    assert h.row("alert:VAR_BREACH:1", Channel.SLACK).last_error == "channel_not_found"


def test_a_retriable_error_is_retried_after_the_backoff_and_then_sent_once() -> None:
    h = Harness()
    h.email.errors = [DeliveryError(Channel.EMAIL, "SMTP 451 try later", retriable=True)] * 2
    h.service.deliver(_message("k"), [Channel.EMAIL])
    first = h.row("k", Channel.EMAIL)
    assert (first.status, first.attempts, first.last_error) == (DeliveryStatus.PENDING, 1, "SMTP 451 try later")
    assert first.next_attempt_at - first.updated_at == timedelta(seconds=60)

    h.advance(59)
    assert h.service.dispatch_pending().attempted == 0  # not due yet
    h.advance(1)
    h.service.dispatch_pending()
    second = h.row("k", Channel.EMAIL)
    assert (second.attempts, second.next_attempt_at - second.updated_at) == (2, timedelta(seconds=120))

    h.advance(120)
    result = h.service.dispatch_pending()
    assert [d.status for d in result.sent] == [DeliveryStatus.SENT]
    assert len(h.email.sent) == 1
    assert [a.outcome for a in h.service.attempts("k", Channel.EMAIL)] == ["retry", "retry", "sent"]


def test_retry_after_from_the_provider_sets_the_next_attempt() -> None:
    h = Harness()
    h.slack.errors = [DeliveryError(Channel.SLACK, "rate limited", retriable=True, retry_after_seconds=90.0)]
    h.service.deliver(_message("k"), [Channel.SLACK])
    row = h.row("k", Channel.SLACK)
    assert row.next_attempt_at - row.updated_at == timedelta(seconds=90)


def test_a_permanent_error_is_not_retried() -> None:
    h = Harness()
    h.email.errors = [DeliveryError(Channel.EMAIL, "SMTP 550 no such user", retriable=False)]
    h.service.deliver(_message("k"), [Channel.EMAIL])
    h.advance(3600)
    assert h.service.dispatch_pending().attempted == 0
    row = h.row("k", Channel.EMAIL)
    assert (row.status, row.attempts, row.last_error) == (DeliveryStatus.FAILED, 1, "SMTP 550 no such user")


def test_retriable_errors_fail_the_delivery_after_max_attempts() -> None:
    h = Harness(max_attempts=3)
    h.slack.errors = [DeliveryError(Channel.SLACK, "HTTP 500", retriable=True)] * 5
    h.service.deliver(_message("k"), [Channel.SLACK])
    for _ in range(4):
        h.advance(600)
        h.service.dispatch_pending()
    row = h.row("k", Channel.SLACK)
    assert (row.status, row.attempts, row.last_error) == (DeliveryStatus.FAILED, 3,
                                                          "HTTP 500 (gave up after 3 attempts)")
    assert h.slack.sent == []


def test_an_unexpected_notifier_exception_is_kept_for_a_retry() -> None:
    h = Harness()
    h.email.errors = [RuntimeError("adapter bug")]  # type: ignore[list-item]
    h.service.deliver(_message("k"), [Channel.EMAIL])
    row = h.row("k", Channel.EMAIL)
    assert (row.status, row.last_error) == (DeliveryStatus.PENDING, "RuntimeError: adapter bug")


def test_enqueue_in_leaves_the_commit_to_the_caller() -> None:
    h = Harness()
    with h.uow as uow:
        rows = h.service.enqueue_in(uow, _message("alert:X"))
    assert [r.channel for r in rows] == [Channel.SLACK, Channel.EMAIL]
    assert h.uow.commits == 0


def test_sending_again_without_force_is_a_no_op_and_force_sends_again() -> None:
    h = Harness()
    h.service.deliver(_message("k"))
    h.service.deliver(_message("k"))
    assert (len(h.slack.sent), len(h.email.sent)) == (1, 1)
    rows = h.service.deliver(_message("k"), [Channel.EMAIL], force=True)
    assert (len(h.slack.sent), len(h.email.sent)) == (1, 2)
    assert [(r.channel, r.extra["round"]) for r in rows] == [(Channel.EMAIL, 2)]


def test_an_unknown_channel_is_refused_by_name() -> None:
    h = Harness()
    h.service = DeliveryService(lambda: h.uow, [h.email], h.clock, RetrySchedule(1, 1.0, 1.0))
    with pytest.raises(ValueError, match="slack"):
        h.service.enqueue(_message("k"), [Channel.SLACK])
