"""Commentary: number formatting and each section's sentences, checked word for word."""

from datetime import date

from domain.reporting.commentary import (
    AgentView,
    BacktestFigure,
    BookFigures,
    SignalLine,
    StressFigure,
    VarFigure,
    actions_commentary,
    agent_commentary,
    brl,
    change,
    level,
    market_commentary,
    percent,
    portfolio_commentary,
    regime_commentary,
    risk_commentary,
    signals_commentary,
)
from domain.reporting.report import Metric

DAY = date(2023, 12, 28)


def test_numbers_are_formatted_without_trailing_zeros_and_with_signs_on_changes() -> None:
    assert percent(5.0) == "5%"
    assert percent(2.80) == "2.8%"
    assert percent(56.04, 0) == "56%"
    assert brl(-269861.69) == "-R$269,862"
    assert brl(112065878.06) == "R$112,065,878"
    assert change(-0.9043, "bp") == "-0.9bp"
    assert change(0.34402, "%") == "+0.34%"
    assert change(1200.0, "BRL") == "+R$1,200"
    assert change(0.0, "bp") == "0bp"
    assert change(0.0011165, "%") == "+0.0011%"  # a small move is not rounded away to "0%"
    assert level(5.1919, "BRL/USD") == "5.1919"
    assert level(138385.0, "pts") == "138,385"
    assert level(3679.34, "pts") == "3,679.34"
    assert level(2.7250229, "x") == "2.73x"
    assert level(0.9, "") == "+0.90"


def test_market_commentary_names_headline_levels_largest_moves_and_what_is_missing() -> None:
    di = Metric("DI pre 1Y", 13.02, "%", -0.9, "bp")
    fx = Metric("USD/BRL", 5.1919, "BRL/USD", 0.344, "%")
    ust = Metric("UST 10Y", 4.83, "%", -6.0, "bp")
    ibov = Metric("Ibovespa", 138385.0, "pts", -1.19, "%")
    text = market_commentary(DAY, [di, fx, ibov], [di, fx, ust, ibov], ["DI pre 10Y"])
    assert text == ("On 2023-12-28 DI pre 1Y closed at 13.02% (-0.9bp), USD/BRL at 5.1919 (+0.34%) and Ibovespa at "
                    "138,385 (-1.19%). The largest rate move was UST 10Y at -6bp; the largest price move was "
                    "Ibovespa at -1.19%. Not available: DI pre 10Y.")


def test_regime_commentary_compares_with_a_week_ago_and_says_when_nothing_was_computed() -> None:
    today = {"goldilocks": 20.0, "reflation": 62.0, "stagflation": 10.0, "deflation": 8.0}
    week = {"goldilocks": 48.0, "reflation": 40.0, "stagflation": 7.0, "deflation": 5.0}
    text = regime_commentary(DAY, today, "reflation", week, "goldilocks", date(2023, 12, 21))
    assert text == ("Reflation is the dominant regime at 62% (goldilocks 20%, stagflation 10%, deflation 8%). "
                    "On 2023-12-21 goldilocks led at 48%; reflation has moved +22pp since.")
    same = regime_commentary(DAY, today, "reflation", {**week, "reflation": 59.0}, "reflation", date(2023, 12, 21))
    assert same.endswith("It also led on 2023-12-21 at 59% (+3pp).")
    assert regime_commentary(DAY, None, None, None, None, None) == (
        "Regime probabilities were not computed for 2023-12-28, so the report makes no regime call.")


def test_agent_commentary_counts_leans_and_names_the_strongest_conviction() -> None:
    views = [AgentView("inflation", "LONG", 0.97, 0.33), AgentView("fiscal", "LONG", 0.90, 0.88),
             AgentView("monetary", "SHORT", -0.67, 0.22)]
    assert agent_commentary(DAY, views, 5) == (
        "3 of 5 agents gave a composite view on 2023-12-28: 2 long, 1 short, 0 neutral. "
        "Strongest conviction: fiscal LONG with score +0.90 at confidence 0.88.")


