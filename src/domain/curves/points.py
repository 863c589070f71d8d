"""Sampling curves at tenors into :class:`~domain.market.bronze.CurvePoint` records, and back to frames."""

from collections.abc import Sequence

import numpy as np
import pandas as pd

from domain.curves.flat_forward import FlatForwardCurve
from domain.market.bronze import CurvePoint, DayCount

SILVER_SOURCE = "silver"
CURVE_POINT_COLUMNS = ["curve_id", "curve_date", "tenor_days", "day_count", "rate", "source"]


def sample_curve(curve: FlatForwardCurve, curve_id: str, tenors: Sequence[int]) -> list[CurvePoint]:
    """Curve points at the tenors up to the curve's last vertex (BUS/252, source ``silver``).

    .. math:: \\{(t, r(t)) : t \\in tenors,\\ 0 < t \\le du_n\\}

    Tenors before the first vertex take the first vertex's rate (flat-forward from 0); tenors past
    the last vertex are left out rather than extrapolated.

    Parameters
    ----------
    curve : FlatForwardCurve
        The curve to sample.
    curve_id : str
        Id of the produced points (``DI_PRE``, ``NTNB_REAL``).
    tenors : sequence of int
        Tenors in business days.

    Returns
    -------
    list of CurvePoint
        In tenor order.
    """
    wanted = np.array(sorted({int(t) for t in tenors if 0 < int(t) <= curve.last_du}), dtype=np.int64)
    if wanted.size == 0:
        return []
    rates = curve.rate_at(wanted)
    return [CurvePoint(curve_id, curve.curve_date, int(t), DayCount.BUS252, float(r), SILVER_SOURCE)
            for t, r in zip(wanted.tolist(), rates.tolist(), strict=True)]


def curve_points_frame(points: Sequence[CurvePoint]) -> pd.DataFrame:
    """Curve points as a frame with the curve repository's columns.

    Columns: curve_id, curve_date, tenor_days, day_count, rate, source (``day_count`` as its string value).
    """
    if not points:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(
            CURVE_POINT_COLUMNS, ("object", "object", "int64", "object", "float64", "object"), strict=True)})
    return pd.DataFrame({
        "curve_id": [p.curve_id for p in points],
        "curve_date": [p.curve_date for p in points],
        "tenor_days": np.array([p.tenor_days for p in points], dtype=np.int64),
        "day_count": [p.day_count.value for p in points],
        "rate": np.array([p.rate for p in points], dtype=np.float64),
        "source": [p.source for p in points],
    })
