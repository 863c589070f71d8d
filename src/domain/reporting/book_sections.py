"""Builders of the book sections: Portfolio, Risk and Actions (pure: plain rows in, a Section out).

Rows (:data:`domain.reporting.cells.Rows`) are those of the stored tables (``book_nav``, ``positions``,
``pnl_attribution``, ``risk_metrics``, ``risk_components``, ``stress_results``, ``limit_status``,
``var_backtest``, ``trades``) with their columns and units: fractions of NAV and decimals, BRL amounts,
signed contracts. Every missing table is named in the section's gaps, never filled in.
"""

from datetime import date, timedelta
from functools import lru_cache

import numpy as np

from domain.book import FACTORS, FactorUnit
from domain.market.calendar import b3_sessions
from domain.portfolio.marking import PNL_CONVENTION
from domain.reporting.cells import Row, Rows, cell, number, on_day
from domain.reporting.commentary import (
    BacktestFigure,
    BookFigures,
    StressFigure,
    VarFigure,
    actions_commentary,
    portfolio_commentary,
    risk_commentary,
)
from domain.reporting.report import Cell, Metric, Section, Table, new_section

DI1_CONVENTION = ("DI1 is traded in rate terms: a long (tomado) gains when rates rise, "
                  "a short (dado) gains when rates fall.")
VAR_METHODS = ("historical", "parametric", "monte_carlo")
HEADLINE_VAR_METHOD = "historical"
RISK_ADDING = frozenset({"Open", "Increase", "Reverse"})
RISK_REDUCING = frozenset({"Reduce", "Close"})


@lru_cache(maxsize=512)
def _first_session(year: int, month: int) -> date:
    start = date(year, month, 1)
    return b3_sessions(start, start + timedelta(days=14))[0]


def _compounded(rows: Rows) -> float:
    # numpy's product, not a Python loop: the stored figures were computed so and must not move by an ulp.
    return float(np.prod(1.0 + np.array([r["daily_return"] for r in rows], dtype=float)) - 1.0)


def _attribution_table(rows: Rows, dimension: str, title: str, base_nav: float) -> Table:
    part = sorted((r for r in rows if r["dimension"] == dimension), key=lambda r: (-abs(r["pnl"]), r["bucket"]))
    body = tuple((cell(r["bucket"]), float(r["pnl"]), float(r["pnl"]) / base_nav * 1e4 if base_nav else None)
                 for r in part)
    return Table(title, (dimension.replace("_", " "), "P&L (BRL)", "contribution (bp of NAV)"), body)


def _top(table: Table) -> tuple[str, float] | None:
    if not table.rows:
        return None
    return str(table.rows[0][0]), float(table.rows[0][1] or 0.0)


