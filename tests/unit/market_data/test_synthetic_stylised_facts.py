"""The synthetic market has the stylised facts of real daily returns, on every factor the book trades.

Over ten years (2012-2021) of the default seed, each factor's daily change, measured as Silver
measures it (DI and NTN-B curves rebuilt from the settlements by the domain's curve builders, PTAX
for USD/BRL, closes for the indices and oil, the 10-year Treasury yield), has:

* no linear predictability: lag-1 autocorrelation within +-0.1;
* fat tails: excess kurtosis above 1.5 (a normal has 0);
* volatility clustering: the mean autocorrelation of absolute changes over lags 1-5 above three
  standard errors of its value under independence (3 / sqrt(5 n));
* and USD/BRL (close to close) moves against the Ibovespa more strongly in stressed markets (VIX at
  30 or more the day before) than in calm ones (VIX under 20).

Every statistic is computed here with numpy from the published tables.
"""


import numpy as np
import pandas as pd
import pytest

from adapters.market_data.synthetic import SyntheticMarket
from adapters.market_data.synthetic.path import MarketPath
from domain.book import FACTORS
from domain.curves.di_pre import build_di_curves, di_curve_points
from domain.curves.real import build_real_curves, real_curve_points
from domain.market.bronze import Connector

START, END = np.datetime64("2012-01-02"), np.datetime64("2021-12-31")
DI_TENORS = (252, 504, 756, 1260, 2520)


def _autocorrelation(x: np.ndarray, lag: int) -> float:
    d = x - x.mean()
    return float((d[lag:] * d[:-lag]).sum() / (d * d).sum())


def _excess_kurtosis(x: np.ndarray) -> float:
    d = x - x.mean()
    return float((d**4).mean() / (d**2).mean() ** 2 - 3.0)


def _frame(path: MarketPath, connector: Connector, prefix: str) -> pd.DataFrame:
    table = path.prices[connector]
    keep = (table.trade_date >= START) & (table.trade_date <= END)
    keep &= np.array([str(i).startswith(prefix) for i in table.instrument])
    return pd.DataFrame({"instrument": table.instrument[keep], "trade_date": pd.to_datetime(table.trade_date[keep]),
                         "price": table.price[keep], "rate": table.rate[keep]})


def _series(path: MarketPath, series_id: str) -> tuple[np.ndarray, np.ndarray]:
    table = path.series[series_id]
    keep = (table.obs >= START) & (table.obs <= END)
    return table.obs[keep], table.value[keep]


@pytest.fixture(scope="module")
def path() -> MarketPath:
    return SyntheticMarket().path()


@pytest.fixture(scope="module")
def changes(path: MarketPath) -> dict[str, np.ndarray]:
    """Daily changes of every book factor: bp for rates, % (log) for prices."""
    out: dict[str, np.ndarray] = {}
    di = build_di_curves(_frame(path, Connector.B3, "DI1"))
    days = sorted(di)
    points = {(p.tenor_days, d): p.rate for d in days for p in di_curve_points(di[d], DI_TENORS)}
    for tenor in DI_TENORS:
        out[f"DI_PRE:{tenor}"] = np.diff([points[(tenor, d)] for d in days]) * 1e4
    real = build_real_curves(_frame(path, Connector.TREASURY, "NTNB_"))
    out["NTNB_REAL:1260"] = np.diff([real_curve_points(real[d], (1260,))[0].rate for d in sorted(real)]) * 1e4
    out["USDBRL"] = np.diff(np.log(_series(path, "BR_PTAX_SELL")[1])) * 100
    out["IBOVESPA"] = np.diff(np.log(_series(path, "MKT_IBOVESPA")[1])) * 100
    out["SP500"] = np.diff(np.log(_series(path, "MKT_SP500")[1])) * 100
    out["OIL"] = np.diff(np.log(_series(path, "MKT_WTI")[1])) * 100
    out["UST:3652"] = np.diff(_series(path, "US_UST_10Y")[1]) * 100
    return out


def test_every_book_factor_is_measured_over_ten_years(changes: dict[str, np.ndarray]) -> None:
    assert set(changes) == set(FACTORS)
    assert all(x.size > 2400 and np.isfinite(x).all() for x in changes.values())


@pytest.mark.parametrize("factor", sorted(FACTORS))
def test_daily_changes_have_no_lag_one_autocorrelation(changes: dict[str, np.ndarray], factor: str) -> None:
    assert abs(_autocorrelation(changes[factor], 1)) < 0.1


@pytest.mark.parametrize("factor", sorted(FACTORS))
def test_daily_changes_have_fat_tails(changes: dict[str, np.ndarray], factor: str) -> None:
    assert _excess_kurtosis(changes[factor]) > 1.5


@pytest.mark.parametrize("factor", sorted(FACTORS))
def test_volatility_clusters(changes: dict[str, np.ndarray], factor: str) -> None:
    x = np.abs(changes[factor])
    mean_ac = np.mean([_autocorrelation(x, lag) for lag in range(1, 6)])
    assert mean_ac > 3.0 / np.sqrt(5 * x.size)


def test_the_real_sells_off_with_equities_more_in_stress_than_in_calm(path: MarketPath) -> None:
    fx_days, fx_close = _series(path, "MKT_USDBRL")
    ibov_days, ibov = _series(path, "MKT_IBOVESPA")
    vix_days, vix = _series(path, "MKT_VIX")
    common = np.intersect1d(np.intersect1d(fx_days, ibov_days), vix_days)
    fx = np.diff(np.log(fx_close[np.isin(fx_days, common)]))
    equity = np.diff(np.log(ibov[np.isin(ibov_days, common)]))
    level = vix[np.isin(vix_days, common)][:-1]  # the regime known before each day's move
    calm, stress = level < 20, level >= 30
    assert calm.sum() > 500 and stress.sum() > 100
    calm_corr = np.corrcoef(fx[calm], equity[calm])[0, 1]
    stress_corr = np.corrcoef(fx[stress], equity[stress])[0, 1]
    assert calm_corr < -0.2 and stress_corr < calm_corr - 0.15
