"""Term structures: the DI curve and its real and breakeven legs, and the US Treasury curves.

Both nominal curves are an expected policy path plus a term premium plus noise. The expected path
on a day starts at the policy rate ``i0``, converges to the rule-implied rate ``i*`` with time
constant ``T1`` and then to a long-run anchor ``iLR`` with ``T2``:

    i(h) = iLR + (i* - iLR) exp(-h/T2) + (i0 - i*) exp(-h/T1)

and a zero rate of maturity ``tau`` averages it: ``iLR + (i* - iLR) phi(tau, T2) + (i0 - i*) phi(tau, T1)``
with ``phi(tau, T) = T (1 - exp(-tau/T)) / tau``. The DI term premium rises with Brazilian risk and
fiscal stress; the breakeven curve runs from 12-month Focus expectations to a long-run anchor plus
an inflation risk premium; NTN-B real yields follow from Fisher: (1 + n) / (1 + b) - 1.
"""

from dataclasses import dataclass

import numpy as np

from adapters.market_data.synthetic.grid import TimeGrid
from adapters.market_data.synthetic.macro import UsMacro
from domain.market.series import UST_REAL_TENOR_DAYS, UST_TENOR_DAYS


def phi(tau: np.ndarray, horizon: float) -> np.ndarray:
    """Average over [0, tau] of exp(-h / horizon): horizon (1 - exp(-tau/horizon)) / tau (1 at tau = 0)."""
    tau = np.asarray(tau, dtype=float)
    safe = np.maximum(tau, 1e-9)
    return np.where(tau > 1e-9, horizon * (1 - np.exp(-safe / horizon)) / safe, 1.0)


def path_average(i0: np.ndarray, istar: np.ndarray, ilr: np.ndarray, tau: np.ndarray, t1: float,
                 t2: float) -> np.ndarray:
    """Average expected policy rate over [0, tau] years."""
    return np.asarray(ilr + (istar - ilr) * phi(tau, t2) + (i0 - istar) * phi(tau, t1))


def path_point(i0: np.ndarray, istar: np.ndarray, ilr: np.ndarray, h: np.ndarray, t1: float,
               t2: float) -> np.ndarray:
    """Expected policy rate ``h`` years ahead."""
    return np.asarray(ilr + (istar - ilr) * np.exp(-h / t2) + (i0 - istar) * np.exp(-h / t1))


def ar1(shocks: np.ndarray, sigma: float, persistence: float) -> np.ndarray:
    """x_t = persistence x_{t-1} + sigma e_t, from x_0 = sigma e_0."""
    # A plain loop: a few ms for 5,000 days, and it spares importing scipy.signal (over a second).
    out = (sigma * np.asarray(shocks, dtype=float)).tolist()
    for t in range(1, len(out)):
        out[t] += persistence * out[t - 1]
    return np.asarray(out)


T_DF = 5.0


def student_t(normal: np.ndarray, chi2: np.ndarray, df: float = T_DF) -> np.ndarray:
    """Unit-variance Student-t draws from standard normals and chi-square(df) draws: z sqrt((df - 2) / w)."""
    return np.asarray(normal / np.sqrt(chi2 / df) * np.sqrt((df - 2) / df))


def garch_variance(z: np.ndarray, alpha: float = 0.07, beta: float = 0.91) -> np.ndarray:
    """GARCH(1,1) variance multiplier with unit mean: h_t = (1 - a - b) + a h_{t-1} z_{t-1}^2 + b h_{t-1}.

    ``z`` are the unit-variance innovations; the shock of day t is sqrt(h_t) z_t, so a large move
    raises the next days' variance (volatility clustering) while each day's change stays serially
    uncorrelated.
    """
    omega = 1.0 - alpha - beta
    h = [1.0] * len(z)
    zz = (np.asarray(z) ** 2).tolist()
    for t in range(1, len(h)):
        h[t] = omega + (alpha * zz[t - 1] + beta) * h[t - 1]
    return np.asarray(h)


def garch_t_shocks(rng: np.random.Generator, n: int, k: int) -> np.ndarray:
    """``k`` independent columns of unit-mean-variance GARCH(1,1) shocks with Student-t innovations.

    One row of (1 + T_DF) k standard normals per day: k for the shocks, and T_DF per shock whose squares
    sum to its chi-square scale, so that a day's draws never depend on how many days are simulated.
    """
    df = int(T_DF)
    normal = rng.standard_normal((n, k * (1 + df)))
    chi2 = (normal[:, k:] ** 2).reshape(n, k, df).sum(axis=2)
    z = student_t(normal[:, :k], chi2)
    return np.column_stack([np.sqrt(garch_variance(z[:, j])) * z[:, j] for j in range(k)])


