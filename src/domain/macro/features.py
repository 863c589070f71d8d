"""The latest macro features of every series in a point-in-time view: the agents' macro inputs."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from domain.macro.transforms import (
    FloatSeries,
    InvalidSeriesError,
    change_12m,
    compounded_12m,
    output_gap,
    saar_3m,
    sum_12m,
    trailing_zscore,
    yoy_change,
)
from domain.market.series import SERIES, Frequency

FEATURE_COLUMNS = ["series_id", "feature", "observation_date", "value"]
ZSCORE_WINDOW = 252


@dataclass(frozen=True, slots=True)
class FeatureRule:
    """One feature of a series: its name, unit and the transform producing it from the series."""

    name: str
    unit: str
    transform: Callable[[FloatSeries], FloatSeries]


def _pct(transform: Callable[[FloatSeries], FloatSeries]) -> Callable[[FloatSeries], FloatSeries]:
    def in_percent(series: FloatSeries) -> FloatSeries:
        return transform(series) * 100.0
    return in_percent


def _level(series: FloatSeries) -> FloatSeries:
    return series


def _zscore(series: FloatSeries) -> FloatSeries:
    return trailing_zscore(series, ZSCORE_WINDOW)


_LEVEL = FeatureRule("level", "series unit", _level)
_CHANGE_12M = FeatureRule("change_12m", "series unit (pp for % series)", change_12m)
_YOY = FeatureRule("yoy", "%", _pct(yoy_change))
_CORE = (FeatureRule("core_12m", "%", _pct(compounded_12m)), FeatureRule("core_3m_saar", "%", _pct(saar_3m)))

MONTHLY_FEATURES: dict[str, tuple[FeatureRule, ...]] = {
    "BR_IPCA_MOM": (FeatureRule("ipca_12m", "%", _pct(compounded_12m)),
                    FeatureRule("ipca_3m_saar", "%", _pct(saar_3m))),
    "BR_IPCA_CORE_MA": _CORE,
    "BR_IPCA_CORE_EX": _CORE,
    "BR_IPCA_CORE_DP": _CORE,
    "BR_IBC_BR": (_YOY, FeatureRule("output_gap", "% of trend", output_gap)),
    "BR_UNEMPLOYMENT": (_LEVEL, _CHANGE_12M),
    "BR_GROSS_DEBT_GDP": (_LEVEL, _CHANGE_12M),
    "BR_NET_DEBT_GDP": (_LEVEL, _CHANGE_12M),
    "BR_PRIMARY_BALANCE_GDP": (_LEVEL, _CHANGE_12M),
    "US_UNEMPLOYMENT": (_LEVEL, _CHANGE_12M),
    "BR_TRADE_BALANCE": (_LEVEL, FeatureRule("sum_12m", "US$ mn", sum_12m)),
    "US_CORE_PCE": (_YOY,),
    "US_CORE_CPI": (_YOY,),
}
DAILY_FEATURES: tuple[FeatureRule, ...] = (_LEVEL, FeatureRule(f"zscore_{ZSCORE_WINDOW}", "sd", _zscore))


def feature_rules(series_id: str) -> tuple[FeatureRule, ...]:
    """The features computed for a series: its own list, or by frequency; none for an uncatalogued id."""
    if series_id in MONTHLY_FEATURES:
        return MONTHLY_FEATURES[series_id]
    spec = SERIES.get(series_id)
    if spec is None:
        return ()
    return DAILY_FEATURES if spec.frequency is Frequency.DAILY else (_LEVEL,)


def macro_features(observations: pd.DataFrame, *, as_of: date) -> pd.DataFrame:
    """Latest value of every macro feature of every series in a point-in-time view.

    Features (units in brackets; 12m and 3m SAAR are compounded from the % m/m values):

    ====================================  ===================================================
    series                                features
    ====================================  ===================================================
    BR_IPCA_MOM                           ipca_12m [%], ipca_3m_saar [%]
    BR_IPCA_CORE_MA / _EX / _DP           core_12m [%], core_3m_saar [%]
    BR_IBC_BR                             yoy [%], output_gap [% of one-sided HP trend]
    BR_UNEMPLOYMENT, US_UNEMPLOYMENT      level [%], change_12m [pp]
    BR_GROSS_DEBT_GDP, BR_NET_DEBT_GDP,   level [% GDP], change_12m [pp]
    BR_PRIMARY_BALANCE_GDP
    BR_TRADE_BALANCE                      level, sum_12m [US$ mn]
    US_CORE_PCE, US_CORE_CPI              yoy [%]
    every daily catalogue series          level, zscore_252 [sd over the last 252 obs]
    other catalogue series                level
    ====================================  ===================================================

    with

    .. math::

        ipca\\_12m_t = 100\\left(\\prod_{k=0}^{11}(1 + m_{t-k}/100) - 1\\right), \\quad
        saar_t = 100\\left(\\prod_{k=0}^{2}(1 + m_{t-k}/100)^4 - 1\\right), \\quad
        yoy_t = 100\\left(\\frac{x_t}{x_{t-12}} - 1\\right)

    :math:`gap_t = 100(\\ln x_t - \\tau^{rt}_t)` with the real-time HP trend (:math:`\\lambda = 14400`),
    and :math:`z_t = (x_t - \\bar{x}) / s` over the 252 observations ending at :math:`t`.

    Parameters
    ----------
    observations : DataFrame
        Columns ``series_id``, ``observation_date``, ``value``: the series as known on ``as_of``
        (a repository read "as of"); other columns are ignored.
    as_of : date
        The knowledge date of the view; no observation may be dated after it.

    Returns
    -------
    DataFrame
        Columns ``series_id``, ``feature``, ``observation_date`` (the date of the latest value of the
        feature) and ``value``, sorted by series and feature. A feature with no value (too little
        history) and a series missing from the input are absent; uncatalogued series are ignored.

    Raises
    ------
    InvalidSeriesError
        When a column is missing, an observation is dated after ``as_of``, a value is not finite, or
        a (series, date) appears twice.
    """
    missing = [c for c in ("series_id", "observation_date", "value") if c not in observations.columns]
    if missing:
        raise InvalidSeriesError(f"macro features: observations lack column(s) {missing}")
    frame = observations[["series_id", "observation_date", "value"]].copy()
    frame["observation_date"] = pd.to_datetime(frame["observation_date"])
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce")
    _validate(frame, as_of)
    rows: list[tuple[str, str, date, float]] = []
    for series_id, group in frame.groupby("series_id", sort=True):
        sid = str(series_id)
        series = pd.Series(group["value"].to_numpy(dtype=np.float64),
                           index=pd.DatetimeIndex(group["observation_date"]), name=sid).sort_index()
        for rule in feature_rules(sid):
            values = rule.transform(series).dropna()
            if not values.empty:
                rows.append((sid, rule.name, pd.Timestamp(values.index[-1]).date(), float(values.iloc[-1])))
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c == "value" else "object")
                             for c in FEATURE_COLUMNS})
    result = pd.DataFrame(rows, columns=FEATURE_COLUMNS)
    return result.sort_values(["series_id", "feature"]).reset_index(drop=True)


def _validate(frame: pd.DataFrame, as_of: date) -> None:
    late = frame["observation_date"] > pd.Timestamp(as_of)
    if late.any():
        row = frame.loc[late].iloc[0]
        raise InvalidSeriesError(f"macro features as of {as_of}: {row['series_id']} has an observation dated "
                                 f"{row['observation_date'].date()}, after the view's date (look-ahead)")
    bad = ~np.isfinite(frame["value"].to_numpy(dtype=np.float64))
    if bad.any():
        row = frame.loc[bad].iloc[0]
        raise InvalidSeriesError(f"macro features: {row['series_id']} {row['observation_date'].date()} has "
                                 "a non-finite value")
    dup = frame.duplicated(["series_id", "observation_date"])
    if dup.any():
        row = frame.loc[dup].iloc[0]
        raise InvalidSeriesError(f"macro features: {row['series_id']} {row['observation_date'].date()} "
                                 "appears twice (expected one vintage per date)")
