"""The five agents on a seeded panel: each signal's number recomputed independently on one date."""

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from domain import panel as pn
from domain.agents import SIGNAL_COLUMNS, AgentOutputs, Direction, PanelError, run_agents
from domain.agents.targets import target_12m_ahead

DAY = 2000  # a row late enough for every window to be full


def day(panel: pd.DataFrame) -> pd.Timestamp:
    return panel.index[DAY]


def value(agents: AgentOutputs, signal_id: str, when: pd.Timestamp) -> float:
    return float(agents.path(signal_id).value.loc[when])


def test_the_inflation_surprise_is_ipca_minus_the_focus_median_of_252_sessions_earlier(panel, agents):
    expected = panel[pn.IPCA_12M].iloc[DAY] - panel[pn.FOCUS_IPCA_12M].iloc[DAY - 252]

    assert value(agents, "inflation.surprise", day(panel)) == pytest.approx(expected)
    assert agents.path("inflation.surprise").score.iloc[DAY] == pytest.approx(math.tanh(expected / 0.01))


def test_the_phillips_signal_is_a_trailing_lstsq_forecast_minus_the_target(panel, agents):
    # The 1,260-session window ending on DAY; its regressors are lagged 63 sessions (rows <= DAY only).
    rows = panel.iloc[DAY - 1259: DAY + 1]
    lagged = panel[[pn.FOCUS_IPCA_12M, pn.CORE_12M, pn.ACTIVITY_GAP]].shift(63).iloc[DAY - 1259: DAY + 1]
    design = np.column_stack([np.ones(len(rows)), lagged.to_numpy()])
    ok = np.isfinite(design).all(axis=1) & rows[pn.CORE_3M_SAAR].notna().to_numpy()
    beta, *_ = np.linalg.lstsq(design[ok], rows[pn.CORE_3M_SAAR].to_numpy()[ok], rcond=None)
    today = np.r_[1.0, panel[[pn.FOCUS_IPCA_12M, pn.CORE_12M, pn.ACTIVITY_GAP]].iloc[DAY].to_numpy()]
    target = target_12m_ahead(pd.DatetimeIndex([day(panel)]))[0]

    assert value(agents, "inflation.phillips", day(panel)) == pytest.approx(today @ beta - target, abs=1e-10)


def _kalman(y: np.ndarray) -> tuple[float, float]:
    mean, var, q, r = 0.045, 0.02 ** 2, 0.0025 ** 2 / 252, 0.03 ** 2
    for obs in y:
        var += q
        gain = var / (var + r)
        mean, var = mean + gain * (obs - mean), (1 - gain) * var
    return mean, var


def test_the_taylor_gap_uses_a_filtered_r_star_on_the_ex_ante_real_rate(panel, agents):
    real = ((1 + panel[pn.SELIC]) / (1 + panel[pn.FOCUS_IPCA_12M]) - 1).to_numpy()[: DAY + 1]
    r_star, variance = _kalman(real)
    row = panel.iloc[DAY]
    target = target_12m_ahead(pd.DatetimeIndex([day(panel)]))[0]
    taylor = r_star + row[pn.FOCUS_IPCA_12M] + 0.5 * (row[pn.FOCUS_IPCA_12M] - target) + 0.5 * row[pn.ACTIVITY_GAP]

    assert value(agents, "monetary.taylor_gap", day(panel)) == pytest.approx(taylor - row[pn.SELIC], abs=1e-12)
    assert agents.path("monetary.taylor_gap").confidence.iloc[DAY] == pytest.approx(1e-4 / (1e-4 + variance))
    model_cdi = row[pn.SELIC] + 0.5 * (taylor - row[pn.SELIC]) - 0.001
    assert value(agents, "monetary.market_path", day(panel)) == pytest.approx(row[pn.DI_1Y] - model_cdi, abs=1e-12)


