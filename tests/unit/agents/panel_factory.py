"""A seeded, random-but-plausible daily panel for the analytics tests (not market data).

Monthly macro series follow small structural dynamics (activity gap -> core inflation -> policy
rate) and are released on the first session of the following month, then carried forward, as
the real point-in-time panel does. Daily markets load on the macro state plus autoregressive
noise. Values are decimals; prices are levels.
"""

import numpy as np
import pandas as pd
from scipy.signal import lfilter

from domain import panel as pn


def _ar1(rng: np.random.Generator, n: int, phi: float, sd: float, start: float = 0.0) -> np.ndarray:
    shocks = rng.normal(0.0, sd, n)
    shocks[0] += start
    return np.asarray(lfilter([1.0], [1.0, -phi], shocks))


def _gbm(rng: np.random.Generator, n: int, start: float, vol: float, drift: float = 0.0) -> np.ndarray:
    return np.asarray(start * np.exp(np.cumsum(rng.normal(drift, vol, n))))


def _mean_reverting_log(rng: np.random.Generator, n: int, level: float, phi: float, sd: float) -> np.ndarray:
    return np.asarray(level * np.exp(_ar1(rng, n, phi, sd)))


def synthetic_panel(seed: int = 7, start: str = "2015-01-01", years: int = 10) -> pd.DataFrame:
    """A panel with every column of domain.panel, on weekday sessions, from a seeded RNG."""
    rng = np.random.default_rng(seed)
    dates = pd.bdate_range(start, periods=int(years * 252))
    n = dates.size
    month_of = (dates.year - dates[0].year) * 12 + dates.month - dates[0].month
    months = int(month_of.max()) + 2

    # Monthly macro state.
    gap = _ar1(rng, months, 0.92, 0.004)
    r_star = 0.05 + np.cumsum(rng.normal(0.0, 0.001, months))
    core = np.empty(months)
    food = _ar1(rng, months, 0.8, 0.006)
    selic = np.empty(months)
    core[0], selic[0] = 0.06, 0.11
    for m in range(1, months):
        core[m] = 0.045 + 0.85 * (core[m - 1] - 0.045) + 0.25 * gap[m - 1] + rng.normal(0.0, 0.004)
    ipca_monthly = core + food
    roll = pd.Series(core)
    core_12m = roll.rolling(12, min_periods=1).mean().to_numpy()
    core_3m = roll.rolling(3, min_periods=1).mean().to_numpy()
    ipca_12m = pd.Series(ipca_monthly).rolling(12, min_periods=1).mean().to_numpy()
    ipca_3m = pd.Series(ipca_monthly).rolling(3, min_periods=1).mean().to_numpy()
    focus_12m = 0.6 * 0.04 + 0.4 * ipca_12m + _ar1(rng, months, 0.7, 0.001)
    for m in range(1, months):
        prescribed = r_star[m] + focus_12m[m] + 1.5 * (focus_12m[m] - 0.04) + 0.5 * gap[m]
        move = 0.25 * (prescribed - selic[m - 1]) + rng.normal(0.0, 0.002)
        selic[m] = np.clip(selic[m - 1] + np.round(move / 0.0025) * 0.0025, 0.02, 0.16)
    activity_yoy = 0.015 + 1.5 * gap + _ar1(rng, months, 0.5, 0.004)
    debt = 0.62 + np.cumsum(rng.normal(0.002, 0.004, months))
    primary = _ar1(rng, months, 0.97, 0.002, start=-0.005)
    reserves = 360_000.0 * np.exp(np.cumsum(rng.normal(0.0, 0.01, months)))
    trade = 50_000.0 + _ar1(rng, months, 0.95, 3_000.0)
    us_core = 0.02 + _ar1(rng, months, 0.95, 0.0012)
    us_unemp = 0.045 + _ar1(rng, months, 0.97, 0.0015)
    fed = np.clip(0.025 + 1.5 * (us_core - 0.02) - 1.0 * (us_unemp - 0.045) + _ar1(rng, months, 0.98, 0.002),
                  0.0, 0.07)

    def released(monthly: np.ndarray) -> np.ndarray:
        """The value of the previous month, known from the first session of this one."""
        return monthly[np.maximum(month_of, 1) - 1]

    d_selic, d_focus = released(selic), released(focus_12m)
    level, slope = _ar1(rng, n, 0.995, 0.0008), 0.006 + _ar1(rng, n, 0.995, 0.0004)
    di = {name: d_selic - 0.001 + a * level + b * slope + c for name, a, b, c in (
        (pn.DI_1M, 0.1, 0.0, 0.0), (pn.DI_3M, 0.3, 0.1, 0.0), (pn.DI_6M, 0.5, 0.25, 0.0), (pn.DI_1Y, 1.0, 0.5, 0.0),
        (pn.DI_2Y, 1.0, 1.0, 0.0), (pn.DI_3Y, 1.0, 1.3, 0.001), (pn.DI_5Y, 1.0, 1.6, 0.003),
        (pn.DI_10Y, 1.0, 1.8, 0.006))}
    be_noise = _ar1(rng, n, 0.99, 0.0005)
    be2, be5 = d_focus + 0.002 + be_noise, d_focus + 0.004 + 1.3 * be_noise
    wti = _mean_reverting_log(rng, n, 65.0, 0.997, 0.02)
    dxy = _mean_reverting_log(rng, n, 97.0, 0.998, 0.005)
    real_diff = (d_selic - d_focus) - (released(fed) - released(us_core))
    fair = np.log(3.8) - 0.3 * np.log(wti / 65.0) + 0.8 * np.log(dxy / 97.0) - 2.0 * (real_diff - 0.04)
    log_fx = np.empty(n)
    log_fx[0] = fair[0]
    shocks = rng.normal(0.0, 0.009, n)
    for t in range(1, n):
        log_fx[t] = log_fx[t - 1] + 0.01 * (fair[t] - log_fx[t - 1]) + shocks[t]
    usdbrl = np.exp(log_fx)
    ibov = _gbm(rng, n, 50_000.0, 0.015, 0.0003)
    ust10 = released(fed) + 0.01 + _ar1(rng, n, 0.997, 0.0005)
    start_nan = slice(0, 60)

    columns = {
        pn.IPCA_12M: released(ipca_12m), pn.IPCA_3M_SAAR: released(ipca_3m), pn.CORE_12M: released(core_12m),
        pn.CORE_3M_SAAR: released(core_3m), pn.IPCA_DIFFUSION: released(0.6 + _ar1(rng, months, 0.6, 0.05)),
        pn.FOCUS_IPCA_12M: d_focus, pn.FOCUS_IPCA_CY: d_focus + 0.001, pn.FOCUS_IPCA_NY: 0.5 * d_focus + 0.02,
        pn.SELIC: d_selic, pn.FOCUS_SELIC_CY: d_selic + 0.3 * (released(r_star) + d_focus - d_selic),
        pn.FOCUS_SELIC_NY: d_selic + 0.6 * (released(r_star) + d_focus - d_selic),
        pn.ACTIVITY_GAP: released(gap), pn.ACTIVITY_YOY: released(activity_yoy),
        pn.FOCUS_GDP_CY: released(0.01 + 0.5 * activity_yoy), pn.UNEMPLOYMENT: released(0.10 - 0.5 * gap),
        pn.UNEMPLOYMENT_CHG_12M: released(pd.Series(-0.5 * gap).diff(12).to_numpy()),
        pn.CAPACITY_UTIL: released(0.78 + 2.0 * gap), pn.PRIMARY_BALANCE_GDP: released(primary),
        pn.GROSS_DEBT_GDP: released(debt), pn.NET_DEBT_GDP: released(debt - 0.15),
        pn.GROSS_DEBT_CHG_12M: released(pd.Series(debt).diff(12).to_numpy()),
        pn.RESERVES_USD_MN: released(reserves), pn.TRADE_BALANCE_12M_USD_MN: released(trade),
        pn.USDBRL: usdbrl, pn.FOCUS_FX_CY: pd.Series(usdbrl).rolling(21, min_periods=1).mean().to_numpy(),
        pn.IBOVESPA: ibov, pn.EWZ: ibov / usdbrl / 1_000.0, **di,
        pn.NTNB_REAL_2Y: (1 + di[pn.DI_2Y]) / (1 + be2) - 1, pn.NTNB_REAL_5Y: (1 + di[pn.DI_5Y]) / (1 + be5) - 1,
        pn.NTNB_REAL_10Y: (1 + di[pn.DI_10Y]) / (1 + be5 + 0.002) - 1, pn.BREAKEVEN_2Y: be2, pn.BREAKEVEN_5Y: be5,
        pn.US_FED_FUNDS: released(fed), pn.US_UST_2Y: released(fed) + _ar1(rng, n, 0.99, 0.0004),
        pn.US_UST_10Y: ust10, pn.US_TIPS_10Y: ust10 - 0.022, pn.US_BREAKEVEN_10Y: np.full(n, 0.022),
        pn.US_CORE_PCE_YOY: released(us_core), pn.US_CORE_CPI_YOY: released(us_core + 0.004),
        pn.US_UNEMPLOYMENT: released(us_unemp), pn.US_NAIRU: np.full(n, 0.045),
        pn.US_HY_OAS: _mean_reverting_log(rng, n, 0.04, 0.99, 0.02), pn.US_NFCI: -0.4 + _ar1(rng, n, 0.99, 0.03),
        pn.VIX: _mean_reverting_log(rng, n, 17.0, 0.98, 0.06), pn.DXY: dxy,
        pn.SP500: _gbm(rng, n, 2_000.0, 0.01, 0.0003), pn.WTI: wti, pn.GOLD: _gbm(rng, n, 1_200.0, 0.009),
    }
    panel = pd.DataFrame(columns, index=dates, dtype=np.float64)
    # Real curve and breakevens start later, as NTN-B fixings do in the stores.
    panel.loc[panel.index[start_nan], [pn.NTNB_REAL_2Y, pn.NTNB_REAL_5Y, pn.NTNB_REAL_10Y, pn.BREAKEVEN_2Y,
                                       pn.BREAKEVEN_5Y]] = np.nan
    return panel[list(pn.PANEL_COLUMNS)]
