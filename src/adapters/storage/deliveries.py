"""The delivery log on SQLAlchemy: ``deliveries`` (one row per message key and channel) and ``delivery_attempts``."""

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from adapters.storage.instants import utc
from adapters.storage.message_codec import decode_message, encode_message
from adapters.storage.tables import DeliveryAttemptRow, DeliveryRow
from application.messages import Channel, Delivery, DeliveryStatus, MessageKind, OutboundMessage
from application.ports import ClaimedDelivery, DeliveryAttempt

_T = DeliveryRow.__table__
_A = DeliveryAttemptRow.__table__
_OUTCOME = {DeliveryStatus.SENT: "sent", DeliveryStatus.PENDING: "retry", DeliveryStatus.FAILED: "failed"}


def _delivery(row: Any) -> Delivery:
    return Delivery(key=row.message_key, channel=Channel(row.channel), kind=MessageKind(row.kind),
                    status=DeliveryStatus(row.status), attempts=row.attempts,
                    created_at=utc(row.created_at), updated_at=utc(row.updated_at),  # type: ignore[arg-type]
                    next_attempt_at=utc(row.next_attempt_at), last_error=row.last_error,
                    provider_message_id=row.provider_message_id, sent_at=utc(row.sent_at),
                    extra={"round": row.round})


