"""Aggregation of strategy signals per generic: confidence-weighted, rank-based, Bayesian (default).

Before any method, each strategy's confidence is decayed for staleness and, after it, the signals of
a crowded asset class are discounted (see :class:`AggregationParams`).
"""

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from domain._typing import FloatArray
from domain.book import GENERICS
from domain.signals.priors import prior_means
from domain.strategies.base import STRATEGY_COLUMNS

AGGREGATE_COLUMNS = ["date", "generic", "asset_class", "signal", "confidence", "posterior_variance", "n_strategies"]
AGE_COLUMN = "age_days"
"""Optional column of the strategy signals: days since the strategy's inputs last updated."""


class AggregationMethod(StrEnum):
    """How strategy signals on one generic are combined."""

    CONFIDENCE_WEIGHTED = "confidence_weighted"
    RANK = "rank"
    BAYESIAN = "bayesian"


@dataclass(frozen=True, slots=True)
class AggregationParams:
    """Parameters of the aggregation.

    Attributes
    ----------
    prior_variance : float
        :math:`v_0`, variance of the regime prior on the latent signal (0.25: prior sd 0.5).
        ``math.inf`` gives a flat prior.
    observation_scale : float
        :math:`k` in :math:`v_j = k (1 - c_j) / c_j`: a strategy with confidence 0.5 observes the latent
        signal with variance :math:`k` (0.25, sd 0.5, as uncertain as the prior).
    max_confidence : float
        Confidences are capped here so that no strategy has zero variance.
    half_life_days : float
        Staleness: confidence is multiplied by :math:`2^{-\\text{age}/h}` (it halves every ``h`` days
        of stale input).
    crowding_threshold, crowding_min_strategies, crowding_discount : float, int, float
        Anti-crowding: on a date where at least ``crowding_min_strategies`` strategies of an asset
        class have a non-zero signal and a share >= ``crowding_threshold`` of them point the same way,
        the consensus is likely already priced and crowded: every aggregated signal of that class is
        multiplied by ``1 - crowding_discount``.
    rank_min_history : int
        Rank method: a strategy contributes on a generic once it has this many signals there (a
        percentile of a handful of values is noise).
    correlation_window, correlation_min_periods : int
        Bayesian method: the correlation of two strategies' signals on a generic is estimated over the
        trailing ``correlation_window`` dates up to each date (point in time), once they share
        ``correlation_min_periods`` dates (independence before that).
    """

    prior_variance: float = 0.25
    observation_scale: float = 0.25
    max_confidence: float = 0.99
    half_life_days: float = 5.0
    crowding_threshold: float = 0.8
    crowding_min_strategies: int = 3
    crowding_discount: float = 0.25
    rank_min_history: int = 21
    correlation_window: int = 252
    correlation_min_periods: int = 63

    def __post_init__(self) -> None:
        if not self.prior_variance > 0:
            raise ValueError(f"prior_variance must be positive (inf for a flat prior), got {self.prior_variance}")
        if not 0 < self.observation_scale < math.inf:
            raise ValueError(f"observation_scale must be positive and finite, got {self.observation_scale}")
        if not 0 < self.max_confidence < 1:
            raise ValueError(f"max_confidence must be in (0, 1), got {self.max_confidence}")
        if not self.half_life_days > 0:
            raise ValueError(f"half_life_days must be positive, got {self.half_life_days}")
        if not 0.5 < self.crowding_threshold <= 1 or not 0 <= self.crowding_discount < 1:
            raise ValueError("crowding_threshold must be in (0.5, 1] and crowding_discount in [0, 1)")
        if self.rank_min_history < 1:
            raise ValueError(f"rank_min_history must be >= 1, got {self.rank_min_history}")
        if not 2 <= self.correlation_min_periods <= self.correlation_window:
            raise ValueError("correlation_min_periods must be in [2, correlation_window]")
        if self.crowding_min_strategies < 2:
            raise ValueError(f"crowding_min_strategies must be >= 2, got {self.crowding_min_strategies}")


def staleness_factor(age_days: npt.ArrayLike, half_life_days: float) -> FloatArray:
    """Confidence multiplier for stale inputs.

    .. math:: f = 2^{-\\max(\\text{age}, 0) / h} = e^{-\\ln 2\\, \\text{age} / h}
    """
    age = np.maximum(np.asarray(age_days, dtype=np.float64), 0.0)
    return np.asarray(np.exp(-math.log(2.0) * age / half_life_days), dtype=np.float64)


def observation_variance(confidence: npt.ArrayLike, scale: float) -> FloatArray:
    """Variance of a strategy's observation of the latent signal, from its confidence.

    .. math:: v_j = k\\, \\frac{1 - c_j}{c_j}

    (:math:`c \\to 1`: exact; :math:`c = 0.5`: variance :math:`k`; :math:`c \\to 0`: uninformative).
    Inverse: :math:`c = k / (k + v)`.
    """
    c = np.asarray(confidence, dtype=np.float64)
    with np.errstate(divide="ignore"):
        return np.asarray(scale * (1.0 - c) / c, dtype=np.float64)


