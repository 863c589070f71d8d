"""US Treasury par curves resampled to fixed standard tenors (ACT/365, calendar days).

The Treasury publishes par yields at fixed columns, but some columns are blank on some dates (the
20-year before 1993, the 30-year in 2002-2006, the 4-month before 2022). Linear interpolation in
tenor gives every date the same tenors, inside the published range only.
"""

from collections.abc import Sequence

import numpy as np
import pandas as pd

from domain.curves.flat_forward import InvalidCurveError
from domain.curves.points import SILVER_SOURCE, curve_points_frame
from domain.curves.tenors import STANDARD_ACT_TENORS
from domain.market.bronze import CurvePoint, DayCount
from domain.market.series import CURVE_UST_NOMINAL, CURVE_UST_REAL

UST_NOMINAL_STD = "UST_NOMINAL_STD"
UST_REAL_STD = "UST_REAL_STD"
STANDARD_CURVE_IDS: dict[str, str] = {CURVE_UST_NOMINAL: UST_NOMINAL_STD, CURVE_UST_REAL: UST_REAL_STD}
_KEY_STRIDE = 1_000_000  # larger than any tenor in days, so (group, tenor) sorts as one integer


def ust_standard_points(points: Sequence[CurvePoint] | pd.DataFrame,
                        tenors: Sequence[int] = STANDARD_ACT_TENORS) -> list[CurvePoint]:
    """Treasury par yields at standard tenors, by linear interpolation in tenor, for every date.

    .. math::

        y(T) = y_{j-1} + \\frac{T - T_{j-1}}{T_j - T_{j-1}} (y_j - y_{j-1}),
        \\quad T_{j-1} \\le T \\le T_j

    over the tenors :math:`T_j` published on that date; a standard tenor outside
    :math:`[T_1, T_m]` is skipped, never extrapolated.

    Parameters
    ----------
    points : sequence of CurvePoint or DataFrame
        Published vertices of ``UST_NOMINAL`` and/or ``UST_REAL`` (frame columns ``curve_id``,
        ``curve_date``, ``tenor_days``, ``rate`` and optionally ``day_count``). Other curve ids are
        ignored; NaN rates count as not published.
    tenors : sequence of int
        Standard tenors in calendar days.

    Returns
    -------
    list of CurvePoint
        ``UST_NOMINAL_STD`` / ``UST_REAL_STD`` points (ACT/365, source ``silver``), ordered by curve,
        date and tenor.

    Raises
    ------
    InvalidCurveError
        When a UST vertex is not ACT/365, or a (curve, date, tenor) appears twice.
    """
    frame = points if isinstance(points, pd.DataFrame) else curve_points_frame(points)
    missing = [c for c in ("curve_id", "curve_date", "tenor_days", "rate") if c not in frame.columns]
    if missing:
        raise InvalidCurveError(f"UST standard tenors: points lack column(s) {missing}")
    frame = frame.loc[frame["curve_id"].isin(list(STANDARD_CURVE_IDS))]
    if "day_count" in frame.columns:
        wrong = frame["day_count"].astype(str) != DayCount.ACT365.value
        if wrong.any():
            row = frame.loc[wrong].iloc[0]
            raise InvalidCurveError(f"{row['curve_id']} {row['curve_date']}: day count {row['day_count']}, "
                                    f"expected {DayCount.ACT365.value}")
    frame = frame.loc[np.isfinite(pd.to_numeric(frame["rate"], errors="coerce"))]
    wanted = np.array(sorted({int(t) for t in tenors if int(t) > 0}), dtype=np.int64)
    if frame.empty or wanted.size == 0:
        return []
    frame = frame.assign(curve_date=pd.to_datetime(frame["curve_date"]).dt.date)
    dup = frame.duplicated(["curve_id", "curve_date", "tenor_days"])
    if dup.any():
        row = frame.loc[dup].iloc[0]
        raise InvalidCurveError(f"{row['curve_id']} {row['curve_date']}: tenor {row['tenor_days']} "
                                "appears twice")
    frame = frame.sort_values(["curve_id", "curve_date", "tenor_days"], kind="stable")
    groups = frame[["curve_id", "curve_date"]].drop_duplicates()
    group = np.repeat(np.arange(len(groups), dtype=np.int64),
                      frame.groupby(["curve_id", "curve_date"], sort=True).size().to_numpy())
    tenor = frame["tenor_days"].to_numpy(dtype=np.int64)
    rate = frame["rate"].to_numpy(dtype=np.float64)
    keys = group * _KEY_STRIDE + tenor

    query_group = np.repeat(np.arange(len(groups), dtype=np.int64), wanted.size)
    query_tenor = np.tile(wanted, len(groups))
    hi = np.searchsorted(keys, query_group * _KEY_STRIDE + query_tenor, side="left")
    hi_ok = hi < keys.size
    hi_c = np.minimum(hi, keys.size - 1)
    exact = hi_ok & (keys[hi_c] == query_group * _KEY_STRIDE + query_tenor)
    lo_c = np.maximum(hi_c - 1, 0)
    inside = hi_ok & (group[hi_c] == query_group) & (hi >= 1) & (group[lo_c] == query_group)
    keep = exact | inside
    span = np.where(exact, 1, tenor[hi_c] - tenor[lo_c])
    interpolated = rate[lo_c] + (query_tenor - tenor[lo_c]) / span * (rate[hi_c] - rate[lo_c])
    values = np.where(exact, rate[hi_c], interpolated)

    group_ids = groups["curve_id"].to_numpy()
    group_dates = groups["curve_date"].to_numpy()
    return [CurvePoint(STANDARD_CURVE_IDS[str(group_ids[g])], group_dates[g], int(t), DayCount.ACT365,
                       float(v), SILVER_SOURCE)
            for g, t, v in zip(query_group[keep].tolist(), query_tenor[keep].tolist(), values[keep].tolist(),
                               strict=True)]
