"""Every strategy on hand-set inputs, with the book's sign convention checked explicitly.

DI1 long = long the rate: a view that rates FALL is a negative DI1 signal. NTNB_5Y and UST10 long =
long the bond price: a view that yields FALL is positive.
"""

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from domain import panel as pn
from domain.market.instruments import AssetClass
from domain.strategies.base import StrategySpec, blend
from domain.strategies.equity import ibov_regime
from domain.strategies.fx import usdbrl_carry, usdbrl_fair_value
from domain.strategies.global_rates import ust10_us_cycle
from domain.strategies.inflation import ntnb_breakeven_focus
from domain.strategies.rates import (
    carry_cushion,
    di1_carry_rolldown,
    di1_fiscal_premium,
    di1_slope,
    di1_taylor_gap,
    di1_term_premium,
)
from tests.unit.strategies.outputs_factory import outputs_with

INDEX = pd.bdate_range("2025-03-03", periods=3)
NAN = math.nan


def test_the_carry_cushion_is_carry_over_duration_plus_roll_down():
    cushion = carry_cushion(pd.Series([0.10]), pd.Series([0.11]), pd.Series([0.099]), 1.0, 2.0, 0.25)

    carry = (0.11 - 0.099) * 0.25 * 1.11 / 2.0   # 15.3bp
    roll = 0.25 / 1.0 * (0.11 - 0.10)            # 25bp
    assert cushion.iloc[0] == pytest.approx(carry + roll)  # 40.3bp


def test_carry_that_pays_the_receiver_is_a_negative_di1_signal():
    n = 70
    wiggle = 0.0005 * (np.arange(n) % 2)
    panel = pd.DataFrame({pn.SELIC: 0.10, pn.DI_6M: 0.101, pn.DI_1Y: 0.104 + wiggle, pn.DI_2Y: 0.11 + wiggle,
                          pn.DI_3Y: 0.112 + wiggle}, index=pd.bdate_range("2025-01-01", periods=n))

    result = di1_carry_rolldown(panel, outputs_with(panel.index, {}))

    last = panel.iloc[-1]
    sigma = np.diff(panel[pn.DI_2Y].to_numpy()[-64:]).std(ddof=1) * math.sqrt(63)
    h = 63 / 252
    cushion = (last[pn.DI_2Y] - 0.099) * h * (1 + last[pn.DI_2Y]) / 2 + h * (last[pn.DI_2Y] - last[pn.DI_1Y])
    assert result.signal["DI1_2Y"].iloc[-1] == pytest.approx(-math.tanh(cushion / sigma))
    assert (result.signal.iloc[-1] < 0).all()
    assert result.confidence["DI1_2Y"].iloc[-1] == pytest.approx(1.0)  # 63 of the last 63 cushions positive
    assert result.signal.iloc[:63].isna().all().all()                  # no rate vol before 63 changes


def test_the_taylor_gap_strategy_blends_market_path_and_taylor_gap_on_the_front_end():
    agents = outputs_with(INDEX, {"monetary.market_path": ([0.5, -0.2, NAN], [0.8, 0.6, NAN]),
                                  "monetary.taylor_gap": ([0.25, 0.5, 0.1], [1.0, 0.5, 0.9])})

    result = di1_taylor_gap(pd.DataFrame(index=INDEX), agents)

    assert_allclose(result.signal["DI1_1Y"], [0.4, 0.08, NAN])
    assert_allclose(result.confidence["DI1_2Y"], [0.88, 0.56, NAN])


def test_a_slope_steeper_than_its_history_is_received_on_the_5y():
    n = 260
    slope = np.r_[np.full(n - 1, 0.01) + 0.001 * np.sin(np.arange(n - 1)), 0.02]
    panel = pd.DataFrame({pn.DI_1Y: 0.10, pn.DI_5Y: 0.10 + slope}, index=pd.bdate_range("2024-01-01", periods=n))

    result = di1_slope(panel, outputs_with(panel.index, {}))

    z = (slope[-1] - slope.mean()) / slope.std(ddof=1)
    assert result.signal["DI1_5Y"].iloc[-1] == pytest.approx(-math.tanh(z / 1.5))
    assert result.signal["DI1_5Y"].iloc[-1] < -0.9
    assert result.signal["DI1_5Y"].iloc[:251].isna().all()


def test_the_term_premium_strategy_passes_the_agent_view_to_5y_and_10y():
    agents = outputs_with(INDEX, {"monetary.term_premium": ([-0.3, 0.2, 0.7], [0.5, 0.6, 0.7])})

    result = di1_term_premium(pd.DataFrame(index=INDEX), agents)

    assert_allclose(result.signal.to_numpy(), [[-0.3, -0.3], [0.2, 0.2], [0.7, 0.7]])
    assert list(result.signal.columns) == ["DI1_5Y", "DI1_10Y"]


