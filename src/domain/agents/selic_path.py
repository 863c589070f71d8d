"""Expected Selic paths: the one the Focus survey implies and the one the Taylor rule implies."""

import numpy as np
import numpy.typing as npt
import pandas as pd

from domain._typing import FloatArray


def year_fraction_left(dates: pd.DatetimeIndex) -> FloatArray:
    """Fraction of the calendar year left after each date: ``(31 Dec - date).days / 365``."""
    year_end = pd.to_datetime({"year": dates.year, "month": 12, "day": 31})
    days = (pd.DatetimeIndex(year_end) - dates).days
    return np.asarray(days, dtype=np.float64) / 365.0


def focus_average_selic(selic: npt.ArrayLike, focus_this_year: npt.ArrayLike, focus_next_year: npt.ArrayLike,
                        year_left: npt.ArrayLike, horizon_years: float = 5.0) -> FloatArray:
    """Average Selic over the next ``horizon_years`` on the path the Focus medians describe.

    The path runs linearly from today's Selic :math:`s_0` to the median for the end of this year
    :math:`s_{cy}` (reached in :math:`\\tau` years), linearly to the next year's median :math:`s_{ny}`
    one year later, then stays flat:

    .. math::

        \\bar s = \\frac{1}{H}\\left[\\tau\\,\\frac{s_0 + s_{cy}}{2} + \\frac{s_{cy} + s_{ny}}{2}
                  + (H - \\tau - 1)\\, s_{ny}\\right]

    An arithmetic average of annual rates (compounding ignored: a few bp at these levels).

    Parameters
    ----------
    selic, focus_this_year, focus_next_year : array_like
        Decimals.
    year_left : array_like
        :math:`\\tau \\in [0, 1]` (see :func:`year_fraction_left`).
    horizon_years : float
        :math:`H >= 2`.

    Returns
    -------
    ndarray
    """
    if horizon_years < 2.0:
        raise ValueError(f"horizon_years must be >= 2, got {horizon_years}")
    s0 = np.asarray(selic, dtype=np.float64)
    cy = np.asarray(focus_this_year, dtype=np.float64)
    ny = np.asarray(focus_next_year, dtype=np.float64)
    tau = np.asarray(year_left, dtype=np.float64)
    area = tau * (s0 + cy) / 2.0 + (cy + ny) / 2.0 + (horizon_years - tau - 1.0) * ny
    return np.asarray(area / horizon_years, dtype=np.float64)


def model_average_selic(selic: npt.ArrayLike, model_rate: npt.ArrayLike, adjustment: float = 0.5) -> FloatArray:
    """Average Selic over the next year if policy closes its gap to the model rate linearly.

    .. math:: \\bar s_{1y} = s_0 + \\phi\\,(i^{model} - s_0)

    With a linear convergence over 12 months, the year's average closes half the gap
    (:math:`\\phi = 0.5`).
    """
    if not 0.0 <= adjustment <= 1.0:
        raise ValueError(f"adjustment must be in [0, 1], got {adjustment}")
    s0 = np.asarray(selic, dtype=np.float64)
    return np.asarray(s0 + adjustment * (np.asarray(model_rate, dtype=np.float64) - s0), dtype=np.float64)
