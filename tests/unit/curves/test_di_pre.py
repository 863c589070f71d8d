"""DI pre curve: vertices from DI1 settlements, flat-forward interpolation, points, many dates at once."""

from datetime import date

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from domain.curves import (
    DI_PRE_CURVE_ID,
    STANDARD_BUS_TENORS,
    DiCurve,
    InvalidCurveError,
    build_di_curve,
    build_di_curves,
    di_curve_points,
)
from domain.errors import InvalidInstrumentError
from domain.market.bronze import DayCount
from domain.market.calendar import is_business_day
from domain.market.di1 import di1_pu
from domain.market.instruments import future_ticker

CURVE_DATE = date(2025, 1, 2)
# Business days from 2 Jan 2025 to each maturity (first business day of the month): DI1G25 matures on
# 3 Feb 2025, and January 2025 has 22 business days from the 2nd (1 Jan is a holiday).
DU = {"DI1G25": 22, "DI1J25": 61, "DI1N25": 122, "DI1F26": 252, "DI1F27": 501}
RATES = {"DI1G25": 0.1215, "DI1J25": 0.1300, "DI1N25": 0.1420, "DI1F26": 0.1510, "DI1F27": 0.1525}
# B3-style settlements: PU rounded to the cent from the settlement rate.
ROUNDED_PU = {"DI1G25": 99003.93, "DI1J25": 97084.89, "DI1N25": 93773.97, "DI1F26": 86880.97,
              "DI1F27": 75414.00}


def settlements(pu: dict[str, float]) -> pd.DataFrame:
    rows = [{"instrument": t, "price": pu[t], "rate": RATES[t]} for t in DU]
    rows.append({"instrument": "DI1F25", "price": 100000.0, "rate": 0.1215})  # matures on the curve date
    rows.append({"instrument": "DOLG25", "price": 6180.5, "rate": np.nan})  # another root
    return pd.DataFrame(rows)


def exact_pu() -> dict[str, float]:
    return {t: 100000.0 / (1.0 + RATES[t]) ** (DU[t] / 252) for t in DU}


def test_vertices_sit_at_the_business_days_to_each_alive_contract():
    curve = build_di_curve(CURVE_DATE, settlements(exact_pu()))

    assert curve.curve_date == CURVE_DATE
    assert curve.du.tolist() == [22, 61, 122, 252, 501]


def test_the_curve_reproduces_each_contract_settlement_rate_at_its_vertex():
    curve = build_di_curve(CURVE_DATE, settlements(exact_pu()))

    assert_allclose(curve.rate_at(np.array(list(DU.values()))), list(RATES.values()), rtol=0, atol=1e-12)


def test_repricing_each_contract_from_the_curve_matches_its_settlement_pu_within_a_cent():
    curve = build_di_curve(CURVE_DATE, settlements(ROUNDED_PU))

    repriced = curve.pu(np.array(list(DU.values())))

    assert_allclose(repriced, list(ROUNDED_PU.values()), rtol=0, atol=0.01)
    # The vertex rate comes from the PU, so it sits within the cent-rounding of the quoted rate.
    assert_allclose(curve.rates, list(RATES.values()), rtol=0, atol=1e-6)


def test_a_rate_between_two_vertices_is_flat_forward_on_252_days():
    curve = DiCurve(CURVE_DATE, np.array([21, 63]), np.array([0.10, 0.12]))

    # Halfway in du the log discount factor is the average: 1 + r = 1.10^(1/4) * 1.12^(3/4).
    assert_allclose(curve.rate_at(42), 0.11496616474485011, rtol=0, atol=1e-14)
    assert_allclose(curve.rate_at(42), 1.10 ** 0.25 * 1.12 ** 0.75 - 1, rtol=0, atol=1e-14)
    assert_allclose(curve.discount_factor(42), (1.10 ** 0.25 * 1.12 ** 0.75) ** (-42 / 252), rtol=1e-14)


def test_the_rate_is_flat_before_the_first_vertex():
    curve = DiCurve(CURVE_DATE, np.array([21, 63]), np.array([0.10, 0.12]))

    assert_allclose(curve.rate_at(np.array([1, 10, 21])), [0.10, 0.10, 0.10], rtol=0, atol=1e-14)


def test_the_last_forward_rate_extends_beyond_the_last_vertex():
    curve = DiCurve(CURVE_DATE, np.array([21, 63]), np.array([0.10, 0.12]))

    # Forward on 21..63 is 1.12^1.5 / 1.10^0.5 - 1; at 84 du, 1 + r = 1.12^(9/8) * 1.10^(-1/8).
    assert_allclose(curve.rate_at(84), 0.12252543373662106, rtol=0, atol=1e-14)


def test_a_single_vertex_curve_is_flat_everywhere():
    curve = DiCurve(CURVE_DATE, np.array([252]), np.array([0.15]))

    assert_allclose(curve.rate_at(np.array([1, 126, 252, 1000])), [0.15] * 4, rtol=0, atol=1e-14)
    assert curve.pu(252) == pytest.approx(100000 / 1.15, abs=1e-8)


def test_the_discount_factor_at_zero_days_is_one_and_a_rate_there_is_refused():
    curve = DiCurve(CURVE_DATE, np.array([252]), np.array([0.15]))

    assert curve.discount_factor(0) == 1.0
    with pytest.raises(InvalidCurveError, match="positive tenor"):
        curve.rate_at(0)


