"""Builders of the market-facing sections: Market Snapshot, Regime, Agent Views and Signals.

Each builder is pure: plain rows in (:data:`domain.reporting.cells.Rows`, the stored rows as
dictionaries), a :class:`Section` out. A missing
input is named in the section's ``gaps`` and left out of its numbers; nothing is filled in. The book
sections (Portfolio, Risk, Actions) are in :mod:`domain.reporting.book_sections`.
"""

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from domain import panel as p
from domain.agents import AGENTS, REGIMES
from domain.book import GENERICS
from domain.market.instruments import AssetClass
from domain.reporting.cells import Row, Rows, cell, number, on_day
from domain.reporting.commentary import (
    AgentView,
    SignalLine,
    agent_commentary,
    market_commentary,
    regime_commentary,
    signals_commentary,
)
from domain.reporting.report import Cell, Metric, Section, Table, new_section
from domain.strategies import STRATEGIES


@dataclass(frozen=True, slots=True)
class SnapshotSeries:
    """A Market Snapshot line: ``rate`` columns are decimals shown in % with changes in bp; ``price``
    columns are levels with changes in %."""

    label: str
    column: str
    kind: str  # "rate" | "price"
    unit: str  # of the level shown: "%" for rates, "BRL/USD" or "pts" for prices


MARKET_SERIES: tuple[SnapshotSeries, ...] = (
    SnapshotSeries("DI pre 1Y", p.DI_1Y, "rate", "%"),
    SnapshotSeries("DI pre 2Y", p.DI_2Y, "rate", "%"),
    SnapshotSeries("DI pre 5Y", p.DI_5Y, "rate", "%"),
    SnapshotSeries("DI pre 10Y", p.DI_10Y, "rate", "%"),
    SnapshotSeries("NTN-B real 5Y", p.NTNB_REAL_5Y, "rate", "%"),
    SnapshotSeries("Breakeven 5Y", p.BREAKEVEN_5Y, "rate", "%"),
    SnapshotSeries("Selic", p.SELIC, "rate", "%"),
    SnapshotSeries("IPCA 12m", p.IPCA_12M, "rate", "%"),
    SnapshotSeries("Focus IPCA 12m", p.FOCUS_IPCA_12M, "rate", "%"),
    SnapshotSeries("USD/BRL", p.USDBRL, "price", "BRL/USD"),
    SnapshotSeries("Ibovespa", p.IBOVESPA, "price", "pts"),
    SnapshotSeries("S&P 500", p.SP500, "price", "pts"),
    SnapshotSeries("VIX", p.VIX, "price", "pts"),
    SnapshotSeries("UST 10Y", p.US_UST_10Y, "rate", "%"),
)
HEADLINE = ("DI pre 1Y", "USD/BRL", "Ibovespa")
SIGNAL_MEANING: dict[str, tuple[str, str]] = {
    "DI1": ("pay the rate (DI1 tomado): gains if DI rates rise", "receive the rate (DI1 dado): gains if DI rates fall"),
    "NTNB": ("long the NTN-B: gains if real yields fall", "short the NTN-B: gains if real yields rise"),
    "DOL": ("long USD against BRL: gains if the real weakens", "short USD against BRL: gains if the real strengthens"),
    "IND": ("long Ibovespa futures: gains if Brazilian equities rise", "short Ibovespa futures: gains if they fall"),
    "UST10": ("long the 10Y Treasury: gains if US yields fall", "short the 10Y Treasury: gains if US yields rise"),
}
"""What a positive and a negative signal mean on each contract root, in desk words (the book's sign convention)."""


def signal_meaning(generic: str) -> tuple[str | None, str | None]:
    """What + and - mean for ``generic`` (None, None for a generic outside :data:`GENERICS`)."""
    spec = GENERICS.get(generic)
    return SIGNAL_MEANING.get(spec.root, (None, None)) if spec is not None else (None, None)
DIRECTION_SIGN = {"LONG": 1.0, "SHORT": -1.0, "NEUTRAL": 0.0}


def _value(row: Row | None, series: SnapshotSeries) -> float | None:
    if row is None or series.column not in row:
        return None
    x = number(row[series.column])
    return None if x is None else (x * 100.0 if series.kind == "rate" else x)


