"""Daily markets: Fed funds and SOFR, VIX, S&P 500, DXY, WTI, gold, credit, USD/BRL, Ibovespa, EWZ, reserves.

Daily shocks are a multivariate Student-t (5 degrees of freedom, one common scale per day) whose
correlation moves from a calm matrix to a stress matrix with the risk channels (cross-asset
correlations rise in stress). Equity volatility follows the VIX, which rises with the global risk
channel; USD/BRL, the Ibovespa and oil add GARCH(1,1) volatility clustering, and USD/BRL jumps more
often in stress. Stress channels also move levels directly, which makes drawdowns in episodes and
recoveries after them. PTAX is fixed at midday, from the previous close and the day's move.
"""

from dataclasses import dataclass

import numpy as np

from adapters.market_data.synthetic.curves import T_DF, UsCurves, ar1, garch_variance, student_t
from adapters.market_data.synthetic.grid import TimeGrid
from adapters.market_data.synthetic.macro import BrazilMacro, UsMacro, log_usdbrl
from adapters.market_data.synthetic.policy import step_path

SHOCK_COLUMNS = ("global_equity", "brazil_equity", "fx", "oil", "gold", "dxy", "vix", "credit")
# Daily shock correlations in calm markets and in a full stress (risk channels summing to 1 or more):
# in stress, equities move together, the real sells off with them and credit follows the VIX, as in
# 2008, 2015 and 2020 ("correlations go to one").
_CALM_CORRELATION = np.array([
    # GE    BE     FX     OIL    GOLD   DXY    VIX    CREDIT
    [1.00, 0.45, -0.25, 0.25, -0.05, -0.15, -0.65, -0.35],
    [0.45, 1.00, -0.40, 0.20, 0.00, -0.10, -0.40, -0.20],
    [-0.25, -0.40, 1.00, -0.15, 0.00, 0.25, 0.25, 0.15],
    [0.25, 0.20, -0.15, 1.00, 0.15, -0.20, -0.15, -0.10],
    [-0.05, 0.00, 0.00, 0.15, 1.00, -0.35, 0.05, 0.00],
    [-0.15, -0.10, 0.25, -0.20, -0.35, 1.00, 0.10, 0.10],
    [-0.65, -0.40, 0.25, -0.15, 0.05, 0.10, 1.00, 0.35],
    [-0.35, -0.20, 0.15, -0.10, 0.00, 0.10, 0.35, 1.00],
])
_STRESS_CORRELATION = np.array([
    [1.00, 0.80, -0.65, 0.50, -0.05, -0.35, -0.80, -0.60],
    [0.80, 1.00, -0.75, 0.45, 0.00, -0.30, -0.65, -0.50],
    [-0.65, -0.75, 1.00, -0.40, 0.00, 0.40, 0.55, 0.45],
    [0.50, 0.45, -0.40, 1.00, 0.10, -0.25, -0.40, -0.35],
    [-0.05, 0.00, 0.00, 0.10, 1.00, -0.30, 0.05, 0.00],
    [-0.35, -0.30, 0.40, -0.25, -0.30, 1.00, 0.25, 0.20],
    [-0.80, -0.65, 0.55, -0.40, 0.05, 0.25, 1.00, 0.55],
    [-0.60, -0.50, 0.45, -0.35, 0.00, 0.20, 0.55, 1.00],
])
SQRT252 = np.sqrt(252.0)
IBOVESPA_START, SP500_START, EWZ_START = 70_000.0, 1_115.0, 75.0
PERMANENT = 0.45


def stress_weight(daily: dict[str, np.ndarray]) -> np.ndarray:
    """Weight of the stress correlation regime per day: global plus Brazilian risk, capped at 1."""
    return np.asarray(np.clip(daily["global_risk"] + daily["brazil_risk"], 0.0, 1.0))


def shock_correlation(weight: np.ndarray) -> np.ndarray:
    """Daily correlation matrices (n x 8 x 8): (1 - w) calm + w stress, PSD as a convex combination."""
    w = np.asarray(weight, dtype=float)[:, None, None]
    return np.asarray((1 - w) * _CALM_CORRELATION + w * _STRESS_CORRELATION)


def correlated_shocks(weight: np.ndarray, normal_rng: np.random.Generator,
                      scale_rng: np.random.Generator) -> np.ndarray:
    """Unit-variance multivariate-t shocks, one row per day, columns as in SHOCK_COLUMNS.

    Day t's normals are correlated by the Cholesky factor of ``shock_correlation(weight)[t]``: the
    cross-asset correlation moves with the stress regime. One chi-square draw per day scales the row.
    """
    n = len(weight)
    chol = np.linalg.cholesky(shock_correlation(weight))
    z = np.einsum("tij,tj->ti", chol, normal_rng.standard_normal((n, len(SHOCK_COLUMNS))))
    return np.asarray(student_t(z, scale_rng.chisquare(T_DF, n)[:, None]))