def test_the_term_premium_is_di_5y_over_the_focus_selic_path(panel, agents):
    row, when = panel.iloc[DAY], day(panel)
    tau = (pd.Timestamp(when.year, 12, 31) - when).days / 365
    selic, cy, ny = row[pn.SELIC], row[pn.FOCUS_SELIC_CY], row[pn.FOCUS_SELIC_NY]
    path_area = tau * (selic + cy) / 2 + (cy + ny) / 2 + (4 - tau) * ny

    assert value(agents, "monetary.term_premium", when) == pytest.approx(row[pn.DI_5Y] - (path_area / 5 - 0.001))


def test_the_fiscal_debt_path_iterates_the_accumulation_equation_five_years(panel, agents):
    row = panel.iloc[DAY]
    r = 0.5 * row[pn.SELIC] + 0.5 * row[pn.DI_5Y]
    g = (1 + row[pn.FOCUS_GDP_CY]) * (1 + row[pn.FOCUS_IPCA_12M]) - 1
    d = row[pn.GROSS_DEBT_GDP]
    for _ in range(5):
        d = d * (1 + r) / (1 + g) - row[pn.PRIMARY_BALANCE_GDP]

    assert value(agents, "fiscal.debt_path", day(panel)) == pytest.approx(d - row[pn.GROSS_DEBT_GDP])
    gap = row[pn.GROSS_DEBT_GDP] * (r - g) / (1 + g) - row[pn.PRIMARY_BALANCE_GDP]
    assert value(agents, "fiscal.primary_gap", day(panel)) == pytest.approx(gap)


def test_the_beer_misalignment_comes_from_an_expanding_fit_on_rows_up_to_the_date(panel, agents):
    rows = panel.iloc[: DAY + 1]
    real_diff = ((1 + rows[pn.SELIC]) / (1 + rows[pn.FOCUS_IPCA_12M]) - 1) - (rows[pn.US_FED_FUNDS]
                                                                              - rows[pn.US_CORE_PCE_YOY])
    design = np.column_stack([np.ones(len(rows)), np.log(rows[pn.WTI]), np.log(rows[pn.DXY]), real_diff,
                              np.log(rows[pn.RESERVES_USD_MN])])
    log_spot = np.log(rows[pn.USDBRL].to_numpy())
    beta, *_ = np.linalg.lstsq(design, log_spot, rcond=None)

    assert value(agents, "fx.beer", day(panel)) == pytest.approx(log_spot[-1] - design[-1] @ beta, abs=1e-8)


def test_carry_to_risk_is_the_rate_differential_over_realised_vol(panel, agents):
    returns = np.diff(np.log(panel[pn.USDBRL].to_numpy()[DAY - 63: DAY + 1]))
    row = panel.iloc[DAY]
    expected = (row[pn.DI_3M] - row[pn.US_FED_FUNDS]) / (returns.std(ddof=1) * math.sqrt(252))

    assert value(agents, "fx.carry", day(panel)) == pytest.approx(expected)


def test_risk_appetite_averages_trailing_z_scores_of_vix_spreads_nfci_and_ibovespa(panel, agents):
    def z(x: np.ndarray) -> float:
        window = x[-756:]
        return float((window[-1] - window.mean()) / window.std(ddof=1))

    rows = panel.iloc[: DAY + 1]
    momentum = np.log(rows[pn.IBOVESPA]).diff(63).to_numpy()
    expected = np.mean([-z(rows[pn.VIX].to_numpy()), -z(rows[pn.US_HY_OAS].to_numpy()),
                        -z(rows[pn.US_NFCI].to_numpy()), z(momentum)])

    assert value(agents, "cross_asset.risk_appetite", day(panel)) == pytest.approx(expected)


def test_regime_probabilities_are_a_distribution_and_several_regimes_lead_over_ten_years(agents):
    probs = agents.regime_probs.dropna()

    assert_allclose(probs.sum(axis=1), 1.0)
    assert list(probs.columns) == ["goldilocks", "reflation", "stagflation", "deflation"]
    assert probs.idxmax(axis=1).nunique() >= 3


