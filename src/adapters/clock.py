"""The real clock."""

from datetime import UTC, date, datetime

from domain.market.calendar import SAO_PAULO


class SystemClock:
    """Wall-clock time; 'today' is the São Paulo date, the fund's business date."""

    def now(self) -> datetime:
        """Current UTC instant."""
        return datetime.now(UTC)

    def today(self) -> date:
        """Current date in America/Sao_Paulo."""
        return datetime.now(SAO_PAULO).date()
