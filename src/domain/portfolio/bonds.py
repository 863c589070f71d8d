"""Bond arithmetic used to size rate positions: NTN-B price and DV01, zero and par-bond durations.

Rates are decimals compounded on 252 business days (Brazil) or semi-annually (US Treasuries).
"""

from datetime import date

import numpy as np

from domain._typing import FloatArray, IntArray
from domain.curves.real import ntnb_maturity
from domain.market.calendar import business_days
from domain.portfolio.errors import InvalidPortfolioInputError

BUSINESS_DAYS_PER_YEAR = 252
ONE_BP = 1e-4
# NTN-B coupon: 6% a year paid semi-annually as (1.06)^(1/2) - 1 = 2.9563% of the VNA.
NTNB_SEMIANNUAL_COUPON = float(np.sqrt(1.06) - 1.0)
# Business days in half a year, used when a generic NTN-B has no listed bond to read coupon dates from.
HALF_YEAR_BUSINESS_DAYS = 126


def _check_rate(rate: float, what: str) -> None:
    if not np.isfinite(rate) or rate <= -1.0:
        raise InvalidPortfolioInputError(f"{what}: rate must be a finite decimal above -100%, got {rate}")


def zero_modified_duration(rate: float, du: int) -> float:
    """Modified duration of a zero-coupon rate on 252 business days (the DI1 duration).

    .. math:: D = -\\frac{1}{P}\\frac{\\partial P}{\\partial r} = \\frac{du/252}{1 + r},
              \\qquad P = (1 + r)^{-du/252}

    Parameters
    ----------
    rate : float
        Annual rate, decimal.
    du : int
        Business days to maturity, positive.

    Returns
    -------
    float
        Years; the return of a long zero-coupon bond is :math:`-D\\,\\Delta r`.
    """
    _check_rate(rate, "zero duration")
    if du <= 0:
        raise InvalidPortfolioInputError(f"zero duration: business days must be positive, got {du}")
    return (du / BUSINESS_DAYS_PER_YEAR) / (1.0 + rate)


def par_bond_modified_duration(yield_: float, years: float, frequency: int = 2) -> float:
    """Modified duration of a bond priced at par (coupon = yield), the UST10 approximation.

    .. math:: D = \\frac{1}{y}\\left[1 - \\left(1 + \\frac{y}{f}\\right)^{-f T}\\right]

    and :math:`D = T` in the limit :math:`y \\to 0`.

    Parameters
    ----------
    yield_ : float
        Yield, decimal, compounded ``frequency`` times a year.
    years : float
        Maturity in years, positive.
    frequency : int
        Coupons per year.

    Returns
    -------
    float
        Years.
    """
    _check_rate(yield_, "par bond duration")
    if years <= 0 or frequency <= 0:
        raise InvalidPortfolioInputError(f"par bond duration: years and frequency must be positive, "
                                         f"got {years} and {frequency}")
    if abs(yield_) < 1e-12:
        return float(years)
    return float((1.0 - (1.0 + yield_ / frequency) ** (-frequency * years)) / yield_)


def ntnb_coupon_days(as_of: date, ticker: str) -> IntArray:
    """Business days from ``as_of`` to each remaining coupon of a listed NTN-B, maturity last.

    Coupons fall every six months counted back from the maturity (a 15 May bond pays on 15 May and
    15 November); a coupon on a holiday is paid the next business day, which
    :func:`~domain.market.calendar.business_days` counts automatically.

    Raises
    ------
    InvalidPortfolioInputError
        When the bond has matured on or before ``as_of``.
    """
    maturity = ntnb_maturity(ticker)
    if maturity <= as_of:
        raise InvalidPortfolioInputError(f"{ticker}: matured on {maturity}, not after {as_of}")
    dates = []
    k = 0
    while True:
        months = maturity.year * 12 + maturity.month - 1 - 6 * k
        pay = date(months // 12, months % 12 + 1, maturity.day)
        if pay <= as_of:
            break
        dates.append(pay)
        k += 1
    days = [business_days(as_of, d) for d in reversed(dates)]
    return np.asarray([d for d in days if d > 0], dtype=np.int64)


def generic_coupon_days(du: int) -> IntArray:
    """Coupon schedule of a constant-maturity NTN-B: every 126 business days back from ``du``."""
    if du <= 0:
        raise InvalidPortfolioInputError(f"NTN-B schedule: business days must be positive, got {du}")
    return np.arange(du, 0, -HALF_YEAR_BUSINESS_DAYS, dtype=np.int64)[::-1].copy()


def ntnb_quote(real_yield: float, coupon_days: IntArray) -> float:
    """NTN-B price as a fraction of the VNA (the "cotação" divided by 100).

    .. math:: C(y) = \\sum_k \\frac{c}{(1 + y)^{du_k/252}} + \\frac{1}{(1 + y)^{du_K/252}},
              \\qquad c = 1.06^{1/2} - 1

    Parameters
    ----------
    real_yield : float
        Real yield, decimal, on 252 business days.
    coupon_days : array of int
        Business days to each remaining coupon, increasing, the maturity last.

    Returns
    -------
    float
        Price per unit of VNA (ANBIMA truncates the cotação to 4 decimals; this does not).
    """
    _check_rate(real_yield, "NTN-B quote")
    days = np.asarray(coupon_days, dtype=np.float64)
    if days.size == 0 or np.any(days <= 0) or np.any(np.diff(days) <= 0):
        raise InvalidPortfolioInputError(f"NTN-B quote: coupon days must be positive and increasing, got {days}")
    discount: FloatArray = (1.0 + real_yield) ** (-days / BUSINESS_DAYS_PER_YEAR)
    return float(NTNB_SEMIANNUAL_COUPON * discount.sum() + discount[-1])


def ntnb_dv01(real_yield: float, coupon_days: IntArray, vna: float) -> float:
    """BRL a long NTN-B loses when its real yield rises one basis point.

    .. math:: DV01 = VNA \\left[C(y) - C(y + 0.0001)\\right]

    Positive. ``vna`` is the inflation-updated nominal value in BRL (R$1,000 at 15 Jul 2000 times
    IPCA since).
    """
    if not np.isfinite(vna) or vna <= 0:
        raise InvalidPortfolioInputError(f"NTN-B DV01: VNA must be positive, got {vna}")
    return vna * (ntnb_quote(real_yield, coupon_days) - ntnb_quote(real_yield + ONE_BP, coupon_days))


def ntnb_modified_duration(real_yield: float, coupon_days: IntArray) -> float:
    """Modified duration of an NTN-B by one-basis-point finite difference.

    .. math:: D = \\frac{C(y) - C(y + 0.0001)}{0.0001\\, C(y)}
    """
    price = ntnb_quote(real_yield, coupon_days)
    return (price - ntnb_quote(real_yield + ONE_BP, coupon_days)) / (ONE_BP * price)
