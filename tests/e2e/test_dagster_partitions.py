"""The B3-session partition set: a session's key exists from the midnight after it, whatever the weekday."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from entrypoints.dagster.definitions import defs

SAO_PAULO = ZoneInfo("America/Sao_Paulo")


def _last_key(when: datetime) -> str:
    partitions = defs.resolve_job_def("daily_pipeline").partitions_def
    assert partitions is not None
    return partitions.get_partition_keys(current_time=when)[-1]


@pytest.mark.parametrize(("now", "session"), [
    (datetime(2026, 11, 28, 15, 0), "2026-11-27"),  # Saturday
    (datetime(2026, 11, 29, 15, 0), "2026-11-27"),  # Sunday
    (datetime(2026, 11, 30, 5, 59), "2026-11-27"),  # Monday before the 06:00 schedule
    (datetime(2026, 11, 28, 0, 0), "2026-11-27"),   # the midnight after Friday's session
    (datetime(2026, 11, 27, 23, 59), "2026-11-26"),  # Friday's session is not over until midnight
    (datetime(2026, 2, 18, 3, 0), "2026-02-13"),   # Ash Wednesday, the day after Carnival
    (datetime(2026, 11, 21, 10, 0), "2026-11-19"),  # the day after 20 November (Black Consciousness Day)
    (datetime(2026, 11, 23, 3, 0), "2026-11-19"),   # Monday after that holiday, before the schedule
    (datetime(2026, 12, 26, 10, 0), "2026-12-23"),  # after B3's 24 December closure and Christmas
])
def test_the_latest_partition_is_the_latest_complete_session(now: datetime, session: str) -> None:
    assert _last_key(now.replace(tzinfo=SAO_PAULO)) == session


def test_weekends_and_holidays_have_no_partition_key() -> None:
    partitions = defs.resolve_job_def("daily_pipeline").partitions_def
    assert partitions is not None
    keys = set(partitions.get_partition_keys(current_time=datetime(2026, 12, 1, tzinfo=SAO_PAULO)))
    assert {"2026-11-27", "2026-11-19", "2026-02-13", "2026-02-18"} <= keys
    assert not {"2026-11-28", "2026-11-29", "2026-11-20", "2026-02-16", "2026-02-17", "2026-12-24"} & keys


def test_a_session_key_maps_to_that_session_s_calendar_day() -> None:
    partitions = defs.resolve_job_def("daily_pipeline").partitions_def
    window = partitions.time_window_for_partition_key("2026-11-27")  # type: ignore[union-attr]
    assert window.start == datetime(2026, 11, 27, tzinfo=SAO_PAULO)
    assert window.end == datetime(2026, 11, 28, tzinfo=SAO_PAULO)
