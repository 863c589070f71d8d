"""Unit of work over one SQLAlchemy connection and transaction."""

from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine

from adapters.storage.alert_metrics import SqlAlchemyAlertMetricsRepository
from adapters.storage.alerts import SqlAlchemyAlertRepository
from adapters.storage.book import SqlAlchemyBookRepository
from adapters.storage.deliveries import SqlAlchemyDeliveryRepository
from adapters.storage.market import SqlAlchemyCurveRepository, SqlAlchemyPriceRepository
from adapters.storage.observations import SqlAlchemyObservationRepository
from adapters.storage.pipeline_runs import SqlAlchemyPipelineRunRepository
from adapters.storage.reports import SqlAlchemyReportRepository
from adapters.storage.signals import SqlAlchemySignalRepository
from adapters.storage.silver import SqlAlchemyMacroFeatureRepository, SqlAlchemyReturnRepository


class SqlAlchemyUnitOfWork:
    """Opens a transaction on enter; rolls back on exit unless ``commit`` was called."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connection: Connection | None = None

    def __enter__(self) -> Self:
        self._connection = self._engine.connect()
        self._connection.begin()
        self.observations = SqlAlchemyObservationRepository(self._connection)
        self.prices = SqlAlchemyPriceRepository(self._connection)
        self.curves = SqlAlchemyCurveRepository(self._connection)
        self.pipeline_runs = SqlAlchemyPipelineRunRepository(self._connection)
        self.returns = SqlAlchemyReturnRepository(self._connection)
        self.macro_features = SqlAlchemyMacroFeatureRepository(self._connection)
        self.signals = SqlAlchemySignalRepository(self._connection)
        self.book = SqlAlchemyBookRepository(self._connection)
        self.reports = SqlAlchemyReportRepository(self._connection)
        self.alerts = SqlAlchemyAlertRepository(self._connection)
        self.alert_metrics = SqlAlchemyAlertMetricsRepository(self._connection)
        self.deliveries = SqlAlchemyDeliveryRepository(self._connection)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        assert self._connection is not None
        try:
            self._connection.rollback()  # no-op after commit; discards anything uncommitted
        finally:
            self._connection.close()
            self._connection = None

    def commit(self) -> None:
        """Commit the transaction and start a new one, so the unit of work stays usable."""
        assert self._connection is not None, "commit outside 'with'"
        self._connection.commit()
        self._connection.begin()

    def rollback(self) -> None:
        """Discard everything since the last commit."""
        assert self._connection is not None, "rollback outside 'with'"
        self._connection.rollback()
        self._connection.begin()
