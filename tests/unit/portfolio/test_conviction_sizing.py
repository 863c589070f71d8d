"""Positions scale with conviction: a zero view holds nothing, a stronger view more, under a stated risk target."""

import math
from datetime import date

import numpy as np
import pytest

from domain.book import Position
from domain.market.instruments import AssetClass
from domain.portfolio.black_litterman import GenericSignal, black_litterman, views_from_signals
from domain.portfolio.exposure import return_scales
from domain.portfolio.optimiser import PortfolioConstraints, optimise, risk_aversion_for
from domain.portfolio.sizing import SizingMarket, apply_min_trade, contract_sensitivity, size_book

NAMES = ["USDBRL", "IBOV"]
VOLS = np.array([0.009, 0.014])  # daily
SIGMA = np.array([[1.0, -0.4], [-0.4, 1.0]]) * np.outer(VOLS, VOLS)
NO_VIEW_ON_IBOV = PortfolioConstraints(gross_leverage=100.0, asset_class_share=1.0, max_weight=100.0,
                                       weight_bounds={"IBOV": (0.0, 0.0)})
TARGET = 0.06


def weights(strength: float, confidence: float = 0.99) -> np.ndarray:
    views = views_from_signals([GenericSignal("USDBRL", strength, confidence)], NAMES, VOLS)
    posterior = black_litterman(SIGMA, views, names=NAMES, reference_weights=np.zeros(2))
    # IBOV has no view, so no position (the service's rule); USDBRL carries the view alone.
    return np.asarray(optimise(posterior.posterior_mean, posterior.posterior_covariance, names=NAMES,
                               risk_aversion=risk_aversion_for(TARGET), constraints=NO_VIEW_ON_IBOV).weights)


def test_the_risk_aversion_gives_a_full_conviction_view_the_volatility_target() -> None:
    assert risk_aversion_for(0.06) == pytest.approx(0.3 / 0.06)
    # Alone and certain (posterior mean = view, covariance Sigma + M with M -> 0 as c -> 1):
    mu = 0.3 / math.sqrt(252) * VOLS[0]
    w = mu / (risk_aversion_for(TARGET) * VOLS[0] ** 2)
    assert w * VOLS[0] * math.sqrt(252) == pytest.approx(TARGET)


def test_a_zero_view_holds_no_position() -> None:
    assert weights(0.0) == pytest.approx([0.0, 0.0], abs=1e-12)


def test_a_stronger_view_holds_a_proportionally_larger_position_below_the_caps() -> None:
    weak, strong = weights(0.3)[0], weights(0.6)[0]
    assert 0 < weak < strong
    assert strong == pytest.approx(2 * weak, rel=1e-6)
    # Annual volatility of the strong position: c s sigma_target shrunk by the posterior uncertainty.
    assert strong * VOLS[0] * math.sqrt(252) < 0.6 * TARGET
    assert strong * VOLS[0] * math.sqrt(252) > 0.5 * TARGET


AS_OF = date(2025, 1, 2)
MARKET = SizingMarket(as_of=AS_OF, di1_rates={"DI1F27": 0.1525, "DI1F28": 0.1530}, usdbrl=5.0,
                      fx_contract="DOLG25", ibovespa=125_000.0, equity_contract="INDG25")
SCALES = return_scales({"DI1_2Y": 0.1525}, ["DI1_2Y"])


def test_a_resize_smaller_than_the_minimum_trade_keeps_the_held_contracts() -> None:
    sized = size_book({"DI1_2Y": -0.40}, MARKET, SCALES, prefer_january=False)
    (line,) = sized.positions
    held = [Position(line.instrument, "DI1_2Y", line.contracts + 12, AssetClass.RATES)]  # 12 < 20 contracts
    kept = apply_min_trade(sized, held, MARKET)
    assert kept.positions == tuple(held)
    assert kept.achieved["DI1_2Y"] == pytest.approx((line.contracts + 12) * contract_sensitivity(line.instrument,
                                                                                                 MARKET))
    far = [Position(line.instrument, "DI1_2Y", line.contracts + 25, AssetClass.RATES)]  # 25 >= 20: trade
    assert apply_min_trade(sized, far, MARKET).positions == sized.positions


def test_a_closed_view_or_a_roll_always_trades_whatever_its_size() -> None:
    flat = size_book({"DI1_2Y": 0.0}, MARKET, SCALES, prefer_january=False)
    held = [Position("DI1F27", "DI1_2Y", -3, AssetClass.RATES)]
    assert apply_min_trade(flat, held, MARKET).positions == ()
    sized = size_book({"DI1_2Y": -0.40}, MARKET, SCALES, prefer_january=False)
    other = "DI1F28" if sized.positions[0].instrument == "DI1F27" else "DI1F27"
    rolled = [Position(other, "DI1_2Y", sized.positions[0].contracts, AssetClass.RATES)]
    assert apply_min_trade(sized, rolled, MARKET).positions == sized.positions
