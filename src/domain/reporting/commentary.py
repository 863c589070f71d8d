"""Commentary of each report section, written from its numbers: deterministic, concrete, no placeholders.

Formatting rules (shared by every sentence): percentages and multiples drop trailing zeros ("5%", "2.8%"),
changes carry their sign ("+3.1bp", "-0.42%"), reais are whole with thousands separators ("-R$269,862").
Each function takes plain numbers already in the report's units (see :mod:`domain.reporting.report`).
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from domain.reporting.report import Metric


def trim(value: float, digits: int) -> str:
    """``value`` with ``digits`` decimals, trailing zeros (and a bare point) removed; never "-0"."""
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def signed(value: float, digits: int) -> str:
    """``trim`` with an explicit sign ("+3.1", "-0.4", "0"); a non-zero value that would round to 0 keeps
    two significant digits ("+0.0011") so a small move is not reported as none."""
    text = trim(value, digits)
    if text == "0" and value != 0.0:
        text = trim(value, 1 - math.floor(math.log10(abs(value))))
    return text if text.startswith("-") or text == "0" else f"+{text}"


def score(value: float) -> str:
    """A signal score or its change with sign and two decimals: 0.9 -> "+0.90"."""
    text = f"{value:+.2f}"
    return "0.00" if text in {"+0.00", "-0.00"} else text


def percent(value: float, digits: int = 2) -> str:
    """A value already in percent: 2.8 -> "2.8%"."""
    return f"{trim(value, digits)}%"


def brl(value: float) -> str:
    """Whole reais with separators: -269861.7 -> "-R$269,862"."""
    amount = round(value)
    return f"-R${-amount:,}" if amount < 0 else f"R${amount:,}"


def level(value: float, unit: str) -> str:
    """A metric value in its unit: "13.02%", "5.1919", "138,385", "2.73x", "+0.19"."""
    if unit == "%":
        return percent(value, 2)
    if unit == "bp":
        return f"{trim(value, 1)}bp"
    if unit == "BRL":
        return brl(value)
    if unit == "x":
        return f"{trim(value, 2)}x"
    if unit == "BRL/USD":
        return f"{value:.4f}"
    if unit == "pts":
        return f"{value:,.0f}" if abs(value) >= 10_000 else f"{value:,.2f}"
    return score(value)


def change(value: float, unit: str) -> str:
    """A signed change in its unit: "+3.1bp", "-0.42%", "+1.5pp", "-R$1,200"."""
    if unit == "BRL":
        return brl(value) if value < 0 else f"+{brl(value)}"
    digits = 1 if unit in {"bp", "pp"} else 2
    return f"{signed(value, digits)}{unit}"


def describe(metric: Metric, link: str = " ") -> str:
    """ "DI pre 1Y 13.02% (-0.9bp)" (``link`` between label and value); no change when not measured."""
    value = metric.value if isinstance(metric.value, str) else level(float(metric.value), metric.unit)
    text = f"{metric.label}{link}{value}"
    return text if metric.change is None else f"{text} ({change(metric.change, metric.change_unit)})"


def _names(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


def market_commentary(day: date, headline: Sequence[Metric], moves: Sequence[Metric], missing: Sequence[str]) -> str:
    """Closing levels of the headline series, the largest rate and price moves, and what is missing.

    ``moves`` are every series with a measured change; the largest is by absolute change within each
    change unit (bp for rates, % for prices).
    """
    sentences = []
    if headline:
        parts = [describe(m, " closed at " if i == 0 else " at ") for i, m in enumerate(headline)]
        sentences.append(f"On {day.isoformat()} {_names(parts)}.")
    else:
        sentences.append(f"No market levels are known on {day.isoformat()}.")
    largest = []
    for unit, kind in (("bp", "rate"), ("%", "price")):
        candidates = [m for m in moves if m.change is not None and m.change_unit == unit]
        if candidates:
            top = max(candidates, key=lambda m: (abs(m.change or 0.0), m.label))
            largest.append(f"the largest {kind} move was {top.label} at {change(top.change or 0.0, unit)}")
    if largest:
        text = "; ".join(largest)
        sentences.append(text[0].upper() + text[1:] + ".")
    if missing:
        sentences.append(f"Not available: {_names(list(missing))}.")
    return " ".join(sentences)


def regime_commentary(day: date, today: dict[str, float] | None, dominant: str | None,
                      week_ago: dict[str, float] | None, week_ago_dominant: str | None,
                      week_ago_day: date | None) -> str:
    """Dominant regime and its probability (percent), the others, and the comparison with a week ago."""
    if today is None or dominant is None:
        return f"Regime probabilities were not computed for {day.isoformat()}, so the report makes no regime call."
    others = ", ".join(f"{name} {percent(p, 0)}" for name, p in today.items() if name != dominant)
    text = f"{dominant.capitalize()} is the dominant regime at {percent(today[dominant], 0)} ({others})."
    if week_ago is None or week_ago_dominant is None or week_ago_day is None:
        return text + " No probabilities are stored from a week earlier to compare with."
    shift = today[dominant] - week_ago[dominant]
    if week_ago_dominant == dominant:
        return text + (f" It also led on {week_ago_day.isoformat()} at {percent(week_ago[dominant], 0)} "
                       f"({change(shift, 'pp')}).")
    return text + (f" On {week_ago_day.isoformat()} {week_ago_dominant} led at "
                   f"{percent(week_ago[week_ago_dominant], 0)}; {dominant} has moved {change(shift, 'pp')} since.")


@dataclass(frozen=True, slots=True)
class AgentView:
    """An agent's composite view: signed score (LONG > 0, SHORT < 0) and confidence in [0, 1]."""

    agent: str
    direction: str
    score: float
    confidence: float


