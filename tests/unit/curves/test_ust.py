"""UST par curves at standard tenors: linear interpolation in tenor, inside the published range only."""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from domain.curves import (
    UST_NOMINAL_STD,
    UST_REAL_STD,
    InvalidCurveError,
    curve_points_frame,
    ust_standard_points,
)
from domain.market.bronze import CurvePoint, DayCount

DAY = date(2025, 3, 14)
NOMINAL = {30: 0.0430, 91: 0.0432, 182: 0.0425, 365: 0.0418, 730: 0.0425, 1095: 0.0428, 1826: 0.0438,
           2557: 0.0448, 3652: 0.0457}  # no 20- or 30-year column that day
REAL = {1826: 0.0180, 3652: 0.0205, 10957: 0.0245}


def published(day: date = DAY) -> list[CurvePoint]:
    return ([CurvePoint("UST_NOMINAL", day, t, DayCount.ACT365, r, "treasury") for t, r in NOMINAL.items()]
            + [CurvePoint("UST_REAL", day, t, DayCount.ACT365, r, "treasury") for t, r in REAL.items()])


def as_dict(points: list[CurvePoint]) -> dict[tuple[str, int], float]:
    return {(p.curve_id, p.tenor_days): p.rate for p in points}


def test_standard_tenors_are_linear_in_tenor_between_published_ones():
    result = as_dict(ust_standard_points(published(), tenors=[91, 500, 3000, 7305]))

    assert result == pytest.approx({
        (UST_NOMINAL_STD, 91): 0.0432,  # published
        (UST_NOMINAL_STD, 500): 0.0418 + 135 / 365 * 0.0007,
        (UST_NOMINAL_STD, 3000): 0.0448 + 443 / 1095 * 0.0009,
        (UST_REAL_STD, 3000): 0.0180 + 1174 / 1826 * 0.0025,
        (UST_REAL_STD, 7305): 0.0205 + 3653 / 7305 * 0.0040,
    }, abs=1e-15)
    assert result[(UST_NOMINAL_STD, 500)] == pytest.approx(0.04205890410958904, abs=1e-15)


def test_tenors_outside_the_published_range_are_skipped():
    result = as_dict(ust_standard_points(published()))

    nominal = sorted(t for c, t in result if c == UST_NOMINAL_STD)
    real = sorted(t for c, t in result if c == UST_REAL_STD)
    assert nominal == [91, 182, 365, 730, 1095, 1826, 2557, 3652]
    assert real == [1826, 2557, 3652, 7305, 10957]


def test_points_carry_act365_and_the_silver_source():
    points = ust_standard_points(published(), tenors=[365])

    assert [(p.curve_id, p.curve_date, p.tenor_days, p.day_count, p.source) for p in points] == [
        (UST_NOMINAL_STD, DAY, 365, DayCount.ACT365, "silver")]


def test_a_frame_of_many_dates_in_any_order_is_resampled_per_date():
    day2 = date(2025, 3, 17)
    shifted = [CurvePoint(p.curve_id, day2, p.tenor_days, p.day_count, p.rate + 0.001, p.source)
               for p in published()]
    frame = curve_points_frame(published() + shifted).sample(frac=1.0, random_state=11)

    points = ust_standard_points(frame, tenors=[500])

    assert [(p.curve_date, p.curve_id) for p in points] == [(DAY, UST_NOMINAL_STD), (day2, UST_NOMINAL_STD)]
    assert points[1].rate - points[0].rate == pytest.approx(0.001, abs=1e-15)


def test_a_nan_rate_counts_as_not_published():
    frame = curve_points_frame(published())
    frame.loc[(frame["curve_id"] == "UST_NOMINAL") & (frame["tenor_days"] == 365), "rate"] = np.nan

    result = as_dict(ust_standard_points(frame, tenors=[365]))

    # Between 182 (4.25%) and 730 (4.25%): flat.
    assert result == pytest.approx({(UST_NOMINAL_STD, 365): 0.0425}, abs=1e-15)


def test_other_curves_are_ignored_and_empty_input_gives_no_points():
    di = [CurvePoint("DI_PRE", DAY, 252, DayCount.BUS252, 0.15, "silver")]

    assert ust_standard_points(di) == []
    assert ust_standard_points([]) == []
    assert ust_standard_points(curve_points_frame([])) == []


def test_a_ust_vertex_in_business_days_is_rejected():
    frame = curve_points_frame(published())
    frame.loc[0, "day_count"] = DayCount.BUS252.value

    with pytest.raises(InvalidCurveError, match="day count BUS/252"):
        ust_standard_points(frame)


def test_a_duplicate_vertex_is_rejected():
    frame = curve_points_frame(published())
    frame = pd.concat([frame, frame.iloc[[2]]], ignore_index=True)

    with pytest.raises(InvalidCurveError, match="tenor 182 appears twice"):
        ust_standard_points(frame)
