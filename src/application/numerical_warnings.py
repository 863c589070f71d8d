"""Numerical warnings the domain raises during a step, collected, logged and summarised for the asset metadata.

The domain signals degeneracies with named ``RuntimeWarning`` subclasses (GARCH persistence cap, ill-conditioned
covariance, correlation repair, Black-Litterman without a market prior...). Python prints each warning once per
call site and the default log level used to drop them; a ten-year run raises some of them thousands of times. So a
step collects every warning it raises, logs one WARNING line per class with its count and first message, and
returns the summary for the Dagster asset metadata.
"""

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

log = logging.getLogger("macrodesk.numerical_warnings")


@dataclass(frozen=True, slots=True)
class WarningCount:
    """How often one warning class fired in a step, with its first message."""

    category: str
    count: int
    first_message: str

    def describe(self) -> str:
        """``IntegratedGarchWarning x12: <first message>``."""
        return f"{self.category} x{self.count}: {self.first_message}"


@dataclass(slots=True)
class WarningLog:
    """Warnings collected by :func:`collect_warnings`, in order of first appearance."""

    step: str
    counts: dict[str, WarningCount] = field(default_factory=dict)

    def add(self, category: str, message: str) -> None:
        """Count one warning."""
        seen = self.counts.get(category)
        self.counts[category] = (WarningCount(category, seen.count + 1, seen.first_message) if seen
                                 else WarningCount(category, 1, message))

    def summary(self) -> tuple[str, ...]:
        """One line per warning class, for asset metadata and DTOs."""
        return tuple(c.describe() for c in self.counts.values())


@contextmanager
def collect_warnings(step: str) -> Iterator[WarningLog]:
    """Record every warning raised inside the block; on exit log one WARNING line per class with its count."""
    collected = WarningLog(step)
    caught: list[warnings.WarningMessage] = []
    try:
        with warnings.catch_warnings(record=True) as recorded:
            warnings.simplefilter("always")
            try:
                yield collected
            finally:
                caught = list(recorded)
    finally:
        # Outside the recording block: a re-emitted foreign warning must not land in the list being read.
        for item in caught:
            if item.category.__module__.startswith("domain."):
                collected.add(item.category.__name__, str(item.message))
            else:  # not ours: hand it back to the usual filters
                warnings.warn_explicit(item.message, item.category, item.filename, item.lineno)
        for count in collected.counts.values():
            log.warning("%s: %s raised %d time(s); first: %s", step, count.category, count.count,
                        count.first_message)
