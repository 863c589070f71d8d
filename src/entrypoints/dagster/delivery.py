"""Delivery outside the asset graph: the daily report after a successful run, and retries of pending messages.

Neither is one of the 22 assets, so a Slack or SMTP outage never fails a pipeline run, and a backfill (a run over
a partition range, or a run of a Dagster backfill) never sends anything.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import dagster as dg

from application.delivery import DeliveryService
from application.reporting import ReportDeliveryService
from application.reporting.reading import ReportNotFoundError
from entrypoints.container import build_container

RANGE_TAGS = ("dagster/asset_partition_range_start", "dagster/asset_partition_range_end", "dagster/backfill")
PARTITION_TAG = "dagster/partition"


class ReportDeliveryResource(dg.ConfigurableResource):  # type: ignore[type-arg]
    """The report-delivery service, built from the MACRODESK_* settings for each use."""

    @contextmanager
    def service(self) -> Iterator[ReportDeliveryService]:
        """The service; its engines are released on exit."""
        container = build_container()
        try:
            yield container.report_delivery_service()
        finally:
            container.shutdown_resources()


class DeliveryResource(dg.ConfigurableResource):  # type: ignore[type-arg]
    """The general delivery service (reports and alerts), built from the MACRODESK_* settings for each use."""

    @contextmanager
    def service(self) -> Iterator[DeliveryService]:
        """The service; its engines are released on exit."""
        container = build_container()
        try:
            yield container.delivery_service()
        finally:
            container.shutdown_resources()


def session_of(run: dg.DagsterRun) -> date | None:
    """The one session a run processed, or None for a partition range, a backfill or an unpartitioned run."""
    if any(tag in run.tags for tag in RANGE_TAGS):
        return None
    partition = run.tags.get(PARTITION_TAG)
    return date.fromisoformat(partition) if partition else None


def delivery_sensors(daily_pipeline: Any) -> list[dg.SensorDefinition]:
    """The report sensor (after each successful single-session run of ``daily_pipeline``, the asset job) and the
    retry sensor."""

    @dg.run_status_sensor(run_status=dg.DagsterRunStatus.SUCCESS, name="deliver_daily_report",
                          monitored_jobs=[daily_pipeline], default_status=dg.DefaultSensorStatus.RUNNING)
    def deliver_daily_report(context: dg.RunStatusSensorContext,
                             report_delivery: ReportDeliveryResource) -> dg.SkipReason | None:
        """E-mail and Slack the report of the session the run processed, once, if it is the latest report."""
        run = context.dagster_run
        if run.job_name != daily_pipeline.name:
            return dg.SkipReason(f"run {run.run_id} is a {run.job_name} run")
        day = session_of(run)
        if day is None:
            return dg.SkipReason(f"run {run.run_id} is a backfill or a partition range: no report is sent")
        with report_delivery.service() as service:
            latest = service.latest_day()
            if latest != day:
                # A re-run of an old session must not mail an old report as if it were today's.
                return dg.SkipReason(f"the report of {day} is not the latest stored ({latest}): not sent")
            try:
                result = service.send_daily_report(day)
            except ReportNotFoundError as exc:
                return dg.SkipReason(str(exc))
        for d in result.deliveries:
            context.log.info(f"daily report {day} on {d.channel}: {d.status} after {d.attempts} attempt(s)"
                             + (f" ({d.last_error})" if d.last_error else ""))
        return None

    @dg.sensor(name="dispatch_pending_deliveries", minimum_interval_seconds=60,
               default_status=dg.DefaultSensorStatus.RUNNING)
    def dispatch_pending_deliveries(context: dg.SensorEvaluationContext,
                                    delivery: DeliveryResource) -> dg.SkipReason:
        """Send every delivery whose retry is due (messages queued while a channel was down)."""
        with delivery.service() as service:
            result = service.dispatch_pending()
        return dg.SkipReason(f"{len(result.sent)} sent, {len(result.retrying)} waiting for a retry, "
                             f"{len(result.failed)} failed")

    return [deliver_daily_report, dispatch_pending_deliveries]


def delivery_resources() -> dict[str, dg.ConfigurableResource]:  # type: ignore[type-arg]
    """The resources the delivery sensors need, by key."""
    return {"report_delivery": ReportDeliveryResource(), "delivery": DeliveryResource()}
