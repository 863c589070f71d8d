"""``SyntheticMarket``: the embedded market as a MarketDataSource, sliced into BronzeBatch records."""

import math
from datetime import date

import numpy as np

from adapters.market_data.synthetic.grid import to_dates
from adapters.market_data.synthetic.path import MarketPath, build_path
from application.errors import MarketDataError
from domain.market.bronze import BronzeBatch, Connector, CurvePoint, DayCount, InstrumentPrice, Observation
from domain.market.calendar import CALENDAR_START
from domain.market.series import series_for

# Futures listed two months ahead and DI1 ten years ahead must stay inside the B3/ANBIMA calendars.
LATEST_HORIZON = date(2040, 6, 30)


class SyntheticMarket:
    """A deterministic simulated market that answers like the six live connectors.

    The whole path from ``start`` to ``horizon_end`` is generated once, lazily, from ``seed`` and
    cached (per instance, and across instances with the same arguments); ``fetch`` slices it. A
    value never depends on the window asked: only on the seed, the start and the date.
    """

    def __init__(self, seed: int = 20100104, *, start: date = date(2010, 1, 4),
                 horizon_end: date = date(2030, 12, 31)) -> None:
        if not CALENDAR_START <= start < horizon_end <= LATEST_HORIZON:
            raise ValueError(f"synthetic market needs {CALENDAR_START} <= start < horizon_end <= {LATEST_HORIZON}, "
                             f"got start {start} and horizon_end {horizon_end}")
        self.seed = seed
        self.start = start
        self.horizon_end = horizon_end
        self._path: MarketPath | None = None

    @property
    def name(self) -> str:
        """``synthetic``."""
        return "synthetic"

    def path(self) -> MarketPath:
        """The generated market (built on first use)."""
        if self._path is None:
            self._path = build_path(self.seed, self.start, self.horizon_end)
        return self._path

    def fetch(self, connector: Connector, start: date, end: date) -> BronzeBatch:
        """Records of ``connector`` dated in [start, end] and known on ``end`` (released on or before it)."""
        if start > end:
            raise MarketDataError(self.name, f"window starts {start} after it ends {end}", day=start)
        if end > self.horizon_end:
            raise MarketDataError(self.name, f"the synthetic market ends on {self.horizon_end}; asked up to {end}",
                                  day=end)
        path = self.path()
        lo, hi = np.datetime64(start, "D"), np.datetime64(end, "D")
        source = connector.value
        observations: list[Observation] = []
        for spec in series_for(connector):
            table = path.series[spec.series_id]
            a, b = np.searchsorted(table.obs, lo, side="left"), np.searchsorted(table.obs, hi, side="right")
            known = table.release[a:b] <= hi
            obs, rel = to_dates(table.obs[a:b][known]), to_dates(table.release[a:b][known])
            observations += [Observation(spec.series_id, o, r, v, source)
                             for o, r, v in zip(obs, rel, table.value[a:b][known].tolist(), strict=True)]
        prices: list[InstrumentPrice] = []
        if connector in path.prices:
            book = path.prices[connector]
            a, b = np.searchsorted(book.trade_date, lo, side="left"), np.searchsorted(book.trade_date, hi, side="right")
            rates = [None if math.isnan(r) else r for r in book.rate[a:b].tolist()]
            prices = [InstrumentPrice(i, d, p, r, source) for i, d, p, r in
                      zip(book.instrument[a:b].tolist(), to_dates(book.trade_date[a:b]),
                          book.price[a:b].tolist(), rates, strict=True)]
        points: list[CurvePoint] = []
        if connector in path.curves:
            curve = path.curves[connector]
            a, b = np.searchsorted(curve.curve_date, lo, side="left"), np.searchsorted(curve.curve_date, hi,
                                                                                       side="right")
            points = [CurvePoint(c, d, t, DayCount.ACT365, r, source) for c, d, t, r in
                      zip(curve.curve_id[a:b].tolist(), to_dates(curve.curve_date[a:b]),
                          curve.tenor_days[a:b].tolist(), curve.rate[a:b].tolist(), strict=True)]
        return BronzeBatch(connector, start, end, tuple(observations), tuple(prices), tuple(points))
