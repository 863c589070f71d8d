"""Response and request models of the REST API."""

import datetime as dt
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, StrictBool

from application.messages import Channel, Delivery, DeliveryStatus

DB_INT_MAX = 2**63 - 1
"""The largest integer PostgreSQL's BIGINT and SQLite's INTEGER hold: offsets and ids beyond it are 422, not a
database error."""


def _in_utc(value: datetime) -> datetime:
    try:
        return value.astimezone(UTC)
    except OverflowError:  # 9999-12-31T23:59-05:00 is in year 10000 in UTC
        raise ValueError("the instant falls outside years 1..9999 once converted to UTC") from None


UtcInstant = Annotated[AwareDatetime, AfterValidator(_in_utc)]
"""An instant with its offset, converted to UTC at the edge (a naive time or one beyond year 9999 in UTC is 422)."""


def _not_huge(value: Any) -> Any:
    # pydantic's finite-number check converts an int to float and raises OverflowError past ~1.8e308 (a 500).
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**15:
        raise ValueError("number too large")
    return value


SaneNumber = BeforeValidator(_not_huge)


def _readable(value: str) -> str:
    text = value.strip()
    if not text:
        raise ValueError("must not be blank")
    if any(ord(c) < 32 and c not in "\t\n" for c in text):  # NUL is refused by PostgreSQL text columns
        raise ValueError("must not contain control characters")
    return text


ReadableText = Annotated[str, AfterValidator(_readable)]
"""Free text a person typed: stripped, not blank, no control characters but tab and newline."""
"""Refuses integers beyond 10^15 before the float checks run (no threshold or amount of ours comes near)."""

class HealthOut(BaseModel):
    """Health of the service."""

    status: Literal["ok", "degraded"]
    database: Literal["ok", "unreachable", "not migrated", "schema behind"]
    detail: str


class ReportSummaryOut(BaseModel):
    """A stored daily report in the list: its session, when it was built, and where to read it."""

    date: date
    generated_at: datetime
    schema_version: int
    html_url: str
    json_url: str


class ReportListOut(BaseModel):
    """A page of stored daily reports, newest session first."""

    items: list[ReportSummaryOut]
    total: int
    limit: int
    offset: int


class ErrorOut(BaseModel):
    """An error: what went wrong, in one sentence."""

    detail: str


class ReportNotFoundOut(ErrorOut):
    """No report for the date asked, with the latest session that has one."""

    date: date | None
    latest_available: date | None


class ReportSendIn(BaseModel):
    """Body of ``POST /api/v1/reports/daily/send``: every field optional."""

    model_config = ConfigDict(extra="forbid")

    date: dt.date | None = Field(default=None, description="session to send (YYYY-MM-DD); default: the latest report")
    channels: list[Channel] | None = Field(default=None, min_length=1,
                                           description="slack and/or email; default: every configured channel")
    force: StrictBool = Field(default=False, description="send again even if this report was already delivered")


class DeliveryOut(BaseModel):
    """One row of the delivery log."""

    key: str
    channel: Channel
    status: DeliveryStatus
    attempts: int
    round: int
    last_error: str | None
    provider_message_id: str | None
    sent_at: dt.datetime | None
    next_attempt_at: dt.datetime | None
    updated_at: dt.datetime

    @classmethod
    def of(cls, d: Delivery) -> "DeliveryOut":
        """From the application's row."""
        return cls(key=d.key, channel=d.channel, status=d.status, attempts=d.attempts,
                   round=int(d.extra.get("round", 1)), last_error=d.last_error,
                   provider_message_id=d.provider_message_id, sent_at=d.sent_at, next_attempt_at=d.next_attempt_at,
                   updated_at=d.updated_at)


class ReportSendOut(BaseModel):
    """What a send did: ``already_delivered`` when no channel needed a new message."""

    date: dt.date
    report_url: str
    already_delivered: bool
    queued: list[Channel]
    deliveries: list[DeliveryOut]
