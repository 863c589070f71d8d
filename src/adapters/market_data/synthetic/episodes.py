"""Stress and shock episodes: the exogenous drivers that give the synthetic market its history.

An episode switches on at its onset, ramps up linearly over ``ramp`` calendar days, holds for
``plateau`` days, then decays with a ``half_life``. Its effects load on named channels:

* daily channels (market levels): ``global_risk`` and ``brazil_risk`` (stress indices, 0 = calm,
  1 = a 2020-sized shock), ``commodity`` (log shift of oil), ``us_term`` (US term premium, pp);
* monthly channels (read at mid-month): ``br_activity`` and ``us_activity`` (output gap, pp),
  ``br_inflation`` and ``us_inflation`` (annualised inflation, pp), ``fiscal`` (primary balance,
  pp of GDP; ``fiscal_transient`` for one-off packages that markets look through), ``policy``
  and ``us_policy`` (Copom's and the Fed's deviations from their rules, pp).

The table below is calibrated to 2010-2024 (euro crises, taper tantrum, the 2014-16 Brazilian
crisis and commodity bust, Covid, the 2021-22 inflation shock, the 2024 fiscal scare); each seed
rescales its intensities. From 2025 on, episodes are drawn at random, year by year.
"""

from dataclasses import dataclass
from datetime import date

import numpy as np

from adapters.market_data.synthetic.grid import TimeGrid

DAILY_CHANNELS = ("global_risk", "brazil_risk", "commodity", "us_term")
MONTHLY_CHANNELS = ("br_activity", "us_activity", "br_inflation", "us_inflation", "fiscal", "fiscal_transient",
                    "policy", "us_policy")
RANDOM_FROM_YEAR = 2025


@dataclass(frozen=True, slots=True)
class Episode:
    """One shock: timing, shape and loadings on channels."""

    name: str
    onset: date
    ramp: float
    plateau: float
    half_life: float
    effects: tuple[tuple[str, float], ...]

    def scaled(self, factor: float) -> "Episode":
        """The same episode with every loading multiplied by ``factor``."""
        return Episode(self.name, self.onset, self.ramp, self.plateau, self.half_life,
                       tuple((c, v * factor) for c, v in self.effects))


def _ep(name: str, onset: str, ramp: float, plateau: float, half_life: float, **effects: float) -> Episode:
    return Episode(name, date.fromisoformat(onset), ramp, plateau, half_life, tuple(effects.items()))


HISTORY: tuple[Episode, ...] = (
    _ep("2010 boom", "2010-01-04", 180, 150, 240, br_activity=2.0),
    _ep("zero-bound forward guidance", "2010-01-04", 1, 1900, 200, us_policy=-1.5),
    _ep("euro crisis I", "2010-04-26", 25, 30, 45, global_risk=0.35),
    _ep("commodity supercycle", "2010-09-01", 200, 1200, 3000, commodity=0.22),
    _ep("QE2", "2010-11-03", 200, 600, 400, us_term=-0.5),
    _ep("euro crisis II and US downgrade", "2011-07-25", 12, 70, 90, global_risk=0.6, us_activity=-0.8),
    _ep("dovish Copom", "2011-08-01", 120, 540, 150, policy=-3.0),
    _ep("QE3", "2012-09-13", 120, 300, 300, us_term=-0.4),
    _ep("taper tantrum", "2013-05-22", 25, 80, 90, global_risk=0.25, brazil_risk=0.35),
    _ep("taper term premium", "2013-05-22", 60, 200, 500, us_term=0.8),
    _ep("fiscal deterioration", "2014-01-01", 900, 3000, 3000, fiscal=-2.8),
    _ep("commodity bust", "2014-07-01", 540, 120, 2500, commodity=-0.75),
    _ep("Brazil political and fiscal crisis", "2014-09-01", 420, 150, 300, brazil_risk=0.85),
    _ep("Brazil recession", "2014-10-01", 540, 120, 600, br_activity=-5.0),
    _ep("administered prices", "2015-01-01", 30, 150, 90, br_inflation=5.0),
    _ep("China devaluation", "2015-08-11", 10, 30, 60, global_risk=0.4),
    _ep("energy credit stress", "2016-01-04", 20, 20, 40, global_risk=0.3),
    _ep("spending cap", "2017-01-01", 800, 1500, 2000, fiscal=1.0),
    _ep("JBS tape", "2017-05-18", 1, 3, 25, brazil_risk=0.35),
    _ep("volatility shock", "2018-02-05", 2, 5, 20, global_risk=0.3),
    _ep("truckers' strike and election", "2018-05-21", 10, 110, 45, brazil_risk=0.4),
    _ep("truckers' strike output loss", "2018-05-21", 5, 20, 30, br_activity=-1.5),
    _ep("Q4 2018 sell-off", "2018-10-03", 60, 20, 40, global_risk=0.35),
    _ep("Covid markets", "2020-02-21", 18, 12, 55, global_risk=1.15),
    _ep("Covid Brazil risk", "2020-02-24", 25, 60, 150, brazil_risk=0.45),
    _ep("Covid oil", "2020-02-21", 40, 20, 90, commodity=-0.8),
    _ep("Covid output loss, Brazil", "2020-03-15", 30, 10, 50, br_activity=-11.0),
    _ep("Covid output loss, US", "2020-03-01", 40, 10, 50, us_activity=-11.0),
    _ep("Covid QE", "2020-03-23", 40, 400, 300, us_term=-1.2),
    _ep("Covid forward guidance", "2020-03-01", 1, 600, 90, us_policy=-4.5),
    _ep("Covid scarring, US", "2020-03-15", 30, 200, 300, us_activity=-2.5),
    _ep("Covid emergency easing", "2020-03-15", 30, 240, 120, policy=-4.0),
    _ep("Covid fiscal package", "2020-03-20", 270, 30, 90, fiscal_transient=-8.0),
    _ep("global reflation, Brazil", "2021-01-01", 240, 300, 150, br_inflation=6.0),
    _ep("global reflation, US", "2021-01-01", 300, 270, 240, us_inflation=2.8),
    _ep("Fed sees transitory inflation", "2021-01-01", 1, 420, 150, us_policy=-2.5),
    _ep("commodity rebound", "2021-01-01", 300, 200, 400, commodity=0.35),
    _ep("rate shock and Ukraine", "2022-02-24", 30, 200, 150, global_risk=0.35),
    _ep("Ukraine oil", "2022-02-24", 10, 80, 120, commodity=0.3),
    _ep("fuel tax cuts", "2022-07-01", 10, 75, 20, br_inflation=-9.0),
    _ep("2023 deficit", "2023-01-01", 300, 600, 700, fiscal=-1.5),
    _ep("fiscal framework", "2024-01-01", 365, 1000, 1000, fiscal=0.8),
    _ep("Treasury supply and QT", "2023-08-01", 60, 90, 200, us_term=0.6),
    _ep("regional bank failures", "2023-03-10", 4, 10, 30, global_risk=0.25),
    _ep("yen carry unwind", "2024-08-02", 2, 3, 12, global_risk=0.22),
    _ep("Brazil fiscal scare", "2024-09-15", 90, 45, 150, brazil_risk=0.55),
)


