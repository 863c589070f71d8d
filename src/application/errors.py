"""Errors raised through the ports; the edges (Dagster, API, CLI) map them to outcomes."""

from datetime import date


class ApplicationError(Exception):
    """Base class of the application layer's errors."""


class MarketDataError(ApplicationError):
    """A market-data source failed; names the source and, where known, the series and the date."""

    def __init__(self, source: str, detail: str, *, series: str | None = None, day: date | None = None) -> None:
        self.source = source
        self.series = series
        self.day = day
        self.detail = detail
        where = source
        if series:
            where += f" series {series}"
        if day:
            where += f" on {day.isoformat()}"
        super().__init__(f"{where}: {detail}")


class SourceUnavailableError(MarketDataError):
    """The source did not answer usefully (timeouts, HTTP 429 or 5xx) after every retry."""


class PayloadError(MarketDataError):
    """The source answered, but with something that cannot be parsed into records."""


class NotFoundError(ApplicationError):
    """A requested entity does not exist."""