def market_section(panel: Rows, day: date,
                   stale: Mapping[str, tuple[date, int]] | None = None) -> Section:
    """Closing levels of :data:`MARKET_SERIES` on ``day`` and their change over one session.

    ``stale`` maps a panel column to the date and age (in sessions) of a value older than its fresh
    age on ``day``: such a level is reported as stale, with no 1-session change (a carried value did
    not move 0%).

    ``panel`` holds rows of the point-in-time panel (:mod:`domain.panel`, decimals) in ascending ``date``
    order, as :func:`domain.reporting.cells.panel_rows` gives them: at least ``day``'s row and the one before.
    For a rate :math:`r` (decimal) the level is :math:`100 r` in % and the change
    :math:`10^4 (r_D - r_{D-1})` in bp; for a price :math:`P` the change is :math:`100 (P_D / P_{D-1} - 1)`
    in %, where :math:`D-1` is the panel's previous session.
    """
    position = next((i for i, r in enumerate(panel) if r["date"] == day), None)
    if position is None:
        gap = f"the point-in-time panel has no row for {day.isoformat()}"
        return new_section("market_snapshot", market_commentary(day, [], [], [s.label for s in MARKET_SERIES]),
                        [], [], [gap])
    today = panel[position]
    previous = panel[position - 1] if position > 0 else None
    previous_day: date | None = previous["date"] if previous is not None else None
    metrics: list[Metric] = []
    rows: list[tuple[Cell, ...]] = []
    gaps: list[str] = [] if previous_day else [f"no session before {day.isoformat()} in the panel, so no "
                                                f"1-session changes"]
    missing: list[str] = []
    for series in MARKET_SERIES:
        now, before = _value(today, series), _value(previous, series)
        move: float | None = None
        change_unit = "bp" if series.kind == "rate" else "%"
        carried = (stale or {}).get(series.column)
        if now is not None and before is not None and carried is None:
            move = (now - before) * 100.0 if series.kind == "rate" else (now / before - 1.0) * 100.0
        rows.append((series.label, series.unit, before, now, move, change_unit))
        if now is None:
            missing.append(series.label)
            gaps.append(f"{series.label}: no value known on {day.isoformat()}")
            continue
        if carried is not None:
            gaps.append(f"{series.label}: stale, the last value known on {day.isoformat()} is dated "
                        f"{carried[0].isoformat()} ({carried[1]} sessions old), so no 1-session change")
        elif previous_day is not None and before is None:
            gaps.append(f"{series.label}: no value on {previous_day.isoformat()}, so no 1-session change")
        metrics.append(Metric(series.label, now, series.unit, move, change_unit))
    headline = [m for label in HEADLINE for m in metrics if m.label == label]
    table = Table("Levels and 1-session changes",
                  ("series", "unit", "previous close", "close", "change", "change unit"), tuple(rows))
    return new_section("market_snapshot", market_commentary(day, headline, metrics, missing), metrics, [table], gaps)


def _probabilities(row: Row) -> dict[str, float] | None:
    values = {str(r): number(row.get(str(r))) for r in REGIMES}
    if any(v is None for v in values.values()):
        return None
    return {name: 100.0 * float(v or 0.0) for name, v in values.items()}


def regime_section(regimes: Rows, day: date) -> Section:
    """Regime probabilities on ``day`` against a week earlier, and the dominant regime.

    "A week earlier" is the latest row dated on or before ``day - 7`` calendar days. The dominant
    regime is :math:`\\arg\\max_k P(S_D = k)`; changes are in percentage points.
    """
    today_rows = on_day(regimes, day)
    today = _probabilities(today_rows[-1]) if today_rows else None
    cutoff = day - timedelta(days=7)
    earlier = sorted((r for r in regimes if r["date"] <= cutoff), key=lambda r: r["date"])
    week = _probabilities(earlier[-1]) if earlier else None
    week_day: date | None = earlier[-1]["date"] if earlier else None
    gaps: list[str] = []
    if today is None:
        gaps.append(f"regime probabilities not computed for {day.isoformat()}")
    if week is None:
        gaps.append(f"no regime probabilities on or before {cutoff.isoformat()} for the week-ago comparison")
    dominant = max(today, key=lambda k: (today[k], k)) if today else None
    week_dominant = max(week, key=lambda k: (week[k], k)) if week else None
    metrics: list[Metric] = []
    tables: list[Table] = []
    if today is not None and dominant is not None:
        metrics.append(Metric("Dominant regime", dominant))
        rows: list[tuple[Cell, ...]] = []
        for name, prob in today.items():
            shift = prob - week[name] if week else None
            metrics.append(Metric(f"P({name})", prob, "%", shift, "pp"))
            rows.append((name, prob, week[name] if week else None, shift))
        tables.append(Table("Regime probabilities", ("regime", "today (%)", "week ago (%)", "change (pp)"),
                            tuple(rows)))
    text = regime_commentary(day, today, dominant, week, week_dominant, week_day)
    return new_section("regime", text, metrics, tables, gaps)


