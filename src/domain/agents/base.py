"""Value types of the analytical agents: signal specifications, per-date signals, whole-history runs.

An agent computes every date of the panel in one pass. Each of its models yields a :class:`SignalPath`:
three date-indexed series (the model's number ``value``, a signed ``score`` in [-1, +1] and a
``confidence`` in [0, 1]). The per-date records the desk reads (:class:`AgentSignal`) derive from the
score: ``direction`` is its sign (NEUTRAL inside the band ``|score| < NEUTRAL_BAND``) and ``strength``
its magnitude.

**Direction.** Every signal names its *subject* (the quantity it forecasts, e.g. "Selic target",
"USD/BRL"): LONG means the agent expects the subject to RISE over ``horizon_days`` B3 sessions, SHORT
that it falls. This is the agent's own vocabulary; strategies translate it into the book's sign
convention (domain.book).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TypeAlias

import numpy as np
import pandas as pd

from domain.errors import DomainError

FloatSeries: TypeAlias = "pd.Series[float]"

NEUTRAL_BAND = 0.1
"""Scores with ``|score|`` below this are NEUTRAL: too weak to call a direction."""


class Direction(StrEnum):
    """Direction of an agent's view on its signal's subject."""

    LONG = "LONG"
    SHORT = "SHORT"
    NEUTRAL = "NEUTRAL"


class PanelError(DomainError, ValueError):
    """A panel the agents cannot read: wrong index, missing columns."""


@dataclass(frozen=True, slots=True)
class SignalSpec:
    """What one agent signal measures.

    Attributes
    ----------
    signal_id : str
        ``"<agent>.<model>"``, e.g. ``"monetary.taylor_gap"``.
    subject : str
        The quantity the direction refers to (LONG = expected to rise).
    horizon_days : int
        Forecast horizon in B3 sessions.
    description : str
        One line: the model and how its number maps to the score.
    """

    signal_id: str
    subject: str
    horizon_days: int
    description: str

    def __post_init__(self) -> None:
        if "." not in self.signal_id:
            raise ValueError(f"signal_id must be '<agent>.<model>', got {self.signal_id!r}")
        if self.horizon_days <= 0:
            raise ValueError(f"{self.signal_id}: horizon_days must be positive, got {self.horizon_days}")

    @property
    def agent(self) -> str:
        """The agent prefix of the id."""
        return self.signal_id.split(".", 1)[0]


def direction_of(score: float) -> Direction:
    """LONG / SHORT / NEUTRAL of a signed score (NEUTRAL when ``|score| < NEUTRAL_BAND``)."""
    if score >= NEUTRAL_BAND:
        return Direction.LONG
    if score <= -NEUTRAL_BAND:
        return Direction.SHORT
    return Direction.NEUTRAL


@dataclass(frozen=True, slots=True)
class AgentSignal:
    """One signal of one agent on one date.

    Raises
    ------
    ValueError
        When strength or confidence is outside [0, 1], the value is not finite or the horizon is
        not positive.
    """

    signal_id: str
    direction: Direction
    strength: float
    confidence: float
    value: float
    horizon_days: int

    def __post_init__(self) -> None:
        if not 0.0 <= self.strength <= 1.0:
            raise ValueError(f"{self.signal_id}: strength must be in [0, 1], got {self.strength}")
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"{self.signal_id}: confidence must be in [0, 1], got {self.confidence}")
        if not np.isfinite(self.value):
            raise ValueError(f"{self.signal_id}: value must be finite, got {self.value}")
        if self.horizon_days <= 0:
            raise ValueError(f"{self.signal_id}: horizon_days must be positive, got {self.horizon_days}")

    @property
    def score(self) -> float:
        """Signed strength: +strength for LONG, -strength for SHORT, 0 for NEUTRAL."""
        sign = {Direction.LONG: 1.0, Direction.SHORT: -1.0, Direction.NEUTRAL: 0.0}[self.direction]
        return sign * self.strength


@dataclass(frozen=True, slots=True)
class AgentReport:
    """An agent's view on one date: its signals, a narrative built from the numbers, model diagnostics."""

    agent: str
    as_of: date
    signals: tuple[AgentSignal, ...]
    narrative: str
    diagnostics: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class SignalPath:
    """One agent signal over every date of the panel.

    Attributes
    ----------
    spec : SignalSpec
    value : Series
        The model's number (units in the spec's description).
    score : Series
        Signed view in [-1, +1]; NaN where the model cannot compute.
    confidence : Series
        In [0, 1]; NaN exactly where ``score`` is NaN.
    """

    spec: SignalSpec
    value: FloatSeries
    score: FloatSeries
    confidence: FloatSeries

    def __post_init__(self) -> None:
        if not (self.value.index.equals(self.score.index) and self.value.index.equals(self.confidence.index)):
            raise ValueError(f"{self.spec.signal_id}: value, score and confidence must share one index")
        score = self.score.to_numpy(dtype=np.float64)
        conf = self.confidence.to_numpy(dtype=np.float64)
        if np.any(np.abs(score[np.isfinite(score)]) > 1.0 + 1e-12):
            raise ValueError(f"{self.spec.signal_id}: score outside [-1, 1]")
        finite = np.isfinite(conf)
        if np.any((conf[finite] < -1e-12) | (conf[finite] > 1.0 + 1e-12)):
            raise ValueError(f"{self.spec.signal_id}: confidence outside [0, 1]")


