"""The composition root: the only module that imports concrete adapters and wires them to services."""

from collections.abc import Iterator

from dependency_injector import containers, providers
from sqlalchemy import Engine

from adapters.clock import SystemClock
from adapters.database_metrics import DatabaseMetricsCollector
from adapters.market_data.b3 import B3Connector
from adapters.market_data.bcb_ptax import BcbPtaxConnector
from adapters.market_data.bcb_sgs import BcbSgsConnector
from adapters.market_data.fred import FredConnector
from adapters.market_data.http import HttpFetcher, RetryPolicy
from adapters.market_data.live import LiveMarketDataSource
from adapters.market_data.synthetic import SyntheticMarket
from adapters.market_data.treasury import TreasuryConnector
from adapters.market_data.yahoo import YAHOO_HEADERS, YahooConnector
from adapters.metrics import PrometheusMetrics
from adapters.notifiers.outbox import OutboxNotifier
from adapters.notifiers.slack import SlackNotifier
from adapters.notifiers.smtp import SmtpEmailNotifier
from adapters.storage.database import create_database_engine
from adapters.storage.probe import SqlAlchemyDatabaseProbe
from adapters.storage.unit_of_work import SqlAlchemyUnitOfWork
from application.alerts.service import AlertService
from application.delivery import DeliveryService
from application.desk_summary import DeskSummaryService
from application.health import HealthService
from application.market_data.ingestion import MarketDataIngestion
from application.market_data.silver import SilverTransforms
from application.messages import Channel
from application.pipeline import (
    RangePipeline,
    market_data_steps,
    portfolio_steps,
    report_steps,
    risk_steps,
    signal_steps,
)
from application.portfolio.factors import FactorHistory
from application.portfolio.service import BookSettings, PortfolioService
from application.ports import Notifier
from application.quality import DataQualityService
from application.reporting import ReportService
from application.risk.service import RiskService
from application.run_history import RunHistoryService
from application.signals.panel import PanelBuilder
from application.signals.service import AgentService, SignalService
from domain.delivery import RetrySchedule
from domain.market.bronze import Connector
from entrypoints.settings import Settings


def _engine(settings: Settings) -> Iterator[Engine]:
    engine = create_database_engine(settings.resolved_database_url)
    try:
        yield engine
    finally:
        engine.dispose()


def _live_source(settings: Settings) -> LiveMarketDataSource:
    policy = RetryPolicy(attempts=settings.http_attempts, initial_seconds=settings.http_backoff_seconds,
                         timeout_seconds=settings.http_timeout_seconds)

    def http(source: str, url: str, headers: dict[str, str] | None = None) -> HttpFetcher:
        return HttpFetcher(source, url, policy=policy, headers=headers)

    fred_key = settings.fred_api_key.get_secret_value() if settings.fred_api_key else ""
    return LiveMarketDataSource({
        Connector.BCB_SGS: lambda: BcbSgsConnector(http("bcb_sgs", settings.bcb_sgs_url),
                                                   http("bcb_focus", settings.bcb_olinda_url)),
        Connector.BCB_PTAX: lambda: BcbPtaxConnector(http("bcb_ptax", settings.bcb_olinda_url)),
        Connector.FRED: lambda: FredConnector(http("fred", settings.fred_url), fred_key),
        Connector.YAHOO: lambda: YahooConnector(http("yahoo", settings.yahoo_url, dict(YAHOO_HEADERS))),
        Connector.B3: lambda: B3Connector(http("b3", settings.b3_url)),
        Connector.TREASURY: lambda: TreasuryConnector(http("us_treasury", settings.us_treasury_url),
                                                      http("tesouro", settings.tesouro_url)),
    })


def _market_source(settings: Settings) -> SyntheticMarket | LiveMarketDataSource:
    if settings.market_source == "live":
        return _live_source(settings)
    return SyntheticMarket(seed=settings.synthetic_seed)


def _slack_notifier(settings: Settings) -> Notifier:
    if settings.slack_bot_token is None:
        return OutboxNotifier(Channel.SLACK, settings.outbox_dir, slack_channel=settings.slack_channel)
    return SlackNotifier(token=settings.slack_bot_token, channel=settings.slack_channel,
                         base_url=settings.slack_base_url, timeout_seconds=int(settings.http_timeout_seconds))


