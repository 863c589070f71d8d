"""Monthly macro models of the US and Brazil, with their policy rules.

US: output gap (AR(1) with real-rate drag and episode shocks), core PCE inflation (Phillips curve
anchored at 2%), unemployment (Okun's law around a declining NAIRU), and a balanced-approach Taylor
rule with a zero lower bound, moved in 25-75 bp steps at eight FOMC meetings a year.

Brazil: output gap (AR(1), real-rate drag, episodes), core inflation (hybrid Phillips curve on
Focus expectations, the gap and FX pass-through), headline = core + administered/food noise +
episodes, IPCA MoM with seasonality, expectations anchored to the target and partly adaptive, an
inflation-targeting rule moved in 25-100 bp Copom steps, and public debt that drifts with r - g and
primary deficits; net debt nets off reserves valued in BRL.
"""

from dataclasses import dataclass

import numpy as np

from adapters.market_data.synthetic.grid import TimeGrid, anbima_holiday_array, us_holiday_array
from adapters.market_data.synthetic.policy import (
    COPOM_MONTHS,
    FOMC_MONTHS,
    meeting_schedule,
    quantised_move,
)

# IPCA MoM seasonality (pp), higher in January-March; sums to zero over a year.
IPCA_SEASONAL = np.array([0.12, 0.15, 0.08, 0.0, -0.05, -0.10, -0.12, -0.10, -0.05, 0.0, 0.02, 0.05])
_TB_SEASONAL = np.array([-1500, -500, 0, 500, 1200, 1200, 800, 600, 300, 0, -600, -100], dtype=float)
TRADE_SEASONAL = _TB_SEASONAL - _TB_SEASONAL.mean()

USDBRL_START = 1.74
# Loadings of log USD/BRL on its drivers (see log_usdbrl).
FX_BRAZIL_RISK, FX_GLOBAL_RISK, FX_CARRY, FX_COMMODITY = 0.30, 0.20, 0.03, 0.15
SELIC_START, CARRY_START = 8.75, 8.65


def log_usdbrl(ppp: "np.ndarray | float", brazil_risk: "np.ndarray | float", fiscal_stress: "np.ndarray | float",
               global_risk: "np.ndarray | float", carry: "np.ndarray | float", commodity: "np.ndarray | float",
               deviation: "np.ndarray | float") -> "np.ndarray | float":
    """log USD/BRL = log S0 + PPP drift + risk premia - carry - terms of trade + a GARCH deviation."""
    value = (np.log(USDBRL_START) + ppp + FX_BRAZIL_RISK * (brazil_risk + fiscal_stress)
             + FX_GLOBAL_RISK * global_risk - FX_CARRY * (carry - CARRY_START) - FX_COMMODITY * commodity + deviation)
    return float(value) if np.ndim(value) == 0 else np.asarray(value)


def _piecewise(years: np.ndarray, knots: tuple[tuple[float, float], ...]) -> np.ndarray:
    xs, ys = zip(*knots, strict=True)
    return np.asarray(np.interp(years, xs, ys))


def inflation_target(years: np.ndarray) -> np.ndarray:
    """CMN's IPCA target by calendar year: 4.5% to 2018, then 4.25, 4.0, 3.75, 3.5, 3.25 and 3.0 from 2024."""
    table = {2019: 4.25, 2020: 4.0, 2021: 3.75, 2022: 3.5, 2023: 3.25}
    whole = np.floor(years).astype(int)
    return np.array([4.5 if y < 2019 else table.get(y, 3.0) for y in whole])


@dataclass(frozen=True, eq=False)
class UsMacro:
    """Monthly US state (index = month grid) and the FOMC decisions."""

    gap: np.ndarray
    core_pce_index: np.ndarray
    core_cpi_index: np.ndarray
    core_pce_12m: np.ndarray
    unemployment: np.ndarray
    nairu: np.ndarray
    real_gdp: np.ndarray
    potential_gdp: np.ndarray
    rule_rate: np.ndarray  # lower bound the Taylor rule asks for, %
    policy: np.ndarray  # lower bound of the target range at month end, %
    long_run: np.ndarray  # long-run nominal policy rate the market expects, %
    effective: np.ndarray  # decision effective dates (NaT when no meeting)


