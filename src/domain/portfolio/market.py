"""Market inputs of sizing derived from settlement prices: front contracts and the NTN-B VNA."""

from collections.abc import Iterable
from datetime import date

from domain.market.calendar import business_days
from domain.market.instruments import parse_future
from domain.portfolio.bonds import ntnb_coupon_days, ntnb_quote
from domain.portfolio.errors import InvalidPortfolioInputError


def front_contract(root: str, tickers: Iterable[str], as_of: date, *, min_days: int = 21) -> str | None:
    """The nearest listed ``root`` future with more than ``min_days`` business days to expiry.

    .. math:: c = \\arg\\min_c \\{T_c : du(as\\_of, T_c) > min\\_days\\}

    Parameters
    ----------
    root : str
        ``DOL`` or ``IND`` (or any futures root).
    tickers : iterable of str
        Instruments with a settlement on ``as_of``; other roots and non-futures are ignored.
    as_of : date
        Trade date.
    min_days : int
        Contracts closer to expiry are not opened (they roll within the month).

    Returns
    -------
    str or None
        The ticker, or None when no contract qualifies.
    """
    best: tuple[date, str] | None = None
    for ticker in tickers:
        if not ticker.startswith(root):
            continue
        try:
            contract = parse_future(ticker)
        except ValueError:
            continue
        if contract.root != root or business_days(as_of, contract.maturity) <= min_days:
            continue
        if best is None or contract.maturity < best[0]:
            best = (contract.maturity, contract.ticker)
    return best[1] if best else None


def implied_vna(price: float, real_yield: float, as_of: date, ticker: str) -> float:
    """The NTN-B's inflation-updated nominal value implied by its price and real yield.

    .. math:: VNA = \\frac{PU}{\\text{cotação}(y)}, \\qquad PU = VNA \\cdot \\text{cotação}(y)

    Parameters
    ----------
    price : float
        Bond price (PU) in BRL.
    real_yield : float
        Real yield, decimal.
    as_of : date
        Trade date.
    ticker : str
        ``NTNB_YYYYMMDD``.

    Returns
    -------
    float
        VNA in BRL.
    """
    if price <= 0:
        raise InvalidPortfolioInputError(f"{ticker}: price must be positive, got {price}")
    quote = ntnb_quote(real_yield, ntnb_coupon_days(as_of, ticker))
    return price / quote
