"""Flat-forward interpolation on 252 business days: the engine of the Brazilian curves.

A curve is a set of vertices ``(du_i, r_i)`` with ``du`` in ANBIMA business days and ``r`` an
annual rate compounded exponentially on 252 days. Between vertices the log discount factor is
linear in ``du``, so the one-day forward rate is constant on each segment ("flat forward"):

.. math:: g(du) = -\\ln DF(du) = \\frac{du}{252} \\ln(1 + r(du))

An implicit node ``g(0) = 0`` makes the rate flat before the first vertex (the forward from 0 to
``du_1`` is ``r_1``), and the last segment's forward is extended beyond the last vertex.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import TypeAlias, TypeVar, overload

import numpy as np
import numpy.typing as npt

from domain._typing import FloatArray, IntArray
from domain.errors import DomainError
from domain.market.calendar import CALENDAR_START, business_days_array

BUSINESS_DAYS_PER_YEAR = 252

TenorArray: TypeAlias = npt.NDArray[np.integer] | npt.NDArray[np.floating]


class InvalidCurveError(DomainError, ValueError):
    """Curve inputs that cannot describe a curve (no vertices, unsorted tenors, inconsistent quotes)."""


@dataclass(frozen=True, slots=True, eq=False)
class FlatForwardCurve:
    """A curve on 252 business days with flat-forward interpolation.

    Parameters
    ----------
    curve_date : date
        Date of the curve.
    du : array of int
        Vertex tenors in ANBIMA business days, strictly increasing and positive.
    rates : array of float
        Annual rates at the vertices, decimal (0.14 for 14%), each above -100%.

    Notes
    -----
    With :math:`g_i = (du_i/252) \\ln(1 + r_i)` and :math:`g_0 = 0` at :math:`du_0 = 0`,

    .. math::

        g(du) = g_{i-1} + \\frac{du - du_{i-1}}{du_i - du_{i-1}} (g_i - g_{i-1}),
        \\quad du_{i-1} \\le du \\le du_i

    beyond the last vertex :math:`g` grows with the last segment's slope, and
    :math:`r(du) = \\exp(252\\, g(du) / du) - 1`. The arrays are copied and made read-only.
    """

    curve_date: date
    du: IntArray
    rates: FloatArray
    _nodes: FloatArray = field(init=False, repr=False)
    _growth: FloatArray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        du = np.array(self.du, dtype=np.int64)
        rates = np.array(self.rates, dtype=np.float64)
        if du.ndim != 1 or rates.ndim != 1 or du.shape != rates.shape:
            raise InvalidCurveError(f"curve {self.curve_date}: du and rates must be 1-d arrays of one "
                                    f"length, got shapes {du.shape} and {rates.shape}")
        if du.size == 0:
            raise InvalidCurveError(f"curve {self.curve_date}: needs at least one vertex")
        if du[0] <= 0 or np.any(np.diff(du) <= 0):
            raise InvalidCurveError(f"curve {self.curve_date}: du must be positive and strictly increasing, "
                                    f"got {du.tolist()}")
        if not np.all(np.isfinite(rates)) or np.any(rates <= -1.0):
            raise InvalidCurveError(f"curve {self.curve_date}: rates must be finite and above -100%, "
                                    f"got {rates.tolist()}")
        du.setflags(write=False)
        rates.setflags(write=False)
        nodes = np.concatenate(([0.0], du.astype(np.float64)))
        growth = np.concatenate(([0.0], du / BUSINESS_DAYS_PER_YEAR * np.log1p(rates)))
        nodes.setflags(write=False)
        growth.setflags(write=False)
        object.__setattr__(self, "du", du)
        object.__setattr__(self, "rates", rates)
        object.__setattr__(self, "_nodes", nodes)
        object.__setattr__(self, "_growth", growth)

    @property
    def first_du(self) -> int:
        """Tenor of the first vertex, in business days."""
        return int(self.du[0])

    @property
    def last_du(self) -> int:
        """Tenor of the last vertex, in business days."""
        return int(self.du[-1])

    def covers(self, du: int) -> bool:
        """Whether ``du`` lies between the first and the last vertex: :math:`du_1 \\le du \\le du_n`."""
        return self.first_du <= du <= self.last_du

    def _log_growth(self, du: FloatArray) -> FloatArray:
        """:math:`g(du) = -\\ln DF(du)`, linear between nodes and extrapolated with the last slope."""
        inside: FloatArray = np.interp(du, self._nodes, self._growth)
        slope = (self._growth[-1] - self._growth[-2]) / (self._nodes[-1] - self._nodes[-2])
        beyond = self._growth[-1] + (du - self._nodes[-1]) * slope
        result: FloatArray = np.where(du > self._nodes[-1], beyond, inside)
        return result

    @overload
    def rate_at(self, du: float) -> float: ...
    @overload
    def rate_at(self, du: TenorArray) -> FloatArray: ...

    def rate_at(self, du: float | TenorArray) -> float | FloatArray:
        """Annual rate at ``du`` business days, flat-forward interpolated.

        .. math:: r(du) = \\exp\\left(\\frac{252}{du}\\, g(du)\\right) - 1

        Parameters
        ----------
        du : int, float or array
            Tenors in business days, each positive.

        Returns
        -------
        float or array
            Annual rates, decimal; a float for a scalar ``du``.

        Raises
        ------
        InvalidCurveError
            When a tenor is not positive.
        """
        arr = np.asarray(du, dtype=np.float64)
        if np.any(arr <= 0):
            raise InvalidCurveError(f"curve {self.curve_date}: a rate needs a positive tenor, got {du}")
        result: FloatArray = np.expm1(self._log_growth(arr) * BUSINESS_DAYS_PER_YEAR / arr)
        return float(result) if result.ndim == 0 else result

    @overload
    def discount_factor(self, du: float) -> float: ...
    @overload
    def discount_factor(self, du: TenorArray) -> FloatArray: ...

    def discount_factor(self, du: float | TenorArray) -> float | FloatArray:
        """Discount factor to ``du`` business days.

        .. math:: DF(du) = e^{-g(du)} = (1 + r(du))^{-du/252}

        Parameters
        ----------
        du : int, float or array
            Tenors in business days, each non-negative (``DF(0) = 1``).

        Returns
        -------
        float or array
            Discount factors; a float for a scalar ``du``.

        Raises
        ------
        InvalidCurveError
            When a tenor is negative.
        """
        arr = np.asarray(du, dtype=np.float64)
        if np.any(arr < 0):
            raise InvalidCurveError(f"curve {self.curve_date}: a discount factor needs a tenor >= 0, "
                                    f"got {du}")
        result: FloatArray = np.exp(-self._log_growth(arr))
        return float(result) if result.ndim == 0 else result


CurveT = TypeVar("CurveT", bound=FlatForwardCurve)


def business_day_index(days: "npt.NDArray[np.datetime64]") -> IntArray:
    """ANBIMA business days from the calendar's start to each day, so that ``du(a, b) = idx(b) - idx(a)``.

    .. math:: idx(d) = \\#\\{\\text{business days in } [2000\\text{-}01\\text{-}01, d)\\}

    One vectorised count replaces a :func:`~domain.market.calendar.business_days` call per pair.

    Parameters
    ----------
    days : array of datetime64
        Dates, any shape.

    Returns
    -------
    array of int
        The counts, same shape as ``days``.
    """
    counts: IntArray = business_days_array(CALENDAR_START, days.astype("datetime64[D]")).astype(np.int64)
    return counts


def curves_by_date(kind: type[CurveT], days: "npt.NDArray[np.datetime64]", du: IntArray, rates: FloatArray,
                   labels: "npt.NDArray[np.str_]", what: str) -> dict[date, CurveT]:
    """Group vertices by curve date and build one curve per date.

    Vertices with ``du <= 0`` (instruments expiring on or before the curve date) are dropped, and a
    date left without vertices has no curve.

    Parameters
    ----------
    kind : type
        The curve class to build (a :class:`FlatForwardCurve` subclass).
    days : array of datetime64[D]
        Curve date of each vertex.
    du : array of int
        Business days from the curve date to the instrument's maturity.
    rates : array of float
        Vertex rates, decimal.
    labels : array of str
        Instrument of each vertex, for error messages.
    what : str
        Name of the curve, for error messages.

    Returns
    -------
    dict of date to curve
        In date order.

    Raises
    ------
    InvalidCurveError
        When two instruments of one date share a maturity.
    """
    keep = du > 0
    days, du, rates, labels = days[keep], du[keep], rates[keep], labels[keep]
    if days.size == 0:
        return {}
    order = np.lexsort((du, days))
    days, du, rates, labels = days[order], du[order], rates[order], labels[order]
    same = (days[1:] == days[:-1]) & (du[1:] == du[:-1])
    if np.any(same):
        i = int(np.flatnonzero(same)[0])
        raise InvalidCurveError(f"{what} {days[i]}: {labels[i]} and {labels[i + 1]} share the maturity "
                                f"{du[i]} business days ahead")
    starts = np.flatnonzero(np.concatenate(([True], days[1:] != days[:-1])))
    ends = np.append(starts[1:], days.size)
    return {days[a].item(): kind(days[a].item(), du[a:b], rates[a:b])
            for a, b in zip(starts.tolist(), ends.tolist(), strict=True)}
