"""Sending a stored daily report: the e-mail and the Slack summary through the delivery log.

The message key is ``daily_report:<date>``: a session's report goes out once per channel; ``force`` sends
it again (a new round, recorded in the log).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from application.delivery import DeliveryService
from application.messages import Channel, Delivery, EmailContent, MessageKind, OutboundMessage, SlackContent
from application.ports import StoredReport, UnitOfWork
from application.reporting.reading import ReportNotFoundError, ReportReadingService

REPORT_PATH = "/api/v1/reports/daily/{day}"


def report_message_key(day: date) -> str:
    """The delivery-log key of one session's report."""
    return f"daily_report:{day.isoformat()}"


@dataclass(frozen=True, slots=True)
class ReportDelivery:
    """The outcome of a send: the session, the report's URL and the delivery-log row of each channel.

    ``queued`` lists the channels this call queued; empty when every channel already had a delivery
    (the answer is then the existing delivery, not a second message).
    """

    day: date
    report_url: str
    deliveries: tuple[Delivery, ...]
    queued: tuple[Channel, ...]

    @property
    def already_delivered(self) -> bool:
        """Whether nothing new was queued."""
        return not self.queued


class ReportDeliveryService:
    """Renders a stored report for e-mail and Slack and delivers it once per channel."""

    def __init__(self, uow: Callable[[], UnitOfWork], reading: ReportReadingService, delivery: DeliveryService, *,
                 public_base_url: str) -> None:
        self._uow = uow
        self._reading = reading  # renders through its cache: a re-send or a concurrent send reuses the e-mail
        self._delivery = delivery
        self._base = public_base_url.rstrip("/")

    def report_url(self, day: date) -> str:
        """Where people open the report of ``day`` (``MACRODESK_PUBLIC_BASE_URL`` + the report route)."""
        return self._base + REPORT_PATH.format(day=day.isoformat())

    def latest_day(self) -> date | None:
        """The session of the latest stored report."""
        with self._uow() as uow:
            latest = uow.reports.latest()
        return latest.day if latest else None

    def send_daily_report(self, day: date | None = None, channels: Sequence[Channel] | None = None, *,
                          force: bool = False) -> ReportDelivery:
        """Deliver the report of ``day`` (the latest by default) on ``channels`` (every configured one).

        A channel that already has a delivery of this report (sent, pending or failed) is not sent again
        unless ``force``. Raises ``ReportNotFoundError`` when no report is stored for ``day``, and
        ``ValueError`` for a channel without a notifier.
        """
        wanted = self._delivery.resolve_channels(channels)
        with self._uow() as uow:
            report = uow.reports.get(day) if day is not None else uow.reports.latest()
            if report is None:
                latest = uow.reports.latest()
                raise ReportNotFoundError(day, latest.day if latest else None)
            key = report_message_key(report.day)
            existing = {d.channel for d in uow.deliveries.for_key(key)}
        queue = wanted if force else tuple(c for c in wanted if c not in existing)
        url = self.report_url(report.day)
        # ``existing`` is a first look that spares the rendering; the log's insert decides what is queued, so
        # concurrent sends of one report queue it once and each answer says whether it was the one.
        queued = self._delivery.enqueue_new(self._message(report, url, queue), queue, force=force) if queue else ()
        self._delivery.dispatch_pending()
        rows = tuple(d for d in self._delivery.status(key) if d.channel in wanted)
        return ReportDelivery(report.day, url, rows, queued)

    def _message(self, report: StoredReport, url: str, channels: tuple[Channel, ...]) -> OutboundMessage:
        # Render only what is queued (the log stores each channel's own content): a Slack-only send does not
        # pay for the e-mail's chart exports. The other channel's content stays empty and is never stored.
        email = (self._reading.email(report.day, report_url=url) if Channel.EMAIL in channels
                 else EmailContent(subject="", text=""))
        slack = (self._reading.slack(report.day, report_url=url) if Channel.SLACK in channels
                 else SlackContent(text=""))
        return OutboundMessage(key=report_message_key(report.day), kind=MessageKind.DAILY_REPORT, email=email,
                               slack=slack, link=url)
