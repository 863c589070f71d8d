"""Silver curves: DI pre (nominal) and NTN-B (real) on 252 business days, breakevens, UST standard tenors."""

from domain.curves.breakeven import BR_BREAKEVEN_CURVE_ID, breakeven_points
from domain.curves.di_pre import DI_PRE_CURVE_ID, DiCurve, build_di_curve, build_di_curves, di_curve_points
from domain.curves.flat_forward import FlatForwardCurve, InvalidCurveError
from domain.curves.points import SILVER_SOURCE, curve_points_frame
from domain.curves.real import (
    NTNB_REAL_CURVE_ID,
    RealCurve,
    build_real_curve,
    build_real_curves,
    ntnb_maturity,
    real_curve_points,
)
from domain.curves.tenors import STANDARD_ACT_TENORS, STANDARD_BUS_TENORS, tenor_days, tenor_name
from domain.curves.ust import UST_NOMINAL_STD, UST_REAL_STD, ust_standard_points

__all__ = [
    "BR_BREAKEVEN_CURVE_ID",
    "DI_PRE_CURVE_ID",
    "NTNB_REAL_CURVE_ID",
    "SILVER_SOURCE",
    "STANDARD_ACT_TENORS",
    "STANDARD_BUS_TENORS",
    "UST_NOMINAL_STD",
    "UST_REAL_STD",
    "DiCurve",
    "FlatForwardCurve",
    "InvalidCurveError",
    "RealCurve",
    "breakeven_points",
    "build_di_curve",
    "build_di_curves",
    "build_real_curve",
    "build_real_curves",
    "curve_points_frame",
    "di_curve_points",
    "ntnb_maturity",
    "real_curve_points",
    "tenor_days",
    "tenor_name",
    "ust_standard_points",
]