def portfolio_section(nav: Rows, positions: Rows, attribution: Rows, day: date, *,
                      optimiser_fallback: str | None = None) -> Section:
    """The model book on ``day``: NAV, P&L, period returns, drawdown, leverage, positions and attribution.

    ``optimiser_fallback`` is the reason the optimisation of ``day`` failed, when it did: the section then
    states that the previous session's targets were kept (never a silent fallback).

    ``nav`` holds the ``book_nav`` rows from 1 January of ``day``'s year (or the book's start) to ``day``;
    when its first row is the book's inception after a period's first session, that period's return is
    labelled "since inception".
    Period returns compound daily returns, :math:`R = \\prod_t (1 + r_t) - 1` over the sessions of the
    month (MTD) or year (YTD) up to ``day``; an attribution bucket's contribution is
    :math:`10^4 \\, \\mathrm{P\\&L}_b / (\\mathrm{NAV}_D - \\mathrm{P\\&L}_D)` in bp of the opening NAV.
    """
    history = sorted((r for r in nav if r["date"] <= day), key=lambda r: r["date"])
    if not history or history[-1]["date"] != day:
        return new_section("portfolio", f"The model book has no NAV for {day.isoformat()}.",
                           gaps=[f"no book_nav row for {day.isoformat()}"])
    row = history[-1]
    month = [r for r in history if (r["date"].year, r["date"].month) == (day.year, day.month)]
    year = [r for r in history if r["date"].year == day.year]
    # Rows start on 1 January or at the book's inception; only the latter shortens a period.
    inception = history[0]["date"]
    figures = BookFigures(
        nav=float(row["nav"]), pnl=float(row["pnl"]), daily_return=100.0 * float(row["daily_return"]),
        mtd=100.0 * _compounded(month), ytd=100.0 * _compounded(year),
        drawdown=100.0 * float(row["drawdown"]), peak_nav=float(row["peak_nav"]),
        leverage=float(row["gross_leverage"]),
        mtd_since=inception if month[0]["date"] == inception > _first_session(day.year, day.month) else None,
        ytd_since=inception if year[0]["date"] == inception > _first_session(day.year, 1) else None)
    before = history[-2] if len(history) > 1 else None
    metrics = [
        Metric("NAV", figures.nav, "BRL", figures.pnl, "BRL"),
        Metric("Day P&L", figures.pnl, "BRL"),
        Metric("Daily return", figures.daily_return, "%"),
        Metric("MTD return", figures.mtd, "%"),
        Metric("YTD return", figures.ytd, "%"),
        Metric("Drawdown", figures.drawdown, "%",
               figures.drawdown - 100.0 * float(before["drawdown"]) if before is not None else None, "pp"),
        Metric("Gross leverage", figures.leverage, "x",
               figures.leverage - float(before["gross_leverage"]) if before is not None else None, "x"),
        Metric("Gross notional", float(row["gross_notional"]), "BRL"),
    ]
    if "costs" in row:
        metrics += [Metric("Transaction costs", float(row["costs"]), "BRL"),
                    Metric("Notional traded", float(row["traded_notional"]), "BRL")]
    held = on_day(positions, day)
    gaps: list[str] = []
    notes: list[str] = [PNL_CONVENTION]
    if optimiser_fallback is not None:
        notes.insert(0, f"Optimiser fallback: the optimisation of {day.isoformat()} failed ({optimiser_fallback}); "
                        "the previous session's targets were kept.")
    if not held:
        if float(row["gross_notional"]) > 0:
            gaps.append(f"positions missing for {day.isoformat()} (gross notional "
                        f"{float(row['gross_notional']):,.0f} BRL in book_nav)")
        else:
            notes.append(f"The book is flat at the close of {day.isoformat()}.")
    else:
        metrics.append(Metric("Positions", len(held)))
        held = sorted(held, key=lambda r: (-abs(r["notional_brl"]), r["instrument"]))
    position_rows = tuple(
        (cell(r["instrument"]), cell(r["generic"]), cell(r["asset_class"]), int(r["contracts"]),
         float(r["notional_brl"]), cell(r["factor"]), float(r["sensitivity_brl"]),
         ("bp" if FACTORS[str(r["factor"])].unit == FactorUnit.BP else "%") if str(r["factor"]) in FACTORS else None)
        for r in held)
    today_pnl = on_day(attribution, day)
    base = figures.nav - figures.pnl
    by_class = _attribution_table(today_pnl, "asset_class", "P&L by asset class", base)
    by_strategy = _attribution_table(today_pnl, "strategy", "P&L by strategy", base)
    for table, what in ((by_class, "asset class"), (by_strategy, "strategy")):
        if not table.rows:
            gaps.append(f"no P&L attribution by {what} stored for {day.isoformat()}")
    by_component = _attribution_table(today_pnl, "component", "P&L by component", base)
    tables = [Table("Positions at the close", ("instrument", "generic", "asset class", "contracts", "notional (BRL)",
                                               "factor", "sensitivity (BRL per unit)", "factor unit"), position_rows),
              by_class, by_strategy, *([by_component] if by_component.rows else [])]
    text = portfolio_commentary(figures, _top(by_class), _top(by_strategy))
    return new_section("portfolio", text, metrics, tables, gaps, notes)


def _limit_unit(name: str) -> str:
    return "x" if name == "gross_leverage" else "%"


def _limit_scale(name: str) -> float:
    return 1.0 if name == "gross_leverage" else 100.0


