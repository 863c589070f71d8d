"""Daily mark-to-market of the model book from each instrument's own settlement price, with its decomposition.

**Convention** (:data:`PNL_CONVENTION`, stated in the report). The book's P&L is in excess of the CDI: the
fund's cash earns the CDI and is not shown, so every position earns what it makes over CDI funding. A
position held at the close of session :math:`t-1` earns, on session :math:`t`,

* DI1 (long = long the rate, "tomado", i.e. short the PU), B3's daily adjustment with :math:`M` = R$1 per
  PU point:

  .. math:: AD_t = -n \\left(PU_t - PU_{t-1} \\, FC_t\\right) M, \\qquad
            FC_t = \\prod_{d \\in [t-1, t)} (1 + CDI_d)

  over the ANBIMA business days from the previous session (included) to this one (excluded), the daily CDI
  :math:`CDI_d` being :math:`(1 + DI_d)^{1/252} - 1`;
* DOL/WDO and IND/WIN: :math:`n (F_t - F_{t-1}) v` with :math:`v` the R$ per point (DOL R$50, WDO R$10,
  IND R$1, WIN R$0.20); a futures position costs no cash, so it is already an excess return, and the forward
  points a DOL position earns or pays reach the P&L as the future converges to spot;
* NTN-B (cash bonds, financed at the CDI): :math:`n (P_t + C_t - P_{t-1} FC_t)`, the price (VNA times the
  quotation, so the VNA's IPCA accrual is in it) plus any coupon :math:`C_t = VNA_t (1.06^{1/2} - 1)` paid in
  :math:`(t-1, t]`;
* UST10 (no listed settlement in our data): its BRL sensitivity times the 10-year yield change since the
  previous B3 session, US sessions on B3 holidays included.

Moves on days B3 is closed are booked on the next B3 session: every mark is a difference of levels between
consecutive B3 sessions.

**Decomposition** of each position's P&L, summing to it exactly:

* factor move (``rate``, ``fx`` or ``equity`` by the factor's family): :math:`S_{t-1} \\Delta f_t`, the stored
  sensitivity times the risk factor's change (the risk engine's view);
* ``carry_roll``: what the position earns with its own market unchanged: DI1 and NTN-B repriced at the
  previous rate or real yield with the days to maturity of today (minus funding), DOL/IND decaying along the
  listed calendar spread;
* ``residual``: the rest (roll-down along the curve, the basis between the listed contract and the
  constant-maturity factor, convexity, price rounding).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from domain.book import FACTORS, FactorFamily
from domain.curves.real import ntnb_maturity
from domain.errors import DataGapError
from domain.market.calendar import business_days, is_business_day
from domain.market.di1 import di1_pu
from domain.market.instruments import CONTRACT_SPECS, parse_future
from domain.portfolio.bonds import NTNB_SEMIANNUAL_COUPON, ntnb_coupon_days, ntnb_quote
from domain.portfolio.errors import InvalidPortfolioInputError
from domain.portfolio.market import implied_vna

PNL_CONVENTION = (
    "P&L is marked to market from each instrument's own settlement price and is in excess of the CDI (the fund's "
    "cash earns the CDI and is not shown). DI1 earns B3's daily adjustment, (PU today - PU yesterday x CDI factor) "
    "per contract, with long = long the rate (tomado, gains when rates rise); DOL/WDO and IND/WIN earn settlement "
    "changes times R$ per point (DOL R$50, WDO R$10, IND R$1, WIN R$0.20), so FX P&L is the DOL settlement's, not "
    "PTAX's; NTN-B cash bonds, financed at the CDI, earn price changes (VNA accrual included) and coupons less "
    "funding; UST10 earns its sensitivity times the 10-year yield change. Moves on days B3 is closed are booked on "
    "the next B3 session. Transaction costs (B3 exchange and registration fees, half the bid/ask spread) are charged "
    "on the trade date. Attribution by component: rate, fx, equity (sensitivity times risk-factor change), "
    "carry_roll (own market unchanged), residual (the rest) and costs; each dimension sums to the day's P&L.")

FACTOR_COMPONENT: Mapping[FactorFamily, str] = {
    FactorFamily.DI_PRE: "rate", FactorFamily.NTNB_REAL: "rate", FactorFamily.UST: "rate", FactorFamily.CDS: "rate",
    FactorFamily.USDBRL: "fx", FactorFamily.IBOVESPA: "equity", FactorFamily.SP500: "equity",
    FactorFamily.OIL: "equity",
}
UST10 = "UST10"


@dataclass(frozen=True, slots=True)
class Settlement:
    """An instrument's settlement on one session: price (PU, points or bond price) and rate if quoted in one."""

    price: float
    rate: float | None = None


