"""What the templates read: the stored report's sections and headline figures, picked out by label.

Reading, not computing: each headline figure is a metric or a table cell of the stored report, and a
figure the report lacks is shown as missing ("n/a" with the section's stated gap), never filled in.
"""

from dataclasses import dataclass

from domain.reporting import DailyReport, Metric, Section, Table
from domain.reporting.series import DI_CURVES, NAV_HISTORY, REGIME_HISTORY, VAR_HISTORY

CHART_DATA = frozenset({NAV_HISTORY, VAR_HISTORY, REGIME_HISTORY, DI_CURVES})
"""Tables that are the data of a chart: shown folded on the page and left out of the e-mail."""


@dataclass(frozen=True, slots=True)
class Headline:
    """The report header: session date and the book's key figures (None when the report lacks one)."""

    day: str
    nav: Metric | None
    pnl: Metric | None
    daily_return: Metric | None
    drawdown: Metric | None
    var95: Metric | None
    var99: Metric | None
    var95_limit: float | None
    var99_limit: float | None
    breaker: str | None
    regime: str | None
    limits_breached: int | None


def metric(section: Section, label: str) -> Metric | None:
    """The metric labelled ``label`` in ``section``, if the report has it."""
    return next((m for m in section.metrics if m.label == label), None)


def table(section: Section, title: str) -> Table | None:
    """The table titled ``title`` in ``section``, if the report has it."""
    return next((t for t in section.tables if t.title == title), None)


def _limit(risk: Section, name: str) -> float | None:
    limits = table(risk, "Risk limits")
    if limits is None:
        return None
    for row in limits.rows:
        if row[0] == name and isinstance(row[2], int | float):
            return float(row[2])
    return None


def headline(report: DailyReport) -> Headline:
    """The header figures of ``report``."""
    book, risk, regime = report.section("portfolio"), report.section("risk"), report.section("regime")
    breaker = metric(risk, "Circuit breaker")
    dominant = metric(regime, "Dominant regime")
    breached = metric(risk, "Limits breached")
    return Headline(
        day=report.day.isoformat(), nav=metric(book, "NAV"), pnl=metric(book, "Day P&L"),
        daily_return=metric(book, "Daily return"), drawdown=metric(book, "Drawdown"),
        var95=metric(risk, "VaR95 1-day (% NAV)"), var99=metric(risk, "VaR99 1-day (% NAV)"),
        var95_limit=_limit(risk, "var95"), var99_limit=_limit(risk, "var99"),
        breaker=str(breaker.value) if breaker is not None else None,
        regime=str(dominant.value) if dominant is not None else None,
        limits_breached=int(breached.value) if breached is not None and not isinstance(breached.value, str) else None)


def trades(report: DailyReport, limit: int | None = None) -> list[tuple[str, float | None]]:
    """The day's orders (desk sentence, notional traded in BRL), largest first as stored."""
    found = table(report.section("actions"), "Trades")
    if found is None:
        return []
    rows = [(str(r[0]), float(r[6]) if isinstance(r[6], int | float) else None) for r in found.rows]
    return rows[:limit] if limit is not None else rows


def breaches(report: DailyReport) -> list[tuple[str, float, float, str]]:
    """Breached limits: (limit, value, threshold, unit)."""
    found = table(report.section("risk"), "Risk limits")
    if found is None:
        return []
    return [(str(r[0]), float(r[1] or 0.0), float(r[2] or 0.0), str(r[3])) for r in found.rows if r[5] is True]
