"""In-memory fakes of our own ports, for fast tests of application services and orchestration."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from application.errors import SourceUnavailableError
from application.messages import EmailContent, InlineImage, SlackContent
from application.ports import StoredReport
from domain.market.bronze import BronzeBatch, Connector, CurvePoint, InstrumentPrice, Observation


@dataclass
class FixedClock:
    """A clock that says what it is told; ``tick`` advances it."""

    instant: datetime = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        self.instant += timedelta(milliseconds=1)
        return self.instant

    def today(self) -> date:
        return self.instant.date()


@dataclass
class ScriptedMarketSource:
    """Serves fixed records per connector (filtered to the window) or fails for chosen connectors."""

    observations: list[Observation] = field(default_factory=list)
    prices: list[InstrumentPrice] = field(default_factory=list)
    curve_points: list[CurvePoint] = field(default_factory=list)
    failing: set[Connector] = field(default_factory=set)
    calls: list[tuple[Connector, date, date]] = field(default_factory=list)
    name: str = "scripted"

    def fetch(self, connector: Connector, start: date, end: date) -> BronzeBatch:
        self.calls.append((connector, start, end))
        if connector in self.failing:
            raise SourceUnavailableError(str(connector), "HTTP 503 for /scripted after 4 attempts")
        return BronzeBatch(
            connector, start, end,
            observations=tuple(o for o in self.observations if o.source == connector
                               and start <= o.observation_date <= end and o.release_date <= end),
            prices=tuple(p for p in self.prices if p.source == connector and start <= p.trade_date <= end),
            curve_points=tuple(c for c in self.curve_points if c.source == connector and start <= c.curve_date <= end),
        )


@dataclass
class FailingConnectors:
    """Wraps a real source; the chosen connectors fail on every call (fault injection)."""

    inner: object
    failing: set[Connector] = field(default_factory=set)
    calls: list[tuple[Connector, date, date]] = field(default_factory=list)
    name: str = "fault-injected"

    def fetch(self, connector: Connector, start: date, end: date) -> BronzeBatch:
        self.calls.append((connector, start, end))
        if connector in self.failing:
            raise SourceUnavailableError(str(connector), "HTTP 503 for /injected after 4 attempts")
        return self.inner.fetch(connector, start, end)  # type: ignore[attr-defined, no-any-return]


class FakeReportRenderer:
    """A ``ReportRenderer`` that renders nothing real: fixed strings naming the session, one tiny PNG."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def page(self, report: StoredReport) -> str:
        self.calls.append(("page", report.day.isoformat()))
        return f"<html><body><h1>Daily report {report.day.isoformat()}</h1></body></html>"

    def email(self, report: StoredReport, *, report_url: str) -> EmailContent:
        self.calls.append(("email", report.day.isoformat()))
        day = report.day.isoformat()
        return EmailContent(subject=f"macrodesk daily report {day}", text=f"Daily report {day}: {report_url}",
                            html=f'<p>Daily report {day}</p><img src="cid:chart-{day}@macrodesk">',
                            inline_images=(InlineImage(f"chart-{day}@macrodesk", b"\x89PNG\r\n\x1a\n", "c.png"),))

    def slack(self, report: StoredReport, *, report_url: str) -> SlackContent:
        self.calls.append(("slack", report.day.isoformat()))
        text = f"macrodesk daily report {report.day.isoformat()}"
        return SlackContent(text=text, blocks=({"type": "section", "text": {"type": "mrkdwn",
                                                                           "text": f"{text} <{report_url}|open>"}},))
