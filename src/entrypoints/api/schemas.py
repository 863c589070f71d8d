"""Response and request models of the REST API."""

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel


class HealthOut(BaseModel):
    """Health of the service."""

    status: Literal["ok", "degraded"]
    database: Literal["ok", "unreachable"]
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