def equity_log_path(sigma: np.ndarray, z: np.ndarray, drift: float) -> np.ndarray:
    """Cumulative log return: drift, plus daily shocks split between a random walk and a mean-reverting part.

    Every shock moves the index one-for-one on the day, but only ``PERMANENT`` of it persists; the
    rest decays with a half-life of about 8 months (valuations mean-revert), which keeps 15-year
    outcomes in a plausible range while daily volatility and drawdowns stay realistic.
    """
    shock = sigma * z
    transient = ar1(shock, 1.0, 1 - 1 / 250)
    return np.cumsum(drift / 252 - 0.5 * PERMANENT * sigma**2 + PERMANENT * shock) + (1 - PERMANENT) * transient


def _col(shocks: np.ndarray, name: str) -> np.ndarray:
    return shocks[:, SHOCK_COLUMNS.index(name)]


@dataclass(frozen=True, eq=False)
class FedFunds:
    """Daily US overnight rates, percent."""

    lower_bound: np.ndarray
    effr: np.ndarray
    sofr: np.ndarray


def simulate_fed_funds(grid: TimeGrid, us: UsMacro, rng: np.random.Generator) -> FedFunds:
    """EFFR 8 bp above the range's lower bound (a little noise at the zero bound); SOFR near it."""
    e = rng.standard_normal((grid.n_days, 2))
    lower = step_path(grid.days, us.effective, us.policy, 0.0)
    zlb = np.clip(0.12 + ar1(e[:, 0], 0.01, 0.98), 0.04, 0.20)
    effr = np.where(lower > 0, lower + 0.08 + 0.004 * e[:, 1], zlb)
    month_end = np.append(grid.month_of_day[1:] != grid.month_of_day[:-1], True)
    sofr = np.maximum(effr - 0.02 + 0.015 * e[:, 0] + 0.03 * month_end, 0.01)
    return FedFunds(lower_bound=lower, effr=effr, sofr=sofr)


@dataclass(frozen=True, eq=False)
class GlobalMarkets:
    """Daily global market levels."""

    vix: np.ndarray
    sp500: np.ndarray
    dxy: np.ndarray
    wti: np.ndarray
    gold: np.ndarray
    hy_oas: np.ndarray
    nfci: np.ndarray


def simulate_global(grid: TimeGrid, daily: dict[str, np.ndarray], fed: FedFunds, curves: UsCurves,
                    shocks: np.ndarray) -> GlobalMarkets:
    """VIX, S&P 500, DXY, WTI, gold, high-yield spread and NFCI."""
    sg, years = daily["global_risk"], grid.years
    vix = np.maximum(15.5 * np.exp(1.25 * sg + ar1(_col(shocks, "vix"), 0.06, 0.975)), 9.0)
    sigma = 0.8 * np.concatenate([[vix[0]], vix[:-1]]) / 100 / SQRT252
    sp500 = SP500_START * np.exp(equity_log_path(sigma, _col(shocks, "global_equity"), 0.11) - 0.32 * sg)
    dxy = 78.0 * np.exp(0.025 * fed.effr + 0.07 * sg + ar1(_col(shocks, "dxy"), 0.075 / SQRT252, 1 - 1 / 1500))
    oil_sigma = 0.32 / SQRT252 * np.sqrt(garch_variance(_col(shocks, "oil"))) * (1 + 0.5 * sg)
    oil_dev = np.asarray(ar1(oil_sigma * _col(shocks, "oil"), 1.0, 1 - 1 / 400))
    wti = 79.0 * np.exp(daily["commodity"] + oil_dev - 0.25 * sg)
    tips = curves.real_at("10 YR")
    gold = 1100.0 * np.exp(0.045 * years + 0.12 * sg - 0.10 * (tips - tips[0])
                           + ar1(_col(shocks, "gold"), 0.14 / SQRT252, 1 - 1 / 2000))
    commodity_stress = np.maximum(0.0, -daily["commodity"])
    credit = ar1(_col(shocks, "credit"), 0.04, 0.99)
    hy = np.maximum(3.3 + 2.5 * np.exp(-years / 1.5) + 5.0 * sg + 0.8 * commodity_stress + credit, 2.2)
    nfci = (-0.45 + 0.45 * np.exp(-years / 1.5) + 0.85 * sg + 0.03 * (fed.effr - 2.0)
            + ar1(_col(shocks, "credit"), 0.012, 0.995))
    return GlobalMarkets(vix=vix, sp500=sp500, dxy=dxy, wti=wti, gold=gold, hy_oas=hy, nfci=nfci)


