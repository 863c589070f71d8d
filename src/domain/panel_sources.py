"""Where each column of the daily panel (:mod:`domain.panel`) comes from, and its unit conversion.

Pure data. ``scale`` turns the stored unit into the panel's (0.01 for a percent into a decimal).
Levels are read "as known" each session; features are event-dated by when they became known;
curve columns are Silver curve vertices of that session.
"""

from dataclasses import dataclass

from domain import panel as p
from domain.market.series import SERIES


@dataclass(frozen=True, slots=True)
class LevelSource:
    """A catalogue series' latest known value."""

    column: str
    series_id: str
    scale: float = 1.0


@dataclass(frozen=True, slots=True)
class FeatureSource:
    """The mean of one macro feature over one or more series (e.g. the three IPCA cores)."""

    column: str
    series_ids: tuple[str, ...]
    feature: str
    scale: float = 0.01


@dataclass(frozen=True, slots=True)
class CurveSource:
    """A Silver curve vertex."""

    column: str
    curve_id: str
    tenor_days: int


PCT = 0.01

LEVELS: tuple[LevelSource, ...] = (
    LevelSource(p.SELIC, "BR_SELIC_TARGET", PCT),
    LevelSource(p.FOCUS_IPCA_12M, "BR_FOCUS_IPCA_12M", PCT),
    LevelSource(p.FOCUS_IPCA_CY, "BR_FOCUS_IPCA_CY", PCT),
    LevelSource(p.FOCUS_IPCA_NY, "BR_FOCUS_IPCA_NY", PCT),
    LevelSource(p.FOCUS_SELIC_CY, "BR_FOCUS_SELIC_CY", PCT),
    LevelSource(p.FOCUS_SELIC_NY, "BR_FOCUS_SELIC_NY", PCT),
    LevelSource(p.FOCUS_GDP_CY, "BR_FOCUS_GDP_CY", PCT),
    LevelSource(p.FOCUS_FX_CY, "BR_FOCUS_FX_CY"),
    LevelSource(p.USDBRL, "BR_PTAX_SELL"),
    LevelSource(p.RESERVES_USD_MN, "BR_RESERVES"),
    LevelSource(p.IBOVESPA, "MKT_IBOVESPA"),
    LevelSource(p.EWZ, "MKT_EWZ"),
    LevelSource(p.VIX, "MKT_VIX"),
    LevelSource(p.DXY, "MKT_DXY"),
    LevelSource(p.SP500, "MKT_SP500"),
    LevelSource(p.WTI, "MKT_WTI"),
    LevelSource(p.GOLD, "MKT_GOLD"),
    LevelSource(p.US_FED_FUNDS, "US_FED_FUNDS", PCT),
    LevelSource(p.US_UST_2Y, "US_UST_2Y", PCT),
    LevelSource(p.US_UST_10Y, "US_UST_10Y", PCT),
    LevelSource(p.US_TIPS_10Y, "US_TIPS_10Y", PCT),
    LevelSource(p.US_BREAKEVEN_10Y, "US_BREAKEVEN_10Y", PCT),
    LevelSource(p.US_HY_OAS, "US_HY_OAS", PCT),
    LevelSource(p.US_NFCI, "US_NFCI"),
)

_CORES = ("BR_IPCA_CORE_MA", "BR_IPCA_CORE_EX", "BR_IPCA_CORE_DP")
FEATURES: tuple[FeatureSource, ...] = (
    FeatureSource(p.IPCA_12M, ("BR_IPCA_MOM",), "ipca_12m"),
    FeatureSource(p.IPCA_3M_SAAR, ("BR_IPCA_MOM",), "ipca_3m_saar"),
    FeatureSource(p.CORE_12M, _CORES, "core_12m"),
    FeatureSource(p.CORE_3M_SAAR, _CORES, "core_3m_saar"),
    FeatureSource(p.IPCA_DIFFUSION, ("BR_IPCA_DIFFUSION",), "level"),
    FeatureSource(p.ACTIVITY_GAP, ("BR_IBC_BR",), "output_gap"),
    FeatureSource(p.ACTIVITY_YOY, ("BR_IBC_BR",), "yoy"),
    FeatureSource(p.UNEMPLOYMENT, ("BR_UNEMPLOYMENT",), "level"),
    FeatureSource(p.UNEMPLOYMENT_CHG_12M, ("BR_UNEMPLOYMENT",), "change_12m"),
    FeatureSource(p.CAPACITY_UTIL, ("BR_CAPACITY_UTIL",), "level"),
    FeatureSource(p.PRIMARY_BALANCE_GDP, ("BR_PRIMARY_BALANCE_GDP",), "level"),
    FeatureSource(p.GROSS_DEBT_GDP, ("BR_GROSS_DEBT_GDP",), "level"),
    FeatureSource(p.GROSS_DEBT_CHG_12M, ("BR_GROSS_DEBT_GDP",), "change_12m"),
    FeatureSource(p.NET_DEBT_GDP, ("BR_NET_DEBT_GDP",), "level"),
    FeatureSource(p.TRADE_BALANCE_12M_USD_MN, ("BR_TRADE_BALANCE",), "sum_12m", 1.0),
    FeatureSource(p.US_CORE_PCE_YOY, ("US_CORE_PCE",), "yoy"),
    FeatureSource(p.US_CORE_CPI_YOY, ("US_CORE_CPI",), "yoy"),
    FeatureSource(p.US_UNEMPLOYMENT, ("US_UNEMPLOYMENT",), "level"),
    FeatureSource(p.US_NAIRU, ("US_NAIRU",), "level"),
)

CURVES: tuple[CurveSource, ...] = (
    CurveSource(p.DI_1M, "DI_PRE", 21), CurveSource(p.DI_3M, "DI_PRE", 63), CurveSource(p.DI_6M, "DI_PRE", 126),
    CurveSource(p.DI_1Y, "DI_PRE", 252), CurveSource(p.DI_2Y, "DI_PRE", 504), CurveSource(p.DI_3Y, "DI_PRE", 756),
    CurveSource(p.DI_5Y, "DI_PRE", 1260), CurveSource(p.DI_10Y, "DI_PRE", 2520),
    CurveSource(p.NTNB_REAL_2Y, "NTNB_REAL", 504), CurveSource(p.NTNB_REAL_5Y, "NTNB_REAL", 1260),
    CurveSource(p.NTNB_REAL_10Y, "NTNB_REAL", 2520),
    CurveSource(p.BREAKEVEN_2Y, "BR_BREAKEVEN", 504), CurveSource(p.BREAKEVEN_5Y, "BR_BREAKEVEN", 1260),
)


def covered_columns() -> set[str]:
    """Every panel column some source fills."""
    return {s.column for s in LEVELS} | {s.column for s in FEATURES} | {s.column for s in CURVES}


@dataclass(frozen=True, slots=True)
class Upstream:
    """What a set of panel columns is computed from."""

    connectors: frozenset[str]   # Bronze connectors whose series are read as levels
    features: bool               # needs Silver macro features
    curves: bool                 # needs Silver curves


def upstream_of(columns: tuple[str, ...]) -> Upstream:
    """The Bronze connectors and Silver layers that feed ``columns``.

    Raises
    ------
    KeyError
        When a column has no source.
    """

    wanted = set(columns)
    unknown = wanted - covered_columns()
    if unknown:
        raise KeyError(f"panel columns without a source: {sorted(unknown)}")
    connectors = frozenset(str(SERIES[s.series_id].connector) for s in LEVELS if s.column in wanted)
    return Upstream(connectors, any(s.column in wanted for s in FEATURES), any(s.column in wanted for s in CURVES))
