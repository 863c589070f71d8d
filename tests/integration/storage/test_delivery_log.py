"""Contract of the delivery log, run against the in-memory fake, SQLite and PostgreSQL."""

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from adapters.storage.database import create_database_engine
from adapters.storage.unit_of_work import SqlAlchemyUnitOfWork
from application.messages import (
    Channel,
    DeliveryStatus,
    EmailContent,
    InlineImage,
    MessageKind,
    OutboundMessage,
    SlackContent,
)
from tests.fakes import InMemoryUnitOfWork

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


def _message(key: str = "daily_report:2026-11-27", text: str = "NAV R$ 100.0m") -> OutboundMessage:
    return OutboundMessage(
        key=key, kind=MessageKind.DAILY_REPORT,
        email=EmailContent(subject="Daily report 2026-11-27", text=text, html='<img src="cid:nav">',
                           inline_images=(InlineImage("nav", PNG, "nav.png"),)),
        slack=SlackContent(text=text, blocks=({"type": "section", "text": {"type": "mrkdwn", "text": text}},)),
        link="http://desk.local/api/v1/reports/daily/2026-11-27")


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def uow(request: pytest.FixtureRequest) -> Iterator[Callable[[], Any]]:
    """A unit-of-work factory over one store (each call a new transaction, like the container's)."""
    if request.param == "memory":
        shared = InMemoryUnitOfWork()
        yield lambda: shared
        return
    from adapters.storage import migrations

    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")
    migrations.upgrade(url)
    engine = create_database_engine(url)
    yield lambda: SqlAlchemyUnitOfWork(engine)
    engine.dispose()


def test_enqueue_is_idempotent_per_key_and_channel(uow: Callable[[], Any]) -> None:
    with uow() as u:
        first, queued = u.deliveries.enqueue(_message(), Channel.EMAIL, now=T0)
        again, queued_again = u.deliveries.enqueue(_message(text="changed"), Channel.EMAIL, now=T0 + timedelta(1))
        _, slack_queued = u.deliveries.enqueue(_message(), Channel.SLACK, now=T0)
        u.commit()
    assert (queued, queued_again, slack_queued) == (True, False, True)
    assert again == first
    assert (first.status, first.attempts, first.extra["round"], first.next_attempt_at) == (
        DeliveryStatus.PENDING, 0, 1, T0)
    with uow() as u:
        assert [d.channel for d in u.deliveries.for_key("daily_report:2026-11-27")] == [Channel.EMAIL, Channel.SLACK]


def test_the_stored_payload_gives_back_each_channels_content(uow: Callable[[], Any]) -> None:
    with uow() as u:
        u.deliveries.enqueue(_message(), Channel.EMAIL, now=T0)
        u.deliveries.enqueue(_message(), Channel.SLACK, now=T0)
        u.commit()
    with uow() as u:
        claimed = {c.delivery.channel: c for c in u.deliveries.claim_due(now=T0, lease_until=T0 + timedelta(
            minutes=5), claim="a")}
        u.commit()
    original = _message()
    assert claimed[Channel.EMAIL].message.email == original.email
    assert claimed[Channel.SLACK].message.slack == original.slack
    assert claimed[Channel.EMAIL].message.link == original.link
    assert claimed[Channel.EMAIL].message.kind == MessageKind.DAILY_REPORT


def test_a_claimed_row_is_not_offered_again_until_its_lease_ends(uow: Callable[[], Any]) -> None:
    lease = T0 + timedelta(minutes=5)
    with uow() as u:
        u.deliveries.enqueue(_message(), Channel.EMAIL, now=T0)
        assert len(u.deliveries.claim_due(now=T0, lease_until=lease, claim="a")) == 1
        u.commit()
    with uow() as u:
        assert u.deliveries.claim_due(now=T0 + timedelta(minutes=4), lease_until=lease, claim="b") == []
        retaken = u.deliveries.claim_due(now=lease, lease_until=lease + timedelta(minutes=5), claim="b")
        u.commit()
    assert [c.claim for c in retaken] == ["b"]
    with uow() as u:
        # The first dispatcher lost its claim: its late outcome writes nothing.
        assert u.deliveries.record_attempt("daily_report:2026-11-27", Channel.EMAIL, claim="a", now=lease,
                                           status=DeliveryStatus.SENT, provider_message_id="<x@y>") is None
        u.commit()
    with uow() as u:
        assert u.deliveries.get("daily_report:2026-11-27", Channel.EMAIL).status == DeliveryStatus.PENDING
        assert u.deliveries.attempts("daily_report:2026-11-27", Channel.EMAIL) == []


