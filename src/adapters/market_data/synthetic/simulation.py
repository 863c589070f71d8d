"""One full simulated path: every model run in dependency order, each on its own random stream.

Each component draws from ``Generator(PCG64(seed).jumped(k))`` with a fixed ``k`` per component and
draws whole arrays in one call per stream, so a day's values never depend on how far the horizon
extends (random draws are prefix-stable) and adding draws to one component leaves the others alone.
"""

from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.random import PCG64, Generator

from adapters.market_data.synthetic.curves import BrazilCurve, UsCurves, ar1, garch_t_shocks, simulate_us_curves
from adapters.market_data.synthetic.episodes import Channels, build_channels
from adapters.market_data.synthetic.focus import FocusInflation, simulate_focus_inflation, year_end_selic
from adapters.market_data.synthetic.grid import TimeGrid, build_grid
from adapters.market_data.synthetic.macro import (
    SELIC_START,
    BrazilInputs,
    BrazilMacro,
    UsMacro,
    simulate_brazil,
    simulate_us,
)
from adapters.market_data.synthetic.markets import (
    BrazilMarkets,
    FedFunds,
    GlobalMarkets,
    correlated_shocks,
    simulate_brazil_markets,
    simulate_fed_funds,
    simulate_fx_deviation,
    simulate_global,
    simulate_reserves,
    stress_weight,
)
from adapters.market_data.synthetic.policy import step_path

_STREAMS = ("episode_scale", "episode_random", "us_macro", "fed_funds", "us_curves", "shocks", "shock_scale",
            "fx_jumps", "reserves", "br_macro", "br_markets", "focus", "br_curve", "cores",
            "release_jitter", "di1", "revisions")


def stream(seed: int, name: str) -> Generator:
    """The named component's generator: PCG64(seed) jumped ahead by the component's index."""
    return Generator(PCG64(seed).jumped(_STREAMS.index(name) + 1))


@dataclass(frozen=True, eq=False)
class Simulation:
    """Everything simulated for one (seed, start, horizon)."""

    seed: int
    grid: TimeGrid
    channels: Channels
    us: UsMacro
    fed: FedFunds
    ust: UsCurves
    glob: GlobalMarkets
    reserves: np.ndarray
    br: BrazilMacro
    brm: BrazilMarkets
    focus: FocusInflation
    curve: BrazilCurve
    selic: np.ndarray  # daily Selic target, %
    focus_selic_cy: np.ndarray
    focus_selic_ny: np.ndarray

    def rng(self, name: str) -> Generator:
        """A fresh generator for a named component that runs after the simulation (cores, jitter, DI1)."""
        return stream(self.seed, name)


def _brazil_curve(grid: TimeGrid, br: BrazilMacro, focus: FocusInflation, selic: np.ndarray,
                  daily: dict[str, np.ndarray], rng: Generator) -> BrazilCurve:
    sbr = daily["brazil_risk"]
    fiscal = grid.interpolate(br.fiscal_stress)
    target = grid.interpolate(br.target.astype(float))
    # GARCH(1,1)-t shocks: DI moves cluster and have fat tails, as they do around Copom and fiscal news.
    e = garch_t_shocks(rng, grid.n_days, 3)
    return BrazilCurve(
        selic=selic,
        rule=grid.interpolate(br.rule_rate),
        long_run=grid.interpolate(br.rstar) + 0.5 * (target + focus.ipca_12m) + 1.5 * fiscal,
        term_premium=0.6 + 2.2 * sbr + 1.5 * fiscal,
        level=ar1(e[:, 0] * (1 + 0.8 * sbr), 0.05, 0.995),
        slope=ar1(e[:, 1] * (1 + 0.8 * sbr), 0.04, 0.995),
        inflation_12m=focus.ipca_12m,
        inflation_long=0.5 * target + 0.5 * focus.ipca_ny + 0.3 * fiscal,
        inflation_premium=0.25 + 0.5 * sbr + 0.3 * fiscal,
        real_noise=ar1(e[:, 2], 0.02, 0.99),
    )


def simulate(seed: int, start: date, horizon_end: date) -> Simulation:
    """Run every model for the whole path from ``start`` to the end of ``horizon_end``'s month."""
    grid = build_grid(start, horizon_end)
    channels = build_channels(grid, stream(seed, "episode_scale"), stream(seed, "episode_random"))
    daily = channels.daily
    us = simulate_us(grid, channels.monthly, stream(seed, "us_macro"))
    fed = simulate_fed_funds(grid, us, stream(seed, "fed_funds"))
    ust = simulate_us_curves(grid, us, fed.effr, daily["global_risk"], daily["us_term"], stream(seed, "us_curves"))
    shocks = correlated_shocks(stress_weight(daily), stream(seed, "shocks"), stream(seed, "shock_scale"))
    glob = simulate_global(grid, daily, fed, ust, shocks)
    deviation = simulate_fx_deviation(grid, daily, shocks, stream(seed, "fx_jumps"))
    reserves = simulate_reserves(grid, daily, glob.dxy, stream(seed, "reserves"))
    inputs = BrazilInputs(global_risk=grid.monthly_mean(daily["global_risk"]),
                          brazil_risk=grid.monthly_mean(daily["brazil_risk"]),
                          commodity=grid.monthly_mean(np.log(glob.wti / 79.0)),
                          fx_deviation=grid.monthly_mean(deviation), reserves=grid.monthly_mean(reserves))
    br = simulate_brazil(grid, channels.monthly, inputs, us, stream(seed, "br_macro"))
    brm = simulate_brazil_markets(grid, daily, br, glob, deviation, shocks, stream(seed, "br_markets"))
    focus = simulate_focus_inflation(grid, br, brm.usdbrl, stream(seed, "focus"))
    selic = step_path(grid.days, br.effective, br.selic, SELIC_START)
    curve = _brazil_curve(grid, br, focus, selic, daily, stream(seed, "br_curve"))
    return Simulation(seed=seed, grid=grid, channels=channels, us=us, fed=fed, ust=ust, glob=glob, reserves=reserves,
                      br=br, brm=brm, focus=focus, curve=curve, selic=selic,
                      focus_selic_cy=year_end_selic(grid, curve, 0), focus_selic_ny=year_end_selic(grid, curve, 1))
