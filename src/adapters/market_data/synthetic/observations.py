"""Every catalogue series of the simulation, sampled on its market's calendar and rounded as its source publishes."""

from datetime import date

import numpy as np

from adapters.market_data.synthetic.grid import anbima_holiday_array, us_holiday_array
from adapters.market_data.synthetic.releases import (
    RevisionSchedule,
    SeriesTable,
    daily_table,
    periodic_table,
    weekly_table,
    with_revisions,
)
from adapters.market_data.synthetic.simulation import Simulation
from domain.market.bronze import Connector
from domain.market.series import SERIES, Frequency

# FRED's SOFR starts on 3 April 2018 (first observation dated 2 April).
SOFR_FIRST_DAY = np.datetime64(date(2018, 4, 2), "D")
PTAX_SPREAD = 0.0006  # sell minus buy of the closing bulletin

# Series revised after their first print, and how. The last vintage is the simulated (final) value.
# IBC-Br: the seasonally adjusted index of the previous month is revised with each new month (first
# print within about 0.4% of the final). Primary balance: the BCB revises the previous month's fiscal
# statistics with the next release. Core PCE: the BEA revises the prior month's prices with each
# release. US real GDP: the advance estimate, then the second and third estimates a month and two
# months later (advance within about 0.3% of the level, second within 0.15%).
# Revisions land within the ingestion's 120-day trailing window except the GDP estimates (see docs/decisions.md).
REVISIONS: dict[str, RevisionSchedule] = {
    "BR_IBC_BR": RevisionSchedule(at=(("next", 1),), errors=(0.004,), relative=True),
    "BR_PRIMARY_BALANCE_GDP": RevisionSchedule(at=(("next", 1),), errors=(0.05,), relative=False),
    "US_CORE_PCE": RevisionSchedule(at=(("next", 1),), errors=(0.0002,), relative=True),
    "US_REAL_GDP": RevisionSchedule(at=(("days", 30), ("days", 60)), errors=(0.003, 0.0015), relative=True),
}


def _daily_rate(annual_pct: np.ndarray) -> np.ndarray:
    """% a day of an annual % rate on 252 business days: ((1 + r)^(1/252) - 1) x 100."""
    return ((1 + annual_pct / 100) ** (1 / 252) - 1) * 100


def _cores(sim: Simulation) -> dict[str, np.ndarray]:
    """Three core measures: smoothed trimmed means, exclusion, double weighting; all smoother than headline."""
    e = sim.rng("cores").standard_normal((sim.grid.n_months, 4))
    core, head = sim.br.core_mom, sim.br.ipca_mom
    trimmed = core + 0.03 * e[:, 0]
    return {
        "BR_IPCA_CORE_MA": trimmed,
        "BR_IPCA_CORE_EX": core + 0.06 * e[:, 1] + 0.1 * (head - core),
        "BR_IPCA_CORE_DP": core + 0.05 * e[:, 2] + 0.15 * (head - core),
        "BR_IPCA_DIFFUSION": np.clip(50 + 35 * (trimmed - 0.1) + 3 * e[:, 3], 30, 85),
    }


def _monthly_values(sim: Simulation) -> dict[str, tuple[np.ndarray, int]]:
    br, us = sim.br, sim.us
    values: dict[str, tuple[np.ndarray, int]] = {
        "BR_IPCA_MOM": (br.ipca_mom, 2), "BR_IPCA_12M": (br.ipca_12m, 2), "BR_IBC_BR": (br.ibc, 2),
        "BR_UNEMPLOYMENT": (br.unemployment, 1), "BR_CAPACITY_UTIL": (br.capacity, 1),
        "BR_PRIMARY_BALANCE_GDP": (br.primary_balance, 2), "BR_GROSS_DEBT_GDP": (br.gross_debt, 2),
        "BR_NET_DEBT_GDP": (br.net_debt, 2), "BR_TRADE_BALANCE": (br.trade_balance, 1),
        "US_CORE_PCE": (us.core_pce_index, 3), "US_CORE_CPI": (us.core_cpi_index, 3),
        "US_UNEMPLOYMENT": (us.unemployment, 1), "US_NAIRU": (us.nairu, 2), "US_REAL_GDP": (us.real_gdp, 3),
        "US_POTENTIAL_GDP": (us.potential_gdp, 3),
    }
    values.update({k: (v, 2) for k, v in _cores(sim).items()})
    return values


