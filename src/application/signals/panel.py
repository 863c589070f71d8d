"""Builds the daily point-in-time panel (domain.panel) from the stores."""

from collections.abc import Callable
from datetime import date, timedelta

import pandas as pd

from application.ports import UnitOfWork
from domain.market.calendar import b3_sessions
from domain.panel import PANEL_COLUMNS
from domain.panel_sources import CURVES, FEATURES, LEVELS

# Values known at the panel's first session may have been released up to a year before it.
_LEVEL_LOOKBACK = timedelta(days=400)
# A missing curve (data gap) is carried forward at most this many sessions, then left NaN.
_CURVE_CARRY = 5


def known_levels(history: pd.DataFrame) -> pd.Series:
    """The latest observation's value as known after each release date, for one series.

    Input columns observation_date, release_date, revision, value (all vintages). An observation
    counts only once nothing newer was known: revisions of older observations do not move a level.
    """
    ordered = history.sort_values(["release_date", "observation_date", "revision"], kind="stable")
    latest = ordered["observation_date"].cummax()
    current = ordered[ordered["observation_date"] == latest]
    values = current.groupby("release_date")["value"].last()
    values.index = pd.DatetimeIndex(pd.to_datetime(values.index))
    return values


class PanelBuilder:
    """One row per B3 session from ``history_start`` to ``end``; row D holds only what was known at D."""

    def __init__(self, uow: Callable[[], UnitOfWork], *, history_start: date) -> None:
        self._uow = uow
        self._history_start = history_start

    def build(self, end: date) -> pd.DataFrame:
        """The panel up to ``end`` (decimal units, NaN where a source had not started)."""
        sessions = pd.DatetimeIndex(pd.to_datetime(b3_sessions(self._history_start, end)))
        panel = pd.DataFrame(index=sessions, columns=list(PANEL_COLUMNS), dtype=float)
        with self._uow() as uow:
            history = uow.observations.history([s.series_id for s in LEVELS], self._history_start - _LEVEL_LOOKBACK,
                                               end, as_of=end)
            features = uow.macro_features.known_between(self._history_start, end)
            curves = uow.curves.between(sorted({s.curve_id for s in CURVES}), self._history_start, end)
        by_series = dict(tuple(history.groupby("series_id"))) if not history.empty else {}
        for level in LEVELS:
            if level.series_id in by_series:
                known = known_levels(by_series[level.series_id])
                panel[level.column] = known.reindex(sessions, method="ffill").to_numpy() * level.scale
        for source in FEATURES:
            parts = []
            for series_id in source.series_ids:
                rows = features[(features["series_id"] == series_id) & (features["feature"] == source.feature)]
                if rows.empty:
                    continue
                known = rows.groupby("known_from")["value"].last()
                known.index = pd.DatetimeIndex(pd.to_datetime(known.index))
                parts.append(known.reindex(sessions, method="ffill"))
            if parts:
                panel[source.column] = pd.concat(parts, axis=1).mean(axis=1).to_numpy() * source.scale
        for vertex in CURVES:
            rows = curves[(curves["curve_id"] == vertex.curve_id) & (curves["tenor_days"] == vertex.tenor_days)]
            if rows.empty:
                continue
            series = pd.Series(rows["rate"].to_numpy(float), index=pd.DatetimeIndex(pd.to_datetime(rows["curve_date"])))
            panel[vertex.column] = series.reindex(sessions).ffill(limit=_CURVE_CARRY).to_numpy()
        panel.index.name = "date"
        return panel
