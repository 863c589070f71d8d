"""The composition root: the only module that imports concrete adapters and wires them to services."""

from collections.abc import Iterator

from dependency_injector import containers, providers
from sqlalchemy import Engine

from adapters.clock import SystemClock
from adapters.metrics import PrometheusMetrics
from adapters.storage.database import create_database_engine
from adapters.storage.probe import SqlAlchemyDatabaseProbe
from adapters.storage.unit_of_work import SqlAlchemyUnitOfWork
from application.health import HealthService
from entrypoints.settings import Settings


def _engine(settings: Settings) -> Iterator[Engine]:
    engine = create_database_engine(settings.resolved_database_url)
    try:
        yield engine
    finally:
        engine.dispose()


class Container(containers.DeclarativeContainer):
    """Providers for settings, infrastructure and application services; nothing is built until asked."""

    settings = providers.Singleton(Settings)
    clock = providers.Singleton(SystemClock)
    engine = providers.Resource(_engine, settings)
    unit_of_work = providers.Factory(SqlAlchemyUnitOfWork, engine)
    metrics = providers.Singleton(PrometheusMetrics)

    database_probe = providers.Factory(SqlAlchemyDatabaseProbe, engine)
    health_service = providers.Factory(HealthService, probe=database_probe)


def build_container(settings: Settings | None = None) -> Container:
    """A container, optionally with explicit settings (tests, CLI options)."""
    container = Container()
    if settings is not None:
        container.settings.override(providers.Object(settings))
    return container
