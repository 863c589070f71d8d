"""The 06:00 São Paulo schedule: on B3 session days, the previous session; on B3 holidays, nothing."""

from datetime import datetime
from zoneinfo import ZoneInfo

import dagster as dg

from domain.market.calendar import session_to_process
from entrypoints.dagster.partitions import TIMEZONE

DAILY_CRON = "0 6 * * 1-5"


def daily_schedule(job: dg.JobDefinition | object) -> dg.ScheduleDefinition:
    """The morning schedule of ``job``."""

    @dg.schedule(name="daily_pipeline_schedule", cron_schedule=DAILY_CRON, execution_timezone=TIMEZONE, job=job,
                 default_status=dg.DefaultScheduleStatus.RUNNING,
                 description="06:00 America/Sao_Paulo on weekdays: the previous B3 session; nothing on B3 holidays.")
    def _schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest | dg.SkipReason:
        when: datetime = context.scheduled_execution_time
        if when.tzinfo is not None:
            when = when.astimezone(ZoneInfo(TIMEZONE))
        session = session_to_process(when.date())
        if session is None:
            return dg.SkipReason(f"{when.date().isoformat()} is a B3 holiday: no session to process")
        return dg.RunRequest(run_key=session.isoformat(), partition_key=session.isoformat(),
                             tags={"macrodesk/trigger": "schedule"})

    return _schedule
