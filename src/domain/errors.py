"""Domain errors: precise, typed failures that the edges map to user-facing messages."""


class DomainError(Exception):
    """Base class of every error raised by the domain."""


class InvalidInstrumentError(DomainError, ValueError):
    """A ticker or contract specification that does not describe a tradable instrument."""


class CalendarRangeError(DomainError, ValueError):
    """A date outside the range the trading calendars cover."""


class DataGapError(DomainError):
    """Required market data is missing for the date being computed."""