def test_unsorted_settlements_build_the_same_curve():
    frame = settlements(exact_pu())
    shuffled = frame.sample(frac=1.0, random_state=3)

    curve = build_di_curve(CURVE_DATE, shuffled)

    assert curve.du.tolist() == [22, 61, 122, 252, 501]
    assert_allclose(curve.rates, list(RATES.values()), rtol=0, atol=1e-12)


def test_curve_arrays_are_read_only():
    curve = build_di_curve(CURVE_DATE, settlements(exact_pu()))

    with pytest.raises(ValueError, match="read-only"):
        curve.rates[0] = 0.5


def test_a_quoted_rate_far_from_the_one_its_pu_implies_is_rejected_naming_the_contract():
    frame = settlements(exact_pu())
    frame.loc[frame["instrument"] == "DI1N25", "rate"] = 0.1520

    with pytest.raises(InvalidCurveError, match="DI1N25"):
        build_di_curve(CURVE_DATE, frame)


def test_a_non_positive_pu_is_rejected_naming_the_contract():
    frame = settlements(exact_pu())
    frame.loc[frame["instrument"] == "DI1F26", "price"] = 0.0

    with pytest.raises(InvalidCurveError, match=r"2025-01-02: DI1F26 has settlement PU 0.0"):
        build_di_curve(CURVE_DATE, frame)


def test_settlements_without_an_alive_contract_have_no_curve():
    frame = pd.DataFrame({"instrument": ["DI1F25"], "price": [100000.0], "rate": [0.12]})

    with pytest.raises(InvalidCurveError, match="no DI1 contract alive"):
        build_di_curve(CURVE_DATE, frame)


def test_a_malformed_di1_ticker_is_rejected():
    frame = pd.DataFrame({"instrument": ["DI1A27"], "price": [80000.0], "rate": [np.nan]})

    with pytest.raises(InvalidInstrumentError, match="DI1A27"):
        build_di_curve(CURVE_DATE, frame)


def test_settlements_of_another_trade_date_are_rejected():
    frame = settlements(exact_pu()).assign(trade_date=date(2025, 1, 3))

    with pytest.raises(InvalidCurveError, match="another trade date"):
        build_di_curve(CURVE_DATE, frame)


def test_vertices_must_be_strictly_increasing():
    with pytest.raises(InvalidCurveError, match="strictly increasing"):
        DiCurve(CURVE_DATE, np.array([63, 21]), np.array([0.12, 0.10]))


def test_curve_points_cover_the_standard_tenors_up_to_the_last_vertex():
    curve = build_di_curve(CURVE_DATE, settlements(exact_pu()))

    points = di_curve_points(curve)

    assert [p.tenor_days for p in points] == [21, 63, 126, 252, 378]
    assert {(p.curve_id, p.day_count, p.source, p.curve_date) for p in points} == {
        (DI_PRE_CURVE_ID, DayCount.BUS252, "silver", CURVE_DATE)}
    # 21 du is before the first vertex (22): the first rate; 252 du is the DI1F26 vertex.
    assert points[0].rate == pytest.approx(0.1215, abs=1e-12)
    assert points[3].rate == pytest.approx(0.1510, abs=1e-12)


def test_many_dates_build_the_same_curves_as_one_date_at_a_time():
    day2 = date(2025, 1, 3)
    one = settlements(exact_pu()).assign(trade_date=CURVE_DATE)
    two = pd.DataFrame({"trade_date": [day2, day2], "instrument": ["DI1G25", "DI1F26"],
                        "price": [99050.0, 86900.0], "rate": [np.nan, np.nan]})

    curves = build_di_curves(pd.concat([two, one], ignore_index=True))

    assert list(curves) == [CURVE_DATE, day2]
    assert_allclose(curves[CURVE_DATE].rates, build_di_curve(CURVE_DATE, one).rates, rtol=0, atol=0)
    # On 3 Jan the maturities are one business day closer.
    assert curves[day2].du.tolist() == [21, 251]
    assert_allclose(curves[day2].pu(np.array([21, 251])), [99050.0, 86900.0], rtol=0, atol=1e-8)


def test_many_dates_of_empty_settlements_give_no_curves():
    empty = pd.DataFrame({"trade_date": [], "instrument": [], "price": [], "rate": []})

    assert build_di_curves(empty) == {}


def test_2500_dates_of_30_contracts_build_one_curve_per_date_with_every_vertex():
    days = [d.date() for d in pd.bdate_range("2015-01-01", periods=2600) if is_business_day(d.date())][:2500]
    tickers = [[future_ticker("DI1", d.year + (d.month + k - 1) // 12, (d.month + k - 1) % 12 + 1)
                for k in range(1, 31)] for d in days]
    months_ahead = np.tile(np.arange(1, 31), len(days))
    frame = pd.DataFrame({
        "trade_date": np.repeat(np.array(days, dtype="datetime64[D]"), 30),
        "instrument": [t for row in tickers for t in row],
        "price": di1_pu(0.10 + 0.0005 * months_ahead, 21 * months_ahead),
        "rate": np.nan,
    })

    curves = build_di_curves(frame)

    assert len(curves) == 2500
    assert all(c.du.size == 30 for c in curves.values())


def test_standard_tenors_are_the_documented_business_day_counts():
    assert STANDARD_BUS_TENORS == (21, 63, 126, 252, 378, 504, 756, 1008, 1260, 1764, 2520)
