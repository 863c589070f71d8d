"""Transaction costs of the trade list: B3 exchange and registration fees per contract, and half the bid/ask spread.

The cost of trading :math:`|\\Delta n|` contracts of instrument :math:`j` on a session is

.. math:: c_j = |\\Delta n_j| \\left(f^{BRL}_j + f^{USD}_j \\, X + h_j \\, u_j\\right)

with :math:`f^{BRL}`, :math:`f^{USD}` the per-contract fees (B3 charges FX futures in US dollars; :math:`X` is
BRL per USD), :math:`h_j` the half-spread in the instrument's quote unit and :math:`u_j` the BRL value of one
quote unit per contract: the DV01 for DI1, NTN-B and UST10 (half-spread in bp of rate), the R$ per point for
DOL, WDO, IND and WIN (half-spread in points). Every trade crosses half the spread: the book trades at
settlement, which sits mid-market.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from domain.market.instruments import CONTRACT_SPECS, parse_future
from domain.portfolio.errors import InvalidPortfolioInputError

RATE_QUOTED_ROOTS = frozenset({"DI1", "NTNB", "UST10"})


@dataclass(frozen=True, slots=True)
class InstrumentCost:
    """Cost parameters of one contract root.

    Attributes
    ----------
    fee_brl : float
        Exchange plus registration fee per contract, BRL.
    fee_usd : float
        Fee per contract charged in US dollars (B3's DOL/WDO "tarifa única", a UST future's fees).
    half_spread : float
        Half the bid/ask spread: bp of rate for DI1, NTN-B and UST10; price points otherwise.
    """

    fee_brl: float = 0.0
    fee_usd: float = 0.0
    half_spread: float = 0.0

    def __post_init__(self) -> None:
        for name in ("fee_brl", "fee_usd", "half_spread"):
            value = getattr(self, name)
            if not (np.isfinite(value) and value >= 0):
                raise InvalidPortfolioInputError(f"cost: {name} must be finite and non-negative, got {value}")


def _default_costs() -> dict[str, InstrumentCost]:
    # B3 fee schedules (docs/decisions.md, "Transaction costs"): DI1 R$0.50 exchange + R$0.41 registration floor for
    # maturities 290+ days out; DOL US$0.97 and WDO 0.2 of it at the first volume tier. IND/WIN and the spreads are
    # one tick's half (DI1 0.5bp on 1bp, DOL 0.25 on 0.5 points, IND 2.5 on 5 points), NTN-B a 1bp market.
    return {
        "DI1": InstrumentCost(fee_brl=0.91, half_spread=0.5),
        "DOL": InstrumentCost(fee_usd=0.97, half_spread=0.25),
        "WDO": InstrumentCost(fee_usd=0.194, half_spread=0.25),
        "IND": InstrumentCost(fee_brl=1.00, half_spread=2.5),
        "WIN": InstrumentCost(fee_brl=0.25, half_spread=2.5),
        "NTNB": InstrumentCost(half_spread=1.0),
        "UST10": InstrumentCost(fee_usd=2.0, half_spread=0.1),
    }


@dataclass(frozen=True, slots=True)
class CostSchedule:
    """Cost parameters by contract root (``DI1``, ``DOL``, ``WDO``, ``IND``, ``WIN``, ``NTNB``, ``UST10``)."""

    by_root: Mapping[str, InstrumentCost] = field(default_factory=_default_costs)

    def __post_init__(self) -> None:
        unknown = sorted(set(self.by_root) - set(CONTRACT_SPECS))
        if unknown:
            raise InvalidPortfolioInputError(f"cost schedule: unknown contract root(s) {unknown}")


def instrument_root(instrument: str) -> str:
    """Contract root of a listed instrument: ``DI1F27`` -> ``DI1``, ``NTNB_20300815`` -> ``NTNB``."""
    if instrument.startswith("NTNB_"):
        return "NTNB"
    if instrument == "UST10":
        return "UST10"
    return parse_future(instrument).root


def trade_cost(instrument: str, contracts: int, *, bp_value: float, usdbrl: float | None,
               schedule: CostSchedule) -> float:
    """BRL cost of trading ``contracts`` (either sign) of ``instrument``.

    .. math:: c = |n| \\left(f^{BRL} + f^{USD} X + h\\, u\\right)

    Parameters
    ----------
    instrument : str
        Listed ticker.
    contracts : int
        Contracts traded (the sign is ignored).
    bp_value : float
        BRL per bp of rate per contract (DV01) for rate-quoted roots; ignored for the others.
    usdbrl : float, optional
        BRL per USD, required when the root has a USD fee.
    schedule : CostSchedule

    Returns
    -------
    float
        Non-negative BRL (0 for a root the schedule does not list).
    """
    root = instrument_root(instrument)
    cost = schedule.by_root.get(root)
    if cost is None or contracts == 0:
        return 0.0
    per_contract = cost.fee_brl
    if cost.fee_usd:
        if usdbrl is None or not (np.isfinite(usdbrl) and usdbrl > 0):
            raise InvalidPortfolioInputError(f"cost of {instrument}: needs a positive USD/BRL, got {usdbrl}")
        per_contract += cost.fee_usd * usdbrl
    unit = abs(float(bp_value)) if root in RATE_QUOTED_ROOTS else CONTRACT_SPECS[root].point_value
    per_contract += cost.half_spread * unit
    return abs(int(contracts)) * per_contract
