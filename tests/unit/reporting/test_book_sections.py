"""Portfolio, Risk and Actions sections from hand-made book, risk and trade rows."""

from datetime import date

import pandas as pd
import pytest

from domain.portfolio.marking import PNL_CONVENTION
from domain.reporting import book_sections
from domain.reporting.book_sections import DI1_CONVENTION
from domain.reporting.cells import records
from domain.reporting.report import Section

D0, D1 = date(2023, 12, 27), date(2023, 12, 28)
NAV_COLUMNS = ["date", "nav", "pnl", "daily_return", "peak_nav", "drawdown", "gross_notional", "gross_leverage"]


# The builders take plain rows; these tests write the stored tables as frames, as the stores return them.
def portfolio_section(nav: pd.DataFrame, positions: pd.DataFrame, attribution: pd.DataFrame, day: date,
                      **options: str) -> Section:
    return book_sections.portfolio_section(records(nav), records(positions), records(attribution), day, **options)


def risk_section(metrics: pd.DataFrame, components: pd.DataFrame, stress: pd.DataFrame, limits: pd.DataFrame,
                 backtest: pd.DataFrame, day: date) -> Section:
    return book_sections.risk_section(records(metrics), records(components), records(stress), records(limits),
                                      records(backtest), day)


def actions_section(trades: pd.DataFrame, positions: pd.DataFrame, previous_positions: pd.DataFrame,
                    day: date) -> Section:
    return book_sections.actions_section(records(trades), records(positions), records(previous_positions), day)


def _nav() -> pd.DataFrame:
    rows = [(date(2023, 1, 2), 101_000_000.0, 1_000_000.0, 0.01, 101_000_000.0, 0.0, 150e6, 1.49),
            (date(2023, 11, 30), 103_020_000.0, 2_020_000.0, 0.02, 103_020_000.0, 0.0, 200e6, 1.94),
            (D0, 104_050_200.0, 1_030_200.0, 0.01, 104_050_200.0, 0.0, 250e6, 2.40),
            (D1, 103_633_999.2, -416_200.8, -0.004, 104_050_200.0, -0.004, 260e6, 2.51)]
    return pd.DataFrame(rows, columns=NAV_COLUMNS)


def _positions() -> pd.DataFrame:
    rows = [(D1, "DI1F26", "DI1_2Y", "rates", 1000, 80_000_000.0, "DI_PRE:504", 14_000.0),
            (D1, "DOLG24", "USDBRL", "fx", -50, -13_000_000.0, "USDBRL", -130_000.0),
            (D0, "DI1F26", "DI1_2Y", "rates", 600, 48_000_000.0, "DI_PRE:504", 8_400.0),
            (D0, "INDG24", "IBOV", "equity", -10, -1_400_000.0, "IBOVESPA", -14_000.0)]
    return pd.DataFrame(rows, columns=["date", "instrument", "generic", "asset_class", "contracts", "notional_brl",
                                       "factor", "sensitivity_brl"])


def _attribution() -> pd.DataFrame:
    rows = [(D1, "asset_class", "rates", -600_000.0), (D1, "asset_class", "fx", 79_749.0),
            (D1, "strategy", "di1_carry_rolldown", -500_000.0), (D1, "strategy", "usdbrl_carry", 79_749.0),
            (D1, "strategy", "di1_slope", -100_000.0), (D1, "instrument", "DI1F26", -600_000.0)]
    return pd.DataFrame(rows, columns=["date", "dimension", "bucket", "pnl"])


def test_portfolio_compounds_daily_returns_into_month_and_year_to_date() -> None:
    section = portfolio_section(_nav(), _positions(), _attribution(), D1)
    assert section.metric("MTD return").value == pytest.approx(100 * (1.01 * 0.996 - 1))
    assert section.metric("YTD return").value == pytest.approx(100 * (1.01 * 1.02 * 1.01 * 0.996 - 1))
    nav = section.metric("NAV")
    assert (nav.value, nav.change, nav.change_unit) == (103_633_999.2, -416_200.8, "BRL")
    assert section.metric("Drawdown").value == pytest.approx(-0.4)
    assert section.metric("Drawdown").change == pytest.approx(-0.4)
    assert section.metric("Gross leverage").change == pytest.approx(0.11)
    assert section.metric("Positions").value == 2
    assert section.gaps == ()
    assert section.commentary == (
        "NAV is R$103,633,999 after a day P&L of -R$416,201 (-0.4%); month to date +0.6%, year to date +3.63%. "
        "Drawdown is 0.4% from the peak of R$104,050,200, with gross leverage 2.51x. Largest P&L contributors: "
        "rates (-R$600,000) by asset class and di1_carry_rolldown (-R$500,000) by strategy.")


