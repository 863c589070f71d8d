"""P&L attribution of a track record by asset class and by strategy."""

from collections.abc import Mapping

import numpy as np
import pandas as pd

from domain.portfolio.errors import InvalidPortfolioInputError

UNATTRIBUTED = "unattributed"
WEIGHT_SUM_TOLERANCE = 1e-9


def attribute_by_strategy(pnl_by_position: pd.DataFrame,
                          strategy_weights: Mapping[str, Mapping[str, float]]) -> pd.DataFrame:
    """Daily P&L split across strategies by each position's strategy weights.

    .. math:: PnL_{k,D} = \\sum_j \\omega_{j,k} \\, PnL_{j,D}, \\qquad \\sum_k \\omega_{j,k} = 1

    Positions without weights go to an ``unattributed`` column, so the columns always add up to
    the total P&L.

    Parameters
    ----------
    pnl_by_position : DataFrame
        Dates x positions.
    strategy_weights : mapping
        Position -> {strategy: share of its P&L}; shares finite and summing to 1 (they may be
        negative when a strategy's view opposes the net position).

    Returns
    -------
    DataFrame
        Dates x strategies (first appearance order), plus ``unattributed`` when needed.
    """
    strategies: list[str] = []
    for position, weights in strategy_weights.items():
        values = np.array(list(weights.values()), dtype=np.float64)
        if not np.all(np.isfinite(values)) or abs(values.sum() - 1.0) > WEIGHT_SUM_TOLERANCE:
            raise InvalidPortfolioInputError(
                f"attribution: strategy weights of {position} must be finite and sum to 1, got {dict(weights)}")
        strategies += [s for s in weights if s not in strategies]
    positions = list(pnl_by_position.columns)
    orphans = [p for p in positions if p not in strategy_weights]
    columns = strategies + ([UNATTRIBUTED] if orphans else [])
    matrix = np.zeros((len(positions), len(columns)))
    for i, position in enumerate(positions):
        for strategy, weight in strategy_weights.get(position, {UNATTRIBUTED: 1.0}).items():
            matrix[i, columns.index(strategy)] += weight
    result = pnl_by_position.to_numpy(dtype=np.float64) @ matrix
    frame = pd.DataFrame(result, index=pnl_by_position.index, columns=pd.Index(columns, name="strategy"))
    return frame


