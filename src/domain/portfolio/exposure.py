"""The return space of the portfolio: what one unit of weight in a generic means.

**Convention.** Every generic has a daily *return* per BRL of signed notional, so a weight
:math:`w_i` (a fraction of NAV) holds :math:`w_i \\cdot NAV` BRL of notional and earns
:math:`w_i \\cdot NAV \\cdot R_{i,t}` BRL on day :math:`t`. All means and covariances of the portfolio
layer are of these DAILY returns (decimals: 0.001 is 0.1% of notional in a day).

The return is the generic's factor change times its *scale* :math:`s_i`, the return per +1 unit of
the factor:

* DI1 (long = long the rate): :math:`s = +D/10^4` per bp, :math:`D = (du/252)/(1+r)` the modified
  duration of the generic's zero-coupon rate. A position's notional is its DV01 over this scale: the
  generic-equivalent notional, equal to the PU value of its contracts only when the contract matures at the
  generic's tenor (a DI1F28 held for the 1-year generic with 1.1 years left shows about 9% more than
  contracts x PU);
* NTN-B and UST10 (long = long the bond): :math:`s = -D/10^4` per bp of yield, with the NTN-B's
  coupon-bond duration and a 10-year par bond's duration;
* USD/BRL and Ibovespa: :math:`s = 1/100` per 1% move.

The scales use today's rates for the whole history: a constant-duration approximation that is
standard for covariance estimation of constant-maturity generics.
"""

from collections.abc import Mapping, Sequence
from typing import Final

import pandas as pd

from domain import panel
from domain.book import FACTORS, GENERICS, FactorUnit
from domain.portfolio.bonds import (
    generic_coupon_days,
    ntnb_modified_duration,
    par_bond_modified_duration,
    zero_modified_duration,
)
from domain.portfolio.errors import InvalidPortfolioInputError

ONE_BP = 1e-4
ONE_PCT = 1e-2
UST10_YEARS = 10.0

# Panel column holding each rate generic's yield (decimal) on a date.
GENERIC_RATE_COLUMNS: Final[dict[str, str]] = {
    "DI1_1Y": panel.DI_1Y,
    "DI1_2Y": panel.DI_2Y,
    "DI1_3Y": panel.DI_3Y,
    "DI1_5Y": panel.DI_5Y,
    "DI1_10Y": panel.DI_10Y,
    "NTNB_5Y": panel.NTNB_REAL_5Y,
    "UST10": panel.US_UST_10Y,
}


def _known(generic: str) -> None:
    if generic not in GENERICS:
        raise InvalidPortfolioInputError(f"unknown generic {generic!r}; expected one of {sorted(GENERICS)}")


def return_scale(generic: str, rate: float | None = None) -> float:
    """Return per BRL of notional of a long position in ``generic`` for +1 unit of its factor.

    .. math::

        s_{DI1} = +\\frac{\\tau/252}{(1 + r)\\,10^4}, \\quad
        s_{NTNB} = -\\frac{D_{NTNB}(r)}{10^4}, \\quad
        s_{UST} = -\\frac{D_{par}(r, 10)}{10^4}, \\quad
        s_{FX, EQ} = \\frac{1}{100}

    with :math:`\\tau` the generic's tenor in business days.

    Parameters
    ----------
    generic : str
        Key of :data:`domain.book.GENERICS`.
    rate : float, optional
        The generic's yield today (decimal); required for rate generics, ignored otherwise.

    Returns
    -------
    float
        Decimal return per bp (rate generics) or per 1% (FX, equity).
    """
    _known(generic)
    spec = GENERICS[generic]
    if FACTORS[spec.factor].unit is FactorUnit.PCT:
        return ONE_PCT
    if rate is None:
        raise InvalidPortfolioInputError(f"{generic}: a rate generic needs its yield to compute its duration")
    if spec.root == "DI1" and spec.tenor_bd is not None:
        return zero_modified_duration(rate, spec.tenor_bd) * ONE_BP
    if spec.root == "NTNB" and spec.tenor_bd is not None:
        return -ntnb_modified_duration(rate, generic_coupon_days(spec.tenor_bd)) * ONE_BP
    if spec.root == "UST10":
        return -par_bond_modified_duration(rate, UST10_YEARS) * ONE_BP
    raise InvalidPortfolioInputError(f"{generic}: no return scale for root {spec.root!r}")


def return_scales(rates: Mapping[str, float], generics: Sequence[str] | None = None) -> dict[str, float]:
    """:func:`return_scale` of several generics (all of :data:`GENERICS` by default).

    ``rates`` maps each rate generic to its yield (see :data:`GENERIC_RATE_COLUMNS` for where the
    panel holds them); FX and equity generics need no entry.
    """
    names = list(GENERICS) if generics is None else list(generics)
    return {g: return_scale(g, rates.get(g)) for g in names}


def generic_returns(factor_changes: pd.DataFrame, scales: Mapping[str, float]) -> pd.DataFrame:
    """Daily returns of generics from daily factor changes.

    .. math:: R_{i,t} = s_i \\, \\Delta f_{i,t}

    Parameters
    ----------
    factor_changes : DataFrame
        Index: dates; columns: keys of :data:`domain.book.FACTORS`; values in the factor's unit
        (bp or %).
    scales : mapping
        Generic -> return per factor unit, from :func:`return_scales`.

    Returns
    -------
    DataFrame
        Same index, one column per generic of ``scales`` in its order; NaN where the factor is.
    """
    columns = {}
    for generic, scale in scales.items():
        _known(generic)
        factor = GENERICS[generic].factor
        if factor not in factor_changes.columns:
            raise InvalidPortfolioInputError(f"{generic}: factor history lacks column {factor!r}")
        columns[generic] = factor_changes[factor].astype("float64") * float(scale)
    return pd.DataFrame(columns, index=factor_changes.index)