def test_an_optimiser_fallback_is_stated_first_among_the_portfolio_notes() -> None:
    assert not any("fallback" in n for n in portfolio_section(_nav(), _positions(), _attribution(), D1).notes)
    reason = "SLSQP status 8 (Positive directional derivative for linesearch) and the KKT check failed"
    section = portfolio_section(_nav(), _positions(), _attribution(), D1, optimiser_fallback=reason)
    assert section.notes[0] == (f"Optimiser fallback: the optimisation of {D1.isoformat()} failed ({reason}); "
                                "the previous session's targets were kept.")


def test_portfolio_tables_show_positions_by_size_and_pnl_in_bp_of_the_opening_nav() -> None:
    section = portfolio_section(_nav(), _positions(), _attribution(), D1)
    positions = section.table("Positions at the close")
    assert positions.rows == (("DI1F26", "DI1_2Y", "rates", 1000, 80_000_000.0, "DI_PRE:504", 14_000.0, "bp"),
                              ("DOLG24", "USDBRL", "fx", -50, -13_000_000.0, "USDBRL", -130_000.0, "%"))
    by_class = section.table("P&L by asset class")
    assert by_class.column("asset class") == ["rates", "fx"]
    assert by_class.column("contribution (bp of NAV)") == pytest.approx([-600_000 / 104_050_200 * 1e4,
                                                                         79_749 / 104_050_200 * 1e4])
    assert section.table("P&L by strategy").column("strategy") == ["di1_carry_rolldown", "di1_slope", "usdbrl_carry"]


def test_portfolio_in_the_books_first_month_reports_returns_since_inception() -> None:
    nav = pd.DataFrame([(date(2022, 6, 27), 1e8, 0.0, 0.0, 1e8, 0.0, 0.0, 0.0),
                        (date(2022, 6, 28), 1.01e8, 1e6, 0.01, 1.01e8, 0.0, 0.0, 0.0)], columns=NAV_COLUMNS)
    section = portfolio_section(nav, _positions().iloc[0:0], _attribution().iloc[0:0], date(2022, 6, 28))
    assert "month to date +1% (since inception on 2022-06-27), year to date +1% (since inception on 2022-06-27)" \
        in section.commentary
    assert section.notes == (PNL_CONVENTION, "The book is flat at the close of 2022-06-28.")
    assert section.gaps == ("no P&L attribution by asset class stored for 2022-06-28",
                            "no P&L attribution by strategy stored for 2022-06-28")


def test_portfolio_states_missing_positions_of_a_book_with_gross_notional() -> None:
    section = portfolio_section(_nav(), _positions().iloc[0:0], _attribution(), D1)
    assert section.gaps == ("positions missing for 2023-12-28 (gross notional 260,000,000 BRL in book_nav)",)
    assert portfolio_section(_nav(), _positions(), _attribution(), date(2023, 12, 29)).gaps == (
        "no book_nav row for 2023-12-29",)


