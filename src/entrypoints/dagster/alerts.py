"""Alert triggers: after every ``daily_pipeline`` run (success or failure) and on a 5-minute clock."""

from datetime import datetime
from typing import Optional

import dagster as dg
from pydantic import Field

from application.alerts.service import EvaluationReport
from application.ports import AssetRun
from entrypoints.container import build_container
from entrypoints.dagster.run_history import asset_outcomes, run_failure_outcome
from entrypoints.settings import Settings

CLOCK_SECONDS = 300


class AlertServiceResource(dg.ConfigurableResource):
    """The AlertService, built from MACRODESK_* settings for each evaluation (engines released afterwards)."""

    database_url: Optional[str] = Field(default=None, description="overrides MACRODESK_DATABASE_URL")

    def evaluate(self, now: Optional[datetime] = None, run_outcomes: tuple[AssetRun, ...] = ()) -> EvaluationReport:
        """Evaluate every rule now (recording a finished run's outcomes first), queue and send the messages."""
        settings = Settings()
        if self.database_url:
            settings = settings.model_copy(update={"database_url": self.database_url})
        container = build_container(settings)
        try:
            return container.alert_service().evaluate(now, run_outcomes=run_outcomes)
        finally:
            container.shutdown_resources()


def _summary(report: EvaluationReport) -> str:
    keys = ", ".join(report.sent_keys) or "no message"
    return f"{len(report.firing)} alert(s) firing; sent: {keys}"


def alert_sensors(job: dg.JobDefinition | object) -> list[dg.SensorDefinition]:
    """Evaluate after each run of ``job`` (success and failure) and every five minutes."""

    @dg.run_status_sensor(run_status=dg.DagsterRunStatus.SUCCESS, name="alerts_after_pipeline_success",
                          monitored_jobs=[job], default_status=dg.DefaultSensorStatus.RUNNING)  # type: ignore[list-item]
    def after_success(context: dg.RunStatusSensorContext, alerts: AlertServiceResource) -> dg.SkipReason:
        """Evaluate the alert rules after a successful daily_pipeline run."""
        outcomes = asset_outcomes(context.instance, context.dagster_run.run_id)
        return dg.SkipReason(_summary(alerts.evaluate(run_outcomes=tuple(outcomes))))

    @dg.run_failure_sensor(name="alerts_after_pipeline_failure", monitored_jobs=[job],  # type: ignore[list-item]
                           default_status=dg.DefaultSensorStatus.RUNNING)
    def after_failure(context: dg.RunFailureSensorContext, alerts: AlertServiceResource) -> dg.SkipReason:
        """Evaluate the alert rules after a failed daily_pipeline run (PIPELINE_FAILURE names the assets)."""
        outcomes = asset_outcomes(context.instance, context.dagster_run.run_id)
        if not any(o.status == "failed" for o in outcomes):
            message = context.failure_event.message or "run failed outside any asset"
            outcomes.append(run_failure_outcome(context.dagster_run, message))
        return dg.SkipReason(_summary(alerts.evaluate(run_outcomes=tuple(outcomes))))

    @dg.sensor(name="alerts_clock", minimum_interval_seconds=CLOCK_SECONDS,
               default_status=dg.DefaultSensorStatus.RUNNING,
               description="Evaluates the alert rules every 5 minutes, so stale data alerts when nothing runs.")
    def clock(_context: dg.SensorEvaluationContext, alerts: AlertServiceResource) -> dg.SkipReason:
        """Evaluate the alert rules on the clock."""
        return dg.SkipReason(_summary(alerts.evaluate()))

    return [after_success, after_failure, clock]