@dataclass(frozen=True, slots=True)
class HeldPosition:
    """A position held at the previous close with its sensitivity to its risk factor then (BRL per unit)."""

    instrument: str
    contracts: int
    factor: str
    sensitivity: float


@dataclass(frozen=True, slots=True)
class SessionMarket:
    """What marking one session needs.

    Attributes
    ----------
    previous_day, day : date
        The previous B3 session and this one.
    previous, today : mapping
        Instrument -> :class:`Settlement` on each session.
    cdi_factor : float
        :math:`\\prod (1 + CDI_d)` over ANBIMA business days :math:`d` in ``[previous_day, day)``.
    factor_changes : mapping
        Risk factor -> change since the previous session in its unit; absent or NaN means no change is
        known, and the move then falls in the residual.
    ust_yield_change_bp : float, optional
        The US 10-year yield's change since the previous B3 session, bp.
    """

    previous_day: date
    day: date
    previous: Mapping[str, Settlement]
    today: Mapping[str, Settlement]
    cdi_factor: float = 1.0
    factor_changes: Mapping[str, float] | None = None
    ust_yield_change_bp: float | None = None

    def __post_init__(self) -> None:
        if not self.previous_day < self.day:
            raise InvalidPortfolioInputError(f"marking: previous session {self.previous_day} is not before {self.day}")
        if not (np.isfinite(self.cdi_factor) and self.cdi_factor > 0):
            raise InvalidPortfolioInputError(f"marking: CDI factor must be positive, got {self.cdi_factor}")


@dataclass(frozen=True, slots=True)
class PositionPnl:
    """One position's P&L of the session and its decomposition (BRL).

    ``residual`` is defined as ``total - factor_move - carry_roll`` so the parts always add up.
    """

    instrument: str
    total: float
    component: str
    factor_move: float
    carry_roll: float

    @property
    def residual(self) -> float:
        """:math:`PnL - S\\Delta f - carry`."""
        return self.total - self.factor_move - self.carry_roll


def cdi_factor(daily_rates_pct: Iterable[float]) -> float:
    """Accrual factor of the CDI over several business days.

    .. math:: FC = \\prod_d \\left(1 + \\frac{CDI_d}{100}\\right)

    Parameters
    ----------
    daily_rates_pct : iterable of float
        Daily CDI in percent a day (BCB SGS 12, e.g. 0.050788), one per business day.

    Returns
    -------
    float
        Dimensionless; 1.0 for no days.
    """
    rates = np.asarray(list(daily_rates_pct), dtype=np.float64)
    if not np.all(np.isfinite(rates)):
        raise InvalidPortfolioInputError(f"CDI factor: daily rates must be finite, got {rates}")
    return float(np.prod(1.0 + rates / 100.0))


def di1_daily_adjustment(contracts: int, pu_previous: float, pu_today: float, factor: float) -> float:
    """B3's daily adjustment of a DI1 position, in the rate convention (long = long the rate).

    .. math:: AD = -n \\left(PU_t - PU_{t-1} FC\\right) \\times R\\$1

    Parameters
    ----------
    contracts : int
        Signed contracts, > 0 long the rate (tomado, short the PU).
    pu_previous, pu_today : float
        Settlement PUs of the contract (BRL).
    factor : float
        CDI accrual factor between the two settlements (:func:`cdi_factor`).

    Returns
    -------
    float
        BRL credited (> 0) or debited.
    """
    return -float(contracts) * (float(pu_today) - float(pu_previous) * float(factor))


