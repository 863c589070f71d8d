"""The live market-data source: one real connector per Bronze connector."""

from collections.abc import Callable, Mapping
from datetime import date
from typing import Protocol

from application.errors import MarketDataError
from domain.market.bronze import BronzeBatch, Connector


class SourceConnector(Protocol):
    """One live connector: fetches its catalogued records for a window, as known on ``end``."""

    def fetch(self, start: date, end: date) -> BronzeBatch: ...


class LiveMarketDataSource:
    """Dispatches each connector to its real client, built lazily (a missing API key fails only that one)."""

    name = "live"

    def __init__(self, factories: Mapping[Connector, Callable[[], SourceConnector]]) -> None:
        self._factories = dict(factories)
        self._built: dict[Connector, SourceConnector] = {}

    def fetch(self, connector: Connector, start: date, end: date) -> BronzeBatch:
        """Fetch ``connector`` for [start, end]."""
        if connector not in self._built:
            factory = self._factories.get(connector)
            if factory is None:
                raise MarketDataError(str(connector), "no live connector is configured")
            try:
                self._built[connector] = factory()
            except ValueError as exc:  # configuration errors, e.g. a missing FRED API key
                raise MarketDataError(str(connector), f"not configured: {exc}") from None
        return self._built[connector].fetch(start, end)
