"""Delivering outbound messages through the persisted delivery log: enqueue, then dispatch with retries.

Every (message key, channel) is one row of the log. ``enqueue`` records what to send (inside the caller's
transaction if it wants: alert state and queued deliveries commit together); ``dispatch_pending`` claims the due
rows, sends each on its own channel, and records the outcome. A retriable failure is retried with capped
exponential backoff; a permanent one, or the last allowed attempt, marks the row failed. Channels never wait
for each other, and a row is claimed by one dispatcher at a time, so concurrent dispatchers send it once.
"""

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import structlog

from application.messages import Channel, Delivery, DeliveryError, DeliveryStatus, OutboundMessage
from application.ports import ClaimedDelivery, Clock, DeliveryAttempt, Notifier, UnitOfWork
from domain.delivery import RetrySchedule

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class DispatchResult:
    """What one ``dispatch_pending`` call did: rows sent, rows waiting for a retry, rows failed for good."""

    sent: tuple[Delivery, ...] = ()
    retrying: tuple[Delivery, ...] = ()
    failed: tuple[Delivery, ...] = ()

    @property
    def attempted(self) -> int:
        """Attempts made (a row retried within the call counts once per attempt)."""
        return len(self.sent) + len(self.retrying) + len(self.failed)


class DeliveryService:
    """Queues messages per channel in the delivery log and sends what is due through the channel's notifier."""

    def __init__(self, uow: Callable[[], UnitOfWork], notifiers: Iterable[Notifier], clock: Clock,
                 schedule: RetrySchedule, *, lease_seconds: float = 300.0, batch_size: int = 50) -> None:
        self._uow = uow
        self._notifiers: dict[Channel, Notifier] = {n.channel: n for n in notifiers}
        self._clock = clock
        self._schedule = schedule
        self._lease = timedelta(seconds=lease_seconds)
        self._batch = batch_size

    @property
    def channels(self) -> tuple[Channel, ...]:
        """The channels a notifier serves, in ``Channel`` order."""
        return tuple(c for c in Channel if c in self._notifiers)

    def resolve_channels(self, channels: Sequence[Channel] | None) -> tuple[Channel, ...]:
        """``channels`` without repeats (every configured channel when None); ValueError naming unknown ones."""
        if channels is None:
            return self.channels
        unknown = [str(c) for c in channels if c not in self._notifiers]
        if unknown:
            raise ValueError(f"no notifier for channel(s) {', '.join(unknown)}; configured: "
                             f"{', '.join(map(str, self.channels)) or 'none'}")
        return tuple(dict.fromkeys(channels))

    def enqueue_in(self, uow: UnitOfWork, message: OutboundMessage, channels: Sequence[Channel] | None = None, *,
                   force: bool = False) -> list[Delivery]:
        """Queue ``message`` inside the caller's open unit of work (the caller commits).

        Idempotent per (key, channel) unless ``force``; returns the row of each channel.
        """
        return [row for row, _ in self._enqueue_in(uow, message, channels, force=force)]

    def _enqueue_in(self, uow: UnitOfWork, message: OutboundMessage, channels: Sequence[Channel] | None, *,
                    force: bool) -> list[tuple[Delivery, bool]]:
        """Each channel's row, and whether this call queued it (False: the log already had it)."""
        now = self._clock.now()
        out = []
        for channel in self.resolve_channels(channels):
            row, queued = uow.deliveries.enqueue(message, channel, now=now, force=force)
            if queued:
                log.info("delivery queued", key=message.key, channel=str(channel), round=row.extra.get("round"))
            out.append((row, queued))
        return out

    def enqueue_new(self, message: OutboundMessage, channels: Sequence[Channel] | None = None, *,
                    force: bool = False) -> tuple[Channel, ...]:
        """Queue ``message`` in its own transaction; the channels this call queued, which a concurrent call that
        queued the same key first leaves out (its own answer then says so)."""
        with self._uow() as uow:
            outcome = self._enqueue_in(uow, message, channels, force=force)
            uow.commit()
        return tuple(row.channel for row, queued in outcome if queued)

    def enqueue(self, message: OutboundMessage, channels: Sequence[Channel] | None = None, *,
                force: bool = False) -> list[Delivery]:
        """Queue ``message`` on ``channels`` (every configured channel by default) in its own transaction."""
        with self._uow() as uow:
            rows = self.enqueue_in(uow, message, channels, force=force)
            uow.commit()
        return rows

    def deliver(self, message: OutboundMessage, channels: Sequence[Channel] | None = None, *,
                force: bool = False) -> list[Delivery]:
        """Queue ``message`` and dispatch everything due; returns the message's rows afterwards."""
        self.enqueue(message, channels, force=force)
        self.dispatch_pending()
        wanted = set(self.resolve_channels(channels))
        return [d for d in self.status(message.key) if d.channel in wanted]

    def status(self, key: str) -> list[Delivery]:
        """The rows of one message key (every channel it was queued on)."""
        with self._uow() as uow:
            return uow.deliveries.for_key(key)

    def attempts(self, key: str, channel: Channel) -> list[DeliveryAttempt]:
        """Every attempt of (key, channel), oldest first."""
        with self._uow() as uow:
            return uow.deliveries.attempts(key, channel)

    def dispatch_pending(self) -> DispatchResult:
        """Send every due delivery; returns what was sent, what waits for a retry and what failed.

        Claims are committed before sending (so other dispatchers skip them) and outcomes are committed one by
        one (so a crash loses at most the row in flight, which is offered again when its lease ends).
        """
        sent: list[Delivery] = []
        retrying: list[Delivery] = []
        failed: list[Delivery] = []
        claim = uuid.uuid4().hex
        while True:
            now = self._clock.now()
            with self._uow() as uow:
                batch = uow.deliveries.claim_due(now=now, lease_until=now + self._lease, claim=claim,
                                                 limit=self._batch)
                uow.commit()
            if not batch:
                break
            for item in batch:
                row = self._attempt(item)
                if row is None:
                    continue
                {DeliveryStatus.SENT: sent, DeliveryStatus.PENDING: retrying,
                 DeliveryStatus.FAILED: failed}[row.status].append(row)
        return DispatchResult(tuple(sent), tuple(retrying), tuple(failed))

    def _attempt(self, item: ClaimedDelivery) -> Delivery | None:
        delivery = item.delivery
        channel = delivery.channel
        notifier = self._notifiers.get(channel)
        attempt = delivery.attempts + 1
        error: DeliveryError
        if notifier is None:
            error = DeliveryError(channel, "no notifier is configured for this channel", retriable=False)
        else:
            try:
                receipt = notifier.send(item.message)
            except DeliveryError as exc:
                error = exc
            except Exception as exc:
                log.exception("notifier raised an unexpected error", key=delivery.key, channel=str(channel))
                error = DeliveryError(channel, f"{type(exc).__name__}: {exc}", retriable=True)
            else:
                log.info("delivery sent", key=delivery.key, channel=str(channel), attempt=attempt,
                         provider_message_id=receipt.provider_message_id)
                return self._record(item, DeliveryStatus.SENT, provider_message_id=receipt.provider_message_id)
        if error.retriable and not self._schedule.exhausted(attempt):
            wait = self._schedule.delay(attempt, retry_after=error.retry_after_seconds)
            log.warning("delivery will be retried", key=delivery.key, channel=str(channel), attempt=attempt,
                        error=error.detail, retry_in_seconds=wait)
            now = self._clock.now()
            return self._record(item, DeliveryStatus.PENDING, now=now, error=error.detail,
                                next_attempt_at=now + timedelta(seconds=wait))
        reason = error.detail if not error.retriable else f"{error.detail} (gave up after {attempt} attempts)"
        log.error("delivery failed", key=delivery.key, channel=str(channel), attempt=attempt, error=reason)
        return self._record(item, DeliveryStatus.FAILED, error=reason)

    def _record(self, item: ClaimedDelivery, status: DeliveryStatus, *, now: datetime | None = None,
                error: str | None = None, provider_message_id: str | None = None,
                next_attempt_at: datetime | None = None) -> Delivery | None:
        with self._uow() as uow:
            row = uow.deliveries.record_attempt(item.delivery.key, item.delivery.channel, claim=item.claim,
                                                now=now or self._clock.now(), status=status, error=error,
                                                provider_message_id=provider_message_id,
                                                next_attempt_at=next_attempt_at)
            uow.commit()
        if row is None:
            log.warning("delivery claim lost before its outcome was recorded", key=item.delivery.key,
                        channel=str(item.delivery.channel))
        return row
