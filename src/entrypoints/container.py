"""The composition root: the only module that imports concrete adapters and wires them to services."""

from collections.abc import Iterator

from dependency_injector import containers, providers
from sqlalchemy import Engine

from adapters.charts.export import KaleidoPngExporter
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
from adapters.templates.renderer import JinjaReportRenderer
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
from application.reporting import ReportDeliveryService, ReportService
from application.reporting.reading import ReportReadingService
from application.risk.service import RiskService
from application.run_history import RunHistoryService
from application.signals.panel import PanelBuilder
from application.signals.service import AgentService, SignalService
from domain.delivery import RetrySchedule
from domain.market.bronze import Connector
from domain.portfolio.costs import CostSchedule, InstrumentCost
from domain.risk.limits import BreakerAction, CircuitBreaker, RiskLimits
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
        Connector.B3: lambda: B3Connector(http("b3", settings.b3_url),
                                           http("b3", settings.b3_price_report_url)),
        Connector.TREASURY: lambda: TreasuryConnector(http("us_treasury", settings.us_treasury_url),
                                                      http("tesouro", settings.tesouro_url)),
    })


def _risk_limits(settings: Settings) -> RiskLimits:
    """The one definition of the risk limits, from settings."""
    actions = ((BreakerAction.REDUCE_GROSS_25, 0.25), (BreakerAction.REDUCE_GROSS_50, 0.50),
               (BreakerAction.FLATTEN, 1.00))
    if len(settings.limit_circuit_breaker_drawdowns) != len(actions):
        raise ValueError(f"limit_circuit_breaker_drawdowns needs {len(actions)} levels, "
                         f"got {settings.limit_circuit_breaker_drawdowns}")
    return RiskLimits(
        var95_nav=settings.limit_var95_nav, var99_nav=settings.limit_var99_nav, drawdown=settings.limit_drawdown,
        gross_leverage=settings.limit_gross_leverage, single_position_nav=settings.limit_single_position_nav,
        asset_class_concentration=settings.limit_asset_class_concentration,
        risk_budget_share=settings.limit_risk_budget_share,
        strategy_daily_loss_nav=settings.limit_strategy_daily_loss_nav,
        asset_class_daily_loss_nav=settings.limit_asset_class_daily_loss_nav,
        circuit_breakers=tuple(CircuitBreaker(level, action, cut) for level, (action, cut) in zip(
            settings.limit_circuit_breaker_drawdowns, actions, strict=True)))


def _chart_exporter(settings: Settings) -> Iterator[KaleidoPngExporter]:
    exporter = KaleidoPngExporter(timeout_seconds=settings.chart_export_timeout_seconds,
                                  browser_path=settings.chart_browser_path)
    try:
        yield exporter
    finally:
        exporter.close()


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
        window_days=settings.provided.fetch_window_days,
        window_days_by_connector=providers.Dict({Connector.B3: settings.provided.b3_fetch_window_days,
                                                 Connector.FRED: settings.provided.revised_fetch_window_days,
                                                 Connector.BCB_SGS: settings.provided.revised_fetch_window_days}))
    run_history = providers.Factory(RunHistoryService, uow=unit_of_work.provider, clock=clock)
    demo_summary = providers.Factory(DeskSummaryService, uow=unit_of_work.provider)
    silver_transforms = providers.Factory(SilverTransforms, uow=unit_of_work.provider,
                                          history_start=settings.provided.history_start)
    panel_builder = providers.Factory(PanelBuilder, uow=unit_of_work.provider,
                                      history_start=settings.provided.history_start)
    agent_service = providers.Factory(AgentService, uow=unit_of_work.provider, panels=panel_builder)
    signal_service = providers.Factory(SignalService, uow=unit_of_work.provider, panels=panel_builder)
    factor_history = providers.Factory(FactorHistory, uow=unit_of_work.provider)
    # The risk limits, one definition for the optimiser, the checks, the limit evaluation, the report and the alert
    # rules: read thresholds as ``container.risk_limits().threshold(LimitName.VAR95)``.
    risk_limits = providers.Singleton(_risk_limits, settings)
    book_settings = providers.Factory(
        lambda s, limits: BookSettings.from_limits(
            limits, initial_nav=s.nav_brl, utilisation=s.limit_target_utilisation,
            volatility_target=s.book_volatility_target, turnover_penalty=s.book_turnover_penalty),
        settings, risk_limits)
    cost_schedule = providers.Factory(lambda s: CostSchedule({root: InstrumentCost(**c.model_dump())
                                                              for root, c in s.transaction_costs.items()}), settings)
    portfolio_service = providers.Factory(PortfolioService, uow=unit_of_work.provider, panels=panel_builder,
                                          factors=factor_history, history_start=settings.provided.history_start,
                                          settings=book_settings, costs=cost_schedule)
    risk_service = providers.Factory(RiskService, uow=unit_of_work.provider, factors=factor_history, limits=risk_limits)
    data_quality = providers.Factory(DataQualityService, uow=unit_of_work.provider, limits=risk_limits)
    report_service = providers.Factory(ReportService, uow=unit_of_work.provider, panels=panel_builder, clock=clock)
    # One warm browser and one render cache per process: the page and e-mail are rendered on read, not stored.
    chart_exporter = providers.Resource(_chart_exporter, settings)
    report_renderer = providers.Singleton(JinjaReportRenderer, exporter=chart_exporter)
    report_reading = providers.Singleton(ReportReadingService, uow=unit_of_work.provider, renderer=report_renderer,
                                         assets=report_renderer, on_render=metrics.provided.observe_report_render)
    slack_notifier = providers.Singleton(_slack_notifier, settings)
    email_notifier = providers.Singleton(_email_notifier, settings)
    delivery_service = providers.Factory(
        DeliveryService, uow=unit_of_work.provider, notifiers=providers.List(slack_notifier, email_notifier),
        clock=clock, schedule=providers.Factory(_retry_schedule, settings),
        lease_seconds=settings.provided.delivery_lease_seconds)
    alert_service = providers.Factory(AlertService, uow=unit_of_work.provider, deliveries=delivery_service,
                                      clock=clock, base_url=settings.provided.public_base_url, limits=risk_limits)
    report_delivery_service = providers.Factory(ReportDeliveryService, uow=unit_of_work.provider,
                                                reading=report_reading, delivery=delivery_service,
                                                public_base_url=settings.provided.public_base_url)
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