def signal_path(spec: SignalSpec, value: FloatSeries, score: FloatSeries, confidence: FloatSeries) -> SignalPath:
    """A :class:`SignalPath` with score clipped to [-1, 1], confidence to [0, 1], and NaN made consistent.

    A date is computable only if value, score and confidence are all finite there; elsewhere all
    three are set to NaN so downstream code never sees a half-defined signal.
    """
    index = value.index
    v = value.to_numpy(dtype=np.float64)
    s = np.clip(score.reindex(index).to_numpy(dtype=np.float64), -1.0, 1.0)
    c = np.clip(confidence.reindex(index).to_numpy(dtype=np.float64), 0.0, 1.0)
    bad = ~(np.isfinite(v) & np.isfinite(s) & np.isfinite(c))
    v, s, c = (np.where(bad, np.nan, a) for a in (v, s, c))
    return SignalPath(spec, pd.Series(v, index=index), pd.Series(s, index=index), pd.Series(c, index=index))


def composite_path(spec: SignalSpec, parts: tuple[SignalPath, ...]) -> SignalPath:
    """Composite view of an agent: the confidence-weighted mean of its models' scores.

    .. math::

        s = \\frac{\\sum_i c_i s_i}{\\sum_i c_i}, \\qquad
        c = \\frac{\\sum_i c_i}{M}\\left(\\tfrac12 + \\tfrac12 A\\right), \\qquad
        A = \\frac{|\\sum_i c_i s_i|}{\\sum_i c_i |s_i|}

    over the models available on the date (:math:`M` = number of models of the agent, so a missing
    model lowers confidence); :math:`A \\in [0, 1]` is their agreement. The value is the score.

    Parameters
    ----------
    spec : SignalSpec
        Spec of the composite signal.
    parts : tuple of SignalPath
        The agent's model signals, on one index.

    Returns
    -------
    SignalPath
        NaN where no model is available.
    """
    if not parts:
        raise ValueError(f"{spec.signal_id}: a composite needs at least one model")
    index = parts[0].score.index
    s = np.column_stack([p.score.to_numpy(dtype=np.float64) for p in parts])
    c = np.column_stack([p.confidence.to_numpy(dtype=np.float64) for p in parts])
    present = np.isfinite(s) & np.isfinite(c)
    s0, c0 = np.where(present, s, 0.0), np.where(present, c, 0.0)
    weight = c0.sum(axis=1)
    num = (c0 * s0).sum(axis=1)
    abs_num = (c0 * np.abs(s0)).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(weight > 0, num / weight, np.nan)
        agreement = np.where(abs_num > 0, np.abs(num) / abs_num, 1.0)
    confidence = weight / len(parts) * (0.5 + 0.5 * agreement)
    score = np.where(present.any(axis=1), score, np.nan)
    series = pd.Series(score, index=index)
    return signal_path(spec, series, series, pd.Series(confidence, index=index))


@dataclass(frozen=True)
class AgentRun:
    """Everything one agent computed over the panel.

    Attributes
    ----------
    agent : str
        Agent name (``inflation``, ``monetary``, ``fiscal``, ``fx``, ``cross_asset``).
    paths : Mapping[str, SignalPath]
        Signal id -> its path; the last one is the agent's composite view.
    diagnostics : DataFrame
        Date-indexed model numbers (coefficients, filtered states, fair values...).
    narrator : callable
        ``narrator(run, date) -> str``: the narrative of the agent's view on a date.
    """

    agent: str
    paths: Mapping[str, SignalPath]
    diagnostics: pd.DataFrame
    narrator: "Callable[[AgentRun, pd.Timestamp], str]"

    def __post_init__(self) -> None:
        for signal_id, path in self.paths.items():
            if path.spec.signal_id != signal_id or path.spec.agent != self.agent:
                raise ValueError(f"{self.agent}: path {signal_id!r} does not belong to this agent")

    def at(self, signal_id: str, day: pd.Timestamp) -> tuple[float, float, float]:
        """``(value, score, confidence)`` of a signal on a date (NaN when not computable)."""
        path = self.paths[signal_id]
        return (float(path.value.loc[day]), float(path.score.loc[day]), float(path.confidence.loc[day]))

    def diagnostic(self, name: str, day: pd.Timestamp) -> float:
        """One diagnostic number on a date."""
        return self.numbers(day)[name]

    def numbers(self, day: pd.Timestamp) -> dict[str, float]:
        """All diagnostics on a date as plain floats (NaN where not computable)."""
        row = self.diagnostics.loc[day].to_numpy(dtype=np.float64)
        return {str(name): float(value) for name, value in zip(self.diagnostics.columns, row, strict=True)}


def require_columns(panel: pd.DataFrame, columns: tuple[str, ...], agent: str) -> None:
    """Check that the panel has a sorted, unique DatetimeIndex and the columns an agent reads.

    Raises
    ------
    PanelError
        Naming the agent and what is wrong.
    """
    if not isinstance(panel.index, pd.DatetimeIndex):
        raise PanelError(f"{agent}: the panel must be indexed by session dates (DatetimeIndex), "
                         f"got {type(panel.index).__name__}")
    if not panel.index.is_monotonic_increasing or panel.index.has_duplicates:
        raise PanelError(f"{agent}: the panel index must be strictly increasing session dates")
    missing = [c for c in columns if c not in panel.columns]
    if missing:
        raise PanelError(f"{agent}: panel lacks columns {missing}")


def column(panel: pd.DataFrame, name: str) -> FloatSeries:
    """A panel column as float64."""
    return panel[name].astype(np.float64)
