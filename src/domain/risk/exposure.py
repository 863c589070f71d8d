"""Exposures and factor P&L: from :class:`~domain.book.Sensitivity` records to scenario P&L.

The exposure matrix :math:`S` has one row per position and one column per risk factor, in BRL per
+1 unit of the factor (1bp or 1%). The portfolio exposure is its column sum
:math:`s_f = \\sum_i S_{if}`, and a vector of factor changes :math:`x` (in factor units) produces the
linear P&L :math:`x^\\top s`.
"""

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from domain.book import FACTORS, Sensitivity
from domain.risk.errors import RiskInputError


def exposure_matrix(sensitivities: Iterable[Sensitivity], *,
                    factors: Sequence[str] | None = None) -> pd.DataFrame:
    """Positions x factors matrix of BRL sensitivities.

    .. math:: S_{if} = \\sum_{k:\\, inst_k = i,\\, fac_k = f} \\mathrm{brl\\_per\\_unit}_k

    Parameters
    ----------
    sensitivities : iterable of Sensitivity
        Records; several records of one (instrument, factor) are summed.
    factors : sequence of str, optional
        Columns, in order; keys of :data:`~domain.book.FACTORS`. Default: every factor of FACTORS.

    Returns
    -------
    DataFrame
        Index ``instrument`` (order of first appearance), one float column per factor; 0 where a
        position has no sensitivity to the factor.

    Raises
    ------
    RiskInputError
        When a factor is not in FACTORS (or not in ``factors``) or a sensitivity is not finite.
    """
    columns = list(FACTORS) if factors is None else list(factors)
    unknown = [f for f in columns if f not in FACTORS]
    if unknown:
        raise RiskInputError(f"exposure matrix: unknown factor(s) {unknown}; known: {list(FACTORS)}")
    if len(set(columns)) != len(columns):
        raise RiskInputError(f"exposure matrix: factors repeat in {columns}")
    position: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    values: list[float] = []
    where = {f: j for j, f in enumerate(columns)}
    for record in sensitivities:
        if record.factor not in where:
            raise RiskInputError(
                f"exposure matrix: {record.instrument} is sensitive to {record.factor!r}, "
                f"which is not among the factors {columns}")
        if not np.isfinite(record.brl_per_unit):
            raise RiskInputError(
                f"exposure matrix: {record.instrument} has a non-finite sensitivity to {record.factor}")
        rows.append(position.setdefault(record.instrument, len(position)))
        cols.append(where[record.factor])
        values.append(float(record.brl_per_unit))
    matrix = np.zeros((len(position), len(columns)))
    np.add.at(matrix, (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)), values)
    return pd.DataFrame(matrix, index=pd.Index(list(position), name="instrument"), columns=columns)


def portfolio_exposure(matrix: pd.DataFrame) -> pd.Series:
    """Portfolio sensitivity to each factor, :math:`s_f = \\sum_i S_{if}` (BRL per unit)."""
    if not np.all(np.isfinite(matrix.to_numpy(dtype=np.float64))):
        raise RiskInputError("portfolio exposure: the exposure matrix has non-finite entries")
    return matrix.sum(axis=0).astype(np.float64).rename("brl_per_unit")


def exposed_history(history: pd.DataFrame, exposure: pd.Series) -> pd.DataFrame:
    """The columns of ``history`` the portfolio is exposed to, checked for gaps.

    Factors with zero exposure may be absent or NaN in ``history``; an exposed factor must be a
    column without NaN.
    """
    weights = exposure.to_numpy(dtype=np.float64)
    if not np.all(np.isfinite(weights)):
        raise RiskInputError("exposure has non-finite values")
    exposed = [str(f) for f in exposure.index[weights != 0.0]]
    missing = [f for f in exposed if f not in history.columns]
    if missing:
        raise RiskInputError(f"factor history lacks exposed factor(s) {missing}")
    frame = history[exposed]
    values = frame.to_numpy(dtype=np.float64)
    bad = ~np.isfinite(values)
    if bad.any():
        row, col = (int(v[0]) for v in np.nonzero(bad))
        raise RiskInputError(
            f"factor history: {exposed[col]} is missing on {history.index[row]}; "
            "choose a window where every exposed factor has data")
    return frame