def _diagnostics(agent: str, text: str) -> list[tuple[Cell, ...]] | None:
    try:
        values = json.loads(text)
    except (TypeError, ValueError):
        return None
    if not isinstance(values, dict):
        return None
    return [(agent, str(k), cell(v) if isinstance(v, int | float | str | bool) or v is None else json.dumps(v))
            for k, v in values.items()]


def agents_section(reports: Rows, signals: Rows, day: date) -> Section:
    """Each agent's composite view, narrative, signals and model diagnostics on ``day``.

    The composite score is :math:`s \\cdot \\mathrm{strength}` with :math:`s = +1` (LONG), :math:`-1`
    (SHORT) or 0 (NEUTRAL), from the agent's ``<agent>.composite`` signal.
    """
    reports, signals = on_day(reports, day), on_day(signals, day)
    known = list(AGENTS) + sorted({r["agent"] for r in reports} - set(AGENTS))
    by_report = {str(r["agent"]): r for r in reports}
    composite = {str(r["agent"]): r for r in signals if str(r["signal_id"]).endswith(".composite")}
    views: list[AgentView] = []
    view_rows: list[tuple[Cell, ...]] = []
    diagnostics: list[tuple[Cell, ...]] = []
    gaps: list[str] = []
    metrics: list[Metric] = []
    for agent in known:
        report, signal = by_report.get(agent), composite.get(agent)
        if report is None:
            gaps.append(f"no report from the {agent} agent on {day.isoformat()}")
        if signal is None:
            gaps.append(f"no composite signal from the {agent} agent on {day.isoformat()}")
            if report is None:
                continue
        direction = str(signal["direction"]) if signal is not None else None
        score = DIRECTION_SIGN.get(direction or "", 0.0) * float(signal["strength"]) if signal is not None else None
        confidence = float(signal["confidence"]) if signal is not None else None
        if direction is not None and score is not None and confidence is not None:
            views.append(AgentView(agent, direction, score, confidence))
            metrics.append(Metric(f"{agent} composite", score))
        narrative = str(report["narrative"]) if report is not None else None
        view_rows.append((agent, direction, score, confidence, narrative))
        if report is not None:
            parsed = _diagnostics(agent, report["diagnostics"])
            if parsed is None:
                gaps.append(f"diagnostics of the {agent} agent on {day.isoformat()} are not a JSON object")
            diagnostics += parsed or []
    signal_rows = tuple(
        (cell(r["agent"]), cell(r["signal_id"]), cell(r["direction"]), cell(r["strength"]), cell(r["confidence"]),
         cell(r["value"]), cell(r["horizon_days"]))
        for r in sorted(signals, key=lambda r: (r["agent"], r["signal_id"])))
    tables = [Table("Agent views", ("agent", "direction", "score", "confidence", "narrative"), tuple(view_rows)),
              Table("Agent signals", ("agent", "signal", "direction", "strength", "confidence", "value",
                                      "horizon (days)"), signal_rows),
              Table("Model diagnostics", ("agent", "diagnostic", "value"), tuple(diagnostics))]
    return new_section("agent_views", agent_commentary(day, views, len(AGENTS)), metrics, tables, gaps)