def test_signals_commentary_reports_breadth_the_largest_change_and_monitor_events() -> None:
    lines = [SignalLine("UST10", -0.8898, 0.99, -0.0121), SignalLine("DI1_10Y", -0.0799, 0.87, -0.19),
             SignalLine("DI1_1Y", 0.1762, 0.99, None)]
    one = signals_commentary(lines, 9, date(2023, 12, 27),
                             [("flip", "DI1_10Y flipped from long to short (+0.11 -> -0.08)")])
    assert one == ("3 of 9 generics carry an aggregated signal (1 long, 2 short); the strongest is UST10 at -0.89 "
                   "(confidence 0.99). The largest change since 2023-12-27 is DI1_10Y (-0.19, to -0.08). "
                   "One monitor event: DI1_10Y flipped from long to short (+0.11 -> -0.08).")
    many = signals_commentary(lines, 9, None, [("flip", "a"), ("conviction_surge", "b"), ("flip", "c")])
    assert many.endswith("(confidence 0.99). The monitor raised 3 events (1 conviction surge, 2 flips).")


def test_portfolio_commentary_states_nav_returns_drawdown_leverage_and_contributors() -> None:
    book = BookFigures(nav=112_065_878.06, pnl=-269_861.69, daily_return=-0.2402, mtd=-0.8305, ytd=10.8582,
                       drawdown=-1.2550, peak_nav=113_490_124.04, leverage=2.7250)
    assert portfolio_commentary(book, ("global_rates", -263_917.13), ("ust10_us_cycle", -263_917.13)) == (
        "NAV is R$112,065,878 after a day P&L of -R$269,862 (-0.24%); month to date -0.83%, year to date +10.86%. "
        "Drawdown is 1.25% from the peak of R$113,490,124, with gross leverage 2.73x. Largest P&L contributors: "
        "global_rates (-R$263,917) by asset class and ust10_us_cycle (-R$263,917) by strategy.")
    start = BookFigures(nav=1e8, pnl=0.0, daily_return=0.0, mtd=0.0, ytd=0.0, drawdown=0.0, peak_nav=1e8,
                        leverage=1.53, mtd_since=date(2022, 6, 27), ytd_since=date(2022, 6, 27))
    assert portfolio_commentary(start, None, None) == (
        "NAV is R$100,000,000 after a day P&L of R$0 (0%); month to date 0% (since inception on 2022-06-27), "
        "year to date 0% (since inception on 2022-06-27). The book is at its NAV peak, with gross leverage 1.53x.")


def test_risk_commentary_reads_var_against_its_limit_stress_limits_and_backtest() -> None:
    var = [VarFigure("VaR99 1-day", 2.8, 5.0, 56.0), VarFigure("VaR95 1-day", 1.9, 3.0, 63.33)]
    text = risk_commentary(DAY, var, StressFigure("Rate shock 2022", -4.1, 2.4390), [], 9, "none",
                           BacktestFigure("green", 3, 250, 2.5, 0.7553))
    assert text == ("VaR99 1-day is 2.8% of NAV (limit 5%, 56% used); VaR95 1-day is 1.9% of NAV (limit 3%, 63% used). "
                    "The worst stress is Rate shock 2022 at -4.1% of NAV (a 10% NAV loss takes 2.44x the scenario); "
                    "none of the 9 limits is breached; no drawdown circuit breaker is triggered. "
                    "The VaR backtest is green: 3 exceptions in 250 sessions (2.5 expected, Kupiec p 0.76).")
    breached = risk_commentary(DAY, [VarFigure("VaR99 1-day", 5.6)], None, [("var99", 112.0)], 9, "reduce_gross_25",
                               None)
    assert breached == ("VaR99 1-day is 5.6% of NAV. 1 of 9 limits is breached: var99 (112% used); "
                        "the drawdown circuit breaker reduce_gross_25 is triggered.")
    gains = risk_commentary(DAY, [VarFigure("VaR99 1-day", 0.4)], StressFigure("Global risk-off", 3.63, None), None,
                            0, None, None)
    assert gains == ("VaR99 1-day is 0.4% of NAV. Every stress scenario gains, the least Global risk-off at +3.63% "
                     "of NAV.")
    assert risk_commentary(DAY, [], None, None, 0, None, None) == (
        "Risk was not computed for 2023-12-28: no VaR, stress, limit or backtest figures are stored for this session.")


def test_actions_commentary_counts_orders_and_names_the_largest() -> None:
    assert actions_commentary(DAY, 9, 3, 6, 147_106_936.9, ("Increase DI1F26 long by 860 contracts", 67_827_269.4)) == (
        "9 trades on 2023-12-28 for R$147,106,937 of notional: 3 add risk (open, increase or reverse) and 6 cut it "
        "(reduce or close). Largest: Increase DI1F26 long by 860 contracts (R$67,827,269 notional).")
    assert actions_commentary(DAY, 0, 0, 0, None, None) == (
        "No trades on 2023-12-28: the book carries its positions unchanged.")