def pnl_history(history: pd.DataFrame, exposure: pd.Series) -> pd.Series:
    """Linear P&L of the portfolio on each day of a factor-change history.

    .. math:: \\mathrm{P\\&L}_t = \\sum_f X_{tf}\\, s_f

    Parameters
    ----------
    history : DataFrame
        Daily factor changes (rows: dates, columns: factors, values in the factor's unit).
    exposure : Series
        Portfolio sensitivity per factor, BRL per unit (index: factor names).

    Returns
    -------
    Series
        BRL P&L per date, named ``pnl``.

    Raises
    ------
    RiskInputError
        When an exposed factor is absent from ``history`` or has a missing value.
    """
    frame = exposed_history(history, exposure)
    weights = exposure.loc[list(frame.columns)].to_numpy(dtype=np.float64)
    return pd.Series(linear_pnl(frame.to_numpy(dtype=np.float64), weights), index=history.index, name="pnl")


def linear_pnl(changes: npt.NDArray[np.float64], weights: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Linear P&L of each row of factor changes, :math:`\\mathrm{P\\&L}_t = \\sum_f X_{tf}\\, s_f` (BRL).

    The array core of :func:`pnl_history`, for callers that hold windows as arrays.

    Parameters
    ----------
    changes : ndarray, shape (T, k)
        Daily changes of the exposed factors, factor units, no missing values.
    weights : ndarray, shape (k,)
        Sensitivity to each of those factors, BRL per unit.

    Returns
    -------
    ndarray, shape (T,)

    Raises
    ------
    RiskInputError
        When the shapes disagree or a value is not finite.
    """
    if changes.ndim != 2 or weights.shape != (changes.shape[1],):
        raise RiskInputError(f"linear P&L: changes {changes.shape} and weights {weights.shape} disagree")
    if not (np.all(np.isfinite(changes)) and np.all(np.isfinite(weights))):
        raise RiskInputError("linear P&L: changes and weights must be finite")
    return np.asarray(changes @ weights, dtype=np.float64)


def factor_covariance(history: pd.DataFrame, *, ewma_lambda: float | None = None) -> pd.DataFrame:
    """Covariance of daily factor changes: sample, or exponentially weighted (RiskMetrics).

    Sample (``ewma_lambda=None``): :math:`\\Sigma = \\frac{1}{T-1}\\sum_t (x_t-\\bar x)(x_t-\\bar x)^\\top`.
    EWMA, zero mean, weights normalised to one:

    .. math:: \\Sigma = \\frac{1-\\lambda}{1-\\lambda^T} \\sum_{t=1}^{T} \\lambda^{T-t} x_t x_t^\\top

    Parameters
    ----------
    history : DataFrame
        Daily factor changes without missing values, at least two rows.
    ewma_lambda : float, optional
        Decay in (0, 1); RiskMetrics uses 0.94 for daily data.

    Returns
    -------
    DataFrame
        Factors x factors, in squared factor units.

    Raises
    ------
    RiskInputError
        On missing values, fewer than two rows, or a decay outside (0, 1).
    """
    cov = covariance_matrix(history.to_numpy(dtype=np.float64), ewma_lambda=ewma_lambda)
    return pd.DataFrame(cov, index=history.columns, columns=history.columns)


def covariance_matrix(values: npt.NDArray[np.float64], *, ewma_lambda: float | None = None) -> npt.NDArray[np.float64]:
    """:func:`factor_covariance` on an array of changes (T x k), returning the k x k array.

    Raises
    ------
    RiskInputError
        On missing values, fewer than two rows, or a decay outside (0, 1).
    """
    if values.shape[0] < 2:
        raise RiskInputError(f"factor covariance needs at least 2 observations, got {values.shape[0]}")
    if not np.all(np.isfinite(values)):
        raise RiskInputError("factor covariance: the history has missing or non-finite values")
    if ewma_lambda is None:
        cov = np.cov(values, rowvar=False, ddof=1).reshape(values.shape[1], values.shape[1])
    else:
        if not 0.0 < ewma_lambda < 1.0:
            raise RiskInputError(f"factor covariance: ewma_lambda must be in (0, 1), got {ewma_lambda}")
        n = values.shape[0]
        weights = (1.0 - ewma_lambda) * ewma_lambda ** np.arange(n - 1, -1, -1, dtype=np.float64)
        weights /= 1.0 - ewma_lambda ** n
        cov = (values * weights[:, None]).T @ values
    return np.asarray(cov, dtype=np.float64)
