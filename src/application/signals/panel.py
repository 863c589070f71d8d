"""Builds the daily point-in-time panel (domain.panel) from the stores, with the age of every level."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

import numpy as np
import pandas as pd

from application.ports import UnitOfWork
from domain.market.calendar import b3_sessions
from domain.market.series import SERIES
from domain.panel import PANEL_COLUMNS
from domain.panel_sources import CURVES, FEATURES, LEVELS
from domain.staleness import market_of, max_age_for, sessions_after

# Values known at the panel's first session may have been released up to a year before it.
_LEVEL_LOOKBACK = timedelta(days=400)
# A missing curve (data gap) is carried forward at most this many sessions, then left NaN.
_CURVE_CARRY = 5


def known_levels(history: pd.DataFrame) -> pd.DataFrame:
    """The latest observation (its date and value) as known after each release date, for one series.

    Input columns observation_date, release_date, revision, value (all vintages). An observation
    counts only once nothing newer was known: revisions of older observations do not move a level.
    Output: index release dates (Timestamps); columns ``observation_date`` (Timestamps) and ``value``.
    """
    ordered = history.sort_values(["release_date", "observation_date", "revision"], kind="stable")
    latest = ordered["observation_date"].cummax()
    current = ordered[ordered["observation_date"] == latest]
    known = current.groupby("release_date")[["observation_date", "value"]].last()
    known.index = pd.DatetimeIndex(pd.to_datetime(known.index))
    known["observation_date"] = pd.to_datetime(known["observation_date"])
    return known


@dataclass(frozen=True)
class PointInTimePanel:
    """The panel, and for each level column its age and how overdue it is on each session.

    ``ages``: sessions of the level's market since the date of the value shown (NaN: none known or
    beyond its limit, then the panel holds NaN too). ``overdue``: ``max(0, age - fresh)``; > 0 means
    the value is stale. ``observed``: the date the shown value refers to.
    """

    values: pd.DataFrame
    ages: pd.DataFrame
    overdue: pd.DataFrame
    observed: pd.DataFrame

    def stale(self, day: date) -> dict[str, tuple[date, int]]:
        """Level column -> (date of the value shown, age in sessions) for the levels stale on ``day``."""
        return dict(self._stale.get(day, {}))

    @cached_property
    def _stale(self) -> dict[date, dict[str, tuple[date, int]]]:
        # Found once for every session (a report range asks for thousands of them), in column order.
        out: dict[date, dict[str, tuple[date, int]]] = {}
        columns = list(self.overdue.columns)
        overdue = self.overdue.to_numpy(dtype=float)
        observed, ages = self.observed[columns].to_numpy(), self.ages[columns].to_numpy(dtype=float)
        sessions = pd.DatetimeIndex(self.overdue.index)
        for i, j in np.argwhere(overdue > 0):  # NaN > 0 is False: unknown levels are not stale
            out.setdefault(sessions[i].date(), {})[str(columns[j])] = (pd.Timestamp(observed[i, j]).date(),
                                                                       int(ages[i, j]))
        return out


class PanelBuilder:
    """One row per B3 session from ``history_start`` to ``end``; row D holds only what was known at D."""

    def __init__(self, uow: Callable[[], UnitOfWork], *, history_start: date) -> None:
        self._uow = uow
        self._history_start = history_start

    def build(self, end: date) -> pd.DataFrame:
        """The panel up to ``end`` (decimal units; NaN where a source had not started or a level is too old)."""
        return self.build_point_in_time(end).values

    def build_point_in_time(self, end: date) -> PointInTimePanel:
        """The panel up to ``end`` with its level ages (max ages: :func:`domain.staleness.max_age_for`)."""
        sessions = pd.DatetimeIndex(pd.to_datetime(b3_sessions(self._history_start, end)))
        panel = pd.DataFrame(index=sessions, columns=list(PANEL_COLUMNS), dtype=float)
        level_columns = [level.column for level in LEVELS]
        ages = pd.DataFrame(np.nan, index=sessions, columns=level_columns)
        overdue = ages.copy()
        observed = pd.DataFrame({c: pd.Series(pd.NaT, index=sessions, dtype="datetime64[ns]") for c in level_columns})
        with self._uow() as uow:
            history = uow.observations.history([s.series_id for s in LEVELS], self._history_start - _LEVEL_LOOKBACK,
                                               end, as_of=end)
            features = uow.macro_features.known_between(self._history_start, end)
            curves = uow.curves.between(sorted({s.curve_id for s in CURVES}), self._history_start, end)
        by_series = dict(tuple(history.groupby("series_id"))) if not history.empty else {}
        days = sessions.to_numpy().astype("datetime64[D]")
        for level in LEVELS:
            if level.series_id not in by_series:
                continue
            spec = SERIES[level.series_id]
            limits = max_age_for(spec)
            shown = known_levels(by_series[level.series_id]).reindex(sessions, method="ffill")
            age = sessions_after(market_of(spec), shown["observation_date"].to_numpy().astype("datetime64[D]"), days)
            usable = age <= limits.limit  # NaN ages (nothing known yet) compare False
            panel[level.column] = np.where(usable, shown["value"].to_numpy(float) * level.scale, np.nan)
            ages[level.column] = np.where(usable, age, np.nan)
            overdue[level.column] = np.where(usable, np.maximum(age - limits.fresh, 0.0), np.nan)
            observed[level.column] = shown["observation_date"].where(usable)
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
        return PointInTimePanel(panel, ages, overdue, observed)
