"""Sensors that write every run's asset outcomes into the pipeline-run history."""

import dagster as dg

from entrypoints.container import Container
from entrypoints.dagster.run_history import asset_outcomes, run_failure_outcome


def history_sensors() -> list[dg.SensorDefinition]:
    """A sensor for finished runs (success or failure) and one for runs that failed outside an asset."""

    @dg.run_status_sensor(run_status=dg.DagsterRunStatus.SUCCESS, name="record_successful_runs",
                          monitor_all_code_locations=False, default_status=dg.DefaultSensorStatus.RUNNING)
    def record_successful_runs(context: dg.RunStatusSensorContext, macrodesk: dg.ResourceParam[Container]) -> None:
        """Record the asset outcomes of a successful run."""
        outcomes = asset_outcomes(context.instance, context.dagster_run.run_id)
        macrodesk.run_history().record(outcomes)

    @dg.run_failure_sensor(name="record_failed_runs", monitor_all_code_locations=False,
                           default_status=dg.DefaultSensorStatus.RUNNING)
    def record_failed_runs(context: dg.RunFailureSensorContext, macrodesk: dg.ResourceParam[Container]) -> None:
        """Record the asset outcomes of a failed run, and the run's own failure when no asset explains it."""
        outcomes = asset_outcomes(context.instance, context.dagster_run.run_id)
        if not any(o.status == "failed" for o in outcomes):
            message = context.failure_event.message or "run failed outside any asset"
            outcomes.append(run_failure_outcome(context.dagster_run, message))
        macrodesk.run_history().record(outcomes)

    return [record_successful_runs, record_failed_runs]
