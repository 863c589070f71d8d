"""NTN-B real curve: maturities from tickers, vertices at business days, points."""

from datetime import date

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from domain.curves import (
    NTNB_REAL_CURVE_ID,
    InvalidCurveError,
    RealCurve,
    build_real_curve,
    build_real_curves,
    ntnb_maturity,
    real_curve_points,
)
from domain.errors import InvalidInstrumentError
from domain.market.bronze import DayCount

CURVE_DATE = date(2025, 1, 2)


def bonds() -> pd.DataFrame:
    return pd.DataFrame({
        "instrument": ["NTNB_20350515", "NTNB_20250515", "LTN_20270101", "NTNB_20300815", "NTNB_20260815",
                       "NTNB_20240815"],
        "price": [4150.0, 4400.0, 750.0, 4200.0, 4350.0, 4300.0],
        "rate": [0.0700, 0.0850, 0.1490, 0.0720, 0.0780, 0.0600],
    })


def test_an_ntnb_maturity_is_read_from_its_ticker():
    assert ntnb_maturity("NTNB_20350515") == date(2035, 5, 15)
    assert ntnb_maturity(" ntnb_20300815 ") == date(2030, 8, 15)


def test_a_malformed_ntnb_ticker_is_rejected():
    with pytest.raises(InvalidInstrumentError, match="NTNB_20351315"):
        ntnb_maturity("NTNB_20351315")
    with pytest.raises(InvalidInstrumentError, match="not an NTN-B ticker"):
        ntnb_maturity("NTNB_2035")


def test_vertices_are_alive_ntnbs_by_business_days_with_their_real_yields():
    curve = build_real_curve(CURVE_DATE, bonds())

    # 15 May 2025 is 90 business days after 2 Jan 2025; the matured 2024 bond and the LTN are left out.
    assert curve.du.tolist() == [90, 407, 1405, 2595]
    assert_allclose(curve.rates, [0.0850, 0.0780, 0.0720, 0.0700], rtol=0, atol=0)
    assert_allclose(curve.rate_at(np.array([90, 1405])), [0.0850, 0.0720], rtol=0, atol=1e-12)


def test_a_real_yield_between_bonds_is_flat_forward_interpolated():
    curve = RealCurve(CURVE_DATE, np.array([252, 756]), np.array([0.06, 0.07]))

    # At 504 du the log growth is the average: (1 + r)^2 = 1.06^0.5 * 1.07^1.5.
    assert_allclose(curve.rate_at(504), (1.06 ** 0.5 * 1.07 ** 1.5) ** 0.5 - 1, rtol=0, atol=1e-14)
    assert_allclose(curve.rate_at(504), 0.06749119024250039, rtol=0, atol=1e-14)


def test_a_missing_real_yield_is_rejected_naming_the_bond():
    frame = bonds()
    frame.loc[frame["instrument"] == "NTNB_20300815", "rate"] = np.nan

    with pytest.raises(InvalidCurveError, match="NTNB_20300815"):
        build_real_curve(CURVE_DATE, frame)


def test_real_curve_points_stop_at_the_last_bond():
    curve = RealCurve(CURVE_DATE, np.array([252, 1260]), np.array([0.07, 0.065]))

    points = real_curve_points(curve)

    assert [p.tenor_days for p in points] == [21, 63, 126, 252, 378, 504, 756, 1008, 1260]
    assert {(p.curve_id, p.day_count, p.source) for p in points} == {
        (NTNB_REAL_CURVE_ID, DayCount.BUS252, "silver")}
    assert points[3].rate == pytest.approx(0.07, abs=1e-14)


def test_many_dates_give_one_real_curve_per_date():
    frame = pd.concat([bonds().assign(trade_date=CURVE_DATE), bonds().assign(trade_date=date(2025, 1, 3))])

    curves = build_real_curves(frame)

    assert list(curves) == [CURVE_DATE, date(2025, 1, 3)]
    assert curves[date(2025, 1, 3)].du.tolist() == [89, 406, 1404, 2594]


def test_no_ntnb_gives_no_real_curves():
    frame = pd.DataFrame({"trade_date": [CURVE_DATE], "instrument": ["LTN_20270101"], "rate": [0.149]})

    assert build_real_curves(frame) == {}
    with pytest.raises(InvalidCurveError, match="no NTN-B alive"):
        build_real_curve(CURVE_DATE, frame)