class SqlAlchemyDeliveryRepository:
    """Rows of ``deliveries`` and ``delivery_attempts`` on one connection (the unit of work's transaction)."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def _row(self, key: str, channel: Channel) -> Any:
        return self._c.execute(select(_T).where(_T.c.message_key == key, _T.c.channel == str(channel))).one_or_none()

    def enqueue(self, message: OutboundMessage, channel: Channel, *, now: datetime,
                force: bool = False) -> tuple[Delivery, bool]:
        """Insert a pending row, or (``force``) start a new round on the existing one; see the port."""
        now = utc(now)  # type: ignore[assignment]
        payload = encode_message(message, channel)
        values = {"message_key": message.key, "channel": str(channel), "kind": str(message.kind),
                  "status": str(DeliveryStatus.PENDING), "round": 1, "attempts": 0, "last_error": None,
                  "provider_message_id": None, "payload": payload, "created_at": now, "updated_at": now,
                  "next_attempt_at": now, "sent_at": None, "claim_token": None, "claimed_until": None}
        # ON CONFLICT DO NOTHING: two processes enqueueing the same key at once both see one row.
        dialect_insert = postgresql.insert if self._c.dialect.name == "postgresql" else sqlite.insert
        inserted = self._c.execute(dialect_insert(_T).values(**values)
                                   .on_conflict_do_nothing(index_elements=["message_key", "channel"])
                                   .returning(_T.c.id)).first() is not None
        if inserted:
            return _delivery(self._row(message.key, channel)), True
        if not force:
            return _delivery(self._row(message.key, channel)), False
        self._c.execute(update(_T).where(_T.c.message_key == message.key, _T.c.channel == str(channel)).values(
            kind=str(message.kind), status=str(DeliveryStatus.PENDING), round=_T.c.round + 1, attempts=0,
            last_error=None, provider_message_id=None, payload=payload, updated_at=now, next_attempt_at=now,
            sent_at=None, claim_token=None, claimed_until=None))
        return _delivery(self._row(message.key, channel)), True

    def get(self, key: str, channel: Channel) -> Delivery | None:
        """The row of (key, channel), if any."""
        row = self._row(key, channel)
        return _delivery(row) if row else None

    def for_key(self, key: str) -> list[Delivery]:
        """Every channel's row of ``key``."""
        rows = self._c.execute(select(_T).where(_T.c.message_key == key).order_by(_T.c.channel)).all()
        return [_delivery(r) for r in rows]

    def recent(self, *, status: DeliveryStatus | None = None, kind: MessageKind | None = None,
               limit: int = 100) -> list[Delivery]:
        """Most recently updated rows first."""
        stmt = select(_T)
        if status is not None:
            stmt = stmt.where(_T.c.status == str(status))
        if kind is not None:
            stmt = stmt.where(_T.c.kind == str(kind))
        rows = self._c.execute(stmt.order_by(_T.c.updated_at.desc(), _T.c.id.desc()).limit(limit)).all()
        return [_delivery(r) for r in rows]

    def claim_due(self, *, now: datetime, lease_until: datetime, claim: str, limit: int = 100) -> list[ClaimedDelivery]:
        """Claim the due rows no one holds.

        PostgreSQL: ``SELECT ... FOR UPDATE SKIP LOCKED`` locks the candidates (a concurrent dispatcher skips
        them) and an ``UPDATE`` by id stamps the claim. (Not one ``UPDATE ... WHERE id IN (SELECT ... SKIP
        LOCKED LIMIT n)``: PostgreSQL may re-run that subquery and take more than ``limit`` rows.)
        SQLite has no row locks but one writer at a time: a single conditional ``UPDATE`` is atomic.
        """
        now = utc(now)  # type: ignore[assignment]
        due = ((_T.c.status == str(DeliveryStatus.PENDING)) & (_T.c.next_attempt_at <= now)
               & (_T.c.claimed_until.is_(None) | (_T.c.claimed_until <= now)))
        candidates = select(_T.c.id).where(due).order_by(_T.c.next_attempt_at, _T.c.id).limit(limit)
        if self._c.dialect.name == "postgresql":
            ids = list(self._c.execute(candidates.with_for_update(skip_locked=True)).scalars())
            target = _T.c.id.in_(ids)
        else:
            target = _T.c.id.in_(candidates.scalar_subquery())
        self._c.execute(update(_T).where(target, due).values(claim_token=claim, claimed_until=utc(lease_until)))
        rows = self._c.execute(select(_T).where(_T.c.claim_token == claim).order_by(_T.c.next_attempt_at, _T.c.id))
        return [ClaimedDelivery(_delivery(r), decode_message(r.payload), claim) for r in rows]

    def record_attempt(self, key: str, channel: Channel, *, claim: str, now: datetime, status: DeliveryStatus,
                       error: str | None = None, provider_message_id: str | None = None,
                       next_attempt_at: datetime | None = None) -> Delivery | None:
        """Update the row held by ``claim`` and append to ``delivery_attempts``; None if the claim was lost."""
        now = utc(now)  # type: ignore[assignment]
        held = (_T.c.message_key == key) & (_T.c.channel == str(channel)) & (_T.c.claim_token == claim)
        row = self._c.execute(select(_T).where(held)).one_or_none()
        if row is None:
            return None
        values: dict[str, Any] = {"status": str(status), "attempts": row.attempts + 1, "updated_at": now,
                                  "claim_token": None, "claimed_until": None, "last_error": error,
                                  "next_attempt_at": utc(next_attempt_at) if status == DeliveryStatus.PENDING
                                  else None}
        if status == DeliveryStatus.SENT:
            values |= {"provider_message_id": provider_message_id, "sent_at": now, "last_error": None}
        changed = self._c.execute(update(_T).where(held).values(**values)).rowcount
        if not changed:
            return None
        self._c.execute(insert(_A).values(message_key=key, channel=str(channel), round=row.round,
                                          attempt=row.attempts + 1, attempted_at=now, outcome=_OUTCOME[status],
                                          error=error, provider_message_id=provider_message_id))
        return _delivery(self._row(key, channel))

    def attempts(self, key: str, channel: Channel) -> list[DeliveryAttempt]:
        """Every attempt of (key, channel), oldest first."""
        rows = self._c.execute(select(_A).where(_A.c.message_key == key, _A.c.channel == str(channel))
                               .order_by(_A.c.id)).all()
        return [DeliveryAttempt(key=r.message_key, channel=Channel(r.channel), round=r.round, attempt=r.attempt,
                                attempted_at=utc(r.attempted_at), outcome=r.outcome,  # type: ignore[arg-type]
                                error=r.error, provider_message_id=r.provider_message_id) for r in rows]