def agent_commentary(day: date, views: Sequence[AgentView], expected: int) -> str:
    """How many agents reported, their lean, and the strongest view by |score| x confidence."""
    if not views:
        return f"No agent reported a composite view on {day.isoformat()}."
    counts = {d: sum(1 for v in views if v.direction == d) for d in ("LONG", "SHORT", "NEUTRAL")}
    top = max(views, key=lambda v: (abs(v.score) * v.confidence, v.agent))
    return (f"{len(views)} of {expected} agents gave a composite view on {day.isoformat()}: "
            f"{counts['LONG']} long, {counts['SHORT']} short, {counts['NEUTRAL']} neutral. "
            f"Strongest conviction: {top.agent} {top.direction} with score {score(top.score)} "
            f"at confidence {top.confidence:.2f}.")


@dataclass(frozen=True, slots=True)
class SignalLine:
    """A generic's aggregated signal today and its change since the previous session (None if new)."""

    generic: str
    signal: float
    confidence: float
    change: float | None


def signals_commentary(lines: Sequence[SignalLine], expected: int, previous_day: date | None,
                       events: Sequence[tuple[str, str]]) -> str:
    """Breadth and strongest signal, the largest change, and the monitor's events (kind, detail)."""
    if not lines:
        text = "No aggregated signal was computed today."
    else:
        long, short = sum(1 for s in lines if s.signal > 0), sum(1 for s in lines if s.signal < 0)
        top = max(lines, key=lambda s: (abs(s.signal), s.generic))
        text = (f"{len(lines)} of {expected} generics carry an aggregated signal ({long} long, {short} short); "
                f"the strongest is {top.generic} at {score(top.signal)} (confidence {top.confidence:.2f}).")
        moved = [s for s in lines if s.change is not None]
        if moved and previous_day is not None:
            big = max(moved, key=lambda s: (abs(s.change or 0.0), s.generic))
            text += (f" The largest change since {previous_day.isoformat()} is {big.generic} "
                     f"({score(big.change or 0.0)}, to {score(big.signal)}).")
    if not events:
        return text + " The monitor raised no event today."
    if len(events) == 1:
        return text + f" One monitor event: {events[0][1]}."
    kinds: dict[str, int] = {}
    for kind, _ in events:
        kinds[kind] = kinds.get(kind, 0) + 1
    parts = ", ".join(_plural(n, k.replace("_", " ")) for k, n in sorted(kinds.items()))
    return text + f" The monitor raised {len(events)} events ({parts})."


@dataclass(frozen=True, slots=True)
class BookFigures:
    """The book's numbers for the portfolio commentary (returns and drawdown in percent)."""

    nav: float
    pnl: float
    daily_return: float
    mtd: float
    ytd: float
    drawdown: float
    peak_nav: float
    leverage: float
    mtd_since: date | None = None   # set when the book started after the month's first session
    ytd_since: date | None = None


def portfolio_commentary(book: BookFigures, top_class: tuple[str, float] | None,
                         top_strategy: tuple[str, float] | None) -> str:
    """NAV, day P&L and period returns; drawdown and leverage; the largest P&L contributors."""
    mtd = f"month to date {change(book.mtd, '%')}" + (
        f" (since inception on {book.mtd_since.isoformat()})" if book.mtd_since else "")
    ytd = f"year to date {change(book.ytd, '%')}" + (
        f" (since inception on {book.ytd_since.isoformat()})" if book.ytd_since else "")
    text = (f"NAV is {brl(book.nav)} after a day P&L of {brl(book.pnl)} ({change(book.daily_return, '%')}); "
            f"{mtd}, {ytd}. ")
    if book.drawdown < 0:
        text += f"Drawdown is {percent(-book.drawdown)} from the peak of {brl(book.peak_nav)}"
    else:
        text += "The book is at its NAV peak"
    text += f", with gross leverage {trim(book.leverage, 2)}x."
    contributors = []
    if top_class is not None:
        contributors.append(f"{top_class[0]} ({change(top_class[1], 'BRL')}) by asset class")
    if top_strategy is not None:
        contributors.append(f"{top_strategy[0]} ({change(top_strategy[1], 'BRL')}) by strategy")
    if contributors:
        text += f" Largest P&L contributors: {' and '.join(contributors)}."
    return text