def strategy_weights(strategy_signals: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Each generic's split across the strategies that signal on it, on one date.

    .. math:: \\omega_{g,k} = \\frac{|s_{g,k}|\\, c_{g,k}}{\\sum_j |s_{g,j}|\\, c_{g,j}}

    Parameters
    ----------
    strategy_signals : DataFrame
        One date's rows with columns ``generic``, ``strategy_id``, ``signal``, ``confidence``.

    Returns
    -------
    dict
        Generic -> {strategy: weight}, weights summing to 1; generics whose strategies all carry
        zero weight are left out (their P&L and risk stay unattributed).
    """
    out: dict[str, dict[str, float]] = {}
    if strategy_signals.empty:
        return out
    mass = strategy_signals["signal"].abs().to_numpy(float) * strategy_signals["confidence"].to_numpy(float)
    frame = strategy_signals.assign(mass=mass)
    for generic, rows in frame.groupby("generic", sort=True):
        total = float(rows["mass"].sum())
        if total > 0 and np.isfinite(total):
            grouped = rows.groupby("strategy_id")["mass"].sum() / total
            out[str(generic)] = {str(k): float(v) for k, v in grouped.items()}
    return out


def strategy_weights_by_date(strategy_signals: pd.DataFrame) -> dict[object, dict[str, dict[str, float]]]:
    """:func:`strategy_weights` of every date at once (columns ``date`` plus those of :func:`strategy_weights`).

    .. math:: \\omega_{t,g,k} = \\frac{|s_{t,g,k}|\\, c_{t,g,k}}{\\sum_j |s_{t,g,j}|\\, c_{t,g,j}}
    """
    out: dict[object, dict[str, dict[str, float]]] = {}
    if strategy_signals.empty:
        return out
    frame = strategy_signals.assign(mass=strategy_signals["signal"].abs() * strategy_signals["confidence"])
    frame = frame.groupby(["date", "generic", "strategy_id"], sort=True)["mass"].sum().reset_index()
    total = frame.groupby(["date", "generic"])["mass"].transform("sum")
    frame = frame[(total > 0) & np.isfinite(total)].assign(weight=frame["mass"] / total)
    for day, generic, strategy, weight in zip(frame["date"], frame["generic"], frame["strategy_id"], frame["weight"],
                                              strict=True):
        out.setdefault(day, {}).setdefault(str(generic), {})[str(strategy)] = float(weight)
    return out


def attribute_day(pnl: Mapping[str, float], asset_class_of: Mapping[str, str], generic_of: Mapping[str, str],
                  weights: Mapping[str, Mapping[str, float]], *, costs: Mapping[str, float] | None = None,
                  cost_weights: Mapping[str, Mapping[str, float]] | None = None,
                  components: Mapping[str, float] | None = None) -> list[tuple[str, str, float]]:
    """One day's P&L by instrument, by asset class, by strategy and (optionally) by component.

    .. math:: PnL_j = M_j - C_j, \\qquad PnL_A = \\sum_{j \\in A} PnL_j, \\qquad
              PnL_k = \\sum_j \\omega_{g(j),k} M_j - \\sum_j \\omega'_{g(j),k} C_j

    Parameters
    ----------
    pnl : mapping
        Instrument -> mark-to-market P&L of the day (:math:`M_j`).
    asset_class_of, generic_of : mapping
        Instrument -> its asset class and its generic (every instrument of ``pnl`` and ``costs``).
    weights : mapping
        Generic -> {strategy: weight} (:func:`strategy_weights` of the previous session, whose book earned
        the day's P&L); generics without weights go to ``unattributed``.
    costs : mapping, optional
        Instrument -> transaction costs of the day's trades (:math:`C_j >= 0`).
    cost_weights : mapping, optional
        Generic -> {strategy: weight} of the day (the signals that made the trades); defaults to ``weights``.
    components : mapping, optional
        Component (rate, fx, equity, carry_roll, residual) -> P&L; a ``costs`` component is added for the costs.
        It must sum to :math:`\\sum_j M_j`.

    Returns
    -------
    list of (dimension, bucket, pnl)
        ``dimension`` in {"instrument", "asset_class", "strategy", "component"}; each dimension sums to
        :math:`\\sum_j (M_j - C_j)`.
    """
    spent = dict(costs or {})
    split_costs = cost_weights if cost_weights is not None else weights
    net = {i: float(pnl.get(i, 0.0)) - float(spent.get(i, 0.0)) for i in [*pnl, *[c for c in spent if c not in pnl]]}
    rows = [("instrument", instrument, value) for instrument, value in net.items()]
    by_class: dict[str, float] = {}
    by_strategy: dict[str, float] = {}
    for instrument, value in net.items():
        cls = str(asset_class_of[instrument])
        by_class[cls] = by_class.get(cls, 0.0) + value
    for source, split, sign in ((pnl, weights, 1.0), (spent, split_costs, -1.0)):
        for instrument, value in source.items():
            for strategy, share in (split.get(generic_of[instrument]) or {UNATTRIBUTED: 1.0}).items():
                by_strategy[strategy] = by_strategy.get(strategy, 0.0) + sign * share * float(value)
    rows += [("asset_class", k, v) for k, v in by_class.items()]
    rows += [("strategy", k, v) for k, v in by_strategy.items()]
    if components is not None:
        rows += [("component", k, float(v)) for k, v in components.items()]
        if spent:
            rows.append(("component", "costs", -float(sum(spent.values()))))
    return rows