def bayesian_update(prior_mean: float, prior_variance: float, observations: npt.ArrayLike,
                    variances: npt.ArrayLike) -> tuple[float, float]:
    """Normal-normal update of a latent signal :math:`\\theta` from independent observations.

    Prior :math:`\\theta \\sim N(m_0, v_0)`; observations :math:`x_j \\sim N(\\theta, v_j)`:

    .. math::

        \\tau = \\frac{1}{v_0} + \\sum_j \\frac{1}{v_j}, \\qquad
        m = \\frac{m_0 / v_0 + \\sum_j x_j / v_j}{\\tau}, \\qquad v = \\frac{1}{\\tau}

    A flat prior (:math:`v_0 = \\infty`) gives the precision-weighted mean of the observations.

    Returns
    -------
    tuple of float
        Posterior mean and variance.
    """
    x = np.asarray(observations, dtype=np.float64)
    v = np.asarray(variances, dtype=np.float64)
    precision = 1.0 / prior_variance + float(np.sum(1.0 / v))
    mean = (prior_mean / prior_variance + float(np.sum(x / v))) / precision
    return mean, 1.0 / precision


def _prepare(strategy_signals: pd.DataFrame, params: AggregationParams) -> pd.DataFrame:
    missing = [c for c in STRATEGY_COLUMNS if c not in strategy_signals.columns]
    if missing:
        raise ValueError(f"strategy signals lack columns {missing}")
    unknown = sorted(set(strategy_signals["generic"]) - set(GENERICS))
    if unknown:
        raise ValueError(f"unknown generics {unknown}")
    frame = strategy_signals[STRATEGY_COLUMNS].copy()
    frame["signal"] = frame["signal"].astype(np.float64)
    frame["confidence"] = frame["confidence"].astype(np.float64)
    bad = ~(frame["signal"].abs().le(1.0) & frame["confidence"].between(0.0, 1.0))
    if bad.any():
        row = frame[bad].iloc[0]
        raise ValueError(f"{row['strategy_id']} on {row['generic']} at {row['date']}: signal must be in [-1, 1] "
                         f"and confidence in [0, 1], got {row['signal']}, {row['confidence']}")
    age = (strategy_signals[AGE_COLUMN].astype(np.float64).fillna(0.0).to_numpy()
           if AGE_COLUMN in strategy_signals.columns else np.zeros(len(frame)))
    frame["c"] = np.minimum(frame["confidence"].to_numpy() * staleness_factor(age, params.half_life_days),
                            params.max_confidence)
    frame["asset_class"] = [GENERICS[g].asset_class.value for g in frame["generic"]]
    return frame[frame["c"] > 0].reset_index(drop=True)


def _signal_correlations(frame: pd.DataFrame, params: AggregationParams) -> dict[tuple[str, str, str], pd.Series]:
    """Trailing correlation of each pair of strategies' signals on a shared generic, per date, clipped to [0, 1].

    Keys ``(generic, strategy_a, strategy_b)`` with ``a < b``; NaN (short or constant history) means 0.
    """
    out: dict[tuple[str, str, str], pd.Series] = {}
    for generic, rows in frame.groupby("generic", sort=False):
        strategies = sorted(rows["strategy_id"].unique())
        if len(strategies) < 2:
            continue
        wide = rows.pivot_table(index="date", columns="strategy_id", values="signal", aggfunc="mean").sort_index()
        for i, a in enumerate(strategies):
            for b in strategies[i + 1:]:
                rho = wide[a].rolling(params.correlation_window, min_periods=params.correlation_min_periods).corr(
                    wide[b])
                out[(str(generic), str(a), str(b))] = rho.clip(0.0, 1.0).fillna(0.0)
    return out


def correlated_precision(signals: FloatArray, variances: FloatArray, correlation: FloatArray) -> tuple[float, float]:
    """Precision and precision-weighted sum of correlated observations of one latent signal (GLS).

    Observations :math:`x \\sim N(\\theta 1, V)`, :math:`V = D^{1/2} R D^{1/2}`, :math:`D = diag(v)`:

    .. math:: \\tau_x = 1' V^{+} 1, \\qquad \\eta_x = 1' V^{+} x

    (:math:`V^{+}` the pseudo-inverse, so perfectly correlated copies count once). With :math:`R = I` these
    are :math:`\\sum_j 1/v_j` and :math:`\\sum_j x_j/v_j`, the independent update.
    """
    root = np.sqrt(np.asarray(variances, dtype=np.float64))
    cov = np.asarray(correlation, dtype=np.float64) * np.outer(root, root)
    inverse = np.linalg.pinv(cov, rcond=1e-10, hermitian=True)
    ones = np.ones(len(root))
    return float(ones @ inverse @ ones), float(ones @ inverse @ np.asarray(signals, dtype=np.float64))