@dataclass(frozen=True, eq=False)
class UsCurves:
    """Daily US Treasury par yields in percent (columns in UST_TENOR_DAYS / UST_REAL_TENOR_DAYS order)."""

    nominal: np.ndarray
    real: np.ndarray

    def nominal_at(self, label: str) -> np.ndarray:
        """One nominal tenor column by its Treasury label ('10 Yr')."""
        return self.nominal[:, list(UST_TENOR_DAYS).index(label)]

    def real_at(self, label: str) -> np.ndarray:
        """One real tenor column by its Treasury label ('10 YR')."""
        return self.real[:, list(UST_REAL_TENOR_DAYS).index(label)]


def simulate_us_curves(grid: TimeGrid, us: UsMacro, effr: np.ndarray, global_risk: np.ndarray,
                       us_term: np.ndarray, rng: np.random.Generator) -> UsCurves:
    """US nominal and real par curves from the expected Fed path, a term premium and three AR(1) factors.

    The factors' daily shocks are GARCH(1,1) with Student-t innovations (fat tails, volatility
    clustering); the level factor's volatility also rises with global risk.
    """
    e = garch_t_shocks(rng, grid.n_days, 3)
    level = ar1(e[:, 0] * (1 + 0.5 * global_risk), 0.04, 0.99)
    slope = ar1(e[:, 1], 0.03, 0.99)
    be_noise = ar1(e[:, 2], 0.015, 0.995)
    rule = np.maximum(grid.interpolate(us.rule_rate), 0.05)
    long_run = grid.interpolate(us.long_run)
    core12 = grid.interpolate(us.core_pce_12m)
    term = 0.25 + us_term + 0.15 * (core12 - 2.0)
    tau = np.array(list(UST_TENOR_DAYS.values()), dtype=float)[None, :] / 365.0
    col = (slice(None), None)
    nominal = (path_average(effr[col], rule[col], long_run[col], tau, 0.5, 2.5) - 0.04
               + term[col] * (1 - np.exp(-tau / 6.0)) + level[col] * (1 - np.exp(-tau / 0.5))
               + slope[col] * (1 - np.exp(-tau / 3.0)))
    nominal = np.maximum(nominal, 0.01)
    real_tau = np.array(list(UST_REAL_TENOR_DAYS.values()), dtype=float)[None, :] / 365.0
    real_cols = [list(UST_TENOR_DAYS.values()).index(d) for d in UST_REAL_TENOR_DAYS.values()]
    breakeven = (2.1 + 0.35 * (core12[col] - 2.0) * np.exp(-real_tau / 4.0) - 0.7 * global_risk[col]
                 + be_noise[col])
    return UsCurves(nominal=nominal, real=nominal[:, real_cols] - breakeven)


@dataclass(frozen=True, eq=False)
class BrazilCurve:
    """Daily state of the DI curve and its inflation leg; evaluate it at any (day, maturity) pairs."""

    selic: np.ndarray  # Selic target, %
    rule: np.ndarray  # rule-implied Selic, %
    long_run: np.ndarray  # long-run Selic anchor, %
    term_premium: np.ndarray  # long-end term premium, pp
    level: np.ndarray  # AR(1) level factor, pp
    slope: np.ndarray  # AR(1) slope factor, pp
    inflation_12m: np.ndarray  # Focus 12-month-ahead IPCA, %
    inflation_long: np.ndarray  # long-run inflation anchor, %
    inflation_premium: np.ndarray  # long-end inflation risk premium, pp
    real_noise: np.ndarray  # AR(1) liquidity noise of NTN-B yields, pp

    def nominal(self, day: np.ndarray, tau: np.ndarray) -> np.ndarray:
        """DI (CDI-based) zero rate in %, for maturity ``tau`` years from day index ``day``."""
        cdi = 0.10  # the CDI trades about 10 bp under the Selic target
        avg = path_average(self.selic[day] - cdi, self.rule[day] - cdi, self.long_run[day] - cdi, tau, 0.6, 2.0)
        premium = self.term_premium[day] * (1 - np.exp(-tau / 2.5))
        factors = self.level[day] * (1 - np.exp(-tau / 0.4)) + self.slope[day] * (1 - np.exp(-tau / 2.0))
        return np.asarray(avg + premium + factors)

    def breakeven(self, day: np.ndarray, tau: np.ndarray) -> np.ndarray:
        """Breakeven IPCA inflation in %, for maturity ``tau`` years."""
        anchor = self.inflation_long[day]
        return np.asarray(anchor + (self.inflation_12m[day] - anchor) * phi(tau, 1.5)
                          + self.inflation_premium[day] * (1 - np.exp(-tau / 3.0)))

    def real(self, day: np.ndarray, tau: np.ndarray) -> np.ndarray:
        """IPCA-linked real yield in %: (1 + nominal) / (1 + breakeven) - 1, plus liquidity noise."""
        fisher = (1 + self.nominal(day, tau) / 100) / (1 + self.breakeven(day, tau) / 100) - 1
        return np.asarray(fisher * 100 + self.real_noise[day])

    def expected_selic(self, day: np.ndarray, horizon: np.ndarray) -> np.ndarray:
        """Selic target the curve expects ``horizon`` years after day index ``day``, %."""
        return path_point(self.selic[day], self.rule[day], self.long_run[day], horizon, 0.6, 2.0)
