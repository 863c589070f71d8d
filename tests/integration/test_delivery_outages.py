"""Delivery through real channels (aiosmtpd, loopback Slack) and a real database: outages, restarts, concurrency."""

import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import Engine

from adapters.notifiers.slack import SlackNotifier
from adapters.notifiers.smtp import SmtpEmailNotifier
from adapters.storage import migrations
from adapters.storage.database import create_database_engine
from adapters.storage.unit_of_work import SqlAlchemyUnitOfWork
from application.delivery import DeliveryService
from application.messages import Channel, DeliveryStatus, EmailContent, MessageKind, OutboundMessage, SlackContent
from domain.delivery import RetrySchedule
from tests.fakes import FixedClock
from tests.slack_server import SlackWebApi
from tests.smtp_server import SmtpSink

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
LEASE = 300.0


def _message(key: str) -> OutboundMessage:
    return OutboundMessage(key=key, kind=MessageKind.ALERT, email=EmailContent(subject=key, text=f"{key} fired"),
                           slack=SlackContent(text=f"{key} fired"))


def _service(engine: Engine, smtp: SmtpSink, slack: SlackWebApi, clock: FixedClock, *,
             batch_size: int = 50) -> DeliveryService:
    notifiers = [SlackNotifier(token=SecretStr("xoxb-test"), channel="#desk", base_url=slack.base_url),
                 SmtpEmailNotifier(host=smtp.host, port=smtp.port, security="none", sender="desk@example.com",
                                   recipients=["pm@example.com"], timeout_seconds=5)]
    return DeliveryService(lambda: SqlAlchemyUnitOfWork(engine), notifiers, clock,
                           RetrySchedule(max_attempts=5, initial_seconds=30.0, cap_seconds=600.0),
                           lease_seconds=LEASE, batch_size=batch_size)


def _subjects(smtp: SmtpSink) -> list[str]:
    return sorted(str(r.message["Subject"]) for r in smtp.received)


def _slack_texts(slack: SlackWebApi) -> list[str]:
    return sorted(p.payload["text"] for p in slack.accepted)


@pytest.fixture
def db(database_url: str) -> Iterator[Engine]:
    engine = create_database_engine(database_url)
    yield engine
    engine.dispose()


def test_sends_requested_during_an_outage_arrive_exactly_once_when_the_channels_return(
        db: Engine, smtp_server: SmtpSink, slack_api: SlackWebApi) -> None:
    clock = FixedClock(T0)
    service = _service(db, smtp_server, slack_api, clock)
    smtp_server.down()
    slack_api.outage(SlackWebApi.server_error(503))
    keys = ["daily_report:2026-11-27", "alert:VAR_BREACH:2026-11-27T09:00:00Z"]
    for _ in range(3):  # three send requests per key while both channels are down
        for key in keys:
            service.deliver(_message(key))
        clock.instant += timedelta(seconds=31)
    rows = [d for k in keys for d in service.status(k)]
    assert {d.status for d in rows} == {DeliveryStatus.PENDING}
    assert all(d.last_error for d in rows)
    assert smtp_server.received == [] and slack_api.accepted == []

    smtp_server.up()
    slack_api.outage(None)
    clock.instant += timedelta(minutes=10)
    service.dispatch_pending()
    clock.instant += timedelta(hours=1)
    service.dispatch_pending()  # nothing left: a second pass sends nothing

    assert _subjects(smtp_server) == sorted(keys)
    assert _slack_texts(slack_api) == sorted(f"{k} fired" for k in keys)
    for key in keys:
        for d in service.status(key):
            attempts = service.attempts(key, d.channel)
            assert d.status == DeliveryStatus.SENT
            assert [a.outcome for a in attempts][-1] == "sent"
            assert all(a.outcome == "retry" and a.error for a in attempts[:-1])
            assert len(attempts) >= 2  # at least one failed attempt is in the log


