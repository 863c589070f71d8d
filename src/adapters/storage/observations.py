"""Point-in-time observation store: every vintage kept, reads answer 'as known on D'."""

import math
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import Connection, and_, bindparam, insert, select, update

from adapters.storage.frames import rows_of
from adapters.storage.tables import ObservationRow
from application.ports import UpsertCounts
from domain.market.bronze import Observation

_T = ObservationRow.__table__
_COLUMNS = ["series_id", "observation_date", "release_date", "revision", "value"]


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


class SqlAlchemyObservationRepository:
    """Observations in the ``observations`` table, one row per vintage."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def upsert(self, observations: Sequence[Observation]) -> UpsertCounts:
        """Idempotent write with revisions.

        For each incoming value of (series, date) released on R: no stored vintage → revision 0;
        a vintage released on R → replaced (a re-run of the same day); the vintage known on R has
        the same value → nothing (an earlier release date is kept as the earliest knowledge date);
        otherwise → a new revision released on R, so history as known before R is unchanged.
        """
        if not observations:
            return UpsertCounts()
        # A batch may carry several vintages of one value (a window spanning its first print and a
        # revision): they are applied in release order, each against the vintages stored or queued before it.
        incoming: dict[tuple[str, date], dict[date, Observation]] = defaultdict(dict)
        for obs in observations:
            incoming[(obs.series_id, obs.observation_date)][obs.release_date] = obs
        existing = self._load_vintages(incoming)
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        counts = {"inserted": 0, "updated": 0, "revised": 0, "unchanged": 0}
        for key, by_release in incoming.items():
            vintages = existing.get(key, [])
            for release in sorted(by_release):
                obs = by_release[release]
                if not vintages:
                    inserts.append(self._row(obs, 0))
                    vintages.append({"id": None, "release_date": obs.release_date, "revision": 0, "value": obs.value})
                    counts["inserted"] += 1
                    continue
                vintages.sort(key=lambda v: (v["release_date"], v["revision"]))
                same_day = [v for v in vintages if v["release_date"] == obs.release_date]
                known = [v for v in vintages if v["release_date"] <= obs.release_date]
                if same_day:
                    if _same(same_day[-1]["value"], obs.value):
                        counts["unchanged"] += 1
                    else:
                        updates.append({"_id": same_day[-1]["id"], "value": obs.value,
                                        "release_date": obs.release_date})
                        counts["updated"] += 1
                elif known and _same(known[-1]["value"], obs.value):
                    counts["unchanged"] += 1
                elif not known and _same(vintages[0]["value"], obs.value):
                    # Same value seen earlier than before: the first vintage was known sooner.
                    updates.append({"_id": vintages[0]["id"], "value": obs.value, "release_date": obs.release_date})
                    vintages[0]["release_date"] = obs.release_date
                    counts["updated"] += 1
                else:
                    revision = max(v["revision"] for v in vintages) + 1
                    inserts.append(self._row(obs, revision))
                    vintages.append({"id": None, "release_date": obs.release_date, "revision": revision,
                                     "value": obs.value})
                    counts["revised"] += 1
        if inserts:
            self._connection.execute(insert(_T), inserts)
        if updates:
            stmt = update(_T).where(_T.c.id == bindparam("_id")).values(
                value=bindparam("value"), release_date=bindparam("release_date"))
            self._connection.execute(stmt, updates)
        return UpsertCounts(**counts)

    @staticmethod
    def _row(obs: Observation, revision: int) -> dict[str, Any]:
        return {"series_id": obs.series_id, "observation_date": obs.observation_date,
                "release_date": obs.release_date, "revision": revision, "value": obs.value, "source": obs.source}

    def _load_vintages(self, incoming: dict[tuple[str, date], dict[date, Observation]]
                       ) -> dict[tuple[str, date], list[dict[str, Any]]]:
        by_series: dict[str, list[date]] = defaultdict(list)
        for series_id, day in incoming:
            by_series[series_id].append(day)
        found: dict[tuple[str, date], list[dict[str, Any]]] = defaultdict(list)
        for series_id, days in by_series.items():
            stmt = select(_T.c.id, _T.c.series_id, _T.c.observation_date, _T.c.release_date, _T.c.revision,
                          _T.c.value).where(and_(_T.c.series_id == series_id,
                                                 _T.c.observation_date.between(min(days), max(days))))
            for row in self._connection.execute(stmt).mappings():
                key = (row["series_id"], row["observation_date"])
                if key in incoming:
                    found[key].append(dict(row))
        return found

    def as_of(self, series_ids: Sequence[str], start: date, end: date, *, as_of: date) -> pd.DataFrame:
        """Latest vintage released on or before ``as_of`` of each (series, date) in [start, end]."""
        stmt = select(*(_T.c[c] for c in _COLUMNS)).where(and_(
            _T.c.series_id.in_(list(series_ids)), _T.c.observation_date.between(start, end),
            _T.c.release_date <= as_of))
        frame = pd.DataFrame.from_records(rows_of(self._connection.execute(stmt)), columns=_COLUMNS)
        if frame.empty:
            return frame
        frame = frame.sort_values(["series_id", "observation_date", "release_date", "revision"])
        frame = frame.drop_duplicates(["series_id", "observation_date"], keep="last")
        return frame.reset_index(drop=True)

    def history(self, series_ids: Sequence[str], start: date, end: date, *, as_of: date) -> pd.DataFrame:
        """Every vintage released on or before ``as_of`` of the series' values dated in [start, end]."""
        stmt = select(*(_T.c[c] for c in _COLUMNS)).where(and_(
            _T.c.series_id.in_(list(series_ids)), _T.c.observation_date.between(start, end),
            _T.c.release_date <= as_of)).order_by(_T.c.series_id, _T.c.observation_date, _T.c.release_date)
        return pd.DataFrame.from_records(rows_of(self._connection.execute(stmt)), columns=_COLUMNS)

    def vintages(self, series_id: str, observation_date: date) -> pd.DataFrame:
        """Every vintage of one value, oldest release first."""
        stmt = select(_T.c.release_date, _T.c.revision, _T.c.value, _T.c.source).where(and_(
            _T.c.series_id == series_id, _T.c.observation_date == observation_date)).order_by(
            _T.c.release_date, _T.c.revision)
        columns = ["release_date", "revision", "value", "source"]
        return pd.DataFrame.from_records(rows_of(self._connection.execute(stmt)), columns=columns)
