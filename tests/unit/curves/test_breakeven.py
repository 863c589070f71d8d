"""Breakevens: Fisher form on the DI pre and NTN-B curves, at tenors both cover."""

from datetime import date

import numpy as np
import pytest
from numpy.testing import assert_allclose

from domain.curves import BR_BREAKEVEN_CURVE_ID, DiCurve, InvalidCurveError, RealCurve, breakeven_points
from domain.market.bronze import DayCount

DAY = date(2025, 1, 2)
NOMINAL = DiCurve(DAY, np.array([252, 504]), np.array([0.12, 0.13]))
REAL = RealCurve(DAY, np.array([126, 756]), np.array([0.06, 0.065]))


def test_breakevens_are_fisher_ratios_at_the_tenors_both_curves_cover():
    points = breakeven_points(NOMINAL, REAL)

    assert [p.tenor_days for p in points] == [252, 378, 504]
    # Real yield at 252 du: log growth 0.4 ln 1.06 + 0.6 ln 1.065 over one year.
    real_1y = 1.06 ** 0.4 * 1.065 ** 0.6 - 1
    # At 504 du: (1 + r)^2 = 1.06^0.2 * 1.065^1.8.
    real_2y = 1.06 ** 0.1 * 1.065 ** 0.9 - 1
    assert_allclose(points[0].rate, 1.12 / (1 + real_1y) - 1, rtol=0, atol=1e-14)
    assert_allclose(points[2].rate, 1.13 / (1 + real_2y) - 1, rtol=0, atol=1e-14)
    assert_allclose(points[0].rate, 0.05362462409308244, rtol=0, atol=1e-14)


def test_breakeven_points_carry_the_breakeven_curve_id_and_business_days():
    points = breakeven_points(NOMINAL, REAL, tenors=[378])

    assert len(points) == 1
    point = points[0]
    assert (point.curve_id, point.curve_date, point.day_count, point.source) == (
        BR_BREAKEVEN_CURVE_ID, DAY, DayCount.BUS252, "silver")
    expected = (1 + NOMINAL.rate_at(378)) / (1 + REAL.rate_at(378)) - 1
    assert point.rate == pytest.approx(expected, abs=1e-15)


def test_no_common_tenor_gives_no_breakevens():
    assert breakeven_points(NOMINAL, REAL, tenors=[21, 63, 1260]) == []


def test_curves_of_different_dates_are_refused():
    other = RealCurve(date(2025, 1, 3), np.array([126, 756]), np.array([0.06, 0.065]))

    with pytest.raises(InvalidCurveError, match="differ in date"):
        breakeven_points(NOMINAL, other)
