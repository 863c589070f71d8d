"""The vocabulary shared by signals, portfolio and risk: tradable generics, risk factors, positions.

**Sign convention.** Every quantity is expressed so that a *long* position gains when its factor rises:

* DI1 is traded in rate terms: a long DI1 ("tomado") is long the rate and gains when rates rise; a
  short ("dado") gains when they fall. "Increase DI1F27 short by 20 contracts" adds receiver risk.
* NTN-B and UST10 are bonds (long = long price): they gain when yields FALL, so their sensitivity to
  their yield factor is negative.
* DOL/WDO long = long USD against BRL; IND/WIN long = long Ibovespa.

Factor units: ``bp`` factors move in basis points (one unit = 0.0001 of rate), ``pct`` factors in
percent (one unit = a 1% relative move). A :class:`Sensitivity` is the BRL P&L of a position for a
move of +1 unit of its factor.
"""

from dataclasses import dataclass
from enum import StrEnum

from domain.market.instruments import AssetClass


class FactorUnit(StrEnum):
    """Unit of a factor move."""

    BP = "bp"
    PCT = "pct"


class FactorFamily(StrEnum):
    """Groups of factors that stress scenarios shock together."""

    DI_PRE = "di_pre"        # Brazil nominal curve
    NTNB_REAL = "ntnb_real"  # Brazil real curve
    USDBRL = "usdbrl"
    IBOVESPA = "ibovespa"
    UST = "ust"              # US Treasury yields
    SP500 = "sp500"
    OIL = "oil"
    CDS = "cds"              # Brazil sovereign credit spread


@dataclass(frozen=True, slots=True)
class RiskFactor:
    """One risk factor: a curve vertex or a market level."""

    name: str            # e.g. "DI_PRE:504", "USDBRL"
    family: FactorFamily
    unit: FactorUnit


# The factors the model book trades and the risk engine measures.
FACTORS: dict[str, RiskFactor] = {
    f.name: f for f in (
        RiskFactor("DI_PRE:252", FactorFamily.DI_PRE, FactorUnit.BP),
        RiskFactor("DI_PRE:504", FactorFamily.DI_PRE, FactorUnit.BP),
        RiskFactor("DI_PRE:756", FactorFamily.DI_PRE, FactorUnit.BP),
        RiskFactor("DI_PRE:1260", FactorFamily.DI_PRE, FactorUnit.BP),
        RiskFactor("DI_PRE:2520", FactorFamily.DI_PRE, FactorUnit.BP),
        RiskFactor("NTNB_REAL:1260", FactorFamily.NTNB_REAL, FactorUnit.BP),
        RiskFactor("USDBRL", FactorFamily.USDBRL, FactorUnit.PCT),
        RiskFactor("IBOVESPA", FactorFamily.IBOVESPA, FactorUnit.PCT),
        RiskFactor("UST:3652", FactorFamily.UST, FactorUnit.BP),
        RiskFactor("SP500", FactorFamily.SP500, FactorUnit.PCT),
        RiskFactor("OIL", FactorFamily.OIL, FactorUnit.PCT),
    )
}


@dataclass(frozen=True, slots=True)
class Generic:
    """A constant-maturity tradable the strategies signal on; sizing maps it to a listed contract."""

    name: str            # e.g. "DI1_2Y"
    root: str            # contract root in CONTRACT_SPECS ("DI1", "NTNB", "DOL", "IND", "UST10")
    asset_class: AssetClass
    factor: str          # key of FACTORS it loads on
    tenor_bd: int | None  # target business days to maturity for curve instruments


GENERICS: dict[str, Generic] = {
    g.name: g for g in (
        Generic("DI1_1Y", "DI1", AssetClass.RATES, "DI_PRE:252", 252),
        Generic("DI1_2Y", "DI1", AssetClass.RATES, "DI_PRE:504", 504),
        Generic("DI1_3Y", "DI1", AssetClass.RATES, "DI_PRE:756", 756),
        Generic("DI1_5Y", "DI1", AssetClass.RATES, "DI_PRE:1260", 1260),
        Generic("DI1_10Y", "DI1", AssetClass.RATES, "DI_PRE:2520", 2520),
        Generic("NTNB_5Y", "NTNB", AssetClass.INFLATION, "NTNB_REAL:1260", 1260),
        Generic("USDBRL", "DOL", AssetClass.FX, "USDBRL", None),
        Generic("IBOV", "IND", AssetClass.EQUITY, "IBOVESPA", None),
        Generic("UST10", "UST10", AssetClass.GLOBAL_RATES, "UST:3652", None),
    )
}


@dataclass(frozen=True, slots=True)
class Position:
    """A holding in whole contracts (bonds for NTN-B), signed: > 0 long, < 0 short."""

    instrument: str      # listed ticker: "DI1F28", "DOLZ26", "INDZ26", "NTNB_20300815", "UST10"
    generic: str         # key of GENERICS
    contracts: int
    asset_class: AssetClass


@dataclass(frozen=True, slots=True)
class Sensitivity:
    """BRL P&L of ``instrument``'s position for a +1 unit move (1bp or 1%) of ``factor``."""

    instrument: str
    factor: str
    brl_per_unit: float


@dataclass(frozen=True, slots=True)
class FactorSource:
    """The Silver return row that measures a factor's daily change, and its scale into factor units."""

    factor: str
    return_instrument: str  # ``returns.instrument``
    field: str              # "rate_change_bp" or "price_return" (log returns for market series)
    scale: float            # into the factor's unit (bp stay bp; log return x 100 is %)


FACTOR_SOURCES: dict[str, FactorSource] = {
    s.factor: s for s in (
        FactorSource("DI_PRE:252", "DI_PRE:252", "rate_change_bp", 1.0),
        FactorSource("DI_PRE:504", "DI_PRE:504", "rate_change_bp", 1.0),
        FactorSource("DI_PRE:756", "DI_PRE:756", "rate_change_bp", 1.0),
        FactorSource("DI_PRE:1260", "DI_PRE:1260", "rate_change_bp", 1.0),
        FactorSource("DI_PRE:2520", "DI_PRE:2520", "rate_change_bp", 1.0),
        FactorSource("NTNB_REAL:1260", "NTNB_REAL:1260", "rate_change_bp", 1.0),
        FactorSource("UST:3652", "UST_NOMINAL_STD:3652", "rate_change_bp", 1.0),
        FactorSource("USDBRL", "BR_PTAX_SELL", "price_return", 100.0),
        FactorSource("IBOVESPA", "MKT_IBOVESPA", "price_return", 100.0),
        FactorSource("SP500", "MKT_SP500", "price_return", 100.0),
        FactorSource("OIL", "MKT_WTI", "price_return", 100.0),
    )
}