def test_the_long_format_has_one_row_per_date_and_computable_signal(agents):
    signals = agents.signals

    assert list(signals.columns) == SIGNAL_COLUMNS
    assert signals["strength"].between(0, 1).all() and signals["confidence"].between(0, 1).all()
    assert set(signals["direction"]) == {d.value for d in Direction}
    assert not signals.duplicated(["date", "signal_id"]).any()
    assert signals.groupby("agent")["signal_id"].nunique().to_dict() == {
        "cross_asset": 5, "fiscal": 4, "fx": 4, "inflation": 4, "monetary": 4}


def test_a_report_gives_signals_narrative_and_diagnostics_as_known_on_the_date(panel, agents):
    saturday = date(2022, 10, 8)

    report = agents.report("monetary", saturday)

    assert report.as_of == date(2022, 10, 7)
    assert {s.signal_id for s in report.signals} == {"monetary.taylor_gap", "monetary.market_path",
                                                     "monetary.term_premium", "monetary.composite"}
    r_star = report.diagnostics["r_star"]
    assert f"r* is {100 * r_star:.1f}%" in report.narrative
    assert "Taylor rule prescribes" in report.narrative


def test_every_agent_narrates_every_date_even_before_its_models_have_data(panel, agents):
    first = agents.narrative(panel.index[0].date())
    last = agents.narrative(panel.index[-1].date())

    assert set(first) == set(last) == {"inflation", "monetary", "fiscal", "fx", "cross_asset"}
    assert "[insufficient data]" in first["inflation"]
    assert "[insufficient data]" not in last["fx"]


def test_a_date_before_the_panel_is_refused(panel, agents):
    with pytest.raises(ValueError, match="before the first panel date"):
        agents.report("fx", date(2000, 1, 3))


def test_a_panel_missing_a_column_names_the_agent_and_the_column(panel):
    with pytest.raises(PanelError, match=r"monetary: panel lacks columns \['di_5y'\]"):
        run_agents(panel.drop(columns=[pn.DI_5Y]))


def test_a_panel_not_sorted_by_date_is_refused(panel):
    with pytest.raises(PanelError, match="strictly increasing"):
        run_agents(panel.iloc[::-1])


def test_flows_add_the_quarterly_change_of_log_reserves_and_of_the_trade_balance_share(panel, agents):
    now, then = panel.iloc[DAY], panel.iloc[DAY - 63]
    expected = (math.log(now[pn.RESERVES_USD_MN] / then[pn.RESERVES_USD_MN])
                + (now[pn.TRADE_BALANCE_12M_USD_MN] - then[pn.TRADE_BALANCE_12M_USD_MN]) / now[pn.RESERVES_USD_MN])

    assert value(agents, "fx.flows", day(panel)) == pytest.approx(expected)


def test_growth_momentum_averages_the_scaled_gap_and_the_z_score_of_growth_acceleration(panel, agents):
    acceleration = panel[pn.ACTIVITY_YOY].diff(63).to_numpy()[DAY - 755: DAY + 1]
    z = (acceleration[-1] - acceleration.mean()) / acceleration.std(ddof=1)
    gap = np.clip(panel[pn.ACTIVITY_GAP].iloc[DAY] / 0.02, -3, 3)

    assert value(agents, "cross_asset.growth", day(panel)) == pytest.approx((gap + z) / 2)


def test_persistence_pushes_in_the_direction_of_the_core_deviation_scaled_by_rho(agents, panel):
    diagnostics = agents.diagnostics("inflation").iloc[DAY]
    rho, deviation = diagnostics["persistence_rho"], diagnostics["core_deviation"]

    expected = min(max(rho, 0.0), 1.0) * math.tanh(deviation / 0.01)
    assert agents.path("inflation.persistence").score.iloc[DAY] == pytest.approx(expected)
