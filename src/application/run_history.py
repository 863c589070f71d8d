"""Pipeline-run history: what the pipeline-health dashboard and the PIPELINE_FAILURE alert read."""

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from application.ports import AssetRun, UnitOfWork

if TYPE_CHECKING:
    from application.pipeline import StepOutcome


class RunHistoryService:
    """Stores asset outcomes of orchestrator runs, idempotently by (run id, asset, partition)."""

    def __init__(self, uow: Callable[[], UnitOfWork]) -> None:
        self._uow = uow

    def record(self, outcomes: Sequence[AssetRun]) -> int:
        """Insert or replace every outcome in one transaction; returns how many were recorded."""
        with self._uow() as uow:
            for outcome in outcomes:
                uow.pipeline_runs.record_asset(outcome)
            uow.commit()
        return len(outcomes)

    def record_range_run(self, run_id: str, start: date, end: date, outcomes: Sequence["StepOutcome"]) -> int:
        """Record the steps of a range run made without Dagster (``macrodesk run`` / ``backfill``)."""
        return self.record([AssetRun(run_id=run_id, asset=o.step, partition_start=start, partition_end=end,
                                     status=o.status, attempts=0 if o.status == "skipped" else 1,
                                     started_at=o.started_at, finished_at=o.finished_at, rows=o.rows, error=o.error)
                            for o in outcomes])

    def run(self, run_id: str) -> list[AssetRun]:
        """The recorded outcomes of one run."""
        with self._uow() as uow:
            return uow.pipeline_runs.asset_runs(run_id)
