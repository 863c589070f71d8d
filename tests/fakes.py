"""In-memory fakes of our own ports, for fast tests of application services and orchestration."""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

from application.errors import SourceUnavailableError
from application.messages import (
    Channel,
    Delivery,
    DeliveryError,
    DeliveryReceipt,
    DeliveryStatus,
    EmailContent,
    InlineImage,
    MessageKind,
    OutboundMessage,
    SlackContent,
)
from application.ports import ClaimedDelivery, DeliveryAttempt, RuleChange, StoredReport
from domain.alerts.lifecycle import AlertEvent, AlertState, AlertStatus, EventKind, RuleGroup, Silence
from domain.alerts.rules import DEFAULT_RULES, AlertRule, RuleId
from domain.alerts.snapshot import (
    ConnectorFreshness,
    DrawdownLevel,
    FailedAsset,
    LimitUtilisation,
    SignalChange,
    VarLevel,
)
from domain.market.bronze import BronzeBatch, Connector, CurvePoint, InstrumentPrice, Observation
from domain.reporting.report import SECTION_TITLES, DailyReport, Metric, Section, Table


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


@dataclass
class _DeliveryState:
    delivery: Delivery
    message: OutboundMessage
    claim: str | None = None
    claimed_until: datetime | None = None


@dataclass
class InMemoryDeliveryRepository:
    """The delivery log in a dictionary, with the same semantics as ``SqlAlchemyDeliveryRepository``."""

    rows: dict[tuple[str, Channel], _DeliveryState] = field(default_factory=dict)
    log: list[DeliveryAttempt] = field(default_factory=list)

    def enqueue(self, message: OutboundMessage, channel: Channel, *, now: datetime,
                force: bool = False) -> tuple[Delivery, bool]:
        state = self.rows.get((message.key, channel))
        if state is not None and not force:
            return state.delivery, False
        created = state.delivery.created_at if state else now
        round_ = state.delivery.extra["round"] + 1 if state else 1
        delivery = Delivery(key=message.key, channel=channel, kind=message.kind, status=DeliveryStatus.PENDING,
                            attempts=0, created_at=created, updated_at=now, next_attempt_at=now,
                            extra={"round": round_})
        self.rows[(message.key, channel)] = _DeliveryState(delivery, message)
        return delivery, True

    def get(self, key: str, channel: Channel) -> Delivery | None:
        state = self.rows.get((key, channel))
        return state.delivery if state else None

    def for_key(self, key: str) -> list[Delivery]:
        return [s.delivery for (k, c), s in sorted(self.rows.items(), key=lambda kv: str(kv[0][1])) if k == key]

    def recent(self, *, status: DeliveryStatus | None = None, kind: MessageKind | None = None,
               limit: int = 100) -> list[Delivery]:
        rows = [s.delivery for s in self.rows.values()
                if (status is None or s.delivery.status == status) and (kind is None or s.delivery.kind == kind)]
        return sorted(rows, key=lambda d: d.updated_at, reverse=True)[:limit]

    def claim_due(self, *, now: datetime, lease_until: datetime, claim: str, limit: int = 100) -> list[ClaimedDelivery]:
        due = [s for s in self.rows.values()
               if s.delivery.status == DeliveryStatus.PENDING and s.delivery.next_attempt_at is not None
               and s.delivery.next_attempt_at <= now and (s.claimed_until is None or s.claimed_until <= now)]
        due.sort(key=lambda s: s.delivery.next_attempt_at or now)
        for state in due[:limit]:
            state.claim, state.claimed_until = claim, lease_until
        return [ClaimedDelivery(s.delivery, s.message, claim) for s in due[:limit]]

    def record_attempt(self, key: str, channel: Channel, *, claim: str, now: datetime, status: DeliveryStatus,
                       error: str | None = None, provider_message_id: str | None = None,
                       next_attempt_at: datetime | None = None) -> Delivery | None:
        state = self.rows.get((key, channel))
        if state is None or state.claim != claim:
            return None
        old = state.delivery
        sent = status == DeliveryStatus.SENT
        state.delivery = replace(
            old, status=status, attempts=old.attempts + 1, updated_at=now, last_error=None if sent else error,
            next_attempt_at=next_attempt_at if status == DeliveryStatus.PENDING else None,
            provider_message_id=provider_message_id if sent else old.provider_message_id,
            sent_at=now if sent else old.sent_at)
        state.claim = state.claimed_until = None
        outcome = {DeliveryStatus.SENT: "sent", DeliveryStatus.PENDING: "retry", DeliveryStatus.FAILED: "failed"}
        self.log.append(DeliveryAttempt(key, channel, old.extra["round"], old.attempts + 1, now, outcome[status],
                                        error, provider_message_id))
        return state.delivery

    def attempts(self, key: str, channel: Channel) -> list[DeliveryAttempt]:
        return [a for a in self.log if a.key == key and a.channel == channel]


