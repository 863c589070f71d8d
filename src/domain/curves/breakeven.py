"""Breakeven inflation from the DI pre (nominal) and NTN-B (real) curves, Fisher form, BUS/252."""

from collections.abc import Sequence

import numpy as np

from domain.curves.di_pre import DiCurve
from domain.curves.flat_forward import InvalidCurveError
from domain.curves.points import SILVER_SOURCE
from domain.curves.real import RealCurve
from domain.curves.tenors import STANDARD_BUS_TENORS
from domain.market.bronze import CurvePoint, DayCount

BR_BREAKEVEN_CURVE_ID = "BR_BREAKEVEN"


def breakeven_points(nominal: DiCurve, real: RealCurve,
                     tenors: Sequence[int] = STANDARD_BUS_TENORS) -> list[CurvePoint]:
    """Breakeven inflation at the tenors both curves cover (``BR_BREAKEVEN``, BUS/252, source ``silver``).

    .. math:: \\pi(t) = \\frac{1 + n(t)}{1 + r(t)} - 1

    with :math:`n` the DI pre rate and :math:`r` the NTN-B real yield at ``t`` business days. A tenor
    is covered when it lies between the first and the last vertex of *both* curves: a real yield
    extrapolated before the shortest NTN-B would make a meaningless short breakeven.

    Parameters
    ----------
    nominal : DiCurve
        DI pre curve.
    real : RealCurve
        NTN-B real curve of the same date.
    tenors : sequence of int
        Business-day tenors.

    Returns
    -------
    list of CurvePoint
        In tenor order; empty when no tenor is covered.

    Raises
    ------
    InvalidCurveError
        When the two curves are of different dates.
    """
    if nominal.curve_date != real.curve_date:
        raise InvalidCurveError(f"breakeven: nominal curve of {nominal.curve_date} and real curve of "
                                f"{real.curve_date} differ in date")
    wanted = np.array(sorted({int(t) for t in tenors if nominal.covers(int(t)) and real.covers(int(t))}),
                      dtype=np.int64)
    if wanted.size == 0:
        return []
    breakevens = (1.0 + nominal.rate_at(wanted)) / (1.0 + real.rate_at(wanted)) - 1.0
    return [CurvePoint(BR_BREAKEVEN_CURVE_ID, nominal.curve_date, int(t), DayCount.BUS252, float(b),
                       SILVER_SOURCE)
            for t, b in zip(wanted.tolist(), breakevens.tolist(), strict=True)]