def test_a_slack_429_is_retried_after_retry_after_and_sent_once(db: Engine, smtp_server: SmtpSink,
                                                                  slack_api: SlackWebApi,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    slept: list[float] = []
    monkeypatch.setattr("slack_sdk.http_retry.builtin_handlers.time.sleep", slept.append)
    slack_api.script(SlackWebApi.rate_limited(retry_after=2))
    rows = _service(db, smtp_server, slack_api, FixedClock(T0)).deliver(_message("alert:X"), [Channel.SLACK])
    assert [(r.status, r.attempts) for r in rows] == [(DeliveryStatus.SENT, 1)]
    assert [p.status for p in slack_api.posts] == [429, 200]
    assert len(slept) == 1 and 2 <= slept[0] < 3


def test_a_permanent_slack_error_fails_slack_only_and_is_reported(db: Engine, smtp_server: SmtpSink,
                                                                    slack_api: SlackWebApi) -> None:
    slack_api.script(SlackWebApi.error("channel_not_found"))
    rows = {r.channel: r for r in _service(db, smtp_server, slack_api, FixedClock(T0)).deliver(_message("k"))}
    assert (rows[Channel.SLACK].status, rows[Channel.SLACK].last_error) == (DeliveryStatus.FAILED,
                                                                            "channel_not_found")
    assert rows[Channel.EMAIL].status == DeliveryStatus.SENT
    assert len(slack_api.posts) == 1 and len(smtp_server.received) == 1


KILLED_DISPATCHER = """
import os, sys, time
from datetime import datetime, timedelta, UTC
from adapters.storage.database import create_database_engine
from adapters.storage.unit_of_work import SqlAlchemyUnitOfWork
from application.messages import Channel, EmailContent, MessageKind, OutboundMessage, SlackContent

engine = create_database_engine(sys.argv[1])
now = datetime.fromisoformat(sys.argv[2])
message = OutboundMessage("daily_report:2026-11-27", MessageKind.DAILY_REPORT,
                          EmailContent("daily_report:2026-11-27", "body"), SlackContent("daily_report:2026-11-27"))
with SqlAlchemyUnitOfWork(engine) as uow:
    for channel in Channel:
        uow.deliveries.enqueue(message, channel, now=now)
    uow.commit()
    # Claim the email row as a dispatcher does right before sending, then hang "mid-send" until killed.
    uow.deliveries.claim_due(now=now, lease_until=now + timedelta(seconds=300), claim="doomed", limit=1)
    uow.commit()
print("claimed", flush=True)
time.sleep(600)
"""


def test_a_process_killed_with_deliveries_pending_sends_them_once_on_the_next_start(
        database_url: str, smtp_server: SmtpSink, slack_api: SlackWebApi, tmp_path: Path) -> None:
    script = tmp_path / "dispatcher.py"
    script.write_text(KILLED_DISPATCHER)
    child = subprocess.Popen([sys.executable, str(script), database_url, T0.isoformat()], stdout=subprocess.PIPE,
                             text=True, cwd=Path(__file__).parents[2])
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "claimed"
    finally:
        child.kill()  # SIGKILL: no clean-up, the claim stays in the database
        child.wait()

    engine = create_database_engine(database_url)  # the "next start": a new engine, nothing in memory
    try:
        clock = FixedClock(T0 + timedelta(seconds=1))
        service = _service(engine, smtp_server, slack_api, clock)
        first = service.dispatch_pending()  # the unclaimed row goes at once; the claimed one waits for its lease
        clock.instant = T0 + timedelta(seconds=LEASE + 1)
        second = service.dispatch_pending()
        clock.instant += timedelta(hours=1)
        third = service.dispatch_pending()
    finally:
        engine.dispose()
    # The killed process held the Slack row (enqueued first); the e-mail row was free.
    assert [d.channel for d in first.sent] == [Channel.EMAIL]
    assert [d.channel for d in second.sent] == [Channel.SLACK] and third.attempted == 0
    assert len(smtp_server.received) == 1 and len(slack_api.accepted) == 1


@pytest.mark.postgres
def test_two_concurrent_dispatchers_on_postgres_send_every_message_exactly_once(
        postgres_url: str, smtp_server: SmtpSink, slack_api: SlackWebApi) -> None:
    migrations.upgrade(postgres_url)
    keys = [f"alert:RULE_{i:02d}:2026-11-27T09:00:00Z" for i in range(12)]
    seed = create_database_engine(postgres_url)
    _service(seed, smtp_server, slack_api, FixedClock(T0)).enqueue(_message(keys[0]))
    with SqlAlchemyUnitOfWork(seed) as uow:
        for key in keys[1:]:
            for channel in Channel:
                uow.deliveries.enqueue(_message(key), channel, now=T0)
        uow.commit()
    seed.dispose()

    engines = [create_database_engine(postgres_url) for _ in range(2)]
    services = [_service(e, smtp_server, slack_api, FixedClock(T0 + timedelta(seconds=1)), batch_size=2)
                for e in engines]
    barrier = threading.Barrier(2)
    results = []

    def run(service: DeliveryService) -> None:
        barrier.wait()
        results.append(service.dispatch_pending())

    threads = [threading.Thread(target=run, args=(s,)) for s in services]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    for e in engines:
        e.dispose()
    assert _subjects(smtp_server) == sorted(keys)
    assert _slack_texts(slack_api) == sorted(f"{k} fired" for k in keys)
    assert sum(len(r.sent) for r in results) == 2 * len(keys)
