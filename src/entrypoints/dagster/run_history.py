"""Asset outcomes of a Dagster run, read from its event log, for the pipeline-run history.

Dagster emits no event for a step that never ran because an upstream step failed, so 'skipped'
is derived: planned in the run's execution plan, but never started.
"""

from datetime import date, datetime, timezone

import dagster as dg

from application.ports import AssetRun
from entrypoints.dagster.checks import CHECK_NAMES

RUN_STEP = "__run__"
_PARTITION = "dagster/partition"
_RANGE_START = "dagster/asset_partition_range_start"
_RANGE_END = "dagster/asset_partition_range_end"


def _partition(run: dg.DagsterRun) -> tuple[date, date]:
    tags = run.tags
    if _PARTITION in tags:
        day = date.fromisoformat(tags[_PARTITION])
        return day, day
    if _RANGE_START in tags and _RANGE_END in tags:
        return date.fromisoformat(tags[_RANGE_START]), date.fromisoformat(tags[_RANGE_END])
    today = datetime.now(timezone.utc).date()  # unpartitioned runs: dated by when they are recorded
    return today, today


def _message(error: object) -> str:
    """The error's message and its causes' (user code errors are wrapped by Dagster)."""
    parts: list[str] = []
    current = error
    while current is not None and len(parts) < 4:
        text = str(getattr(current, "message", "")).strip()
        if text and text not in parts:
            parts.append(text)
        current = getattr(current, "cause", None)
    return " <- ".join(parts) or "unknown error"


def _ts(entry: dg.EventLogEntry) -> datetime:
    return datetime.fromtimestamp(entry.timestamp, tz=timezone.utc)


def asset_outcomes(instance: dg.DagsterInstance, run_id: str) -> list[AssetRun]:
    """One :class:`AssetRun` per planned step of the run (status success, failed or skipped)."""
    run = instance.get_run_by_id(run_id)
    if run is None:
        raise ValueError(f"no Dagster run {run_id}")
    start, end = _partition(run)
    planned: list[str] = []
    if run.execution_plan_snapshot_id:
        plan = instance.get_execution_plan_snapshot(run.execution_plan_snapshot_id)
        planned = [step.key for step in plan.steps]
    starts: dict[str, datetime] = {}
    finishes: dict[str, tuple[str, datetime, str | None]] = {}
    retries: dict[str, int] = {}
    rows: dict[str, int] = {}
    last_retry_error: dict[str, str] = {}
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        if event is None or event.step_key is None:
            continue
        key, kind = event.step_key, event.event_type
        if kind == dg.DagsterEventType.STEP_START:
            starts.setdefault(key, _ts(entry))
        elif kind == dg.DagsterEventType.STEP_UP_FOR_RETRY:
            retries[key] = retries.get(key, 0) + 1
            retry_error = getattr(event.event_specific_data, "error", None)
            if retry_error is not None:
                last_retry_error[key] = _message(retry_error)
        elif kind == dg.DagsterEventType.STEP_SUCCESS:
            finishes[key] = ("success", _ts(entry), None)
        elif kind == dg.DagsterEventType.STEP_FAILURE:
            error = event.step_failure_data.error
            message = _message(error) if error is not None else "step failed"
            if key in last_retry_error and last_retry_error[key] not in message:
                # After the last retry Dagster reports only 'Exceeded max_retries': keep the cause too.
                message = f"{message}; last error: {last_retry_error[key]}"
            finishes[key] = ("failed", _ts(entry), message)
        elif kind == dg.DagsterEventType.ASSET_MATERIALIZATION:
            value = event.step_materialization_data.materialization.metadata.get("rows_written")
            if value is not None and isinstance(value.value, int):
                rows[key] = value.value
    outcomes = []
    for key in planned or sorted(set(starts) | set(finishes)):
        if key.endswith(tuple(f"_{name}" for name in CHECK_NAMES)):
            continue
        if key in finishes:
            status, finished, error = finishes[key]
        elif key in starts:
            status, finished, error = "failed", None, "the run ended before this step finished"
        else:
            status, finished, error = "skipped", None, "not run: an upstream asset failed"
        outcomes.append(AssetRun(run_id=run_id, asset=key, partition_start=start, partition_end=end, status=status,
                                 attempts=(1 + retries.get(key, 0)) if key in starts else 0,
                                 started_at=starts.get(key), finished_at=finished, rows=rows.get(key), error=error))
    return outcomes


def run_failure_outcome(run: dg.DagsterRun, message: str) -> AssetRun:
    """A history row for a run that died outside any asset (launch failure, crashed process)."""
    start, end = _partition(run)
    now = datetime.now(timezone.utc)
    return AssetRun(run_id=run.run_id, asset=RUN_STEP, partition_start=start, partition_end=end, status="failed",
                    attempts=1, started_at=None, finished_at=now, rows=None, error=message)