def simulate_us(grid: TimeGrid, monthly: dict[str, np.ndarray], rng: np.random.Generator) -> UsMacro:
    """Run the US monthly model; burn-in months hold the January-2010 state."""
    n, m0 = grid.n_months, grid.first_month
    e = rng.standard_normal((n, 5))
    years = grid.month_years()
    rstar = _piecewise(years, ((2010.0, 0.5), (2018.0, 0.5), (2024.0, 1.0)))
    nairu = _piecewise(years, ((2010.0, 5.0), (2020.0, 4.4)))
    effective = meeting_schedule(grid.months, FOMC_MONTHS, 15, us_holiday_array())
    gap, pce, cpi, u, pol, rule = (np.zeros(n) for _ in range(6))
    core12 = np.zeros(n)
    gap_endo, core = -4.5, 1.6
    f = 0.0
    for m in range(n):
        if m < m0:
            gap[m], u[m], pol[m], rule[m] = gap_endo, 9.8, 0.0, 0.0
            pce[m] = 91.0 * (1 + core / 1200) ** (m - m0)
            cpi[m] = 220.6 * (1 + (core + 0.35) / 1200) ** (m - m0)
            core12[m] = core
            continue
        real_rate = pol[m - 1] + 0.1 - core12[m - 1] - rstar[m]
        gap_endo = 0.985 * gap_endo - 0.015 * real_rate + 0.2 * e[m, 0]
        gap[m] = gap_endo + monthly["us_activity"][m]
        core = 0.9 * core + 0.1 * (2.0 + 0.12 * gap[m]) + 0.45 * e[m, 1]
        core_total = core + monthly["us_inflation"][m]
        pce[m] = pce[m - 1] * (1 + core_total / 1200)
        cpi[m] = cpi[m - 1] * (1 + (core_total + 0.35 + 0.6 * e[m, 2]) / 1200)
        core12[m] = (pce[m] / pce[m - 12] - 1) * 100
        u[m] = 0.75 * u[m - 1] + 0.25 * (nairu[m] - 0.5 * gap[m]) + 0.06 * e[m, 3]
        desired = (rstar[m] + core12[m - 1] + 0.25 * (core12[m - 1] - 2.0) + 0.5 * gap[m - 1]
                   + monthly["us_policy"][m])
        rule[m] = max(desired, 0.0)
        if not np.isnat(effective[m]):
            diff = rule[m] - f
            if diff < -2.0:  # emergency: cut toward zero at once, as in March 2020
                f = max(0.0, f - 1.5)
            elif rule[m] > 0.4 or f > 0:
                f = max(0.0, f + quantised_move(diff, speed=0.45, noise=0.05 * e[m, 4], hold_below=0.3,
                                                max_cut=1.0, max_hike=0.75))
        pol[m] = f
    potential = 17_300.0 * np.exp(0.019 * (years - years[m0]))
    return UsMacro(gap=gap, core_pce_index=pce, core_cpi_index=cpi, core_pce_12m=core12, unemployment=u,
                   nairu=nairu, real_gdp=potential * (1 + gap / 100), potential_gdp=potential, rule_rate=rule,
                   policy=pol, long_run=rstar + 2.0 + 0.5, effective=effective)


@dataclass(frozen=True, eq=False)
class BrazilInputs:
    """Monthly averages of the daily processes the Brazilian model reads."""

    global_risk: np.ndarray
    brazil_risk: np.ndarray
    commodity: np.ndarray
    fx_deviation: np.ndarray
    reserves: np.ndarray  # US$ mn


@dataclass(frozen=True, eq=False)
class BrazilMacro:
    """Monthly Brazilian state (index = month grid) and the Copom decisions."""

    gap: np.ndarray
    ibc: np.ndarray
    unemployment: np.ndarray
    capacity: np.ndarray
    core_mom: np.ndarray  # core inflation MoM, pp (before rounding)
    ipca_mom: np.ndarray  # rounded to 2 decimals, as published
    ipca_12m: np.ndarray
    expectation: np.ndarray  # 12-month-ahead expectation, %
    target: np.ndarray
    rstar: np.ndarray
    rule_rate: np.ndarray
    selic: np.ndarray  # Selic target at month end
    effective: np.ndarray
    primary_balance: np.ndarray
    gross_debt: np.ndarray
    net_debt: np.ndarray
    trade_balance: np.ndarray
    fiscal_stress: np.ndarray
    ppp: np.ndarray  # cumulated log inflation differential vs US core CPI
    carry: np.ndarray  # Selic minus Fed funds, pp
    usdbrl: np.ndarray  # monthly average
    potential_growth: np.ndarray  # % a year