@dataclass
class InMemoryAlertRepository:
    """Alert rules (seeded with the defaults), groups, states, events, silences and audit, in memory."""

    rules_by_id: dict[RuleId, AlertRule] = field(default_factory=lambda: {r.id: r for r in DEFAULT_RULES})
    group_rows: dict[RuleId, RuleGroup] = field(default_factory=dict)
    state_rows: dict[tuple[RuleId, str], AlertState] = field(default_factory=dict)
    event_rows: list[AlertEvent] = field(default_factory=list)
    silence_rows: list[Silence] = field(default_factory=list)
    changes: list[RuleChange] = field(default_factory=list)
    locks: int = 0

    def lock(self, now: datetime) -> None:
        self.locks += 1

    def rules(self) -> list[AlertRule]:
        return [self.rules_by_id[r] for r in RuleId]

    def rule(self, rule_id: RuleId) -> AlertRule | None:
        return self.rules_by_id.get(rule_id)

    def save_rule(self, rule: AlertRule, change: RuleChange) -> None:
        self.rules_by_id[rule.id] = rule
        self.changes.append(change)

    def audit(self, rule_id: RuleId | None = None, limit: int = 100) -> list[RuleChange]:
        return [c for c in reversed(self.changes) if rule_id is None or c.rule_id == rule_id][:limit]

    def states(self, status: AlertStatus | None = None) -> list[AlertState]:
        return [s for _, s in sorted(self.state_rows.items()) if status is None or s.status == status]

    def save_states(self, states: Sequence[AlertState]) -> None:
        self.state_rows.update({s.key: s for s in states})

    def groups(self) -> list[RuleGroup]:
        return list(self.group_rows.values())

    def save_groups(self, groups: Sequence[RuleGroup]) -> None:
        self.group_rows.update({g.rule_id: g for g in groups})

    def add_events(self, events: Sequence[AlertEvent]) -> None:
        self.event_rows.extend(events)

    def events(self, *, rule_id: RuleId | None = None, kind: EventKind | None = None,
               since: datetime | None = None, limit: int = 100) -> list[AlertEvent]:
        rows = [e for e in reversed(self.event_rows) if (rule_id is None or e.rule_id == rule_id)
                and (kind is None or e.kind == kind) and (since is None or e.at >= since)]
        return rows[:limit]

    def silences(self, *, active_at: datetime | None = None) -> list[Silence]:
        return [s for s in self.silence_rows if active_at is None or s.starts_at <= active_at < s.ends_at]

    def add_silence(self, rule_id: RuleId, subject: str | None, starts_at: datetime, ends_at: datetime,
                    reason: str, created_by: str, created_at: datetime) -> Silence:
        silence = Silence(len(self.silence_rows) + 1, rule_id, subject, starts_at, ends_at, reason, created_by)
        self.silence_rows.append(silence)
        return silence

    def expire_silence(self, silence_id: int, at: datetime) -> Silence | None:
        found = next((s for s in self.silence_rows if s.id == silence_id), None)
        if found is not None:
            self.silence_rows.remove(found)
        return found.expired(at) if found is not None else None


@dataclass
class InMemoryAlertMetrics:
    """The figures alert rules read, set directly by the test."""

    connectors: list[ConnectorFreshness] = field(default_factory=list)
    agents: dict[str, date] = field(default_factory=dict)
    var: list[VarLevel] = field(default_factory=list)
    drawdown: DrawdownLevel | None = None
    limits: list[LimitUtilisation] = field(default_factory=list)
    changes: list[SignalChange] = field(default_factory=list)
    run_id: str | None = None
    failed: list[FailedAsset] = field(default_factory=list)

    def connector_freshness(self) -> list[ConnectorFreshness]:
        return list(self.connectors)

    def agent_freshness(self) -> dict[str, date]:
        return dict(self.agents)

    def latest_var(self) -> list[VarLevel]:
        return list(self.var)

    def latest_drawdown(self) -> DrawdownLevel | None:
        return self.drawdown

    def latest_limits(self) -> list[LimitUtilisation]:
        return list(self.limits)

    def signal_changes(self, since: date) -> list[SignalChange]:
        return [c for c in self.changes if c.session >= since]

    def latest_run_failures(self) -> tuple[str | None, list[FailedAsset]]:
        return self.run_id, list(self.failed)