def futures_pnl(contracts: int, price_previous: float, price_today: float, point_value: float) -> float:
    """Settlement-to-settlement P&L of a futures quoted in points: :math:`n (F_t - F_{t-1}) v`."""
    return float(contracts) * (float(price_today) - float(price_previous)) * float(point_value)


def ntnb_pnl(bonds: int, price_previous: float, price_today: float, coupon: float, factor: float) -> float:
    """NTN-B P&L in excess of its CDI funding: :math:`n (P_t + C_t - P_{t-1} FC)` (BRL)."""
    return float(bonds) * (float(price_today) + float(coupon) - float(price_previous) * float(factor))


def ntnb_coupon(ticker: str, previous_day: date, day: date, vna: float) -> float:
    """Coupon per bond the NTN-B pays in ``(previous_day, day]``: :math:`VNA (1.06^{1/2} - 1)`, else 0.

    Coupons fall every six months counted back from the maturity (the bond trades ex-coupon from the
    coupon date); ``vna`` is the VNA on ``day``.
    """
    maturity = ntnb_maturity(ticker)
    for k in range(0, 2 * (maturity.year - previous_day.year) + 2):
        months = maturity.year * 12 + maturity.month - 1 - 6 * k
        pay = date(months // 12, months % 12 + 1, maturity.day)
        if previous_day < pay <= day:
            return float(vna) * NTNB_SEMIANNUAL_COUPON
        if pay <= previous_day:
            break
    return 0.0


def _settlement(market: Mapping[str, Settlement], instrument: str, day: date) -> Settlement:
    found = market.get(instrument)
    if found is None or not np.isfinite(found.price):
        raise DataGapError(f"P&L: no settlement of {instrument} on {day}")
    return found


def _rate(settlement: Settlement, instrument: str, day: date) -> float:
    if settlement.rate is None or not np.isfinite(settlement.rate):
        raise DataGapError(f"P&L: no settlement rate of {instrument} on {day}")
    return float(settlement.rate)


def _calendar_carry(position: HeldPosition, market: SessionMarket, point_value: float) -> float:
    """Unchanged-spot carry of a DOL/IND future from the listed calendar spread on the previous session.

    .. math:: carry = n\\, v\\, F_{t-1} (g^{-k} - 1), \\quad g = (F_2 / F_1)^{1/(du_2 - du_1)}

    with :math:`k` the business days elapsed; 0 when no second maturity of the root is listed.
    """
    held = parse_future(position.instrument)
    price = market.previous[position.instrument].price
    du_held = business_days(market.previous_day, held.maturity)
    others = []
    for ticker, settlement in market.previous.items():
        if ticker == position.instrument or not ticker.startswith(held.root):
            continue
        other = parse_future(ticker)
        if other.root == held.root and other.maturity != held.maturity:
            others.append((abs(business_days(held.maturity, other.maturity)), other.maturity, settlement.price))
    if not others:
        return 0.0
    _, maturity, other_price = min(others)
    du_other = business_days(market.previous_day, maturity)
    if du_other == du_held or other_price <= 0 or price <= 0:
        return 0.0
    growth = (other_price / price) ** (1.0 / (du_other - du_held))
    elapsed = du_held - business_days(market.day, held.maturity)
    return float(position.contracts) * point_value * price * float(growth ** (-elapsed) - 1.0)


def _factor_move(position: HeldPosition, market: SessionMarket) -> float:
    if position.instrument == UST10:
        change = market.ust_yield_change_bp
    elif market.factor_changes is None:  # no decomposition asked for: the whole move is residual
        return 0.0
    else:
        change = market.factor_changes.get(position.factor)
        # A held factor with no change on an open market is a gap, never a zero move (closed markets come as 0.0).
        if change is None or not np.isfinite(change):
            raise DataGapError(f"{position.factor} has no change on {market.day} while position "
                               f"{position.instrument} is held")
    if change is None or not np.isfinite(change):
        return 0.0
    return float(position.sensitivity) * float(change)


def mark_position(position: HeldPosition, market: SessionMarket) -> PositionPnl:
    """The session's P&L of one held position and its decomposition.

    Parameters
    ----------
    position : HeldPosition
        As held at the close of ``market.previous_day``.
    market : SessionMarket
        Settlements of both sessions, the CDI factor and the factor changes.

    Returns
    -------
    PositionPnl

    Raises
    ------
    DataGapError
        When a settlement (price or rate) the mark needs is missing.
    InvalidPortfolioInputError
        On an instrument the book cannot mark.
    """
    n = position.contracts
    component = FACTOR_COMPONENT[FACTORS[position.factor].family]
    factor_move = _factor_move(position, market)
    if position.instrument == UST10:
        if market.ust_yield_change_bp is None or not np.isfinite(market.ust_yield_change_bp):
            raise DataGapError(f"P&L: no US 10-year yield change for {market.day}")
        total = float(position.sensitivity) * float(market.ust_yield_change_bp)
        return PositionPnl(position.instrument, total, component, total, 0.0)
    before = _settlement(market.previous, position.instrument, market.previous_day)
    after = _settlement(market.today, position.instrument, market.day)
    if position.instrument.startswith("NTNB_"):
        vna = implied_vna(after.price, _rate(after, position.instrument, market.day), market.day, position.instrument)
        coupon = ntnb_coupon(position.instrument, market.previous_day, market.day, vna)
        total = ntnb_pnl(n, before.price, after.price, coupon, market.cdi_factor)
        unchanged = vna * ntnb_quote(_rate(before, position.instrument, market.previous_day),
                                     ntnb_coupon_days(market.day, position.instrument))
        carry = ntnb_pnl(n, before.price, unchanged, coupon, market.cdi_factor)
        return PositionPnl(position.instrument, total, component, factor_move, carry)
    try:
        contract = parse_future(position.instrument)
    except ValueError as exc:
        raise InvalidPortfolioInputError(f"P&L: cannot mark {position.instrument!r}") from exc
    if contract.root == "DI1":
        total = di1_daily_adjustment(n, before.price, after.price, market.cdi_factor)
        du_today = business_days(market.day, contract.maturity)
        unchanged = float(di1_pu(_rate(before, position.instrument, market.previous_day), du_today))
        carry = di1_daily_adjustment(n, before.price, unchanged, market.cdi_factor)
        return PositionPnl(position.instrument, total, component, factor_move, carry)
    point_value = CONTRACT_SPECS[contract.root].point_value
    total = futures_pnl(n, before.price, after.price, point_value)
    return PositionPnl(position.instrument, total, component, factor_move,
                       _calendar_carry(position, market, point_value))


def mark_book(positions: Iterable[HeldPosition], market: SessionMarket) -> dict[str, PositionPnl]:
    """:func:`mark_position` of every held position, by instrument."""
    return {p.instrument: mark_position(p, market) for p in positions}


def accrual_days(previous_day: date, day: date) -> list[date]:
    """ANBIMA business days in ``[previous_day, day)``: the CDI fixings that accrue between two sessions."""
    if not previous_day < day:
        raise InvalidPortfolioInputError(f"accrual days: {previous_day} is not before {day}")
    out = []
    current = previous_day
    while current < day:
        if is_business_day(current):
            out.append(current)
        current += timedelta(days=1)
    return out


def change_since(moves: Mapping[date, float], previous_day: date, day: date) -> float:
    """A factor's change between two B3 sessions from its changes on its own market's days.

    .. math:: \\Delta f = \\sum_{d \\in (t-1, t]} \\delta f_d

    so a move made while B3 was closed (a US session on a B3 holiday) lands on the next B3 session. Days
    without a change are days the market did not trade.
    """
    return float(sum(float(v) for d, v in moves.items() if previous_day < d <= day))


def pnl_components(marks: Iterable[PositionPnl]) -> dict[str, float]:
    """The book's P&L by component: factor moves by family (rate, fx, equity), carry_roll and residual.

    .. math:: PnL = \\sum_c PnL_c \\quad \\text{over } c \\in \\{rate, fx, equity, carry\\_roll, residual\\}
    """
    out = dict.fromkeys(("rate", "fx", "equity", "carry_roll", "residual"), 0.0)
    for m in marks:
        out[m.component] += m.factor_move
        out["carry_roll"] += m.carry_roll
        out["residual"] += m.residual
    return out
