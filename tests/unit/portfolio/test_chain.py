"""The portfolio chain end to end: signals -> Black-Litterman -> optimiser -> contracts -> trades."""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from domain.book import FACTORS, GENERICS, Position
from domain.market.instruments import AssetClass
from domain.portfolio.black_litterman import GenericSignal, black_litterman, views_from_signals
from domain.portfolio.covariance import covariance_matrix
from domain.portfolio.exposure import generic_returns, return_scales
from domain.portfolio.optimiser import optimise
from domain.portfolio.sizing import SizingMarket, size_book
from domain.portfolio.trades import Direction, trade_list

RATES = {"DI1_1Y": 0.151, "DI1_2Y": 0.1525, "DI1_3Y": 0.153, "DI1_5Y": 0.152, "DI1_10Y": 0.15,
         "NTNB_5Y": 0.0718, "UST10": 0.045}
MARKET = SizingMarket(
    as_of=date(2025, 1, 2),
    di1_rates={"DI1F26": 0.151, "DI1F27": 0.1525, "DI1F28": 0.153, "DI1F30": 0.152, "DI1F35": 0.15},
    ntnb_yields={"NTNB_20300815": 0.0715}, ntnb_vna=4_400.0, usdbrl=6.1, fx_contract="DOLG25",
    ibovespa=121_000.0, equity_contract="INDG25", ust10_yield=0.045)


def factor_history(seed: int) -> pd.DataFrame:
    """Seeded daily factor changes with realistic scales (bp for rates, % for FX and equity)."""
    rng = np.random.default_rng(seed)
    scale = {"DI_PRE:252": 6.0, "DI_PRE:504": 9.0, "DI_PRE:756": 10.0, "DI_PRE:1260": 11.0, "DI_PRE:2520": 11.0,
             "NTNB_REAL:1260": 7.0, "USDBRL": 0.9, "IBOVESPA": 1.3, "UST:3652": 6.0, "SP500": 1.1, "OIL": 2.0}
    common = rng.normal(size=(750, 1))
    noise = rng.normal(size=(750, len(FACTORS)))
    values = (0.6 * common + 0.8 * noise) * np.array([scale[f] for f in FACTORS])
    return pd.DataFrame(values, index=pd.bdate_range("2022-01-03", periods=750), columns=list(FACTORS))


def test_a_receive_signal_on_the_2y_ends_as_a_sell_of_di1f27_and_a_long_usd_signal_as_a_dol_buy() -> None:
    names = list(GENERICS)
    scales = return_scales(RATES)
    sigma = covariance_matrix(generic_returns(factor_history(5), scales), halflife=126)
    signals = [GenericSignal("DI1_2Y", -0.8, 0.7), GenericSignal("USDBRL", 0.5, 0.5)]
    views = views_from_signals(signals, names, np.sqrt(np.diag(sigma)))
    posterior = black_litterman(sigma, views, names=names)
    portfolio = optimise(posterior.posterior_mean, posterior.posterior_covariance, names=names)
    book = size_book(portfolio.as_dict(), MARKET, scales)
    current = [Position("DI1F27", "DI1_2Y", -100, AssetClass.RATES)]
    trades = {t.instrument: t for t in trade_list(current, book.positions, {"DI1_2Y": "Taylor gap"})}

    assert portfolio.gross <= 3.0 + 1e-9
    assert posterior.posterior_mean[names.index("DI1_2Y")] < 0 < posterior.posterior_mean[names.index("USDBRL")]
    di1 = next(p for p in book.positions if p.generic == "DI1_2Y")
    assert di1.instrument == "DI1F27" and di1.contracts < -100
    assert trades["DI1F27"].direction is Direction.SELL
    assert trades["DI1F27"].sentence == f"Increase DI1F27 short by {-100 - di1.contracts} contracts"
    assert trades["DOLG25"].direction is Direction.BUY
    for generic, achieved in book.achieved.items():
        assert achieved == pytest.approx(book.targets[generic], rel=0.05, abs=50.0)