def test_fiscal_risk_above_the_priced_premium_pays_the_10y():
    agents = outputs_with(INDEX, {"fiscal.composite": ([0.6, 0.9, -0.5], [0.8, 0.8, 0.4]),
                                  "monetary.term_premium": ([0.0, 0.0, 0.0], [0.6, 0.6, 0.2])},
                          {"monetary": {"term_premium_z": [0.75, -3.0, 0.0]}})

    result = di1_fiscal_premium(pd.DataFrame(index=INDEX), agents)

    assert_allclose(result.signal["DI1_10Y"], [0.6 - math.tanh(0.5), 1.0, -0.5])  # 0.1379, clipped, -0.5
    assert_allclose(result.confidence["DI1_10Y"], [0.7, 0.7, 0.3])


def test_a_breakeven_rich_to_focus_sells_ntnb_and_upside_inflation_buys_it():
    panel = pd.DataFrame({pn.BREAKEVEN_5Y: 0.05, pn.FOCUS_IPCA_NY: 0.04}, index=INDEX)
    agents = outputs_with(INDEX, {"inflation.composite": ([0.5, 0.5, 0.5], [0.6, 0.6, 0.6])})

    result = ntnb_breakeven_focus(panel, agents)

    rich = -math.tanh(0.01 / 0.0075)  # -0.8702
    assert_allclose(result.signal["NTNB_5Y"], [0.7 * rich + 0.3 * 0.5] * 3)
    assert_allclose(result.confidence["NTNB_5Y"], [0.7 * k / 63 + 0.3 * 0.6 for k in (1, 2, 3)])


def test_attractive_carry_sells_usdbrl_and_risk_off_buys_it_back():
    agents = outputs_with(INDEX, {"fx.carry": ([-0.6, -0.6, 0.2], [0.9, 0.9, 0.5]),
                                  "cross_asset.risk_appetite": ([-0.5, -1.0, 0.0], [0.4, 0.4, 1.0])})

    result = usdbrl_carry(pd.DataFrame(index=INDEX), agents)

    assert_allclose(result.signal["USDBRL"], [-0.27, -0.12, 0.14])
    assert_allclose(result.confidence["USDBRL"], [0.75, 0.75, 0.65])


def test_usdbrl_above_fair_value_is_sold_with_flows_as_confirmation():
    agents = outputs_with(INDEX, {"fx.beer": ([-0.8, 0.2, NAN], [0.7, 0.7, 0.7]),
                                  "fx.flows": ([0.4, 0.4, 0.4], [0.5, 0.5, 0.5])})

    result = usdbrl_fair_value(pd.DataFrame(index=INDEX), agents)

    assert_allclose(result.signal["USDBRL"], [-0.5, 0.25, NAN])
    assert_allclose(result.confidence["USDBRL"], [0.65, 0.65, NAN])


def test_the_ibovespa_signal_combines_regime_tilt_and_risk_appetite():
    agents = outputs_with(INDEX, {"cross_asset.regime": ([0.5, -0.8, 0.0], [0.7, 0.9, 0.3]),
                                  "cross_asset.risk_appetite": ([-0.25, -0.5, 0.5], [0.6, 0.5, 0.5])})

    result = ibov_regime(pd.DataFrame(index=INDEX), agents)

    assert_allclose(result.signal["IBOV"], [0.2, -0.68, 0.2])
    assert_allclose(result.confidence["IBOV"], [0.66, 0.74, 0.38])


def test_ust10_yield_below_the_us_taylor_rate_is_a_short_note_signal():
    panel = pd.DataFrame({pn.US_CORE_PCE_YOY: 0.03, pn.US_UNEMPLOYMENT: 0.04, pn.US_NAIRU: 0.045,
                          pn.US_UST_10Y: [0.0425, 0.0575, 0.0525]}, index=INDEX)

    result = ust10_us_cycle(panel, outputs_with(INDEX, {}))

    # Taylor: 0.75% + 3% + 0.5 * 1% + 0.5 * (-2 * -0.5%) = 4.75%.
    assert_allclose(result.signal["UST10"], [math.tanh(-0.5), math.tanh(1.0), math.tanh(0.5)])
    assert_allclose(result.confidence["UST10"], [1 / 63, 1 / 63, 2 / 63])


def test_a_spec_refuses_generics_of_another_asset_class():
    with pytest.raises(ValueError, match="USDBRL is fx, not rates"):
        StrategySpec("bad", AssetClass.RATES, ("USDBRL",), "x")
    with pytest.raises(ValueError, match="unknown generic"):
        StrategySpec("bad", AssetClass.RATES, ("DI1_7Y",), "x")


def test_blend_weights_signals_and_confidences_alike():
    s, c = blend((0.5, pd.Series([1.0]), pd.Series([0.2])), (0.5, pd.Series([-0.5]), pd.Series([0.6])))

    assert (s.iloc[0], c.iloc[0]) == pytest.approx((0.25, 0.4))
