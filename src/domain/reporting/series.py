"""Time series the report's charts draw, stored in the report itself as tables.

The stored report is the single source of truth of every page, e-mail and chart, so the series a chart
needs (equity curve, VaR history, regime probabilities over time, the DI pre curve a week and a month
ago) travel in the JSON as tables of the section they illustrate. They are computed once over the whole
assembled range (:func:`report_series`) and cut per session (:func:`series_tables`), so assembling ten
years costs one pass, not one pass per session.
"""

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import numpy as np
import pandas as pd

from domain import panel as p
from domain.agents import REGIMES
from domain.reporting.cells import dates
from domain.reporting.report import Cell, Section, Table

NAV_HISTORY = "Equity curve and drawdown (year to date)"
VAR_HISTORY = "VaR 99% 1-day against its limit (last 126 sessions)"
REGIME_HISTORY = "Regime probabilities over time (last 126 sessions)"
DI_CURVES = "DI pre curve: today, one week and one month ago"
_NONE3 = (None, None, None)
HISTORY_SESSIONS = 126
"""Sessions of VaR and regime history a report carries (about six months)."""
VAR_METHODS = ("historical", "parametric", "monte_carlo")
DI_TENORS: tuple[tuple[str, str], ...] = (
    ("1M", p.DI_1M), ("3M", p.DI_3M), ("6M", p.DI_6M), ("1Y", p.DI_1Y), ("2Y", p.DI_2Y), ("3Y", p.DI_3Y),
    ("5Y", p.DI_5Y), ("10Y", p.DI_10Y))


@dataclass(frozen=True, slots=True)
class ReportSeries:
    """Per-date frames over an assembled range (index: ``datetime.date``, ascending).

    Attributes
    ----------
    nav : DataFrame
        ``nav`` (BRL) and ``drawdown`` (% below the running peak, <= 0).
    var : DataFrame
        1-day 99% VaR by method in % of NAV (``historical``, ``parametric``, ``monte_carlo``), the VaR99
        limit ``limit`` in % of NAV, the day's P&L ``pnl`` in % of the previous NAV and ``exception``:
        1.0 when the day's loss exceeded the previous session's historical VaR, else 0.0 (None when
        either is missing).
    regimes : DataFrame
        Probability of each regime in %.
    di : DataFrame
        DI pre rates in % at :data:`DI_TENORS`.
    """

    nav: pd.DataFrame
    var: pd.DataFrame
    regimes: pd.DataFrame
    di: pd.DataFrame
    _cuts: dict[str, "_Rows"] = field(default_factory=dict, repr=False, compare=False)

    def rows(self) -> dict[str, "_Rows"]:
        """The frames as plain rows, converted once (each session's tables are slices of these)."""
        if not self._cuts:
            self._cuts.update(nav=_Rows.of(self.nav), var=_Rows.of(self.var[[*VAR_METHODS, "limit", "pnl",
                                                                                "exception"]]),
                              regimes=_Rows.of(self.regimes), di=_Rows.of(self.di))
        return self._cuts


def _by_date(frame: pd.DataFrame) -> pd.DataFrame:
    if frame.empty:
        return frame
    out = frame.assign(date=dates(frame)).sort_values("date")
    return out.set_index("date")


def report_series(nav: pd.DataFrame, metrics: pd.DataFrame, limits: pd.DataFrame, regimes: pd.DataFrame,
                  panel: pd.DataFrame) -> ReportSeries:
    """The chart series of a range, from the stored tables (one pass each).

    Parameters
    ----------
    nav : DataFrame
        ``book_nav`` rows (``date``, ``nav``, ``pnl``, ``drawdown`` as a decimal).
    metrics : DataFrame
        ``risk_metrics`` rows (``date``, ``method``, ``confidence``, ``horizon_days``, ``var_pct_nav`` decimal).
    limits : DataFrame
        ``limit_status`` rows (``date``, ``limit_name``, ``threshold`` decimal).
    regimes : DataFrame
        Regime probabilities (``date`` and one decimal column per regime).
    panel : DataFrame
        Point-in-time panel (session Timestamps, decimal rates).

    Notes
    -----
    Day :math:`D` is a VaR exception when :math:`P_D < -\\mathrm{VaR}_{D-1}` (historical, 99%, 1-day), the
    rule of :func:`domain.risk.backtest.var_exceptions`; :math:`P_D` in % is
    :math:`100 \\, P_D / (\\mathrm{NAV}_D - P_D)`.
    """
    book = _by_date(nav)
    nav_out = pd.DataFrame({"nav": book["nav"].astype(float), "drawdown": 100.0 * book["drawdown"].astype(float)}) \
        if not book.empty else pd.DataFrame(columns=["nav", "drawdown"])
    var = pd.DataFrame(index=book.index if not book.empty else None)
    if not metrics.empty:
        one_day = metrics[(metrics["horizon_days"] == 1) & ((metrics["confidence"] - 0.99).abs() < 1e-9)]
        table = _by_date(one_day).reset_index().pivot_table(index="date", columns="method", values="var_pct_nav",
                                                            aggfunc="first")
        var = var.join(100.0 * table.reindex(columns=list(VAR_METHODS)), how="outer") if not book.empty \
            else 100.0 * table.reindex(columns=list(VAR_METHODS))
    for method in VAR_METHODS:
        if method not in var.columns:
            var[method] = np.nan
    if not limits.empty:
        var99 = _by_date(limits[limits["limit_name"] == "var99"])
        var["limit"] = (100.0 * var99["threshold"].astype(float)).reindex(var.index)
    else:
        var["limit"] = np.nan
    if not book.empty:
        pnl = book["pnl"].astype(float)
        opening = book["nav"].astype(float) - pnl
        var["pnl"] = (100.0 * pnl / opening.where(opening != 0)).reindex(var.index)
        previous_var = var["historical"].shift(1)
        known = var["pnl"].notna() & previous_var.notna()
        var["exception"] = np.where(known, (var["pnl"] < -previous_var).astype(float), np.nan)
    else:
        var["pnl"] = np.nan
        var["exception"] = np.nan
    names = [str(r) for r in REGIMES]
    regime_frame = _by_date(regimes)
    regime_out = 100.0 * regime_frame.reindex(columns=names).astype(float) if not regime_frame.empty \
        else pd.DataFrame(columns=names)
    di = pd.DataFrame(index=[stamp.date() for stamp in pd.DatetimeIndex(panel.index)])
    for label, column in DI_TENORS:
        di[label] = 100.0 * panel[column].to_numpy(dtype=float) if column in panel.columns else np.nan
    return ReportSeries(nav_out, var, regime_out, di)