@dataclass(frozen=True, slots=True)
class VarFigure:
    """A 1-day VaR in percent of NAV with its limit and utilisation in percent (None when limits are missing)."""

    label: str
    pct_nav: float
    limit_pct: float | None = None
    used_pct: float | None = None


@dataclass(frozen=True, slots=True)
class StressFigure:
    """The worst stress scenario: P&L in percent of NAV and the multiple that loses 10% of NAV."""

    scenario: str
    pnl_pct: float
    reverse_multiple: float | None


@dataclass(frozen=True, slots=True)
class BacktestFigure:
    """The VaR backtest over its trailing window."""

    traffic_light: str
    exceptions: int
    window: int
    expected: float
    p_value: float


def _var_text(v: VarFigure) -> str:
    text = f"{v.label} is {percent(v.pct_nav)} of NAV"
    if v.limit_pct is not None and v.used_pct is not None:
        text += f" (limit {percent(v.limit_pct)}, {percent(v.used_pct, 0)} used)"
    return text


def risk_commentary(day: date, var: Sequence[VarFigure], stress: StressFigure | None,
                    breaches: Sequence[tuple[str, float]] | None, limits: int, breaker: str | None,
                    backtest: BacktestFigure | None) -> str:
    """VaR against its limits, the worst stress and the limit breaches, and the backtest zone.

    ``breaches`` are (limit, utilisation %) of breached limits, None when limit status is missing;
    ``limits`` is how many limits were evaluated.
    """
    if not var and stress is None and breaches is None and backtest is None:
        return (f"Risk was not computed for {day.isoformat()}: no VaR, stress, limit or backtest figures are "
                f"stored for this session.")
    sentences = [("; ".join(_var_text(v) for v in var) + ".") if var else
                 f"VaR was not computed for {day.isoformat()}."]
    parts = []
    if stress is not None and stress.pnl_pct >= 0:
        parts.append(f"every stress scenario gains, the least {stress.scenario} at {change(stress.pnl_pct, '%')} "
                     f"of NAV")
    elif stress is not None:
        worst = f"the worst stress is {stress.scenario} at {change(stress.pnl_pct, '%')} of NAV"
        if stress.reverse_multiple is not None:
            worst += f" (a 10% NAV loss takes {trim(stress.reverse_multiple, 2)}x the scenario)"
        parts.append(worst)
    if breaches is not None:
        if breaches:
            named = ", ".join(f"{name} ({percent(used, 0)} used)" for name, used in breaches)
            verb = "is" if len(breaches) == 1 else "are"
            parts.append(f"{len(breaches)} of {limits} limits {verb} breached: {named}")
        else:
            parts.append(f"none of the {limits} limits is breached")
        if breaker is not None:
            parts.append("no drawdown circuit breaker is triggered" if breaker == "none" else
                         f"the drawdown circuit breaker {breaker} is triggered")
    if parts:
        text = "; ".join(parts)
        sentences.append(text[0].upper() + text[1:] + ".")
    if backtest is not None:
        sentences.append(f"The VaR backtest is {backtest.traffic_light}: "
                         f"{_plural(backtest.exceptions, 'exception')} in {backtest.window} sessions "
                         f"({trim(backtest.expected, 1)} expected, Kupiec p {trim(backtest.p_value, 2)}).")
    return " ".join(sentences)


def actions_commentary(day: date, count: int, adding: int, reducing: int, notional: float | None,
                       largest: tuple[str, float | None] | None) -> str:
    """How many trades, how many add or cut risk, the notional traded and the largest order."""
    if count == 0:
        return f"No trades on {day.isoformat()}: the book carries its positions unchanged."
    text = (f"{_plural(count, 'trade')} on {day.isoformat()}"
            + (f" for {brl(notional)} of notional" if notional is not None else "")
            + f": {adding} add risk (open, increase or reverse) and {reducing} cut it (reduce or close).")
    if largest is not None:
        sentence, amount = largest
        text += f" Largest: {sentence}" + (f" ({brl(amount)} notional)." if amount is not None else ".")
    return text