def _daily_values(sim: Simulation) -> dict[str, tuple[np.ndarray, np.ndarray, int]]:
    """series id -> (daily values on the weekday grid, open-day mask, decimals)."""
    g, f, ust, glob, brm = sim.grid, sim.focus, sim.ust, sim.glob, sim.brm
    weekdays = np.ones(g.n_days, dtype=bool)
    ptax_buy = np.round(brm.ptax_buy, 4)
    dgs10, dfii10 = np.round(ust.nominal_at("10 Yr"), 2), np.round(ust.real_at("10 YR"), 2)
    return {
        "BR_SELIC_TARGET": (sim.selic, g.anbima, 2),
        "BR_SELIC_DAILY": (_daily_rate(sim.selic - 0.10), g.anbima, 6),
        "BR_CDI_DAILY": (_daily_rate(sim.selic - 0.11), g.anbima, 6),
        "BR_RESERVES": (sim.reserves, g.anbima, 0),
        "BR_FOCUS_IPCA_12M": (f.ipca_12m, g.anbima, 2),
        "BR_FOCUS_IPCA_CY": (f.ipca_cy, g.anbima, 2),
        "BR_FOCUS_IPCA_NY": (f.ipca_ny, g.anbima, 2),
        "BR_FOCUS_SELIC_CY": (sim.focus_selic_cy, g.anbima, 2),
        "BR_FOCUS_SELIC_NY": (sim.focus_selic_ny, g.anbima, 2),
        "BR_FOCUS_GDP_CY": (f.gdp_cy, g.anbima, 2),
        "BR_FOCUS_FX_CY": (f.fx_cy, g.anbima, 2),
        "BR_PTAX_BUY": (ptax_buy, g.b3, 4),
        "BR_PTAX_SELL": (ptax_buy + PTAX_SPREAD, g.b3, 4),
        "US_FED_FUNDS": (sim.fed.effr, g.us_bond, 2),
        "US_SOFR": (sim.fed.sofr, g.us_bond & (g.days >= SOFR_FIRST_DAY), 2),
        "US_UST_2Y": (ust.nominal_at("2 Yr"), g.us_bond, 2),
        "US_UST_5Y": (ust.nominal_at("5 Yr"), g.us_bond, 2),
        "US_UST_10Y": (dgs10, g.us_bond, 2),
        "US_TIPS_10Y": (dfii10, g.us_bond, 2),
        "US_BREAKEVEN_10Y": (dgs10 - dfii10, g.us_bond, 2),
        "US_HY_OAS": (glob.hy_oas, g.us_bond, 2),
        "US_VIX": (glob.vix, g.nyse, 2),
        "MKT_USDBRL": (brm.usdbrl, weekdays, 4),
        "MKT_DXY": (glob.dxy, g.nyse, 3),
        "MKT_IBOVESPA": (brm.ibovespa, g.b3, 0),
        "MKT_SP500": (glob.sp500, g.nyse, 2),
        "MKT_VIX": (glob.vix, g.nyse, 2),
        "MKT_WTI": (glob.wti, g.nyse, 2),
        "MKT_GOLD": (glob.gold, g.nyse, 1),
        "MKT_EWZ": (brm.ewz, g.nyse, 2),
    }


def build_series(sim: Simulation) -> dict[str, SeriesTable]:
    """A point-in-time table for every series of the catalogue."""
    g = sim.grid
    daily, monthly = _daily_values(sim), _monthly_values(sim)
    weekly = {"US_NFCI": (sim.glob.nfci, 5)}
    # Series with the same source and lag come out of one publication (IPCA and its cores, the fiscal
    # statistics...), so they share one seeded jitter per month.
    periodic = [s for s in SERIES.values() if s.frequency in (Frequency.MONTHLY, Frequency.QUARTERLY)]
    releases = sorted({(s.connector.value, s.release_lag_days) for s in periodic})
    jitter = sim.rng("release_jitter").integers(-2, 3, size=(g.n_months, len(releases)))
    tables: dict[str, SeriesTable] = {}
    for spec in SERIES.values():
        brazil = spec.connector in (Connector.BCB_SGS, Connector.BCB_PTAX)
        holidays = anbima_holiday_array() if brazil else us_holiday_array()
        if spec.frequency == Frequency.WEEKLY:
            values, decimals = weekly[spec.series_id]
            tables[spec.series_id] = weekly_table(g, spec, values, decimals, holidays)
        elif spec.frequency == Frequency.DAILY:
            values, open_days, decimals = daily[spec.series_id]
            tables[spec.series_id] = daily_table(g, spec, values, open_days, decimals, holidays)
        else:
            values, decimals = monthly[spec.series_id]
            column = jitter[:, releases.index((spec.connector.value, spec.release_lag_days))]
            tables[spec.series_id] = periodic_table(g, spec, values, decimals, column, holidays)
    # One row of normals per month of the grid and series, drawn whole: a month's revision never
    # depends on the horizon.
    draws = sim.rng("revisions").standard_normal((g.n_months, len(REVISIONS), 2))
    for j, (series_id, schedule) in enumerate(REVISIONS.items()):
        spec = SERIES[series_id]
        holidays = anbima_holiday_array() if spec.connector == Connector.BCB_SGS else us_holiday_array()
        first = g.first_month
        period = 3 if spec.frequency == Frequency.QUARTERLY else 1
        rows = draws[first::period, j, :][: tables[series_id].obs.size]
        tables[series_id] = with_revisions(tables[series_id], schedule, rows, monthly[series_id][1], holidays)
    return tables