def _var_tables(metrics: Rows, components: Rows) -> list[Table]:
    rank = {m: i for i, m in enumerate(VAR_METHODS)}
    ordered = sorted(metrics, key=lambda r: (rank.get(str(r["method"]), len(rank)), r["method"], r["confidence"],
                                             r["horizon_days"]))
    var_rows = tuple((cell(r["method"]), 100.0 * float(r["confidence"]), int(r["horizon_days"]), float(r["var_brl"]),
                      100.0 * float(r["var_pct_nav"]), float(r["cvar_brl"]), 100.0 * float(r["cvar_pct_nav"]))
                     for r in ordered)
    tables = [Table("VaR and CVaR", ("method", "confidence (%)", "horizon (days)", "VaR (BRL)", "VaR (% NAV)",
                                     "CVaR (BRL)", "CVaR (% NAV)"), var_rows)]
    for dimension, title in (("asset_class", "Component VaR by asset class"),
                             ("strategy", "Component VaR by strategy")):
        part = sorted((r for r in components if r["dimension"] == dimension),
                      key=lambda r: (-r["var_brl"], r["bucket"]))
        tables.append(Table(title, (dimension.replace("_", " "), "component VaR 99% 1-day (BRL)", "share (%)"),
                            tuple((cell(r["bucket"]), float(r["var_brl"]), 100.0 * float(r["share"]))
                                  for r in part)))
    return tables


def _headline_var(metrics: Rows, limits: Rows, confidence: float) -> tuple[VarFigure, float] | None:
    row = next((r for r in metrics if r["method"] == HEADLINE_VAR_METHOD and r["horizon_days"] == 1
                and abs(r["confidence"] - confidence) < 1e-9), None)
    if row is None:
        return None
    name = f"var{round(confidence * 100)}"
    limit: Row | None = next((r for r in limits if r["limit_name"] == name), None)
    threshold = 100.0 * float(limit["threshold"]) if limit is not None else None
    used = 100.0 * float(limit["utilisation"]) if limit is not None else None
    figure = VarFigure(f"VaR{round(confidence * 100)} 1-day", 100.0 * float(row["var_pct_nav"]), threshold, used)
    return figure, float(row["var_brl"])


def risk_section(metrics: Rows, components: Rows, stress: Rows, limits: Rows, backtest: Rows, day: date) -> Section:
    """VaR/CVaR by method, component VaR, stress and reverse stress, limit utilisation and the VaR backtest.

    The headline VaR is the 1-day historical VaR, the measure the VaR limits use; utilisation is
    value / threshold. Percentages of NAV are :math:`100 \\, \\mathrm{VaR} / \\mathrm{NAV}`.
    """
    metrics, components, stress = on_day(metrics, day), on_day(components, day), on_day(stress, day)
    limits, backtest = on_day(limits, day), on_day(backtest, day)
    parts = {"VaR": metrics, "component VaR": components, "stress tests": stress, "limit status": limits,
             "VaR backtest": backtest}
    if not any(parts.values()):
        text = risk_commentary(day, [], None, None, 0, None, None)
        return new_section("risk", text, gaps=[f"risk not computed for {day.isoformat()}"])
    gaps = [f"{what} not computed for {day.isoformat()}" for what, rows in parts.items() if not rows]
    out: list[Metric] = []
    figures: list[VarFigure] = []
    for confidence in (0.95, 0.99):
        headline = _headline_var(metrics, limits, confidence)
        if headline is not None:
            figures.append(headline[0])
            out += [Metric(f"{headline[0].label} (% NAV)", headline[0].pct_nav, "%"),
                    Metric(f"{headline[0].label} (BRL)", headline[1], "BRL")]
    ordered = sorted(stress, key=lambda r: (r["pnl_brl"], r["scenario"]))
    worst = None
    if ordered:
        top = ordered[0]
        worst = StressFigure(str(top["scenario"]), 100.0 * float(top["pnl_pct_nav"]), number(top["reverse_multiple"]))
        out.append(Metric("Worst stress (% NAV)", worst.pnl_pct, "%"))
    breaches: list[tuple[str, float]] | None = None
    breaker: str | None = None
    by_name = sorted(limits, key=lambda r: r["limit_name"])
    if limits:
        breaches = [(str(r["limit_name"]), 100.0 * float(r["utilisation"])) for r in by_name if bool(r["breached"])]
        breaker = str(limits[0]["circuit_breaker"])
        out += [Metric("Limits breached", len(breaches)), Metric("Circuit breaker", breaker)]
    figure = None
    if backtest:
        b = backtest[0]
        figure = BacktestFigure(str(b["traffic_light"]), int(b["exceptions"]), int(b["window_days"]),
                                float(b["expected"]), float(b["kupiec_p_value"]))
        out += [Metric("Backtest zone", figure.traffic_light), Metric("VaR exceptions", figure.exceptions)]
    tables = _var_tables(metrics, components)
    tables.append(Table("Stress scenarios", ("scenario", "P&L (BRL)", "P&L (% NAV)", "reverse multiple (x)",
                                             "not applied"),
                        tuple((cell(r["scenario"]), float(r["pnl_brl"]), 100.0 * float(r["pnl_pct_nav"]),
                               number(r["reverse_multiple"]), cell(r["not_applied"]) or None)
                              for r in ordered)))
    tables.append(Table("Risk limits", ("limit", "value", "threshold", "unit", "utilisation (%)", "breached",
                                        "subject"),
                        tuple((cell(r["limit_name"]), float(r["value"]) * _limit_scale(str(r["limit_name"])),
                               float(r["threshold"]) * _limit_scale(str(r["limit_name"])),
                               _limit_unit(str(r["limit_name"])), 100.0 * float(r["utilisation"]),
                               bool(r["breached"]), cell(r["subject"]) or None)
                              for r in by_name)))
    tables.append(Table("VaR backtest", ("window (sessions)", "exceptions", "expected", "Kupiec LR", "Kupiec p",
                                         "traffic light"),
                        tuple((int(r["window_days"]), int(r["exceptions"]), float(r["expected"]),
                               float(r["kupiec_lr"]), float(r["kupiec_p_value"]), cell(r["traffic_light"]))
                              for r in backtest)))
    text = risk_commentary(day, figures, worst, breaches, len(limits), breaker, figure)
    notes = ("Headline VaR is the 1-day historical VaR, the measure the VaR limits are set on.",)
    return new_section("risk", text, out, tables, gaps, notes)