def simulate_brazil(grid: TimeGrid, monthly: dict[str, np.ndarray], inputs: BrazilInputs, us: UsMacro,
                    rng: np.random.Generator) -> BrazilMacro:
    """Run the Brazilian monthly model; burn-in months hold the January-2010 state."""
    n, m0 = grid.n_months, grid.first_month
    e = rng.standard_normal((n, 13))
    years = grid.month_years()
    month_no = grid.month_numbers()
    target = inflation_target(years)
    rstar = _piecewise(years, ((2010.0, 5.5), (2016.0, 4.5), (2019.0, 2.5), (2021.0, 2.5), (2024.0, 4.5)))
    pot = _piecewise(years, ((2013.5, 2.8), (2014.5, 1.5), (2020.5, 1.5), (2021.5, 2.0)))
    natural_u = _piecewise(years, ((2020.0, 8.7), (2024.0, 7.2)))
    effective = meeting_schedule(grid.months, COPOM_MONTHS, 14, anbima_holiday_array())
    us_cpi_mom = np.zeros(n)
    us_cpi_mom[1:] = np.log(us.core_cpi_index[1:] / us.core_cpi_index[:-1])
    out = {k: np.zeros(n) for k in ("gap", "ibc", "u", "cap", "core_mom", "mom", "ipca12", "exp", "rule",
                                    "selic", "pb", "gross", "net", "tb", "fs", "ppp", "carry", "fx")}
    gap_endo, core, admin, pb_struct, expect = 0.5, 4.3, 0.0, 2.5, 4.5
    selic, price, real_level = SELIC_START, 1.0, 1.0
    y_month = 3.7e6 / 12  # R$ mn a month: 2010 GDP of about R$3.7tn
    gdp = np.full(n, y_month)
    debt = 0.52 * 12 * y_month
    for m in range(n):
        if m < m0:
            mom = round(((1 + core / 100) ** (1 / 12) - 1) * 100 + IPCA_SEASONAL[month_no[m] - 1] + 0.05 * e[m, 0], 2)
            out["mom"][m], out["core_mom"][m], out["exp"][m], out["selic"][m] = mom, core / 12, expect, selic
            out["gap"][m], out["u"][m], out["ipca12"][m], out["carry"][m] = gap_endo, 8.5, core, CARRY_START
            out["ibc"][m] = 131.0 * np.exp(pot[m] / 1200 * (m - m0)) * (1 + gap_endo / 100)
            out["cap"][m] = 79.5 + 1.1 * gap_endo
            out["gross"][m], out["pb"][m], out["fx"][m], out["rule"][m] = 52.0, pb_struct, USDBRL_START, selic
            continue
        ch = {k: v[m] for k, v in monthly.items()}
        # Activity: persistent gap, dragged by the ex-ante real rate of three months earlier.
        real_rate = out["selic"][m - 3] - out["exp"][m - 3] - rstar[m]
        gap_endo = 0.93 * gap_endo - 0.035 * real_rate + 0.25 * e[m, 1]
        gap = gap_endo + ch["br_activity"]
        real_level *= np.exp(pot[m] / 1200)
        out["ibc"][m] = 131.0 * real_level * (1 + gap / 100) + 0.35 * e[m, 2]
        out["u"][m] = 0.8 * out["u"][m - 1] + 0.2 * (natural_u[m] - 0.55 * gap) + 0.08 * e[m, 3]
        out["cap"][m] = 79.5 + 1.1 * gap + 0.4 * e[m, 4]
        # Prices: core follows expectations, the gap and FX pass-through; headline adds noisy components.
        fx_yoy = (out["fx"][m - 1] / out["fx"][m - 13] - 1) * 100
        core = 0.82 * core + 0.18 * (out["exp"][m - 1] + 0.3 * out["gap"][m - 1] + 0.05 * fx_yoy) + 0.35 * e[m, 5]
        admin = 0.6 * admin + 2.2 * e[m, 6]
        headline = core + admin + ch["br_inflation"]
        season = IPCA_SEASONAL[month_no[m] - 1]
        mom = round(((1 + headline / 100) ** (1 / 12) - 1) * 100 + season, 2)
        out["mom"][m] = mom
        out["core_mom"][m] = ((1 + core / 100) ** (1 / 12) - 1) * 100 + 0.4 * season
        out["ipca12"][m] = (np.prod(1 + out["mom"][m - 11:m + 1] / 100) - 1) * 100
        core12 = (np.prod(1 + out["core_mom"][m - 11:m + 1] / 100) - 1) * 100
        # Fiscal: the structural balance reverts to a target that rises with the debt ratio (Bohn's
        # reaction function, which keeps debt from exploding); episodes, the cycle and noise move it.
        pb_struct = 0.985 * pb_struct + 0.015 * (0.5 + 0.12 * (out["gross"][m - 1] - 60.0)) + 0.06 * e[m, 7]
        structural = pb_struct + ch["fiscal"]
        pb = structural + ch["fiscal_transient"] + 0.15 * gap + 0.1 * e[m, 8]
        price *= 1 + mom / 100
        gdp[m] = y_month * real_level * (1 + gap / 100) * price
        gdp12 = gdp[m - 11:m + 1].sum()
        implicit = 0.4 * out["selic"][m - 1] + 0.6 * (out["ipca12"][m] + 3.5)
        debt = debt * (1 + implicit / 100) ** (1 / 12) - pb / 100 * gdp[m] + 0.002 * gdp12 * e[m, 9]
        gross = 100 * debt / gdp12
        fs = max(0.0, (gross - 60.0) / 30.0) + max(0.0, -structural) / 4.0
        # Expectations: anchored to the target, partly adaptive, and de-anchored by fiscal stress.
        fresh = 0.6 * target[m] + 0.4 * (0.5 * out["ipca12"][m] + 0.5 * core12) + 0.5 * fs + 0.1 * e[m, 10]
        expect = 0.7 * expect + 0.3 * fresh
        # Copom: an inflation-targeting rule on information of the previous month.
        desired = (rstar[m] + ch["policy"] + out["exp"][m - 1] + 1.5 * (out["exp"][m - 1] - target[m])
                   + 0.3 * (out["ipca12"][m - 1] - target[m]) + 0.25 * out["gap"][m - 1] + 0.5 * out["fs"][m - 1])
        desired = min(max(desired, 2.0), 15.75)
        if not np.isnat(effective[m]):
            move = quantised_move(desired - selic, speed=0.5, noise=0.1 * e[m, 11], hold_below=0.375,
                                  max_cut=1.0, max_hike=1.0)
            selic = min(max(selic + move, 2.0), 16.0)
        out["ppp"][m] = out["ppp"][m - 1] + np.log(1 + mom / 100) - us_cpi_mom[m]
        out["carry"][m] = selic - us.policy[m] - 0.1
        log_fx = log_usdbrl(out["ppp"][m], inputs.brazil_risk[m], fs, inputs.global_risk[m], out["carry"][m],
                            inputs.commodity[m], inputs.fx_deviation[m])
        out["fx"][m] = float(np.exp(log_fx))
        real_fx = float(log_fx) - out["ppp"][m] - np.log(USDBRL_START)
        out["tb"][m] = (600.0 + 3000.0 * inputs.commodity[m] - 300.0 * gap + 5000.0 * real_fx
                        + 400.0 * max(0.0, years[m] - 2016.0) + TRADE_SEASONAL[month_no[m] - 1] + 600.0 * e[m, 12])
        out["net"][m] = gross - 100 * inputs.reserves[m] * out["fx"][m] / gdp12
        for key, value in (("gap", gap), ("pb", pb), ("gross", gross), ("fs", fs), ("exp", expect),
                           ("rule", desired), ("selic", selic)):
            out[key][m] = value
    return BrazilMacro(
        gap=out["gap"], ibc=out["ibc"], unemployment=out["u"], capacity=out["cap"], core_mom=out["core_mom"],
        ipca_mom=out["mom"], ipca_12m=out["ipca12"], expectation=out["exp"], target=target, rstar=rstar,
        rule_rate=out["rule"], selic=out["selic"], effective=effective, primary_balance=out["pb"],
        gross_debt=out["gross"], net_debt=out["net"], trade_balance=out["tb"], fiscal_stress=out["fs"],
        ppp=out["ppp"], carry=out["carry"], usdbrl=out["fx"], potential_growth=pot)
