"""Component VaR: Euler allocation of parametric VaR to factors, positions and any grouping.

With :math:`\\sigma_p = \\sqrt{s^\\top\\Sigma s}` the total VaR :math:`z_a\\sigma_p` is homogeneous of
degree one in the exposures, so Euler's theorem splits it exactly into components that sum to it.
"""

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from domain.risk.errors import RiskInputError
from domain.risk.var import aligned, check_confidence, normal_tail

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class ComponentVar:
    """Parametric VaR and its Euler components (BRL, positive = adds risk).

    Parameters
    ----------
    confidence : float
        Level :math:`a`.
    total : float
        :math:`z_a\\sigma_p`, the 1-day parametric VaR (zero mean).
    by_position : Series
        Component per position (index: instrument); sums to ``total``. Negative for a hedge.
    by_factor : Series
        Component per factor; sums to ``total``.
    """

    confidence: float
    total: float
    by_position: pd.Series
    by_factor: pd.Series

    @property
    def shares(self) -> pd.Series:
        """Share of total VaR per position, :math:`C_i / \\mathrm{VaR}`; sums to one."""
        return (self.by_position / self.total).rename("share")


def component_var(matrix: pd.DataFrame, covariance: pd.DataFrame, *,
                  confidence: float = 0.99) -> ComponentVar:
    """Euler (marginal x exposure) decomposition of delta-normal VaR.

    With :math:`S_i` the exposure row of position i, :math:`s = \\sum_i S_i`,
    :math:`\\sigma_p = \\sqrt{s^\\top\\Sigma s}` and :math:`z = \\Phi^{-1}(a)`:

    .. math::

        C_i = z\\, \\frac{S_i^\\top (\\Sigma s)}{\\sigma_p}, \\qquad
        C_f = z\\, \\frac{s_f (\\Sigma s)_f}{\\sigma_p}, \\qquad
        \\sum_i C_i = \\sum_f C_f = z\\,\\sigma_p

    Parameters
    ----------
    matrix : DataFrame
        Positions x factors exposures, BRL per unit (:func:`~domain.risk.exposure.exposure_matrix`).
    covariance : DataFrame
        Daily factor covariance, squared factor units.
    confidence : float
        Level :math:`a`.

    Returns
    -------
    ComponentVar

    Raises
    ------
    RiskInputError
        When factors do not align, or the portfolio variance is zero (components undefined).
    """
    check_confidence(confidence)
    if matrix.index.has_duplicates:
        raise RiskInputError("component VaR: positions repeat in the exposure matrix")
    s, cov = aligned(matrix.sum(axis=0), covariance)
    rows = matrix.reindex(columns=list(covariance.columns), fill_value=0.0).to_numpy(dtype=np.float64)
    total, by_position, by_factor = euler_components(rows, s, cov, confidence=confidence)
    return ComponentVar(confidence, total, pd.Series(by_position, index=matrix.index, name="component_var"),
                        pd.Series(by_factor, index=covariance.columns, name="component_var"))


def euler_components(rows: FloatArray, s: FloatArray, cov: FloatArray, *,
                     confidence: float = 0.99) -> tuple[float, FloatArray, FloatArray]:
    """:func:`component_var` on aligned arrays: total VaR, components by position and by factor.

    Parameters
    ----------
    rows : ndarray, shape (n, k)
        Exposure of each position, BRL per factor unit, in the covariance's factor order.
    s : ndarray, shape (k,)
        Portfolio exposure (the column sums of ``rows``).
    cov : ndarray, shape (k, k)
        Daily factor covariance.
    confidence : float
        Level :math:`a`.

    Returns
    -------
    (float, ndarray (n,), ndarray (k,))
        :math:`z_a\\sigma_p`, :math:`C_i` and :math:`C_f`.

    Raises
    ------
    RiskInputError
        When the portfolio variance is zero (components undefined).
    """
    marginal = cov @ s
    variance = float(s @ marginal)
    if not variance > 0.0:
        raise RiskInputError(f"component VaR: portfolio variance is {variance}; nothing to allocate")
    sigma = np.sqrt(variance)
    z, _ = normal_tail(confidence)
    return z * sigma, np.asarray(z * (rows @ marginal) / sigma), np.asarray(z * s * marginal / sigma)


def aggregate_components(components: pd.Series, groups: Mapping[str, str]) -> pd.Series:
    """Sum components by a caller-given grouping (strategy, asset class...).

    .. math:: C_g = \\sum_{i:\\, g(i) = g} C_i

    Parameters
    ----------
    components : Series
        Component VaR per position (or any additive quantity per key).
    groups : mapping
        Key -> group label; every key of ``components`` needs one.

    Returns
    -------
    Series
        One value per group, in order of first appearance; sums to ``components.sum()``.

    Raises
    ------
    RiskInputError
        When a key has no group.
    """
    missing = [str(k) for k in components.index if k not in groups]
    if missing:
        raise RiskInputError(f"aggregate components: no group for {missing}")
    labels = [str(groups[k]) for k in components.index]
    totals: pd.Series = components.groupby(labels, sort=False).sum()
    totals.name = components.name
    return totals
