"""macro_features: the latest value of each feature of each series in a point-in-time view."""

from datetime import date

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from domain.macro import FEATURE_COLUMNS, InvalidSeriesError, macro_features

AS_OF = date(2025, 2, 20)
IPCA_2024 = [0.42, 0.83, 0.16, 0.38, 0.46, 0.21, 0.38, -0.02, 0.44, 0.56, 0.39, 0.52]


def monthly_rows(series_id: str, start: str, values: list[float]) -> list[tuple[str, date, float]]:
    days = [d.date() for d in pd.date_range(start, periods=len(values), freq="MS")]
    return [(series_id, d, v) for d, v in zip(days, values, strict=True)]


def view(rows: list[tuple[str, date, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["series_id", "observation_date", "value"])


def usdbrl_rows() -> list[tuple[str, date, float]]:
    rng = np.random.default_rng(20250220)
    days = [d.date() for d in pd.bdate_range(end="2025-02-19", periods=300)]
    values = 5.0 * np.exp(np.cumsum(rng.normal(0.0, 0.01, size=300)))
    return [("MKT_USDBRL", d, float(v)) for d, v in zip(days, values, strict=True)]


def observations() -> pd.DataFrame:
    rows = monthly_rows("BR_IPCA_MOM", "2024-01-01", IPCA_2024)
    rows += monthly_rows("BR_IPCA_CORE_EX", "2024-11-01", [0.30, 0.40])  # too short for any feature
    rows += monthly_rows("BR_UNEMPLOYMENT", "2023-12-01", [7.4] + [7.0] * 11 + [6.2])
    rows += monthly_rows("US_CORE_CPI", "2023-12-01", [310.0] + [315.0] * 11 + [319.92])
    rows += monthly_rows("BR_IBC_BR", "2021-01-01", [100 * 1.002 ** k for k in range(48)])
    rows += [("NOT_CATALOGUED", date(2025, 1, 2), 1.0)]
    rows += usdbrl_rows()
    frame = view(rows)
    return frame.sample(frac=1.0, random_state=9).reset_index(drop=True)


def feature(result: pd.DataFrame, series_id: str, name: str) -> tuple[date, float]:
    row = result.loc[(result["series_id"] == series_id) & (result["feature"] == name)]
    assert len(row) == 1, f"{series_id}/{name} missing"
    return row["observation_date"].iloc[0], float(row["value"].iloc[0])


def test_the_feature_list_per_series_is_as_documented_and_missing_series_are_absent():
    result = macro_features(observations(), as_of=AS_OF)

    assert list(result.columns) == FEATURE_COLUMNS
    assert list(zip(result["series_id"], result["feature"], strict=True)) == [
        ("BR_IBC_BR", "output_gap"), ("BR_IBC_BR", "yoy"),
        ("BR_IPCA_MOM", "ipca_12m"), ("BR_IPCA_MOM", "ipca_3m_saar"),
        ("BR_UNEMPLOYMENT", "change_12m"), ("BR_UNEMPLOYMENT", "level"),
        ("MKT_USDBRL", "level"), ("MKT_USDBRL", "zscore_252"),
        ("US_CORE_CPI", "yoy"),
    ]


def test_ipca_features_are_compounded_in_percent():
    result = macro_features(observations(), as_of=AS_OF)

    assert feature(result, "BR_IPCA_MOM", "ipca_12m") == (date(2024, 12, 1), pytest.approx(4.831295791859591,
                                                                                           abs=1e-12))
    assert feature(result, "BR_IPCA_MOM", "ipca_3m_saar")[1] == pytest.approx(
        100 * ((1.0056 * 1.0039 * 1.0052) ** 4 - 1), abs=1e-12)


def test_level_and_twelve_month_change_of_unemployment():
    result = macro_features(observations(), as_of=AS_OF)

    assert feature(result, "BR_UNEMPLOYMENT", "level") == (date(2024, 12, 1), 6.2)
    assert feature(result, "BR_UNEMPLOYMENT", "change_12m")[1] == pytest.approx(-1.2, abs=1e-12)


def test_us_core_cpi_yoy_is_in_percent():
    result = macro_features(observations(), as_of=AS_OF)

    assert feature(result, "US_CORE_CPI", "yoy")[1] == pytest.approx(100 * (319.92 / 310.0 - 1), abs=1e-12)


def test_steady_activity_growth_has_a_yoy_and_no_output_gap():
    result = macro_features(observations(), as_of=AS_OF)

    assert feature(result, "BR_IBC_BR", "yoy")[1] == pytest.approx(100 * (1.002 ** 12 - 1), abs=1e-10)
    gap_date, gap = feature(result, "BR_IBC_BR", "output_gap")
    assert gap_date == date(2024, 12, 1)
    assert gap == pytest.approx(0.0, abs=1e-7)


def test_a_daily_series_has_its_latest_level_and_zscore_over_252_observations():
    rows = usdbrl_rows()
    last = np.array([v for _, _, v in rows[-252:]])

    result = macro_features(observations(), as_of=AS_OF)

    assert feature(result, "MKT_USDBRL", "level") == (rows[-1][1], rows[-1][2])
    z_date, z = feature(result, "MKT_USDBRL", "zscore_252")
    assert z_date == rows[-1][1]
    assert_allclose(z, (last[-1] - last.mean()) / last.std(ddof=1), rtol=1e-10)


def test_an_observation_dated_after_the_view_is_refused_as_look_ahead():
    late = ("BR_IPCA_MOM", date(2025, 3, 1), 0.5)
    frame = view([*monthly_rows("BR_IPCA_MOM", "2024-01-01", IPCA_2024), late])

    with pytest.raises(InvalidSeriesError, match="BR_IPCA_MOM has an observation dated 2025-03-01"):
        macro_features(frame, as_of=AS_OF)


def test_a_duplicate_observation_is_refused():
    again = ("BR_IPCA_MOM", date(2024, 12, 1), 0.6)
    frame = view([*monthly_rows("BR_IPCA_MOM", "2024-01-01", IPCA_2024), again])

    with pytest.raises(InvalidSeriesError, match="BR_IPCA_MOM 2024-12-01 appears twice"):
        macro_features(frame, as_of=AS_OF)


def test_an_empty_view_gives_no_features_with_the_right_columns():
    result = macro_features(view([]), as_of=AS_OF)

    assert result.empty
    assert list(result.columns) == FEATURE_COLUMNS


def test_a_feature_reports_the_date_of_its_latest_value_when_the_latest_month_breaks_the_window():
    # December is known but November is missing: the 12m rate stops at October's window.
    known = [0.28, 0.56, *IPCA_2024[:10]]  # November 2023 to October 2024
    rows = [*monthly_rows("BR_IPCA_MOM", "2023-11-01", known), ("BR_IPCA_MOM", date(2024, 12, 1), 0.52)]

    result = macro_features(view(rows), as_of=AS_OF)

    when, value = feature(result, "BR_IPCA_MOM", "ipca_12m")
    assert when == date(2024, 10, 1)
    expected = np.prod(1 + np.array(known) / 100) - 1
    assert value == pytest.approx(100 * expected, abs=1e-12)