def random_episodes(rng: np.random.Generator, last_year: int) -> list[Episode]:
    """Episodes for RANDOM_FROM_YEAR..last_year, one row of uniforms per year (prefix-stable)."""
    years = list(range(RANDOM_FROM_YEAR, last_year + 1))
    draws = rng.random((len(years), 10))
    out: list[Episode] = []
    for year, u in zip(years, draws, strict=True):
        jan1 = date(year, 1, 1).toordinal()
        if u[0] < 0.45:
            onset = date.fromordinal(jan1 + int(u[1] * 365)).isoformat()
            if u[2] > 0.9:
                out.append(_ep(f"{year} global crash", onset, 15, 20, 60, global_risk=0.9))
                out.append(_ep(f"{year} global recession", onset, 120, 90, 240, us_activity=-3.0,
                               br_activity=-2.5))
            else:
                out.append(_ep(f"{year} global risk-off", onset, 5 + 40 * u[3], 10 + 60 * u[3], 30 + 60 * u[3],
                               global_risk=0.2 + 0.45 * u[2] ** 2))
        if u[4] < 0.35:
            onset = date.fromordinal(jan1 + int(u[5] * 365)).isoformat()
            out.append(_ep(f"{year} Brazil risk", onset, 20 + 100 * u[7], 30 + 90 * u[7], 60 + 120 * u[7],
                           brazil_risk=0.25 + 0.5 * u[6] ** 2))
            if u[6] > 0.7:
                out.append(_ep(f"{year} Brazil fiscal slippage", onset, 365, 700, 700, fiscal=-1.5 * u[6]))
                out.append(_ep(f"{year} Brazil slowdown", onset, 240, 120, 300, br_activity=-3.0 * u[6]))
        if u[8] < 0.15:
            onset = f"{year}-{1 + int(u[9] * 12):02d}-01"
            out.append(_ep(f"{year} inflation shock", onset, 120, 180, 120, br_inflation=2.0 + 3.0 * u[9],
                           us_inflation=1.5 * u[9]))
    return out


def _shape(offset_days: np.ndarray, ep: Episode) -> np.ndarray:
    t = offset_days
    ramp = max(ep.ramp, 1.0)
    out = np.zeros(t.shape)
    rising = (t >= 0) & (t < ramp)
    out[rising] = t[rising] / ramp
    out[(t >= ramp) & (t < ramp + ep.plateau)] = 1.0
    decaying = t >= ramp + ep.plateau
    out[decaying] = 0.5 ** ((t[decaying] - ramp - ep.plateau) / ep.half_life)
    return out


@dataclass(frozen=True, eq=False)
class Channels:
    """Every channel's path: daily ones on the weekday grid, monthly ones on the month grid."""

    daily: dict[str, np.ndarray]
    monthly: dict[str, np.ndarray]


def build_channels(grid: TimeGrid, scale_rng: np.random.Generator, random_rng: np.random.Generator) -> Channels:
    """Sum the episodes' loadings on each channel; historical intensities rescaled by exp(0.15 N(0,1))."""
    factors = np.exp(0.15 * scale_rng.standard_normal(len(HISTORY)))
    last_year = int(str(grid.days[-1])[:4])
    episodes = [ep.scaled(float(f)) for ep, f in zip(HISTORY, factors, strict=True)]
    episodes += random_episodes(random_rng, last_year)
    daily = {c: np.zeros(grid.n_days) for c in DAILY_CHANNELS}
    monthly = {c: np.zeros(grid.n_months) for c in MONTHLY_CHANNELS}
    day_ord = grid.days.astype(np.int64).astype(np.float64)
    mid_month = (grid.month_starts() + 14).astype(np.int64).astype(np.float64)
    epoch = date(1970, 1, 1).toordinal()
    for ep in episodes:
        onset = float(ep.onset.toordinal() - epoch)
        daily_shape: np.ndarray | None = None
        monthly_shape: np.ndarray | None = None
        for channel, value in ep.effects:
            if channel in daily:
                if daily_shape is None:
                    daily_shape = _shape(day_ord - onset, ep)
                daily[channel] += value * daily_shape
            else:
                if monthly_shape is None:
                    monthly_shape = _shape(mid_month - onset, ep)
                monthly[channel] += value * monthly_shape
    return Channels(daily, monthly)
