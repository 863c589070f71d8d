"""Drawdowns of an equity (NAV) curve, as positive fractions of the running peak."""

import numpy as np
import pandas as pd

from domain.risk.errors import RiskInputError


def _checked(equity: pd.Series) -> pd.Series:
    values = equity.to_numpy(dtype=np.float64)
    if values.size == 0:
        raise RiskInputError("drawdown: the equity curve is empty")
    if not np.all(np.isfinite(values) & (values > 0.0)):
        raise RiskInputError("drawdown: equity must be finite and positive on every date")
    return equity.astype(np.float64)


def running_peak(equity: pd.Series) -> pd.Series:
    """Highest equity seen so far, :math:`M_t = \\max_{u \\le t} E_u`.

    Parameters
    ----------
    equity : Series
        NAV in date order, positive.

    Returns
    -------
    Series
        Same index, named ``peak``.
    """
    return _checked(equity).cummax().rename("peak")


def drawdown_series(equity: pd.Series) -> pd.Series:
    """Drawdown from the running peak on each date, a positive fraction (0 at a new high).

    .. math:: DD_t = 1 - \\frac{E_t}{M_t}, \\qquad M_t = \\max_{u \\le t} E_u

    Parameters
    ----------
    equity : Series
        NAV in date order, positive.

    Returns
    -------
    Series
        Same index, named ``drawdown``, values in [0, 1).
    """
    checked = _checked(equity)
    return (1.0 - checked / checked.cummax()).rename("drawdown")


def max_drawdown(equity: pd.Series) -> float:
    """Largest peak-to-trough loss, :math:`\\max_t DD_t` (a positive fraction)."""
    return float(drawdown_series(equity).max())
