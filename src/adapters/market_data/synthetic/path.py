"""The whole synthetic market as Bronze-ready tables, generated once per (seed, start, horizon) and cached."""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import numpy as np

from adapters.market_data.synthetic.contracts import (
    PriceTable,
    di1_prices,
    fx_future_prices,
    index_future_prices,
    ltn_prices,
    ntnb_prices,
    vna_daily,
)
from adapters.market_data.synthetic.observations import build_series
from adapters.market_data.synthetic.releases import SeriesTable
from adapters.market_data.synthetic.simulation import Simulation, simulate
from domain.market.bronze import Connector
from domain.market.series import CURVE_UST_NOMINAL, CURVE_UST_REAL, UST_REAL_TENOR_DAYS, UST_TENOR_DAYS

# VNA of the NTN-B in mid-January 2010 (R$1,000 on 15 July 2000 updated by the IPCA).
VNA_START = 1_880.0
# Tenors the Treasury began publishing late: 2-month bill October 2018, 4-month October 2022, 6-week February 2025.
UST_FIRST_DAY = {"2 Mo": np.datetime64("2018-10-16"), "4 Mo": np.datetime64("2022-10-19"),
                 "1.5 Month": np.datetime64("2025-02-18")}


@dataclass(frozen=True, eq=False)
class CurveTable:
    """Curve vertices sorted by date: curve id, date, tenor (days), rate (decimal)."""

    curve_id: np.ndarray
    curve_date: np.ndarray
    tenor_days: np.ndarray
    rate: np.ndarray


@dataclass(frozen=True, eq=False)
class MarketPath:
    """Every record the synthetic market can publish, by series and by connector."""

    horizon_end: date
    series: dict[str, SeriesTable]
    prices: dict[Connector, PriceTable]
    curves: dict[Connector, CurveTable]


def _ust_table(sim: Simulation) -> CurveTable:
    g = sim.grid
    days = g.days[g.us_bond]
    parts: list[tuple[str, np.ndarray, int, np.ndarray]] = []
    for curve_id, tenors, matrix in ((CURVE_UST_NOMINAL, UST_TENOR_DAYS, sim.ust.nominal),
                                     (CURVE_UST_REAL, UST_REAL_TENOR_DAYS, sim.ust.real)):
        for j, (label, tenor) in enumerate(tenors.items()):
            keep = days >= UST_FIRST_DAY.get(label, days[0])
            parts.append((curve_id, days[keep], tenor, np.round(matrix[g.us_bond, j][keep], 2) / 100))
    dates = np.concatenate([p[1] for p in parts])
    order = np.argsort(dates, kind="stable")
    return CurveTable(
        curve_id=np.concatenate([np.full(p[1].size, p[0], dtype=object) for p in parts])[order],
        curve_date=dates[order],
        tenor_days=np.concatenate([np.full(p[1].size, p[2], dtype=np.int64) for p in parts])[order],
        rate=np.concatenate([p[3] for p in parts])[order],
    )


def _cupom_cambial(sim: Simulation) -> np.ndarray:
    """Onshore dollar rate (%): US overnight plus a country premium that widens with Brazilian stress."""
    fiscal = sim.grid.interpolate(sim.br.fiscal_stress)
    return sim.fed.effr + 0.4 + 1.2 * (sim.channels.daily["brazil_risk"] + 0.5 * fiscal)


@lru_cache(maxsize=4)
def build_path(seed: int, start: date, horizon_end: date) -> MarketPath:
    """Simulate and tabulate the market; the same arguments return the same (cached) object."""
    sim = simulate(seed, start, horizon_end)
    b3 = PriceTable.concat([
        di1_prices(sim.grid, sim.curve, sim.rng("di1")),
        fx_future_prices(sim.grid, sim.curve, sim.brm.usdbrl, _cupom_cambial(sim)),
        index_future_prices(sim.grid, sim.curve, sim.brm.ibovespa),
    ])
    vna = vna_daily(sim.grid, sim.br.ipca_mom, sim.br.expectation, VNA_START)
    tesouro = PriceTable.concat([ntnb_prices(sim.grid, sim.curve, vna), ltn_prices(sim.grid, sim.curve)])
    return MarketPath(horizon_end=horizon_end, series=build_series(sim),
                      prices={Connector.B3: b3, Connector.TREASURY: tesouro},
                      curves={Connector.TREASURY: _ust_table(sim)})
