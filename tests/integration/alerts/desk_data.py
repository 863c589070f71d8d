"""Stored figures for alert tests: what the pipeline writes, inserted directly for one session."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from dependency_injector import providers
from pydantic import SecretStr
from sqlalchemy import Engine, delete, insert

from adapters.storage.tables import (
    AgentReportRow,
    AssetRunRow,
    BookNavRow,
    ConnectorRunRow,
    LimitStatusRow,
    RiskMetricRow,
)
from entrypoints.container import Container, build_container
from entrypoints.settings import Settings
from tests.fakes import FixedClock
from tests.slack_server import SlackWebApi
from tests.smtp_server import SmtpSink

SP = ZoneInfo("America/Sao_Paulo")
THU, MON = date(2026, 11, 19), date(2026, 11, 23)
# Tuesday 24 November 2026, 10:00 São Paulo: Monday's session was due at 06:00.
T0 = datetime(2026, 11, 24, 10, 0, tzinfo=SP)
CONNECTORS = ("b3", "bcb_ptax", "bcb_sgs", "fred", "treasury", "yahoo")
AGENTS = ("cross_asset", "fiscal", "fx", "inflation", "monetary")
RECIPIENT = "desk@fund.example"


@dataclass
class Figures:
    """Knobs of the stored desk: which connector last failed, VaR levels (fractions), failed assets."""

    stale_connectors: tuple[str, ...] = ()
    var95: float = 0.012
    var99: float = 0.020
    failed_assets: tuple[str, ...] = ()
    run_id: str = "run-1"
    run_finished: datetime = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)


def store(engine: Engine, figures: Figures) -> None:
    """Replace the stored figures with ``figures`` (one session, Monday 23 November 2026)."""
    started = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    with engine.begin() as c:
        for table in (ConnectorRunRow, RiskMetricRow, BookNavRow, LimitStatusRow, AgentReportRow, AssetRunRow):
            c.execute(delete(table.__table__))
        for name in CONNECTORS:
            c.execute(insert(ConnectorRunRow.__table__), [
                {"connector": name, "partition_date": THU, "status": "success", "rows": 10,
                 "latest_data_date": THU, "error": None, "started_at": started - timedelta(days=1),
                 "finished_at": started - timedelta(days=1), "duration_seconds": 1.0},
                {"connector": name, "partition_date": MON,
                 "status": "failed" if name in figures.stale_connectors else "success",
                 "rows": 0 if name in figures.stale_connectors else 10, "latest_data_date": MON,
                 "error": f"{name}: HTTP 503 for /{name} after 4 attempts" if name in figures.stale_connectors
                 else None, "started_at": started, "finished_at": started, "duration_seconds": 1.0}])
        c.execute(insert(RiskMetricRow.__table__), [
            {"date": MON, "method": "historical", "confidence": conf, "horizon_days": 1, "var_brl": v * 1e8,
             "cvar_brl": v * 1.2e8, "var_pct_nav": v, "cvar_pct_nav": v * 1.2}
            for conf, v in ((0.95, figures.var95), (0.99, figures.var99))])
        c.execute(insert(BookNavRow.__table__), [{"date": MON, "nav": 99e6, "pnl": 1e5, "daily_return": 0.001,
                                                  "peak_nav": 100e6, "drawdown": -0.01, "gross_notional": 1.5e8,
                                                  "gross_leverage": 1.5}])
        c.execute(insert(LimitStatusRow.__table__), [{"date": MON, "limit_name": "gross_leverage", "value": 1.5,
                                                      "threshold": 3.0, "utilisation": 0.5, "breached": False,
                                                      "subject": "book", "circuit_breaker": "normal"}])
        c.execute(insert(AgentReportRow.__table__), [{"date": MON, "agent": a, "narrative": "", "diagnostics": "{}"}
                                                     for a in AGENTS])
        c.execute(insert(AssetRunRow.__table__), [
            {"run_id": figures.run_id, "asset": a, "partition_start": MON, "partition_end": MON,
             "status": "failed" if a in figures.failed_assets else "success", "attempts": 4, "started_at": started,
             "finished_at": figures.run_finished, "duration_seconds": 1.0, "rows": 1,
             "error": f"SourceUnavailableError: {a}: HTTP 503" if a in figures.failed_assets else None}
            for a in ("bronze_b3", "bronze_fred", "risk_var")])


def alert_settings(url: str, data_dir: Path, slack: SlackWebApi, smtp: SmtpSink, **extra: object) -> Settings:
    """Settings sending to the loopback Slack and SMTP servers (default delivery retries)."""
    values: dict[str, object] = dict(
        database_url=url, data_dir=data_dir, slack_bot_token=SecretStr("xoxb-test"), slack_base_url=slack.base_url,
        smtp_host=smtp.host, smtp_port=smtp.port, smtp_security="none", email_recipients=[RECIPIENT],
        public_base_url="http://desk.local", api_token=SecretStr("s3cret"))
    values.update(extra)
    return Settings(**values)  # type: ignore[arg-type]


def alert_container(settings: Settings, clock: FixedClock) -> Container:
    """A container on ``settings`` whose clock is ``clock`` (time is mocked, nothing else)."""
    container = build_container(settings)
    container.clock.override(providers.Object(clock))
    return container


def subjects(smtp: SmtpSink) -> list[str]:
    """Subjects of the e-mails received, in order.

    aiosmtplib flattens with ``email.policy.SMTP``, which folds some long subjects right after 'Subject:'; the
    unfolded value then starts with the folding space (mail clients drop it), so it is stripped here.
    """
    return [str(m.message["subject"]).strip() for m in smtp.received]


def slack_headers(slack: SlackWebApi) -> list[str]:
    """Header texts of the Slack messages accepted, in order."""
    return [p.payload["blocks"][0]["text"]["text"] for p in slack.accepted]


def at(delta_minutes: float) -> datetime:
    return T0 + timedelta(minutes=delta_minutes)


