"""The daily report: load every layer of a range of sessions once, build the seven sections, store JSON.

The service only orchestrates: it reads the stores in one pass per range (not per session), turns each
table into plain rows grouped by session once, hands each session's rows to the domain builders
(:mod:`domain.reporting`), and saves one report per session that has a ``book_nav`` row. All wording and
arithmetic live in the domain.
"""

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd

from application.ports import Clock, StoredReport, UnitOfWork
from application.signals.panel import PanelBuilder
from domain.reporting import (
    DailyReport,
    actions_section,
    agents_section,
    assemble_report,
    market_section,
    portfolio_section,
    regime_section,
    risk_section,
    signals_section,
)
from domain.reporting.cells import panel_rows, records
from domain.reporting.sections import heatmap_means
from domain.reporting.series import report_series, series_tables, with_series

# Rows before a session that its sections compare with: a week-ago regime, the previous aggregated
# signals. Three calendar weeks cover a week plus the longest B3 holiday run.
_LOOKBACK = timedelta(days=21)
_RISK_TABLES = ("risk_metrics", "risk_components", "stress_results", "limit_status", "var_backtest")
# The chart histories (VaR, regimes: 126 sessions) reach about six months before a session.
_HISTORY = timedelta(days=190)


@dataclass(frozen=True, slots=True)
class ReportResult:
    """What ``assemble`` stored: reports written, sessions covered, the latest session and its gaps."""

    rows: int
    sessions: int
    latest: date | None
    latest_gaps: tuple[str, ...] = ()


class _ByDate:
    """A frame's rows as plain dictionaries, grouped by their ``date`` once: each session's rows are a
    dictionary lookup (in the store's order within a date)."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self._groups: dict[date, list[dict[str, Any]]] = {}
        for row in records(frame):
            self._groups.setdefault(row["date"], []).append(row)
        self.dates = sorted(self._groups)

    def on(self, day: date) -> list[dict[str, Any]]:
        """Rows dated ``day`` (none if none)."""
        return self._groups.get(day, [])

    def between(self, start: date, end: date) -> list[dict[str, Any]]:
        """Rows dated in [start, end], in date order."""
        days = self.dates[bisect_left(self.dates, start):bisect_left(self.dates, end)]
        days += [end] if end in self._groups else []
        return [row for d in days for row in self._groups[d]]

    def before(self, day: date) -> date | None:
        """The latest date strictly before ``day``."""
        i = bisect_left(self.dates, day)
        return self.dates[i - 1] if i > 0 else None


class ReportService:
    """Assembles, stores and loads the daily report of each session."""

    def __init__(self, uow: Callable[[], UnitOfWork], panels: PanelBuilder, clock: Clock) -> None:
        self._uow = uow
        self._panels = panels
        self._clock = clock

    def assemble(self, start: date, end: date) -> ReportResult:
        """Build and store the report of every session in [start, end] that has a ``book_nav`` row.

        Re-running a range replaces its reports. Missing layers (risk not yet computed, no regime
        probabilities...) are stated in the sections, never filled in.
        """
        with self._uow() as uow:
            # From the year's start (YTD figures) or the charts' history window, whichever is earlier: a range
            # re-run in January must draw the same charts as the one-pass run did.
            nav = uow.book.read("book_nav", min(date(start.year, 1, 1), start - _HISTORY), end)
            days = sorted(d for d in nav["date"] if start <= d <= end)
            if not days:
                return ReportResult(0, 0, None)
            opening = uow.book.last_date_before("positions", days[0]) or days[0]
            book = {t: _ByDate(uow.book.read(t, start, end)) for t in ("trades", "pnl_attribution", *_RISK_TABLES)}
            var_history = uow.book.read("risk_metrics", start - _HISTORY, end)
            limit_history = uow.book.read("limit_status", start - _HISTORY, end)
            positions = _ByDate(uow.book.read("positions", opening, end))
            regime_rows = uow.signals.regimes(start - _HISTORY, end)
            regimes = _ByDate(regime_rows)
            aggregated = _ByDate(uow.signals.aggregated(start - _LOOKBACK, end))
            reports = _ByDate(uow.signals.agent_reports(start, end))
            agent_signals = _ByDate(uow.signals.agent_signals(start, end))
            strategy_rows = uow.signals.strategies(start, end)
            events = _ByDate(uow.signals.events(start, end))
            fallbacks = {f.day: f.reason for f in uow.book.fallbacks(start, end)}
        strategies, heatmaps = _ByDate(strategy_rows), heatmap_means(strategy_rows)
        pit = self._panels.build_point_in_time(end)
        panel = pit.values
        market = panel_rows(panel)
        sessions = [r["date"] for r in market]
        navs = _ByDate(nav)
        series = report_series(nav, var_history, limit_history, regime_rows, panel)
        generated_at = self._clock.now()
        stored: list[StoredReport] = []
        report: DailyReport | None = None
        for day in days:
            at = bisect_left(sessions, day)
            # The book the day's trades started from: the previous session's close, or the last one
            # stored before the range.
            previous_book = navs.before(day) or (opening if opening < day else None)
            previous_signal = aggregated.before(day)
            sections = [
                market_section(market[max(0, at - 1):at + 1], day, pit.stale(day)),
                regime_section(regimes.between(day - _LOOKBACK, day), day),
                agents_section(reports.on(day), agent_signals.on(day), day),
                signals_section(aggregated.on(previous_signal) + aggregated.on(day)
                                if previous_signal else aggregated.on(day),
                                strategies.on(day), events.on(day), day, heatmaps.get(day, {})),
                portfolio_section(navs.between(date(day.year, 1, 1), day), positions.on(day),
                                  book["pnl_attribution"].on(day), day, optimiser_fallback=fallbacks.get(day)),
                risk_section(book["risk_metrics"].on(day), book["risk_components"].on(day),
                             book["stress_results"].on(day), book["limit_status"].on(day),
                             book["var_backtest"].on(day), day),
                actions_section(book["trades"].on(day), positions.on(day),
                                positions.on(previous_book) if previous_book else [], day),
            ]
            charts = series_tables(series, day)
            sections = [with_series(s, *charts[s.key]) if s.key in charts else s for s in sections]
            report = assemble_report(day, generated_at, sections)
            # Kept as JSON, not as objects: ten years of reports are held until the one batch write.
            stored.append(StoredReport(day, report.generated_at, report.schema_version, report.to_json()))
        with self._uow() as uow:
            uow.reports.save_many(stored)
            uow.commit()
        return ReportResult(len(stored), len(days), days[-1], tuple(report.gaps) if report else ())

    def report(self, day: date) -> DailyReport | None:
        """The stored report of ``day``, if any."""
        with self._uow() as uow:
            stored = uow.reports.get(day)
        return _load(stored)

    def latest(self) -> DailyReport | None:
        """The most recent stored report, if any."""
        with self._uow() as uow:
            stored = uow.reports.latest()
        return _load(stored)


def _load(stored: StoredReport | None) -> DailyReport | None:
    return DailyReport.from_json(stored.content) if stored is not None else None