def _email_notifier(settings: Settings) -> Notifier:
    if not settings.smtp_host:
        return OutboxNotifier(Channel.EMAIL, settings.outbox_dir, sender=settings.email_sender,
                              recipients=settings.email_recipients or None)
    return SmtpEmailNotifier(host=settings.smtp_host, port=settings.smtp_port, security=settings.smtp_security,
                             sender=settings.email_sender, recipients=settings.email_recipients,
                             username=settings.smtp_username, password=settings.smtp_password,
                             timeout_seconds=settings.smtp_timeout_seconds)


def _retry_schedule(settings: Settings) -> RetrySchedule:
    return RetrySchedule(max_attempts=settings.delivery_max_attempts, initial_seconds=settings.delivery_backoff_seconds,
                         cap_seconds=max(settings.delivery_backoff_cap_seconds, settings.delivery_backoff_seconds))


class Container(containers.DeclarativeContainer):
    """Providers for settings, infrastructure and application services; nothing is built until asked."""

    settings = providers.Singleton(Settings)
    clock = providers.Singleton(SystemClock)
    engine = providers.Resource(_engine, settings)
    unit_of_work = providers.Factory(SqlAlchemyUnitOfWork, engine)
    database_metrics = providers.Singleton(DatabaseMetricsCollector, engine)
    metrics = providers.Singleton(PrometheusMetrics, collectors=providers.List(database_metrics))
    market_source = providers.Singleton(_market_source, settings)

    database_probe = providers.Factory(SqlAlchemyDatabaseProbe, engine)
    health_service = providers.Factory(HealthService, probe=database_probe)
    market_data_ingestion = providers.Factory(
        MarketDataIngestion, source=market_source, uow=unit_of_work.provider, clock=clock,
        window_days=settings.provided.fetch_window_days)
    run_history = providers.Factory(RunHistoryService, uow=unit_of_work.provider)
    demo_summary = providers.Factory(DeskSummaryService, uow=unit_of_work.provider)
    silver_transforms = providers.Factory(SilverTransforms, uow=unit_of_work.provider,
                                          history_start=settings.provided.history_start)
    panel_builder = providers.Factory(PanelBuilder, uow=unit_of_work.provider,
                                      history_start=settings.provided.history_start)
    agent_service = providers.Factory(AgentService, uow=unit_of_work.provider, panels=panel_builder)
    signal_service = providers.Factory(SignalService, uow=unit_of_work.provider, panels=panel_builder)
    factor_history = providers.Factory(FactorHistory, uow=unit_of_work.provider)
    book_settings = providers.Factory(lambda s: BookSettings(initial_nav=s.nav_brl), settings)
    portfolio_service = providers.Factory(PortfolioService, uow=unit_of_work.provider, panels=panel_builder,
                                          factors=factor_history, history_start=settings.provided.history_start,
                                          settings=book_settings)
    risk_service = providers.Factory(RiskService, uow=unit_of_work.provider, factors=factor_history)
    data_quality = providers.Factory(DataQualityService, uow=unit_of_work.provider)
    report_service = providers.Factory(ReportService, uow=unit_of_work.provider, panels=panel_builder, clock=clock)
    slack_notifier = providers.Singleton(_slack_notifier, settings)
    email_notifier = providers.Singleton(_email_notifier, settings)
    delivery_service = providers.Factory(
        DeliveryService, uow=unit_of_work.provider, notifiers=providers.List(slack_notifier, email_notifier),
        clock=clock, schedule=providers.Factory(_retry_schedule, settings),
        lease_seconds=settings.provided.delivery_lease_seconds)
    alert_service = providers.Factory(AlertService, uow=unit_of_work.provider, deliveries=delivery_service,
                                      clock=clock, base_url=settings.provided.public_base_url)
    range_pipeline = providers.Factory(
        lambda ingestion, silver, agents, signals, portfolio, risk, report, clock: RangePipeline(
            market_data_steps(ingestion, silver) + signal_steps(agents, signals) + portfolio_steps(portfolio)
            + risk_steps(risk) + report_steps(report), clock),
        market_data_ingestion, silver_transforms, agent_service, signal_service, portfolio_service, risk_service,
        report_service, clock)


def build_container(settings: Settings | None = None) -> Container:
    """A container, optionally with explicit settings (tests, CLI options)."""
    container = Container()
    if settings is not None:
        container.settings.override(providers.Object(settings))
    return container
