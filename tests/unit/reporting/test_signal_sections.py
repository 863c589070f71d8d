"""Agent Views and Signals sections from hand-made agent, strategy, aggregated and event rows."""

import json
from datetime import date

import pandas as pd
import pytest

from domain.reporting import sections
from domain.reporting.cells import records
from domain.reporting.report import Section

D0, D1 = date(2023, 12, 27), date(2023, 12, 28)


# The builders take plain rows; these tests write the stored tables as frames, as the stores return them.
def agents_section(reports: pd.DataFrame, signals: pd.DataFrame, day: date) -> Section:
    return sections.agents_section(records(reports), records(signals), day)


def signals_section(aggregated: pd.DataFrame, strategies: pd.DataFrame, events: pd.DataFrame, day: date) -> Section:
    return sections.signals_section(records(aggregated), records(strategies), records(events), day,
                                    sections.heatmap_means(strategies).get(day, {}))


def _reports() -> pd.DataFrame:
    return pd.DataFrame([
        (D1, "inflation", "Core inflation runs at 5.7%.", json.dumps({"core_12m": 0.0604, "phillips_n_obs": 0.0})),
        (D1, "fiscal", "Gross debt is 85.3% of GDP.", json.dumps({"gross_debt_gdp": 0.8526})),
        (D1, "fx", "USD/BRL at 5.19.", "not json"),
        (D0, "monetary", "Yesterday's view.", "{}"),
    ], columns=["date", "agent", "narrative", "diagnostics"])


def _agent_signals() -> pd.DataFrame:
    rows = [(D1, "inflation.composite", "inflation", "LONG", 0.97, 0.33, 0.97, 126),
            (D1, "inflation.surprise", "inflation", "LONG", 0.97, 1.0, 0.0213, 126),
            (D1, "fiscal.composite", "fiscal", "LONG", 0.90, 0.88, 0.90, 252),
            (D1, "monetary.composite", "monetary", "SHORT", 0.67, 0.22, -0.67, 126),
            (D1, "fx.composite", "fx", "NEUTRAL", 0.05, 0.04, 0.05, 63)]
    return pd.DataFrame(rows, columns=["date", "signal_id", "agent", "direction", "strength", "confidence", "value",
                                       "horizon_days"])


def test_agent_views_sign_each_composite_and_name_the_strongest_conviction() -> None:
    section = agents_section(_reports(), _agent_signals(), D1)
    assert section.metric("monetary composite").value == pytest.approx(-0.67)
    assert section.metric("fx composite").value == 0.0
    views = section.table("Agent views")
    assert views.column("agent") == ["inflation", "monetary", "fiscal", "fx"]
    assert views.column("narrative") == ["Core inflation runs at 5.7%.", None, "Gross debt is 85.3% of GDP.",
                                         "USD/BRL at 5.19."]
    assert section.commentary == ("4 of 5 agents gave a composite view on 2023-12-28: 2 long, 1 short, 1 neutral. "
                                  "Strongest conviction: fiscal LONG with score +0.90 at confidence 0.88.")


def test_agent_views_state_missing_reports_signals_and_unreadable_diagnostics() -> None:
    section = agents_section(_reports(), _agent_signals(), D1)
    assert section.gaps == ("no report from the monetary agent on 2023-12-28",
                            "diagnostics of the fx agent on 2023-12-28 are not a JSON object",
                            "no report from the cross_asset agent on 2023-12-28",
                            "no composite signal from the cross_asset agent on 2023-12-28")
    diagnostics = section.table("Model diagnostics")
    assert diagnostics.rows == (("inflation", "core_12m", 0.0604), ("inflation", "phillips_n_obs", 0.0),
                                ("fiscal", "gross_debt_gdp", 0.8526))
    assert len(section.table("Agent signals").rows) == 5


def _aggregated() -> pd.DataFrame:
    rows = [(D0, "DI1_1Y", "rates", 0.10, 0.99, 1), (D0, "DI1_10Y", "rates", 0.11, 0.80, 2),
            (D0, "UST10", "global_rates", -0.88, 0.99, 1),
            (D1, "DI1_1Y", "rates", 0.18, 0.99, 1), (D1, "DI1_10Y", "rates", -0.08, 0.87, 2),
            (D1, "UST10", "global_rates", -0.89, 0.99, 1), (D1, "USDBRL", "fx", -0.14, 0.61, 1)]
    return pd.DataFrame(rows, columns=["date", "generic", "asset_class", "signal", "confidence", "n_strategies"])


def _strategies() -> pd.DataFrame:
    rows = [(D1, "di1_carry_rolldown", "DI1_1Y", "rates", 0.20, 1.0),
            (D1, "di1_carry_rolldown", "DI1_2Y", "rates", 0.10, 1.0),
            (D1, "di1_term_premium", "DI1_10Y", "rates", -0.66, 0.67),
            (D1, "usdbrl_carry", "USDBRL", "fx", -0.37, 0.37),
            (D0, "ust10_us_cycle", "UST10", "global_rates", -0.90, 1.0)]
    return pd.DataFrame(rows, columns=["date", "strategy_id", "generic", "asset_class", "signal", "confidence"])