def fx_volatility(daily: dict[str, np.ndarray], shocks: np.ndarray) -> np.ndarray:
    """Daily volatility (log units) of USD/BRL's diffusion: 9% a year, GARCH(1,1), higher in stress."""
    sg, sbr = daily["global_risk"], daily["brazil_risk"]
    return np.asarray(0.09 / SQRT252 * np.sqrt(garch_variance(_col(shocks, "fx"))) * (1 + 0.7 * sbr + 0.5 * sg))


def simulate_fx_deviation(grid: TimeGrid, daily: dict[str, np.ndarray], shocks: np.ndarray,
                          jump_rng: np.random.Generator) -> np.ndarray:
    """Slowly mean-reverting log deviation of USD/BRL: GARCH(1,1) diffusion plus stress-driven jumps."""
    sg, sbr = daily["global_risk"], daily["brazil_risk"]
    z = _col(shocks, "fx")
    sigma = fx_volatility(daily, shocks)
    draws = jump_rng.random((grid.n_days, 2))
    jump_prob = (0.5 + 12.0 * (sbr + sg)) / 252
    # Jumps are exponential in size and three times in four a depreciation of the real.
    size = 0.004 + 0.01 * -np.log(np.maximum(draws[:, 1], 1e-12))
    jumps = np.where(draws[:, 0] < 0.75 * jump_prob, size, np.where(draws[:, 0] < jump_prob, -size, 0.0))
    return np.asarray(ar1(sigma * z + jumps, 1.0, 1 - 1 / 500))


def simulate_reserves(grid: TimeGrid, daily: dict[str, np.ndarray], dxy: np.ndarray,
                      rng: np.random.Generator) -> np.ndarray:
    """International reserves, US$ mn: accumulation to ~US$375bn, valuation against DXY, stress sales."""
    years = grid.years
    log_r = (np.log(240_000.0) + 0.45 * (1 - np.exp(-years / 1.3)) - 0.25 * np.log(dxy / dxy[0])
             - 0.07 * (daily["brazil_risk"] + 0.5 * daily["global_risk"])
             + ar1(rng.standard_normal(grid.n_days), 0.0012, 0.995))
    return np.asarray(np.exp(log_r))


@dataclass(frozen=True, eq=False)
class BrazilMarkets:
    """Daily Brazilian market levels."""

    usdbrl: np.ndarray
    ptax_buy: np.ndarray
    ibovespa: np.ndarray
    ewz: np.ndarray


def simulate_brazil_markets(grid: TimeGrid, daily: dict[str, np.ndarray], br: BrazilMacro, glob: GlobalMarkets,
                            deviation: np.ndarray, shocks: np.ndarray, rng: np.random.Generator) -> BrazilMarkets:
    """USD/BRL from its fundamentals and deviation, PTAX near midday, Ibovespa with regimes, EWZ."""
    sg, sbr = daily["global_risk"], daily["brazil_risk"]
    fiscal = grid.interpolate(br.fiscal_stress)
    commodity = np.log(glob.wti / 79.0)
    log_fx = np.asarray(log_usdbrl(grid.interpolate(br.ppp), sbr, fiscal, sg, grid.interpolate(br.carry),
                                   commodity, deviation))
    usdbrl = np.exp(log_fx)
    e = rng.standard_normal((grid.n_days, 2))
    # PTAX is fixed around midday: the previous close, half the day's move, and an intraday deviation
    # as large as half the day's move (a Brownian bridge's midpoint has standard deviation half the
    # day's). Its lag-1 covariance, var(dx)/4 - var(deviation), then vanishes: the fix's changes are as
    # serially uncorrelated as the close's. Averaging consecutive closes instead would make them a
    # moving average with a lag-1 autocorrelation of 0.5.
    previous = np.concatenate([[log_fx[0]], log_fx[:-1]])
    move = log_fx - previous
    midday = previous + 0.5 * move + 0.5 * np.abs(move) * e[:, 0]
    z = _col(shocks, "brazil_equity")
    sigma = 0.19 / SQRT252 * np.sqrt(garch_variance(z)) * (1 + 0.4 * sbr + 0.4 * sg)
    ibov = IBOVESPA_START * np.exp(equity_log_path(sigma, z, 0.095) - 0.25 * sbr - 0.25 * sg
                                   - 0.10 * (fiscal - fiscal[0]) + 0.08 * commodity)
    tracking = ar1(e[:, 1], 0.002, 0.98)
    ewz = EWZ_START * (ibov / ibov[0]) / (usdbrl / usdbrl[0]) * np.exp(tracking)
    return BrazilMarkets(usdbrl=usdbrl, ptax_buy=np.exp(midday), ibovespa=ibov, ewz=ewz)
