"""Pipeline-run history: what the pipeline-health dashboard and the PIPELINE_FAILURE alert read."""

from collections.abc import Callable, Sequence

from application.ports import AssetRun, UnitOfWork


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

    def run(self, run_id: str) -> list[AssetRun]:
        """The recorded outcomes of one run."""
        with self._uow() as uow:
            return uow.pipeline_runs.asset_runs(run_id)
