"""System health: is the database reachable, and at which schema revision."""

from dataclasses import dataclass
from typing import Protocol


class DatabaseProbe(Protocol):
    """Checks that the database answers."""

    def check(self) -> tuple[bool, str]:
        """(reachable, human-readable detail)."""
        ...


@dataclass(frozen=True, slots=True)
class HealthReport:
    """What /health answers."""

    healthy: bool
    database: str
    detail: str


class HealthService:
    """Aggregates the health checks the API exposes."""

    def __init__(self, probe: DatabaseProbe) -> None:
        self._probe = probe

    def check(self) -> HealthReport:
        """Run every check; unhealthy when any fails."""
        reachable, detail = self._probe.check()
        return HealthReport(healthy=reachable, database="ok" if reachable else "unreachable", detail=detail)
