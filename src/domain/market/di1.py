"""DI1 pricing: unit price (PU), implied rate and DV01 on 252 business days.

A DI1 pays R$100,000 at maturity. Its PU is that amount discounted at the annual rate ``r`` over
``du`` ANBIMA business days. It trades in rate terms: a *long* DI1 ("tomado") is long the rate and
short the PU, so it gains when rates rise.
"""

import numpy as np

from domain._typing import FloatArray
from domain.errors import InvalidInstrumentError

DI1_NOTIONAL = 100_000.0
BUSINESS_DAYS_PER_YEAR = 252
ONE_BP = 1e-4


def _check_du(du: "int | FloatArray") -> None:
    if np.any(np.asarray(du) <= 0):
        raise InvalidInstrumentError(f"business days to maturity must be positive, got {du}")


def di1_pu(rate: "float | FloatArray", du: "int | FloatArray") -> "float | FloatArray":
    """PU of a DI1 contract.

    .. math:: PU = \\frac{100\\,000}{(1 + r)^{du/252}}

    Parameters
    ----------
    rate : float or array
        Annual rate, decimal (0.14 for 14%).
    du : int or array
        ANBIMA business days from the trade date (included) to maturity (excluded).

    Returns
    -------
    float or array
        The unit price in BRL.
    """
    _check_du(du)
    result: float | FloatArray = DI1_NOTIONAL / np.power(1.0 + np.asarray(rate, dtype=float),
                                                         np.asarray(du, dtype=float) / BUSINESS_DAYS_PER_YEAR)
    return float(result) if np.ndim(result) == 0 else result


def di1_rate(pu: "float | FloatArray", du: "int | FloatArray") -> "float | FloatArray":
    """Annual rate implied by a DI1 PU.

    .. math:: r = \\left(\\frac{100\\,000}{PU}\\right)^{252/du} - 1

    Parameters
    ----------
    pu : float or array
        Unit price in BRL, in (0, 100000].
    du : int or array
        ANBIMA business days to maturity.

    Returns
    -------
    float or array
        Annual rate, decimal.
    """
    _check_du(du)
    pu_arr = np.asarray(pu, dtype=float)
    if np.any(pu_arr <= 0):
        raise InvalidInstrumentError(f"DI1 PU must be positive, got {pu}")
    result: float | FloatArray = np.power(DI1_NOTIONAL / pu_arr,
                                          BUSINESS_DAYS_PER_YEAR / np.asarray(du, dtype=float)) - 1.0
    return float(result) if np.ndim(result) == 0 else result


def di1_dv01(rate: "float | FloatArray", du: "int | FloatArray") -> "float | FloatArray":
    """DV01 of one DI1 contract: the PU lost when the rate rises one basis point.

    .. math:: DV01 = PU(r) - PU(r + 0.0001)

    Positive. A short DI1 ("dado", long PU) loses this much per contract per +1bp; a long DI1
    ("tomado") gains it.

    Parameters
    ----------
    rate : float or array
        Annual rate, decimal.
    du : int or array
        ANBIMA business days to maturity.

    Returns
    -------
    float or array
        BRL per contract per basis point.
    """
    result = np.asarray(di1_pu(rate, du)) - np.asarray(di1_pu(np.asarray(rate) + ONE_BP, du))
    return float(result) if np.ndim(result) == 0 else result