@dataclass
class InMemoryUnitOfWork:
    """A unit of work over in-memory fakes (only the repositories a test needs); commits are counted."""

    deliveries: InMemoryDeliveryRepository = field(default_factory=InMemoryDeliveryRepository)
    alerts: InMemoryAlertRepository = field(default_factory=InMemoryAlertRepository)
    alert_metrics: InMemoryAlertMetrics = field(default_factory=InMemoryAlertMetrics)
    commits: int = 0

    def __enter__(self) -> "InMemoryUnitOfWork":
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def commit(self) -> None:
        self.commits += 1

    def rollback(self) -> None:
        return None


@dataclass
class RecordingNotifier:
    """A notifier for one channel that records what it sent, or raises the scripted errors first."""

    channel: Channel
    errors: list[DeliveryError] = field(default_factory=list)
    sent: list[OutboundMessage] = field(default_factory=list)

    def send(self, message: OutboundMessage) -> DeliveryReceipt:
        if self.errors:
            raise self.errors.pop(0)
        self.sent.append(message)
        return DeliveryReceipt(self.channel, f"{self.channel}-{len(self.sent)}")


def tiny_png(width: int = 2, height: int = 2) -> bytes:
    """A valid grey PNG (signature, IHDR, IDAT, IEND), for e-mails whose charts the test does not render."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def sample_report(day: date, *, commentary: str = "Rates rallied; the book is receiver DI1F27.") -> str:
    """A valid stored-report JSON for ``day``: the seven sections, NAV in Portfolio, ``commentary`` in Risk."""
    sections = []
    for key, title in SECTION_TITLES.items():
        metrics: tuple[Metric, ...] = ()
        tables: tuple[Table, ...] = ()
        if key == "portfolio":
            metrics = (Metric("NAV", 100_250_000.0, "BRL", 250_000.0, "BRL"),)
        if key == "actions":
            tables = (Table("Trades", ("instrument", "direction", "contracts"), (("DI1F27", "short", 20),)),)
        sections.append(Section(key, title, commentary if key == "risk" else f"{title} commentary.", metrics,
                                tables))
    return DailyReport(day, datetime(day.year, day.month, day.day, 22, 0, tzinfo=UTC), tuple(sections)).to_json()


@dataclass
class FakeReportRenderer:
    """A ``ReportRenderer`` that renders nothing real: fixed strings naming the session, one tiny PNG, a link button.

    It does not read the report's content (any JSON will do); ``calls`` records (output, ISO session) per call.
    """

    calls: list[tuple[str, str]] = field(default_factory=list)

    def page(self, report: StoredReport) -> str:
        self.calls.append(("page", report.day.isoformat()))
        return f"<html><body><h1>Daily report {report.day.isoformat()}</h1></body></html>"

    def email(self, report: StoredReport, *, report_url: str) -> EmailContent:
        self.calls.append(("email", report.day.isoformat()))
        day = report.day.isoformat()
        return EmailContent(subject=f"macrodesk daily report {day}", text=f"Daily report {day}: {report_url}",
                            html=f'<p>Daily report {day}</p><img src="cid:chart-{day}@macrodesk">'
                                 f'<p><a href="{report_url}">Full report</a></p>',
                            inline_images=(InlineImage(f"chart-{day}@macrodesk", tiny_png(), "chart.png"),))

    def slack(self, report: StoredReport, *, report_url: str) -> SlackContent:
        self.calls.append(("slack", report.day.isoformat()))
        text = f"macrodesk daily report {report.day.isoformat()}"
        return SlackContent(text=text, blocks=(
            {"type": "header", "text": {"type": "plain_text", "text": f"Daily report {report.day.isoformat()}"}},
            {"type": "section", "text": {"type": "mrkdwn", "text": f"{text} <{report_url}|open>"}},
            {"type": "actions", "elements": [{"type": "button", "text": {"type": "plain_text", "text": "Full report"},
                                              "url": report_url}]},
        ))