def heatmap_means(strategies: pd.DataFrame) -> dict[date, dict[tuple[str, str], float]]:
    """The Signals heatmap's cells of every session of a range, in one pass over its rows.

    Cell (asset class c, strategy k) of session D is :math:`\\bar s_{c,k,D} = \\mathrm{fsum}(s) / n`, the mean of
    strategy k's n non-missing signals on the generics of class c on D, with a correctly rounded sum
    (:func:`math.fsum`), so a cell does not depend on the rows' order or on which range was assembled
    (NaN when all are missing).

    Parameters
    ----------
    strategies : DataFrame
        Strategy signal rows (``date``, ``asset_class``, ``strategy_id``, ``signal``), any number of dates.

    Returns
    -------
    dict
        date -> {(asset class, strategy id): mean signal}; a date without rows is absent.
    """
    if strategies.empty:
        return {}
    groups: dict[date, dict[tuple[str, str], list[float]]] = {}
    columns = [strategies[c].tolist() for c in ("date", "asset_class", "strategy_id", "signal")]
    for day, asset_class, strategy, signal in zip(*columns, strict=True):
        values = groups.setdefault(day, {}).setdefault((str(asset_class), str(strategy)), [])
        if signal is not None and signal == signal:  # NaN and None are missing signals, skipped
            values.append(float(signal))
    return {day: {key: math.fsum(v) / len(v) if v else math.nan for key, v in cells.items()}
            for day, cells in groups.items()}


def _heatmap(strategies: Rows, means: Mapping[tuple[str, str], float]) -> Table:
    ids = [spec.strategy_id for spec, _ in STRATEGIES]
    ids += sorted({r["strategy_id"] for r in strategies} - set(ids))
    classes = [str(c) for c in AssetClass]
    rows = tuple((name, *(cell(means.get((name, s))) if strategies else None for s in ids)) for name in classes)
    return Table("Heatmap: mean strategy signal (asset class x strategy)", ("asset class", *ids), rows)


def signals_section(aggregated: Rows, strategies: Rows, events: Rows, day: date,
                    heatmap: Mapping[tuple[str, str], float]) -> Section:
    """Aggregated signals on ``day`` with their change, the strategy heatmap and the monitor's events.

    ``aggregated`` holds ``day`` and earlier rows; the change of generic g is
    :math:`x_{g,D} - x_{g,D'}` with :math:`D'` the latest earlier date present. ``heatmap`` holds the
    cells of ``day`` from :func:`heatmap_means`: (asset class c, strategy k) -> the mean of k's signals on
    the generics of class c.
    """
    today = on_day(aggregated, day)
    earlier = [r for r in aggregated if r["date"] < day]
    previous_day: date | None = max(r["date"] for r in earlier) if earlier else None
    before = {r["generic"]: r["signal"] for r in earlier if r["date"] == previous_day}
    rows_today = {str(r["generic"]): r for r in today}
    order = [g for g in GENERICS if g in rows_today] + sorted(set(rows_today) - set(GENERICS))
    gaps = [f"no aggregated signal for {g} on {day.isoformat()}" for g in GENERICS if g not in rows_today]
    if previous_day is None:
        gaps.append(f"no aggregated signals before {day.isoformat()}, so no changes")
    lines: list[SignalLine] = []
    rows: list[tuple[Cell, ...]] = []
    metrics: list[Metric] = []
    for generic in order:
        r = rows_today[generic]
        signal, confidence = float(r["signal"]), float(r["confidence"])
        previous = number(before.get(generic)) if previous_day else None
        move = signal - previous if previous is not None else None
        lines.append(SignalLine(generic, signal, confidence, move))
        metrics.append(Metric(f"{generic} signal", signal, "", move, ""))
        rows.append((generic, cell(r["asset_class"]), signal, confidence, cell(r["n_strategies"]), previous, move,
                     *signal_meaning(generic)))
    strategies_today = on_day(strategies, day)
    if not strategies_today:
        gaps.append(f"no strategy signals on {day.isoformat()}")
    events_today = sorted(on_day(events, day), key=lambda e: (e["kind"], e["subject"]))
    event_rows = tuple((cell(e["kind"]), cell(e["subject"]), cell(e["previous"]), cell(e["value"]), cell(e["detail"]))
                       for e in events_today)
    metrics += [Metric("Generics long", sum(1 for s in lines if s.signal > 0)),
                Metric("Generics short", sum(1 for s in lines if s.signal < 0)),
                Metric("Monitor events", len(event_rows)),
                Metric("Flips", sum(1 for e in event_rows if e[0] == "flip"))]
    tables = [Table("Aggregated signals", ("generic", "asset class", "signal", "confidence", "strategies",
                                           "previous", "change", "+ means", "- means"), tuple(rows)),
              _heatmap(strategies_today, heatmap),
              Table("Monitor events", ("kind", "subject", "previous", "value", "detail"), event_rows)]
    text = signals_commentary(lines, len(GENERICS), previous_day,
                              [(str(e[0]), str(e[4])) for e in event_rows])
    return new_section("signals", text, metrics, tables, gaps)