def _per_contract(positions: Rows) -> dict[str, float]:
    return {str(r["instrument"]): abs(float(r["notional_brl"]) / float(r["contracts"]))
            for r in positions if r["contracts"] != 0}


def actions_section(trades: Rows, positions: Rows, previous_positions: Rows, day: date) -> Section:
    """The day's trades as desk orders, with the notional each moves and the DI1 sign convention.

    A trade's notional is :math:`|q| \\cdot |N_i / q_i|`: contracts traded times the notional per
    contract of the instrument's position at the close (``positions``), or at the previous close
    (``previous_positions``) when the trade closed it.
    """
    today = on_day(trades, day)
    unit = _per_contract(previous_positions) | _per_contract(on_day(positions, day))
    gaps: list[str] = []
    rows: list[tuple[Cell, ...]] = []
    for t in today:
        instrument = str(t["instrument"])
        size = unit.get(instrument)
        if size is None:
            gaps.append(f"notional per contract of {instrument} unknown on {day.isoformat()} (no position on "
                        f"either close)")
        rows.append((cell(t["sentence"]), instrument, cell(t["direction"]), int(t["contracts"]),
                     int(t["from_contracts"]), int(t["to_contracts"]),
                     int(t["contracts"]) * size if size is not None else None,
                     cell(t["note"]) or None, cell(t["rationale"])))
    rows.sort(key=lambda r: (r[6] is None, -float(r[6] or 0.0), str(r[1])))
    verbs = [str(r[0]).split(" ", 1)[0] for r in rows]
    adding, reducing = sum(v in RISK_ADDING for v in verbs), sum(v in RISK_REDUCING for v in verbs)
    known = [float(r[6]) for r in rows if r[6] is not None]
    total = sum(known) if len(known) == len(rows) else None
    metrics = [Metric("Trades", len(rows)), Metric("Risk-adding trades", adding),
               Metric("Risk-reducing trades", reducing)]
    if total is not None:
        metrics.append(Metric("Notional traded", total, "BRL"))
    largest = (str(rows[0][0]), float(rows[0][6]) if rows[0][6] is not None else None) if rows else None
    table = Table("Trades", ("order", "instrument", "direction", "contracts", "from", "to", "notional traded (BRL)",
                             "note", "rationale"), tuple(rows))
    text = actions_commentary(day, len(rows), adding, reducing, total, largest)
    return new_section("actions", text, metrics, [table], gaps, [DI1_CONVENTION])
