"""Macro transforms and features: monthly changes, inflation compounding, z-scores, real-time output gap."""

from domain.macro.features import FEATURE_COLUMNS, FeatureRule, feature_rules, macro_features
from domain.macro.hp_filter import MONTHLY_LAMBDA, HpFilterError, hp_trend, one_sided_hp_trend
from domain.macro.transforms import (
    InvalidSeriesError,
    change_12m,
    compounded_12m,
    mom_change,
    output_gap,
    saar_3m,
    trailing_zscore,
    yoy_change,
)

__all__ = [
    "FEATURE_COLUMNS",
    "MONTHLY_LAMBDA",
    "FeatureRule",
    "HpFilterError",
    "InvalidSeriesError",
    "change_12m",
    "compounded_12m",
    "feature_rules",
    "hp_trend",
    "macro_features",
    "mom_change",
    "one_sided_hp_trend",
    "output_gap",
    "saar_3m",
    "trailing_zscore",
    "yoy_change",
]