def _crowding_factor(frame: pd.DataFrame, params: AggregationParams) -> "pd.Series[float]":
    """Signal multiplier per (date, asset_class): ``1 - discount`` where the class is crowded, else 1."""
    per_strategy = frame.groupby(["date", "asset_class", "strategy_id"], sort=False)["signal"].mean()
    sign = np.sign(per_strategy)
    counts = pd.DataFrame({"pos": sign.gt(0), "neg": sign.lt(0)}).groupby(level=["date", "asset_class"]).sum()
    active = counts["pos"] + counts["neg"]
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.maximum(counts["pos"], counts["neg"]) / active.where(active > 0)
    crowded = (active >= params.crowding_min_strategies) & (share >= params.crowding_threshold)
    return pd.Series(np.where(crowded, 1.0 - params.crowding_discount, 1.0), index=counts.index)


def _expanding_rank_scores(frame: pd.DataFrame, min_history: int) -> FloatArray:
    """Sign-preserving expanding percentile of ``|signal|`` within each strategy-generic history.

    NaN until the history holds ``min_history`` signals.
    """
    ordered = frame.sort_values("date", kind="stable")
    ranks = ordered.groupby(["strategy_id", "generic"], sort=False)["signal"].transform(
        lambda s: s.abs().expanding(min_periods=min_history).rank(pct=True))
    u = np.sign(ordered["signal"]) * ranks
    return np.asarray(u.reindex(frame.index).to_numpy(dtype=np.float64), dtype=np.float64)


def _correlated_sums(frame: pd.DataFrame, sums: pd.DataFrame, params: AggregationParams) -> pd.DataFrame:
    """Replace the independent precision sums of multi-strategy generics by their correlated (GLS) values."""
    correlations = {key: series.to_dict() for key, series in _signal_correlations(frame, params).items()}
    if not correlations:
        return sums
    dates = frame["date"].to_numpy()
    ids = frame["strategy_id"].astype(str).to_numpy()
    signals = frame["signal"].to_numpy(dtype=np.float64)
    variances = 1.0 / frame["w"].to_numpy(dtype=np.float64)
    keys: list[tuple[object, str]] = []
    w_new: list[float] = []
    wx_new: list[float] = []
    groups: dict[Any, Any] = frame.groupby(["date", "generic"], sort=False).indices
    for (day, generic), index in groups.items():
        if len(index) < 2:
            continue
        k = len(index)
        corr = np.eye(k)
        for i in range(k):
            for j in range(i + 1, k):
                a, b = sorted((ids[index[i]], ids[index[j]]))
                rho = correlations.get((str(generic), a, b), {}).get(dates[index[i]], 0.0)
                corr[i, j] = corr[j, i] = rho
        if not np.any(corr - np.eye(k)):
            continue
        precision, weighted = correlated_precision(signals[index], variances[index], corr)
        keys.append((day, generic))
        w_new.append(precision)
        wx_new.append(weighted)
    if keys:
        sums = sums.copy()
        where = sums.index.get_indexer(pd.MultiIndex.from_tuples(keys, names=sums.index.names))
        w_column, wx_column = sums["w"].to_numpy(dtype=np.float64, copy=True), sums["wx"].to_numpy(
            dtype=np.float64, copy=True)
        w_column[where], wx_column[where] = w_new, wx_new
        sums["w"], sums["wx"] = w_column, wx_column
    return sums