def _events() -> pd.DataFrame:
    return pd.DataFrame([(D1, "flip", "DI1_10Y", 0.11, -0.08, "DI1_10Y flipped from long to short (+0.11 -> -0.08)"),
                         (D0, "flip", "USDBRL", 0.01, -0.01, "old")],
                        columns=["date", "kind", "subject", "previous", "value", "detail"])


def test_signals_show_each_generic_with_its_change_since_the_previous_session() -> None:
    section = signals_section(_aggregated(), _strategies(), _events(), D1)
    table = section.table("Aggregated signals")
    assert table.column("generic") == ["DI1_1Y", "DI1_10Y", "USDBRL", "UST10"]
    assert table.column("previous") == [0.10, 0.11, None, -0.88]
    changes = table.column("change")
    assert changes[0] == pytest.approx(0.08) and changes[1] == pytest.approx(-0.19)
    assert changes[2] is None and changes[3] == pytest.approx(-0.01)
    assert table.column("+ means")[0] == "pay the rate (DI1 tomado): gains if DI rates rise"
    assert table.column("- means")[0] == "receive the rate (DI1 dado): gains if DI rates fall"
    assert table.column("+ means")[3] == "long the 10Y Treasury: gains if US yields fall"
    assert table.column("- means")[2] == "short USD against BRL: gains if the real strengthens"
    assert section.metric("DI1_10Y signal").change == pytest.approx(-0.19)
    assert (section.metric("Generics long").value, section.metric("Generics short").value) == (1, 3)
    assert (section.metric("Monitor events").value, section.metric("Flips").value) == (1, 1)
    assert section.gaps == tuple(f"no aggregated signal for {g} on 2023-12-28"
                                 for g in ("DI1_2Y", "DI1_3Y", "DI1_5Y", "NTNB_5Y", "IBOV"))
    assert section.commentary == (
        "4 of 9 generics carry an aggregated signal (1 long, 3 short); the strongest is UST10 at -0.89 "
        "(confidence 0.99). The largest change since 2023-12-27 is DI1_10Y (-0.19, to -0.08). "
        "One monitor event: DI1_10Y flipped from long to short (+0.11 -> -0.08).")


def test_the_heatmap_averages_each_strategy_over_its_generics_per_asset_class() -> None:
    heatmap = signals_section(_aggregated(), _strategies(), _events(), D1).table(
        "Heatmap: mean strategy signal (asset class x strategy)")
    assert heatmap.columns[:3] == ("asset class", "di1_carry_rolldown", "di1_taylor_gap")
    assert len(heatmap.columns) == 11
    assert heatmap.column("asset class") == ["rates", "inflation", "fx", "equity", "global_rates"]
    cells = {row[0]: dict(zip(heatmap.columns[1:], row[1:], strict=True)) for row in heatmap.rows}
    assert cells["rates"]["di1_carry_rolldown"] == pytest.approx(0.15)
    assert cells["rates"]["di1_term_premium"] == pytest.approx(-0.66)
    assert cells["fx"]["usdbrl_carry"] == pytest.approx(-0.37)
    assert cells["global_rates"]["ust10_us_cycle"] is None  # its only row is from the day before
    assert cells["rates"]["usdbrl_carry"] is None


def test_signals_on_the_first_session_say_there_is_nothing_to_compare_with() -> None:
    section = signals_section(_aggregated()[lambda f: f["date"] == D1], _strategies().iloc[0:0], _events(), D1)
    assert "no aggregated signals before 2023-12-28, so no changes" in section.gaps
    assert "no strategy signals on 2023-12-28" in section.gaps
    assert section.metric("UST10 signal").change is None
    assert "The largest change" not in section.commentary


def test_a_heatmap_cell_is_the_correctly_rounded_mean_whatever_the_row_order_or_range() -> None:
    import math

    def rows(values: list[float | None], day: date) -> pd.DataFrame:
        generics = ("DI1_1Y", "DI1_2Y", "DI1_5Y", "DI1_10Y")
        return pd.DataFrame([(day, "rates", "di1_slope", g, v) for g, v in zip(generics, values, strict=True)],
                            columns=["date", "asset_class", "strategy_id", "generic", "signal"])

    # (0.1 + 0.2) + 0.3 and 0.3 + (0.2 + 0.1) differ in the last bit; fsum does not.
    one = sections.heatmap_means(rows([0.1, 0.2, 0.3, None], D1))[D1][("rates", "di1_slope")]
    other = sections.heatmap_means(pd.concat([rows([0.3, 0.2, 0.1, None], D0), rows([0.3, 0.2, 0.1, None], D1)]))
    assert one == other[D1][("rates", "di1_slope")] == math.fsum([0.1, 0.2, 0.3]) / 3
    assert one != (0.1 + 0.2 + 0.3) / 3  # the naive left-to-right mean is one ulp off
    missing = sections.heatmap_means(rows([None, None, None, float("nan")], D1))
    assert math.isnan(missing[D1][("rates", "di1_slope")])
