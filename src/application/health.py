"""System health: is the database reachable, and at which schema revision."""

from dataclasses import dataclass
from typing import Protocol


class DatabaseProbe(Protocol):
    """Checks that the database answers, at the schema revision the code needs."""

    def check(self) -> tuple[str, str]:
        """(state, human-readable detail); the state is ``ok`` when usable."""
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
        state, detail = self._probe.check()
        return HealthReport(healthy=state == "ok", database=state, detail=detail)
