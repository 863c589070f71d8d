"""Pipeline-run history: what the pipeline-health dashboard and the PIPELINE_FAILURE alert read."""

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from application.ports import AssetRun, Clock, UnitOfWork

if TYPE_CHECKING:
    from application.pipeline import StepOutcome


class RunHistoryService:
    """Stores asset outcomes of orchestrator runs, idempotently by (run id, asset, partition)."""

    def __init__(self, uow: Callable[[], UnitOfWork], clock: Clock | None = None) -> None:
        self._uow = uow
        self._clock = clock

    def start_range_run(self, run_id: str, start: date, end: date, steps: Sequence[str]) -> int:
        """Record every step of a starting range run as 'running', after failing the 'running' rows left behind.

        A run killed midway (Ctrl-C, OOM, a closed terminal) never records its outcomes; its steps stay
        'running' until the next run starts and marks them failed. Returns how many stale rows it failed.
        """
        if self._clock is None:
            raise ValueError("start_range_run needs a clock")
        now = self._clock.now()
        with self._uow() as uow:
            stale = uow.pipeline_runs.fail_running("the run stopped before this step finished (process ended)", now)
            for step in steps:
                uow.pipeline_runs.record_asset(AssetRun(
                    run_id=run_id, asset=step, partition_start=start, partition_end=end, status="running",
                    attempts=1, started_at=now, finished_at=None, rows=None, error=None))
            uow.commit()
        return stale

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
