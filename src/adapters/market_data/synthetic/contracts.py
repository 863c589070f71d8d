"""Listed instruments and their settlements: B3 futures (DI1, DOL, WDO, IND, WIN) and Tesouro bonds (NTN-B, LTN).

* DI1 on each B3 session: the next four monthly maturities, then January/April/July/October
  maturities up to five years out, then January maturities up to twelve years (about 29 contracts).
  The settlement rate is set in percent with 3 decimals, the PU is rounded to the centavo and the
  published rate is the one the rounded PU implies, as B3 does.
* DOL and WDO (next two monthly maturities): BRL per US$1,000, spot carried at DI over the
  cupom cambial. IND and WIN (next two even-month expiries): Ibovespa carried at DI.
* NTN-B (15 May of odd years, 15 August of even years): the next three, plus 2015, 2020, ... 2055
  out to 35 years. Price = VNA x quotation, the quotation discounting 6% a-year semi-annual coupons
  at the real yield over business days. LTN (1 Jan/Apr/Jul/Oct, up to four years): 1000 / (1 + r)^(du/252).
"""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import numpy as np

from adapters.market_data.synthetic.curves import BrazilCurve
from adapters.market_data.synthetic.grid import TimeGrid, count_business_days, to_dates
from domain.market.calendar import CALENDAR_END
from domain.market.di1 import di1_rate
from domain.market.instruments import future_ticker, parse_future

NTNB_COUPON = 2.956301  # (1.06 ** 0.5 - 1) * 100, the semi-annual coupon in % of the VNA
_QUARTER_MONTHS = (1, 4, 7, 10)


@dataclass(frozen=True, eq=False)
class PriceTable:
    """Instrument prices sorted by trade date; ``rate`` is NaN where the market quotes none."""

    instrument: np.ndarray
    trade_date: np.ndarray
    price: np.ndarray
    rate: np.ndarray

    @staticmethod
    def concat(tables: list["PriceTable"]) -> "PriceTable":
        """All rows of ``tables``, stably sorted by trade date."""
        trade = np.concatenate([t.trade_date for t in tables])
        order = np.argsort(trade, kind="stable")
        return PriceTable(np.concatenate([t.instrument for t in tables])[order], trade[order],
                          np.concatenate([t.price for t in tables])[order],
                          np.concatenate([t.rate for t in tables])[order])


@lru_cache(maxsize=1024)
def _future_maturity(root: str, year: int, month: int) -> tuple[str, np.datetime64]:
    ticker = future_ticker(root, year, month)
    return ticker, np.datetime64(parse_future(ticker).maturity, "D")