def aggregate(strategy_signals: pd.DataFrame, regime_probs: pd.DataFrame | None = None,
              method: AggregationMethod | str = AggregationMethod.BAYESIAN,
              params: AggregationParams = AggregationParams()) -> pd.DataFrame:
    """Combine the strategies' signals on each generic and date into one signal.

    Each strategy :math:`j` on a generic contributes its signal :math:`x_j` and effective confidence
    :math:`c_j = \\min(c^{raw}_j\\, 2^{-\\text{age}_j/h},\\ c_{max})` (rows with :math:`c_j = 0` are
    dropped).

    * ``bayesian`` (default): prior :math:`\\theta \\sim N(m_0, v_0)` with :math:`m_0 = \\sum_k p_k
      \\mu_{a,k}` from the regime probabilities and the asset class's regime means
      (domain.signals.priors), observations :math:`x_j \\sim N(\\theta, v_j)`,
      :math:`v_j = k (1 - c_j)/c_j`:

      .. math::

          \\tau = \\frac{1}{v_0} + \\sum_j \\frac{1}{v_j}, \\quad
          \\text{signal} = \\frac{m_0/v_0 + \\sum_j x_j / v_j}{\\tau}, \\quad
          \\text{posterior\\_variance} = \\frac{1}{\\tau}, \\quad
          \\text{confidence} = \\frac{k}{k + 1/\\tau}

      (the confidence a single strategy with the posterior's variance would have). Strategies on the same
      generic are not independent evidence: the sums become :math:`1'V^{+}1` and :math:`1'V^{+}x` with
      :math:`V` built from the trailing correlation of their signals (:func:`correlated_precision`), so two
      identical strategies carry the weight of one.
    * ``confidence_weighted``: :math:`\\sum_j c_j x_j / \\sum_j c_j`, confidence
      :math:`\\sum_j c_j^2 / \\sum_j c_j`.
    * ``rank``: as confidence-weighted, on :math:`u_j = \\operatorname{sign}(x_j)\\,
      \\operatorname{pct\\_rank}(|x_j|)`, the percentile of today's :math:`|x_j|` in the strategy's own
      history up to today on that generic (robust to strategies whose signals have different scales);
      a strategy enters once it has ``rank_min_history`` signals on the generic.

    ``posterior_variance`` is NaN for the non-Bayesian methods. Finally the anti-crowding discount
    of :class:`AggregationParams` scales the signals of crowded asset classes.

    Parameters
    ----------
    strategy_signals : DataFrame
        Columns ``date, strategy_id, asset_class, generic, signal, confidence`` (as from
        ``run_strategies``), optionally ``age_days`` (staleness of the strategy's inputs, >= 0).
    regime_probs : DataFrame, optional
        Date-indexed regime probabilities (``AgentOutputs.regime_probs``); None: neutral prior.
    method : AggregationMethod or str
    params : AggregationParams

    Returns
    -------
    DataFrame
        ``date, generic, asset_class, signal, confidence, posterior_variance, n_strategies``, one row per
        date and generic with at least one contributing strategy, sorted by date then GENERICS order.

    Raises
    ------
    ValueError
        On missing columns, unknown generics, out-of-range signals or confidences, an unknown method.
    """
    method = AggregationMethod(method)
    frame = _prepare(strategy_signals, params)
    if frame.empty:
        return pd.DataFrame(columns=AGGREGATE_COLUMNS)
    keys = ["date", "generic"]
    c, x = frame["c"].to_numpy(), frame["signal"].to_numpy()
    k = params.observation_scale
    if method is AggregationMethod.BAYESIAN:
        variance = observation_variance(c, k)
        frame["w"], frame["wx"] = 1.0 / variance, x / variance
    else:
        if method is AggregationMethod.RANK:
            frame["u"] = _expanding_rank_scores(frame, params.rank_min_history)
            frame = frame[frame["u"].notna()].reset_index(drop=True)
            if frame.empty:
                return pd.DataFrame(columns=AGGREGATE_COLUMNS)
            c, u = frame["c"].to_numpy(), frame["u"].to_numpy()
        else:
            u = x
        frame["w"], frame["wx"], frame["wc"] = c, c * u, c * c
    grouped = frame.groupby(keys, sort=False)
    sums = grouped[["w", "wx", *(["wc"] if "wc" in frame else [])]].sum()
    if method is AggregationMethod.BAYESIAN:
        sums = _correlated_sums(frame, sums, params)
    out = sums.reset_index()
    out["asset_class"] = [GENERICS[g].asset_class.value for g in out["generic"]]
    out["n_strategies"] = grouped["strategy_id"].nunique().to_numpy(dtype=np.int64)
    if method is AggregationMethod.BAYESIAN:
        dates = pd.DatetimeIndex(out["date"].unique())
        priors = prior_means(regime_probs, dates)
        rows = dates.get_indexer(pd.DatetimeIndex(out["date"]))
        m0 = priors.to_numpy()[rows, priors.columns.get_indexer(pd.Index(out["asset_class"]))]
        v0 = params.prior_variance
        precision = 1.0 / v0 + out["w"].to_numpy()
        out["signal"] = (m0 / v0 + out["wx"].to_numpy()) / precision
        out["posterior_variance"] = 1.0 / precision
        out["confidence"] = k / (k + out["posterior_variance"])
    else:
        out["signal"] = out["wx"] / out["w"]
        out["confidence"] = out["wc"] / out["w"]
        out["posterior_variance"] = np.nan
    factor = _crowding_factor(frame, params)
    index = pd.MultiIndex.from_arrays([out["date"], out["asset_class"]])
    out["signal"] = (out["signal"].to_numpy() * factor.reindex(index).to_numpy()).clip(-1.0, 1.0)
    order = {name: i for i, name in enumerate(GENERICS)}
    out["_order"] = out["generic"].map(order)
    out = out.sort_values(["date", "_order"], kind="stable").reset_index(drop=True)
    return out[AGGREGATE_COLUMNS]
