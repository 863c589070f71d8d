"""Sizing target weights into whole listed contracts, with the book's sensitivities.

A weight :math:`w_g` (fraction of NAV, :mod:`domain.portfolio.exposure`) sets the target
sensitivity of generic :math:`g` to its factor,

.. math:: S_g = w_g \\cdot NAV \\cdot s_g \\quad \\text{(BRL per bp or per 1\\%)}

and the contracts are :math:`n = \\mathrm{round}(S_g / S_c)` with :math:`S_c` the sensitivity of one
contract of the listed instrument chosen for the generic (rounded half away from zero):

* DI1 (long = long the rate): :math:`S_c = +DV01` of the chosen contract, from its settlement rate and
  business days to maturity; the contract is the listed one (January by default, the most liquid)
  whose maturity is nearest the generic's tenor;
* NTN-B (long the bond): :math:`S_c = -DV01` of the listed bond nearest the tenor, priced at its real
  yield on its actual coupon dates (VNA x cotação; no ANBIMA truncation);
* UST10 future (long the bond): :math:`S_c = -US\\$100{,}000 \\cdot USDBRL \\cdot D_{par}(y, 10)/10^4`,
  so :math:`n` = BRL notional / (US$100,000 at USD/BRL);
* DOL (long USD): :math:`S_c = US\\$50{,}000 \\cdot USDBRL / 100`, i.e. :math:`n` = USD notional /
  US$50,000; with minis the total is rounded in WDO (US$10,000), the whole DOL part traded in DOL
  and the remainder (0..4 WDO) in WDO;
* IND (long Ibovespa): :math:`S_c = \\text{index} \\times R\\$1 / 100`; with minis the remainder in WIN
  (R$0.20 per point).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from domain.book import GENERICS, Position, Sensitivity
from domain.curves.real import ntnb_maturity
from domain.errors import InvalidInstrumentError
from domain.market.calendar import business_days
from domain.market.di1 import di1_dv01
from domain.market.instruments import CONTRACT_SPECS, parse_future
from domain.portfolio.bonds import ntnb_coupon_days, ntnb_dv01, par_bond_modified_duration
from domain.portfolio.errors import InvalidPortfolioInputError
from domain.portfolio.exposure import ONE_BP, ONE_PCT, UST10_YEARS

DEFAULT_NAV = 100_000_000.0
DEFAULT_MIN_DAYS = 21  # business days: do not open contracts about to expire
UST10_INSTRUMENT = "UST10"
_MINI = {"DOL": "WDO", "IND": "WIN"}


def _positive(value: float | None, what: str) -> float:
    if value is None:
        raise InvalidPortfolioInputError(f"sizing: market lacks {what}")
    if not (np.isfinite(value) and value > 0):
        raise InvalidPortfolioInputError(f"sizing: {what} must be positive, got {value}")
    return float(value)


@dataclass(frozen=True, slots=True)
class SizingMarket:
    """Market inputs of sizing on ``as_of`` (only those the book needs are required).

    Parameters
    ----------
    as_of : date
        Trade date; business days to maturity count from it.
    di1_rates : mapping
        Listed DI1 ticker -> settlement rate (decimal).
    ntnb_yields : mapping
        Listed NTN-B (``NTNB_YYYYMMDD``) -> real yield (decimal).
    ntnb_vna : float, optional
        NTN-B inflation-updated nominal value, BRL.
    usdbrl : float, optional
        BRL per USD (the DOL future's price / 1000, or spot).
    fx_contract : str, optional
        DOL contract to trade (``DOLF27``); its WDO twin takes the remainder.
    ibovespa : float, optional
        Ibovespa future's price in points.
    equity_contract : str, optional
        IND contract to trade (``INDZ26``); its WIN twin takes the remainder.
    ust10_yield : float, optional
        US 10-year yield (decimal) for the UST10 future's duration.
    """

    as_of: date
    di1_rates: Mapping[str, float] = field(default_factory=dict)
    ntnb_yields: Mapping[str, float] = field(default_factory=dict)
    ntnb_vna: float | None = None
    usdbrl: float | None = None
    fx_contract: str | None = None
    ibovespa: float | None = None
    equity_contract: str | None = None
    ust10_yield: float | None = None

    def __post_init__(self) -> None:
        for ticker, rate in {**self.di1_rates, **self.ntnb_yields}.items():
            if not (np.isfinite(rate) and rate > -1):
                raise InvalidPortfolioInputError(f"sizing: {ticker} rate {rate} is not a decimal above -100%")
        for ticker in self.di1_rates:
            if parse_future(ticker).root != "DI1":
                raise InvalidPortfolioInputError(f"sizing: {ticker} in di1_rates is not a DI1 contract")
        for contract, root in ((self.fx_contract, "DOL"), (self.equity_contract, "IND")):
            if contract is not None and parse_future(contract).root != root:
                raise InvalidPortfolioInputError(f"sizing: {contract} is not a {root} contract")


def _round(x: float) -> int:
    """Round half away from zero."""
    return int(np.sign(x) * np.floor(abs(x) + 0.5))


def _du(market: SizingMarket, maturity: date) -> int:
    return business_days(market.as_of, maturity)


def choose_di1_contract(tenor_bd: int, market: SizingMarket, *, prefer_january: bool = True,
                        min_days: int = DEFAULT_MIN_DAYS) -> str:
    """The listed DI1 whose business days to maturity are nearest ``tenor_bd``.

    .. math:: c^* = \\arg\\min_c \\left(|du_c - \\tau|,\\; du_c\\right), \\quad du_c > min\\_days

    restricted to January contracts when any is eligible and ``prefer_january``.
    """
    eligible = [(t, _du(market, parse_future(t).maturity)) for t in sorted(market.di1_rates)]
    eligible = [(t, du) for t, du in eligible if du > min_days]
    january = [(t, du) for t, du in eligible if parse_future(t).month == 1]
    pool = january if (prefer_january and january) else eligible
    if not pool:
        raise InvalidPortfolioInputError(f"sizing: no listed DI1 with more than {min_days} business days "
                                         f"on {market.as_of}")
    return min(pool, key=lambda item: (abs(item[1] - tenor_bd), item[1]))[0]


def choose_ntnb(tenor_bd: int, market: SizingMarket, *, min_days: int = DEFAULT_MIN_DAYS) -> str:
    """The listed NTN-B whose business days to maturity are nearest ``tenor_bd``."""
    eligible = [(t, _du(market, ntnb_maturity(t))) for t in sorted(market.ntnb_yields)]
    eligible = [(t, du) for t, du in eligible if du > min_days]
    if not eligible:
        raise InvalidPortfolioInputError(f"sizing: no listed NTN-B with more than {min_days} business days "
                                         f"on {market.as_of}")
    return min(eligible, key=lambda item: (abs(item[1] - tenor_bd), item[1]))[0]


def contract_sensitivity(instrument: str, market: SizingMarket) -> float:
    """BRL P&L of ONE long contract (bond) of ``instrument`` for +1 unit of its factor.

    .. math::

        S_{DI1} = +DV01, \\; S_{NTNB} = -DV01, \\;
        S_{UST10} = -10^5 \\, USDBRL \\, D_{par} \\, 10^{-4}, \\;
        S_{DOL,WDO} = N_{USD} \\, USDBRL / 100, \\; S_{IND,WIN} = \\text{points} \\times v / 100

    Raises
    ------
    InvalidPortfolioInputError
        When the market lacks the instrument's price, rate or yield.
    """
    if instrument.startswith("NTNB_"):
        if instrument not in market.ntnb_yields:
            raise InvalidPortfolioInputError(f"sizing: no real yield for {instrument} on {market.as_of}")
        vna = _positive(market.ntnb_vna, "the NTN-B VNA")
        days = ntnb_coupon_days(market.as_of, instrument)
        return -ntnb_dv01(market.ntnb_yields[instrument], days, vna)
    if instrument == UST10_INSTRUMENT:
        if market.ust10_yield is None:
            raise InvalidPortfolioInputError("sizing: market lacks the UST 10-year yield")
        duration = par_bond_modified_duration(market.ust10_yield, UST10_YEARS)
        return -CONTRACT_SPECS["UST10"].notional * _positive(market.usdbrl, "USD/BRL") * duration * ONE_BP
    try:
        contract = parse_future(instrument)
    except InvalidInstrumentError as exc:
        raise InvalidPortfolioInputError(f"sizing: unknown instrument {instrument!r}") from exc
    spec = contract.spec
    if contract.root == "DI1":
        if instrument not in market.di1_rates:
            raise InvalidPortfolioInputError(f"sizing: no settlement rate for {instrument} on {market.as_of}")
        du = _du(market, contract.maturity)
        if du <= 0:
            raise InvalidPortfolioInputError(f"sizing: {instrument} has matured by {market.as_of}")
        return float(di1_dv01(market.di1_rates[instrument], du))
    if contract.root in ("DOL", "WDO"):
        return spec.notional * _positive(market.usdbrl, "USD/BRL") * ONE_PCT
    return _positive(market.ibovespa, "the Ibovespa level") * spec.point_value * ONE_PCT


def book_sensitivities(positions: Sequence[Position], market: SizingMarket) -> tuple[Sensitivity, ...]:
    """Sensitivity of each position to its generic's factor: contracts x :func:`contract_sensitivity`."""
    return tuple(Sensitivity(p.instrument, GENERICS[p.generic].factor,
                             p.contracts * contract_sensitivity(p.instrument, market)) for p in positions)


@dataclass(frozen=True, slots=True)
class SizedBook:
    """Target book in whole contracts.

    Attributes
    ----------
    nav : float
        BRL.
    positions : tuple of Position
        Non-zero positions, in generic order.
    sensitivities : tuple of Sensitivity
        One per position (BRL per +1 unit of its factor).
    targets : mapping
        Generic -> target sensitivity :math:`w \\cdot NAV \\cdot s` (BRL per unit).
    achieved : mapping
        Generic -> sensitivity of its whole contracts.
    instruments : mapping
        Generic -> listed instrument chosen for it (the DOL/IND of FX/equity generics).
    """

    nav: float
    positions: tuple[Position, ...]
    sensitivities: tuple[Sensitivity, ...]
    targets: Mapping[str, float]
    achieved: Mapping[str, float]
    instruments: Mapping[str, str]


def _instrument_for(generic: str, market: SizingMarket, prefer_january: bool, min_days: int) -> str:
    spec = GENERICS[generic]
    if spec.root == "DI1" and spec.tenor_bd is not None:
        return choose_di1_contract(spec.tenor_bd, market, prefer_january=prefer_january, min_days=min_days)
    if spec.root == "NTNB" and spec.tenor_bd is not None:
        return choose_ntnb(spec.tenor_bd, market, min_days=min_days)
    if spec.root == "DOL":
        if market.fx_contract is None:
            raise InvalidPortfolioInputError("sizing: market names no DOL contract to trade")
        return market.fx_contract
    if spec.root == "IND":
        if market.equity_contract is None:
            raise InvalidPortfolioInputError("sizing: market names no IND contract to trade")
        return market.equity_contract
    return UST10_INSTRUMENT


def _split_mini(instrument: str, target: float, market: SizingMarket) -> list[tuple[str, int]]:
    """Whole contracts of ``instrument`` and its mini twin: total rounded in minis, DOL/IND first."""
    contract = parse_future(instrument)
    mini = instrument.replace(contract.root, _MINI[contract.root], 1)
    total_minis = _round(target / contract_sensitivity(mini, market))
    ratio = _round(contract_sensitivity(instrument, market) / contract_sensitivity(mini, market))
    big = int(np.fix(total_minis / ratio))
    return [(instrument, big), (mini, total_minis - big * ratio)]


def size_book(weights: Mapping[str, float], market: SizingMarket, scales: Mapping[str, float], *,
              nav: float = DEFAULT_NAV, use_minis: bool = True, prefer_january: bool = True,
              min_days: int = DEFAULT_MIN_DAYS) -> SizedBook:
    """Whole contracts that carry each generic's target sensitivity.

    .. math:: n_g = \\mathrm{round}\\left(\\frac{w_g \\cdot NAV \\cdot s_g}{S_{c(g)}}\\right)

    Parameters
    ----------
    weights : mapping
        Generic -> weight (fraction of NAV of signed notional), e.g. ``OptimalPortfolio.as_dict()``.
    market : SizingMarket
        Listed contracts with rates and prices on the trade date.
    scales : mapping
        Generic -> return per factor unit (:func:`domain.portfolio.exposure.return_scales`), the
        same scales the weights were optimised with.
    nav : float
        Net asset value in BRL (default R$100mm).
    use_minis : bool
        Trade the DOL/IND remainder in WDO/WIN.
    prefer_january : bool
        Map DI1 generics to January contracts when one is eligible.
    min_days : int
        Contracts with at most this many business days left are not chosen.

    Returns
    -------
    SizedBook
    """
    nav = _positive(nav, "NAV")
    positions: list[Position] = []
    targets: dict[str, float] = {}
    instruments: dict[str, str] = {}
    for generic, weight in weights.items():
        if generic not in GENERICS:
            raise InvalidPortfolioInputError(f"sizing: unknown generic {generic!r}")
        if generic not in scales:
            raise InvalidPortfolioInputError(f"sizing: no return scale for {generic}")
        if not np.isfinite(weight):
            raise InvalidPortfolioInputError(f"sizing: weight of {generic} is not finite ({weight})")
        target = float(weight) * nav * float(scales[generic])
        targets[generic] = target
        if weight == 0:
            continue
        instrument = _instrument_for(generic, market, prefer_january, min_days)
        instruments[generic] = instrument
        root = GENERICS[generic].root
        if use_minis and root in _MINI:
            lots = _split_mini(instrument, target, market)
        else:
            lots = [(instrument, _round(target / contract_sensitivity(instrument, market)))]
        asset_class = GENERICS[generic].asset_class
        positions += [Position(t, generic, n, asset_class) for t, n in lots if n != 0]
    sensitivities = book_sensitivities(positions, market)
    achieved = dict.fromkeys(targets, 0.0)
    for position, sensitivity in zip(positions, sensitivities, strict=True):
        achieved[position.generic] += sensitivity.brl_per_unit
    return SizedBook(nav=nav, positions=tuple(positions), sensitivities=sensitivities, targets=targets,
                     achieved=achieved, instruments=instruments)


# Smallest trade worth sending, in contracts of the generic's main instrument (bonds for cash NTN-B): below it a
# resize is noise from NAV and price changes, and a desk would not pay the ticket for it.
MIN_TRADE_CONTRACTS: Mapping[str, int] = {"DI1": 20, "DOL": 5, "IND": 5, "UST10": 5, "NTNB": 1_000}


def apply_min_trade(sized: SizedBook, held: Sequence[Position], market: SizingMarket, *,
                    min_trade: Mapping[str, int] = MIN_TRADE_CONTRACTS) -> SizedBook:
    """Keep a generic's held contracts when the resize to its target is smaller than the minimum trade.

    For generic :math:`g` with held sensitivity :math:`H_g`, target :math:`T_g` (whole contracts) and the
    sensitivity :math:`S_c` of one contract of its main instrument, the held lines are kept when

    .. math:: |T_g - H_g| < m_{root(g)} \\, |S_c|

    unless the target is flat (a closed view is always closed) or a held instrument is no longer the one
    chosen (a roll always trades).

    Parameters
    ----------
    sized : SizedBook
        Target book from :func:`size_book` on the same market.
    held : sequence of Position
        The book before the session.
    market : SizingMarket
        The session's market (prices the kept lines).
    min_trade : mapping
        Root (``DI1``, ``DOL``, ``IND``, ``UST10``, ``NTNB``) -> minimum trade in contracts.

    Returns
    -------
    SizedBook
        With kept lines in place of the small resizes, sensitivities and achieved risk recomputed.
    """
    target_by_generic: dict[str, list[Position]] = {}
    for p in sized.positions:
        target_by_generic.setdefault(p.generic, []).append(p)
    held_by_generic: dict[str, list[Position]] = {}
    for p in held:
        held_by_generic.setdefault(p.generic, []).append(p)
    achieved = dict(sized.achieved)
    positions: list[Position] = []
    for generic in dict.fromkeys([*target_by_generic, *held_by_generic]):
        target = target_by_generic.get(generic, [])
        before = held_by_generic.get(generic, [])
        keep = bool(target) and bool(before) and {p.instrument for p in before} <= {p.instrument for p in target}
        if keep:
            main = sized.instruments[generic]
            held_sensitivity = sum(s.brl_per_unit for s in book_sensitivities(before, market))
            step = abs(contract_sensitivity(main, market)) * min_trade.get(GENERICS[generic].root, 1)
            keep = abs(achieved.get(generic, 0.0) - held_sensitivity) < step
        positions += before if keep else target
    sensitivities = book_sensitivities(positions, market)
    achieved = dict.fromkeys(sized.targets, 0.0)
    for position, sensitivity in zip(positions, sensitivities, strict=True):
        achieved[position.generic] = achieved.get(position.generic, 0.0) + sensitivity.brl_per_unit
    return SizedBook(nav=sized.nav, positions=tuple(positions), sensitivities=sensitivities, targets=sized.targets,
                     achieved=achieved, instruments=sized.instruments)