@dataclass(frozen=True, slots=True)
class _Rows:
    """A frame as plain table rows (ISO date first, NaN as None) with its dates, cut by bisection."""

    dates: list[date]
    rows: list[tuple[Cell, ...]]
    columns: list[str]

    @classmethod
    def of(cls, frame: pd.DataFrame) -> "_Rows":
        values = frame.to_numpy(dtype=float).tolist() if not frame.empty else []
        days = list(frame.index) if not frame.empty else []
        rows = [(d.isoformat(), *(None if v != v else v for v in row)) for d, row in zip(days, values, strict=True)]
        return cls(days, rows, [str(c) for c in frame.columns])

    def window(self, day: date, *, sessions: int | None = None, start: date | None = None) -> list[tuple[Cell, ...]]:
        stop = bisect_right(self.dates, day)
        first = max(0, stop - sessions) if sessions is not None else 0
        if start is not None:
            first = max(first, bisect_left(self.dates, start))
        return self.rows[first:stop]


def series_tables(series: ReportSeries, day: date) -> dict[str, tuple[list[Table], list[str]]]:
    """The chart tables of ``day`` by section key, with a stated gap for each series that is missing.

    NAV history runs from 1 January of ``day``'s year; VaR and regime histories cover the last
    :data:`HISTORY_SESSIONS` stored sessions up to ``day``; the DI curves are the panel's rows on ``day``
    and on the latest sessions on or before ``day - 7`` and ``day - 30`` calendar days.
    """
    cuts = series.rows()
    out: dict[str, tuple[list[Table], list[str]]] = {}
    nav = cuts["nav"].window(day, start=date(day.year, 1, 1))
    out["portfolio"] = ([Table(NAV_HISTORY, ("date", "NAV (BRL)", "drawdown (%)"), tuple(nav))], []) \
        if nav and nav[-1][0] == day.isoformat() else ([], [f"no NAV history up to {day.isoformat()} for the "
                                                             f"equity curve"])
    # A row without any VaR (or any regime probability) is left out: comparing with a tuple of Nones.
    var = [r for r in cuts["var"].window(day, sessions=HISTORY_SESSIONS) if r[1:4] != _NONE3]
    out["risk"] = ([Table(VAR_HISTORY, ("date", "historical (% NAV)", "parametric (% NAV)", "Monte Carlo (% NAV)",
                                        "limit (% NAV)", "P&L (% NAV)", "exception"), tuple(var))], []) \
        if var else ([], [f"no VaR history up to {day.isoformat()}"])
    unknown = (None,) * len(cuts["regimes"].columns)
    regimes = [r for r in cuts["regimes"].window(day, sessions=HISTORY_SESSIONS) if r[1:] != unknown]
    out["regime"] = ([Table(REGIME_HISTORY, ("date", *(f"P({r}) (%)" for r in cuts["regimes"].columns)),
                            tuple(regimes))], []) \
        if regimes else ([], [f"no regime probabilities up to {day.isoformat()} for their history"])
    curves: list[tuple[str, tuple[Cell, ...]]] = []
    gaps: list[str] = []
    for label, when in (("today", day), ("1 week ago", day - timedelta(days=7)),
                        ("1 month ago", day - timedelta(days=30))):
        found = cuts["di"].window(when, sessions=1)
        row = found[0] if found and any(v is not None for v in found[0][1:]) else None
        if row is None or (label == "today" and row[0] != day.isoformat()):
            gaps.append(f"no DI pre curve on or before {when.isoformat()} ({label})")
        else:
            curves.append((label, row))
    if curves:
        rows = tuple((tenor, *(row[1 + i] for _, row in curves)) for i, (tenor, _) in enumerate(DI_TENORS))
        columns = ("tenor", *(f"{label} {row[0]} (%)" for label, row in curves))
        out["market_snapshot"] = ([Table(DI_CURVES, columns, rows)], gaps)
    else:
        out["market_snapshot"] = ([], gaps)
    return out


def with_series(section: Section, tables: list[Table], gaps: list[str]) -> Section:
    """``section`` with chart tables appended and their gaps stated."""
    if not tables and not gaps:
        return section
    return replace(section, tables=section.tables + tuple(tables), gaps=section.gaps + tuple(gaps))