def test_a_retry_waits_for_its_time_and_the_attempts_are_logged(uow: Callable[[], Any]) -> None:
    key = "alert:VAR_BREACH:2026-11-27T09:00:00Z"
    with uow() as u:
        u.deliveries.enqueue(_message(key), Channel.SLACK, now=T0)
        u.deliveries.claim_due(now=T0, lease_until=T0 + timedelta(minutes=5), claim="a")
        row = u.deliveries.record_attempt(key, Channel.SLACK, claim="a", now=T0, status=DeliveryStatus.PENDING,
                                          error="HTTP 500", next_attempt_at=T0 + timedelta(seconds=30))
        u.commit()
    assert (row.status, row.attempts, row.last_error, row.next_attempt_at) == (
        DeliveryStatus.PENDING, 1, "HTTP 500", T0 + timedelta(seconds=30))
    with uow() as u:
        assert u.deliveries.claim_due(now=T0 + timedelta(seconds=29), lease_until=T0 + timedelta(minutes=5),
                                      claim="b") == []
        assert len(u.deliveries.claim_due(now=T0 + timedelta(seconds=30), lease_until=T0 + timedelta(minutes=5),
                                          claim="b")) == 1
        sent = u.deliveries.record_attempt(key, Channel.SLACK, claim="b", now=T0 + timedelta(seconds=31),
                                           status=DeliveryStatus.SENT, provider_message_id="1764400000.000001")
        u.commit()
    assert (sent.status, sent.attempts, sent.last_error, sent.provider_message_id, sent.sent_at) == (
        DeliveryStatus.SENT, 2, None, "1764400000.000001", T0 + timedelta(seconds=31))
    with uow() as u:
        log = u.deliveries.attempts(key, Channel.SLACK)
        assert u.deliveries.claim_due(now=T0 + timedelta(days=1), lease_until=T0 + timedelta(days=2), claim="c") == []
    assert [(a.round, a.attempt, a.outcome, a.error) for a in log] == [
        (1, 1, "retry", "HTTP 500"), (1, 2, "sent", None)]


def test_force_starts_a_new_round_and_keeps_the_earlier_attempts(uow: Callable[[], Any]) -> None:
    key = "daily_report:2026-11-27"
    with uow() as u:
        u.deliveries.enqueue(_message(), Channel.EMAIL, now=T0)
        u.deliveries.claim_due(now=T0, lease_until=T0 + timedelta(minutes=5), claim="a")
        u.deliveries.record_attempt(key, Channel.EMAIL, claim="a", now=T0, status=DeliveryStatus.SENT,
                                    provider_message_id="<1@desk>")
        u.commit()
    with uow() as u:
        unforced, queued = u.deliveries.enqueue(_message(), Channel.EMAIL, now=T0 + timedelta(hours=1))
        forced, forced_queued = u.deliveries.enqueue(_message(text="again"), Channel.EMAIL,
                                                     now=T0 + timedelta(hours=1), force=True)
        u.commit()
    assert (queued, unforced.status) == (False, DeliveryStatus.SENT)
    assert forced_queued
    assert (forced.status, forced.attempts, forced.extra["round"], forced.created_at) == (
        DeliveryStatus.PENDING, 0, 2, T0)
    with uow() as u:
        [claimed] = u.deliveries.claim_due(now=T0 + timedelta(hours=1), lease_until=T0 + timedelta(hours=2),
                                           claim="b")
        u.deliveries.record_attempt(key, Channel.EMAIL, claim="b", now=T0 + timedelta(hours=1),
                                    status=DeliveryStatus.FAILED, error="SMTP 550 mailbox unavailable")
        u.commit()
        log = u.deliveries.attempts(key, Channel.EMAIL)
        failed = u.deliveries.recent(status=DeliveryStatus.FAILED)
    assert claimed.message.email.text == "again"
    assert [(a.round, a.attempt, a.outcome) for a in log] == [(1, 1, "sent"), (2, 1, "failed")]
    # The row speaks for the current round; the first round's message id stays in the attempt log.
    assert [(d.key, d.last_error, d.provider_message_id, d.sent_at) for d in failed] == [
        (key, "SMTP 550 mailbox unavailable", None, None)]
    assert log[0].provider_message_id == "<1@desk>"
