"""The risk layer over date ranges: VaR and backtest, stress tests, risk limits of the model book.

Each method computes every session in [start, end] that has a ``book_nav`` row in one pass (positions
at that session's close; no positions = flat book), then replaces the range of its tables in one
transaction, so re-running a range is idempotent.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import cast

import pandas as pd

from application.numerical_warnings import collect_warnings
from application.portfolio.factors import FactorHistory
from application.ports import UnitOfWork
from application.risk.backtest import BACKTEST_CONFIDENCE, BACKTEST_WINDOW, backtest_rows
from application.risk.book import BookDay, book_days
from application.risk.limits import limit_rows
from application.risk.metrics import DayRisk, Row, flat_rows
from application.risk.models import MonteCarloModels
from application.risk.stress import stress_rows
from application.risk.windows import LOAD_MARGIN, FactorWindows, history_start
from domain.errors import DataGapError
from domain.market.calendar import CALENDAR_START, b3_sessions
from domain.portfolio.attribution import strategy_weights_by_date
from domain.risk.limits import RiskLimits
from domain.risk.var import VarMethod


@dataclass(frozen=True, slots=True)
class VarRun:
    """What ``compute_var`` wrote: rows of risk_metrics, risk_components and var_backtest."""

    rows: int
    sessions: int
    latest: date | None
    var99_pct_nav: float | None = None  # latest historical 99% 1-day VaR, fraction of NAV
    traffic_light: str | None = None    # latest backtest zone, when a backtest row exists
    model_fits: int = 0                 # Monte Carlo refits this run needed
    warnings: tuple[str, ...] = ()      # domain warnings of the run, one line per class with its count


@dataclass(frozen=True, slots=True)
class StressRun:
    """What ``run_stress`` wrote."""

    rows: int
    sessions: int
    latest: date | None
    worst_scenario: str | None = None   # on the latest date
    worst_pnl_pct_nav: float | None = None


@dataclass(frozen=True, slots=True)
class LimitRun:
    """What ``evaluate_limits`` wrote, and how many limit rows are breached."""

    rows: int
    sessions: int
    latest: date | None
    breaches: int = 0
    latest_breaches: tuple[str, ...] = ()
    circuit_breaker: str | None = None  # state on the latest date


def _sessions_before(day: date, count: int) -> date:
    sessions = b3_sessions(CALENDAR_START, day)
    return sessions[max(0, len(sessions) - 1 - count)]


def _by_date(frame: pd.DataFrame) -> dict[date, pd.DataFrame]:
    return {cast(date, d): rows for d, rows in frame.groupby("date", sort=False)} if not frame.empty else {}


def _historical_1d(metrics: pd.DataFrame, confidence: float) -> dict[date, float]:
    rows = metrics[(metrics["method"] == str(VarMethod.HISTORICAL)) & (metrics["horizon_days"] == 1)
                   & ((metrics["confidence"] - confidence).abs() < 1e-9)]
    return {d: float(v) for d, v in zip(rows["date"], rows["var_brl"], strict=True)}


class RiskService:
    """VaR/CVaR (historical, parametric, Monte Carlo), component VaR, VaR backtest, stress and limits."""

    def __init__(self, uow: Callable[[], UnitOfWork], factors: FactorHistory, *, limits: RiskLimits = RiskLimits(),
                 mc_scenarios: int = 20_000, seed: int = 7) -> None:
        self._uow = uow
        self._factors = factors
        self._limits = limits
        self._scenarios = mc_scenarios
        self._seed = seed

    def compute_var(self, start: date, end: date) -> VarRun:
        """risk_metrics (3 methods x 95/99% x 1/10 days), risk_components and var_backtest for [start, end].

        The backtest's VaR forecasts for the book dates before ``start`` are recomputed (historical VaR
        is cheap) rather than read back, so a range gives the same rows whatever was stored before it.
        """
        lookback = _sessions_before(start, BACKTEST_WINDOW + LOAD_MARGIN)
        with self._uow() as uow:
            nav = uow.book.read("book_nav", lookback, end)
            positions = uow.book.read("positions", lookback, end)
            strategies = uow.signals.strategies(start, end)
        every = book_days(nav, positions)
        books = [b for b in every if b.day >= start]
        earlier = [b for b in every if b.day < start][-BACKTEST_WINDOW:]
        metrics: list[Row] = []
        components: list[Row] = []
        var99: dict[date, float | None] = {}
        fits = 0
        with collect_warnings("risk_var") as caught:
            if any(not b.flat for b in every):
                first = min([start, *(b.day for b in earlier)])
                windows = FactorWindows(self._factors.changes(history_start(first), end))
                models = MonteCarloModels(windows)
                risk = DayRisk(windows, models, scenarios=self._scenarios, seed=self._seed)
                held = [b for b in books if not b.flat]
                for book in held:  # fail on the first date whose book lacks history, before any fit
                    windows.check_exposed(book.day, book.factors, book.holders)
                models.prepare(b.day for b in held)
                var99 = {b.day: risk.historical_var99(b) for b in earlier}
                weights = strategy_weights_by_date(strategies)
                for book in books:
                    day_metrics, day_components = risk.measure(book, weights.get(book.day, {}))
                    metrics += day_metrics
                    components += day_components
                fits = models.fits
            else:
                metrics = [row for b in books for row in flat_rows(b)]
                var99 = {b.day: 0.0 for b in earlier}
        frame = pd.DataFrame(metrics)
        var99.update(_historical_1d(frame, BACKTEST_CONFIDENCE) if not frame.empty else {})
        backtest = backtest_rows(nav, {d: v for d, v in var99.items() if v is not None}, start, end)
        with self._uow() as uow:
            written = uow.book.replace("risk_metrics", start, end, frame).written
            written += uow.book.replace("risk_components", start, end, pd.DataFrame(components)).written
            written += uow.book.replace("var_backtest", start, end, pd.DataFrame(backtest)).written
            uow.commit()
        if not books:
            return VarRun(written, 0, None, warnings=caught.summary())
        latest = books[-1]
        zone = str(backtest[-1]["traffic_light"]) if backtest and backtest[-1]["date"] == latest.day else None
        return VarRun(written, len(books), latest.day, (var99.get(latest.day) or 0.0) / latest.nav, zone, fits,
                      caught.summary())

    def run_stress(self, start: date, end: date) -> StressRun:
        """stress_results: the six scenarios and their reverse-stress multiples for [start, end]."""
        with self._uow() as uow:
            books = book_days(uow.book.read("book_nav", start, end), uow.book.read("positions", start, end))
        rows = [row for book in books for row in stress_rows(book)]
        with self._uow() as uow:
            written = uow.book.replace("stress_results", start, end, pd.DataFrame(rows)).written
            uow.commit()
        if not books:
            return StressRun(written, 0, None)
        last = [r for r in rows if r["date"] == books[-1].day]
        worst = min(last, key=lambda r: float(r["pnl_brl"]))
        return StressRun(written, len(books), books[-1].day, str(worst["scenario"]), float(worst["pnl_pct_nav"]))

    def evaluate_limits(self, start: date, end: date) -> LimitRun:
        """limit_status: the nine limits and the circuit-breaker state for [start, end].

        Reads the VaR and strategy components ``compute_var`` stored for the same dates; a date with a
        book but no stored historical VaR raises DataGapError.
        """
        with self._uow() as uow:
            nav = uow.book.read("book_nav", start, end)
            books = book_days(nav, uow.book.read("positions", start, end))
            metrics = uow.book.read("risk_metrics", start, end)
            components = _by_date(uow.book.read("risk_components", start, end))
            attribution = _by_date(uow.book.read("pnl_attribution", start, end))
        var95, var99 = _historical_1d(metrics, 0.95), _historical_1d(metrics, 0.99)
        drawdowns = dict(zip(nav["date"], nav["drawdown"], strict=True))
        rows: list[Row] = []
        for book in books:
            if book.day not in var95 or book.day not in var99:
                raise DataGapError(f"limits on {book.day.isoformat()}: risk_metrics has no 1-day historical VaR "
                                   "for that date; compute VaR (risk_var) for it first")
            rows += limit_rows(book, drawdown=max(0.0, -float(drawdowns[book.day])), var95=var95[book.day],
                               var99=var99[book.day], strategy_var=self._buckets(components, book, "var_brl"),
                               pnl_by_strategy=self._buckets(attribution, book, "pnl", "strategy"),
                               pnl_by_asset_class=self._buckets(attribution, book, "pnl", "asset_class"),
                               limits=self._limits)
        with self._uow() as uow:
            written = uow.book.replace("limit_status", start, end, pd.DataFrame(rows)).written
            uow.commit()
        if not books:
            return LimitRun(written, 0, None)
        last = [r for r in rows if r["date"] == books[-1].day]
        return LimitRun(written, len(books), books[-1].day, sum(bool(r["breached"]) for r in rows),
                        tuple(str(r["limit_name"]) for r in last if r["breached"]), str(last[0]["circuit_breaker"]))

    @staticmethod
    def _buckets(frames: dict[date, pd.DataFrame], book: BookDay, column: str,
                 dimension: str = "strategy") -> dict[str, float]:
        rows = frames.get(book.day)
        if rows is None:
            return {}
        rows = rows[rows["dimension"] == dimension]
        return {str(b): float(v) for b, v in zip(rows["bucket"], rows[column], strict=True)}