def _risk() -> dict[str, pd.DataFrame]:
    metrics = pd.DataFrame(
        [(D1, "historical", 0.95, 1, 1_900_000.0, 2_500_000.0, 0.019, 0.025),
         (D1, "historical", 0.99, 1, 2_800_000.0, 3_300_000.0, 0.028, 0.033),
         (D1, "historical", 0.99, 10, 8_000_000.0, 9_000_000.0, 0.080, 0.090),
         (D1, "parametric", 0.99, 1, 2_600_000.0, 3_000_000.0, 0.026, 0.030)],
        columns=["date", "method", "confidence", "horizon_days", "var_brl", "cvar_brl", "var_pct_nav", "cvar_pct_nav"])
    components = pd.DataFrame([(D1, "asset_class", "fx", 600_000.0, 0.25),
                               (D1, "asset_class", "rates", 1_800_000.0, 0.75),
                               (D1, "instrument", "DI1F26", 1_800_000.0, 0.75)],
                              columns=["date", "dimension", "bucket", "var_brl", "share"])
    stress = pd.DataFrame([(D1, "Global risk-off", -2_000_000.0, -0.02, 5.0, ""),
                           (D1, "Rate shock 2022", -4_100_000.0, -0.041, 2.439, "CDS"),
                           (D1, "Covid 2020", 500_000.0, 0.005, None, "")],
                          columns=["date", "scenario", "pnl_brl", "pnl_pct_nav", "reverse_multiple", "not_applied"])
    limits = pd.DataFrame([(D1, "var95", 0.019, 0.03, 0.019 / 0.03, False, "book", "none"),
                           (D1, "var99", 0.028, 0.05, 0.56, False, "book", "none"),
                           (D1, "gross_leverage", 3.3, 3.0, 1.1, True, "book", "none")],
                          columns=["date", "limit_name", "value", "threshold", "utilisation", "breached", "subject",
                                   "circuit_breaker"])
    backtest = pd.DataFrame([(D1, 250, 3, 2.5, 0.0963, 0.7563, "green")],
                            columns=["date", "window_days", "exceptions", "expected", "kupiec_lr", "kupiec_p_value",
                                     "traffic_light"])
    return {"metrics": metrics, "components": components, "stress": stress, "limits": limits, "backtest": backtest}


def test_risk_reads_historical_var_against_its_limits_with_stress_limits_and_backtest() -> None:
    section = risk_section(**_risk(), day=D1)
    assert section.commentary == (
        "VaR95 1-day is 1.9% of NAV (limit 3%, 63% used); VaR99 1-day is 2.8% of NAV (limit 5%, 56% used). "
        "The worst stress is Rate shock 2022 at -4.1% of NAV (a 10% NAV loss takes 2.44x the scenario); "
        "1 of 3 limits is breached: gross_leverage (110% used); no drawdown circuit breaker is triggered. "
        "The VaR backtest is green: 3 exceptions in 250 sessions (2.5 expected, Kupiec p 0.76).")
    assert section.metric("VaR99 1-day (% NAV)").value == pytest.approx(2.8)
    assert section.metric("VaR99 1-day (BRL)").value == 2_800_000.0
    assert section.metric("Worst stress (% NAV)").value == pytest.approx(-4.1)
    assert section.metric("Limits breached").value == 1
    assert section.metric("Circuit breaker").value == "none"
    assert section.metric("Backtest zone").value == "green"
    assert section.gaps == ()


def test_risk_tables_carry_every_method_component_scenario_and_limit() -> None:
    section = risk_section(**_risk(), day=D1)
    var = section.table("VaR and CVaR")
    assert [(r[0], r[2]) for r in var.rows] == [("historical", 1), ("historical", 1), ("historical", 10),
                                                ("parametric", 1)]
    assert var.column("VaR (% NAV)") == pytest.approx([1.9, 2.8, 8.0, 2.6])
    assert section.table("Component VaR by asset class").rows == (("rates", 1_800_000.0, 75.0),
                                                                  ("fx", 600_000.0, 25.0))
    assert section.table("Component VaR by strategy").rows == ()
    stress = section.table("Stress scenarios")
    assert stress.column("scenario") == ["Rate shock 2022", "Global risk-off", "Covid 2020"]
    assert stress.column("reverse multiple (x)") == [2.439, 5.0, None]
    assert stress.column("not applied") == ["CDS", None, None]
    limits = section.table("Risk limits")
    assert limits.rows[0] == ("gross_leverage", 3.3, 3.0, "x", pytest.approx(110.0), True, "book")
    assert limits.rows[2][:4] == ("var99", pytest.approx(2.8), pytest.approx(5.0), "%")


def test_risk_states_each_missing_table_and_says_so_when_nothing_was_computed() -> None:
    parts = _risk()
    partial = risk_section(parts["metrics"], parts["components"].iloc[0:0], parts["stress"].iloc[0:0],
                           parts["limits"].iloc[0:0], parts["backtest"].iloc[0:0], D1)
    assert partial.gaps == ("component VaR not computed for 2023-12-28", "stress tests not computed for 2023-12-28",
                            "limit status not computed for 2023-12-28", "VaR backtest not computed for 2023-12-28")
    assert partial.commentary == "VaR95 1-day is 1.9% of NAV; VaR99 1-day is 2.8% of NAV."
    nothing = risk_section(*(frame.iloc[0:0] for frame in parts.values()), day=D1)
    assert nothing.gaps == ("risk not computed for 2023-12-28",)
    assert nothing.metrics == () and nothing.tables == ()
    other_day = risk_section(**parts, day=date(2023, 12, 29))
    assert other_day.gaps == ("risk not computed for 2023-12-29",)