def _monthly_contracts(root: str, first: np.datetime64, last: np.datetime64,
                       months_filter: tuple[int, ...] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Tickers, maturities and contract months of ``root`` from month ``first`` to ``last``."""
    months = np.arange(first, last + 1)
    months = months[months.astype("datetime64[Y]").astype(int) + 1970 <= CALENDAR_END.year]
    if months_filter is not None:
        months = months[np.isin(months.astype(np.int64) % 12 + 1, months_filter)]
    pairs = [_future_maturity(root, int(m.astype(int) // 12 + 1970), int(m.astype(int) % 12 + 1)) for m in months]
    return (np.array([p[0] for p in pairs], dtype=object), np.array([p[1] for p in pairs], dtype="datetime64[D]"),
            months)


def di1_prices(grid: TimeGrid, curve: BrazilCurve, rng: np.random.Generator) -> PriceTable:
    """DI1 settlements on every B3 session."""
    idx = np.nonzero(grid.b3)[0]
    days = grid.days[idx]
    tickers, maturities, months = _monthly_contracts("DI1", days[0].astype("datetime64[M]"),
                                                     days[-1].astype("datetime64[M]") + 145)
    first_after = np.searchsorted(maturities, days, side="right")
    rank = np.arange(maturities.size, dtype=np.int32)[None, :] - first_after[:, None].astype(np.int32)
    ahead = (months.astype(np.int32)[None, :] - days.astype("datetime64[M]").astype(np.int32)[:, None])
    month_no = months.astype(np.int64) % 12 + 1
    quarterly = np.isin(month_no, _QUARTER_MONTHS)[None, :] & (ahead <= 60)
    january = (month_no == 1)[None, :] & (ahead <= 144)  # out to 12 years, so the 10-year vertex is always covered
    listed = (rank >= 0) & ((rank < 4) | quarterly | january)
    row, col = np.nonzero(listed)
    du = count_business_days(days[row], maturities[col])
    settlement = np.round(curve.nominal(idx[row], du / 252) + 0.005 * rng.standard_normal(row.size), 3)
    pu = np.round(100_000.0 / (1 + settlement / 100) ** (du / 252), 2)
    return PriceTable(tickers[col], days[row], pu, np.asarray(di1_rate(pu, du)))


def _next_two(root: str, grid: TimeGrid, months_filter: tuple[int, ...] | None
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    idx = np.nonzero(grid.b3)[0]
    days = grid.days[idx]
    tickers, maturities, _ = _monthly_contracts(root, days[0].astype("datetime64[M]"),
                                                days[-1].astype("datetime64[M]") + 4, months_filter)
    first_after = np.searchsorted(maturities, days, side="right")
    row = np.repeat(np.arange(days.size), 2)
    col = np.stack([first_after, first_after + 1], axis=1).ravel()
    return idx[row], days[row], tickers[col], maturities[col]


def fx_future_prices(grid: TimeGrid, curve: BrazilCurve, usdbrl: np.ndarray, cupom: np.ndarray) -> PriceTable:
    """DOL and WDO: BRL per US$1,000 = 1000 S (1 + DI)^(du/252) / (1 + cupom dc/360), next two maturities."""
    day_idx, days, tickers, maturities = _next_two("DOL", grid, None)
    du = count_business_days(days, maturities)
    dc = (maturities - days).astype(np.float64)
    di = curve.nominal(day_idx, du / 252)
    price = np.round(1000 * usdbrl[day_idx] * (1 + di / 100) ** (du / 252) / (1 + cupom[day_idx] / 100 * dc / 360), 3)
    mini = np.array([t.replace("DOL", "WDO", 1) for t in tickers], dtype=object)
    nan = np.full(price.size, np.nan)
    return PriceTable.concat([PriceTable(tickers, days, price, nan), PriceTable(mini, days, price, nan)])


def index_future_prices(grid: TimeGrid, curve: BrazilCurve, ibovespa: np.ndarray) -> PriceTable:
    """IND and WIN: Ibovespa (a total-return index) carried at the DI rate, next two even-month expiries."""
    day_idx, days, tickers, maturities = _next_two("IND", grid, (2, 4, 6, 8, 10, 12))
    du = count_business_days(days, maturities)
    di = curve.nominal(day_idx, du / 252)
    price = np.round(ibovespa[day_idx] * (1 + di / 100) ** (du / 252), 0)
    mini = np.array([t.replace("IND", "WIN", 1) for t in tickers], dtype=object)
    nan = np.full(price.size, np.nan)
    return PriceTable.concat([PriceTable(tickers, days, price, nan), PriceTable(mini, days, price, nan)])


def ntnb_maturity(year: int) -> date:
    """NTN-B maturity rule used here: 15 May in odd years, 15 August in even years."""
    return date(year, 5, 15) if year % 2 else date(year, 8, 15)


def _coupon_dates(maturity: date) -> np.ndarray:
    """Semi-annual coupon dates counted back from maturity (maturity included), ascending."""
    mat = np.datetime64(maturity, "M")
    months = mat - 6 * np.arange(0, 2 * (maturity.year - 2000) + 1)
    return np.sort(months.astype("datetime64[D]") + (maturity.day - 1))


def vna_daily(grid: TimeGrid, ipca_mom: np.ndarray, expectation: np.ndarray, vna_start: float) -> np.ndarray:
    """VNA of the NTN-B: updated by each month's IPCA on the 15th, pro rata (business days) in between.

    Between the 15ths the Focus-implied monthly pace stands in for the IPCA not yet published.
    """
    n, m0 = grid.n_months, grid.first_month
    vna15 = np.empty(n)
    vna15[m0] = vna_start
    for m in range(m0 + 1, n):
        vna15[m] = vna15[m - 1] * (1 + ipca_mom[m - 1] / 100)
    for m in range(m0 - 1, -1, -1):
        vna15[m] = vna15[m + 1] / (1 + ipca_mom[m] / 100)
    fifteenth = grid.month_starts() + 14
    m = grid.month_of_day - (grid.days < fifteenth[grid.month_of_day])
    last, nxt = fifteenth[m], fifteenth[np.minimum(m + 1, n - 1)]
    nxt = np.where(m + 1 < n, nxt, (grid.months[-1] + 1).astype("datetime64[D]") + 14)
    frac = count_business_days(last, grid.days) / np.maximum(count_business_days(last, nxt), 1)
    pace = (1 + expectation[m] / 100) ** (1 / 12) - 1
    return np.asarray(vna15[m] * (1 + pace) ** frac)


def ntnb_prices(grid: TimeGrid, curve: BrazilCurve, vna: np.ndarray) -> PriceTable:
    """NTN-B base prices and real yields (decimal) on ANBIMA business days."""
    idx = np.nonzero(grid.anbima)[0]
    days = grid.days[idx]
    years = np.arange(2011, 2061)
    maturities = np.array([ntnb_maturity(int(y)) for y in years], dtype="datetime64[D]")
    first_after = np.searchsorted(maturities, days, side="right")
    rank = np.arange(years.size)[None, :] - first_after[:, None]
    day_year = days.astype("datetime64[Y]").astype(int) + 1970
    benchmark = (years % 5 == 0)[None, :] & (years[None, :] <= day_year[:, None] + 35)
    listed = (rank >= 0) & ((rank < 3) | benchmark)
    tables = []
    for j in np.nonzero(listed.any(axis=0))[0]:
        rows = np.nonzero(listed[:, j])[0]
        day_idx, d = idx[rows], days[rows]
        du_t = count_business_days(d, np.full(rows.size, maturities[j]))
        rate = np.round(curve.real(day_idx, du_t / 252), 2) / 100
        coupons = _coupon_dates(maturities[j].item())
        coupons = coupons[coupons > d[0]]
        du_k = count_business_days(np.repeat(d[:, None], coupons.size, axis=1),
                                   np.broadcast_to(coupons, (rows.size, coupons.size)))
        alive = coupons[None, :] > d[:, None]
        disc = np.where(alive, (1 + rate[:, None]) ** (-du_k / 252), 0.0)
        quotation = np.trunc((NTNB_COUPON * disc.sum(axis=1) + 100 * (1 + rate) ** (-du_t / 252)) * 1e4) / 1e4
        price = np.round(vna[day_idx] * quotation / 100, 2)
        name = f"NTNB_{maturities[j].item():%Y%m%d}"
        tables.append(PriceTable(np.full(rows.size, name, dtype=object), d, price, rate))
    return PriceTable.concat(tables)


def ltn_prices(grid: TimeGrid, curve: BrazilCurve) -> PriceTable:
    """LTN base prices and rates (decimal) on ANBIMA business days, maturities up to four years out."""
    idx = np.nonzero(grid.anbima)[0]
    days = grid.days[idx]
    months = np.arange(days[0].astype("datetime64[M]"), days[-1].astype("datetime64[M]") + 50)
    months = months[np.isin(months.astype(np.int64) % 12 + 1, _QUARTER_MONTHS)]
    maturities = months.astype("datetime64[D]")
    ahead = months.astype(np.int32)[None, :] - days.astype("datetime64[M]").astype(np.int32)[:, None]
    listed = (maturities[None, :] > days[:, None]) & (ahead <= 48)
    row, col = np.nonzero(listed)
    du = count_business_days(days[row], maturities[col])
    rate = np.round(curve.nominal(idx[row], du / 252) + 0.03, 2) / 100
    price = np.round(1000 / (1 + rate) ** (du / 252), 2)
    names = np.array([f"LTN_{d:%Y%m%d}" for d in to_dates(maturities)], dtype=object)
    return PriceTable(names[col], days[row], price, rate)
