"""Drawdowns of an equity curve."""

import pandas as pd
import pytest
from numpy.testing import assert_allclose

from domain.risk import RiskInputError, drawdown_series, max_drawdown, running_peak

EQUITY = pd.Series([100.0, 110.0, 99.0, 104.5, 121.0, 96.8],
                   index=pd.bdate_range("2025-01-02", periods=6), name="nav")


def test_the_running_peak_is_the_highest_equity_so_far():
    assert running_peak(EQUITY).tolist() == [100.0, 110.0, 110.0, 110.0, 121.0, 121.0]


def test_drawdown_is_the_fraction_lost_from_the_running_peak():
    dd = drawdown_series(EQUITY)

    assert_allclose(dd.to_numpy(), [0.0, 0.0, 0.1, 0.05, 0.0, 0.2], atol=1e-15)
    assert dd.index.equals(EQUITY.index)


def test_max_drawdown_is_the_deepest_peak_to_trough_loss():
    assert max_drawdown(EQUITY) == pytest.approx(0.2, abs=1e-15)


def test_a_curve_that_only_rises_has_no_drawdown():
    assert max_drawdown(pd.Series([1.0, 2.0, 3.0])) == 0.0


def test_a_non_positive_equity_is_rejected():
    with pytest.raises(RiskInputError, match="positive"):
        drawdown_series(pd.Series([100.0, 0.0]))