def _trades() -> pd.DataFrame:
    rows = [(D1, "DI1F26", "DI1_2Y", "rates", "BUY", 400, 600, 1000, "Increase DI1F26 long by 400 contracts",
             "BUY DI1 = pay the rate: gains if rates rise", "DI1_2Y aggregated signal +0.19 (confidence 0.99)"),
            (D1, "INDG24", "IBOV", "equity", "BUY", 10, -10, 0, "Close INDG24 short of 10 contracts", "",
             "IBOV: no aggregated signal today (position sized to zero)"),
            (D1, "DOLG24", "USDBRL", "fx", "SELL", 50, 0, -50, "Open DOLG24 short of 50 contracts", "",
             "USDBRL aggregated signal -0.14 (confidence 0.61)")]
    return pd.DataFrame(rows, columns=["date", "instrument", "generic", "asset_class", "direction", "contracts",
                                       "from_contracts", "to_contracts", "sentence", "note", "rationale"])


def test_actions_list_orders_by_notional_with_the_di1_convention() -> None:
    positions = _positions()
    section = actions_section(_trades(), positions[positions["date"] == D1], positions[positions["date"] == D0], D1)
    table = section.table("Trades")
    assert table.column("instrument") == ["DI1F26", "DOLG24", "INDG24"]
    assert table.column("notional traded (BRL)") == [32_000_000.0, 13_000_000.0, 1_400_000.0]
    assert table.column("note") == ["BUY DI1 = pay the rate: gains if rates rise", None, None]
    assert section.notes == (DI1_CONVENTION,)
    assert DI1_CONVENTION == ("DI1 is traded in rate terms: a long (tomado) gains when rates rise, a short (dado) "
                              "gains when rates fall.")
    assert section.metric("Notional traded").value == 46_400_000.0
    assert (section.metric("Risk-adding trades").value, section.metric("Risk-reducing trades").value) == (2, 1)
    assert section.commentary == (
        "3 trades on 2023-12-28 for R$46,400,000 of notional: 2 add risk (open, increase or reverse) and 1 cut it "
        "(reduce or close). Largest: Increase DI1F26 long by 400 contracts (R$32,000,000 notional).")


def test_actions_state_an_unknown_notional_and_a_day_without_trades() -> None:
    positions = _positions()
    section = actions_section(_trades(), positions[positions["date"] == D1], positions.iloc[0:0], D1)
    assert section.gaps == ("notional per contract of INDG24 unknown on 2023-12-28 (no position on either close)",)
    assert section.table("Trades").column("notional traded (BRL)")[-1] is None
    with pytest.raises(KeyError):
        section.metric("Notional traded")
    quiet = actions_section(_trades().iloc[0:0], positions, positions, D1)
    assert quiet.commentary == "No trades on 2023-12-28: the book carries its positions unchanged."
    assert quiet.notes == (DI1_CONVENTION,)


def test_the_portfolio_section_states_the_pnl_convention() -> None:
    nav = _nav().assign(costs=[0.0, 0.0, 0.0, 1_250.5], traded_notional=[0.0, 0.0, 0.0, 9e6])
    attribution = pd.concat([_attribution(), pd.DataFrame(
        [(D1, "component", "carry_roll", 12_000.0), (D1, "component", "costs", -1_250.5)],
        columns=["date", "dimension", "bucket", "pnl"])])
    section = portfolio_section(nav, _positions(), attribution, D1)
    assert section.metric("Transaction costs").value == 1_250.5
    assert section.metric("Notional traded").value == 9e6
    assert [r[0] for r in section.table("P&L by component").rows] == ["carry_roll", "costs"]
    assert section.notes[0] == PNL_CONVENTION
    assert "in excess of the CDI" in section.notes[0] and "long = long the rate" in section.notes[0]
