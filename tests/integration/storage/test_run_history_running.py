"""A range run is recorded as running when it starts; the next run marks what a killed run left running as failed."""

from datetime import UTC, date, datetime

from sqlalchemy import Engine

from adapters.storage.unit_of_work import SqlAlchemyUnitOfWork
from application.pipeline import StepOutcome
from application.run_history import RunHistoryService
from tests.fakes import FixedClock

DAY = date(2024, 6, 3)


def test_a_run_killed_midway_is_visible_and_failed_by_the_next_run(engine: Engine) -> None:
    history = RunHistoryService(lambda: SqlAlchemyUnitOfWork(engine), FixedClock())
    assert history.start_range_run("cli-killed", DAY, DAY, ["bronze_b3", "silver_curves"]) == 0
    killed = {r.asset: r for r in history.run("cli-killed")}
    assert {a: r.status for a, r in killed.items()} == {"bronze_b3": "running", "silver_curves": "running"}
    assert all(r.started_at is not None and r.finished_at is None for r in killed.values())

    assert history.start_range_run("cli-next", DAY, DAY, ["bronze_b3"]) == 2
    failed = history.run("cli-killed")
    assert [r.status for r in failed] == ["failed", "failed"]
    assert all(r.error == "the run stopped before this step finished (process ended)" for r in failed)
    assert all(r.finished_at is not None for r in failed)
    assert [r.status for r in history.run("cli-next")] == ["running"]

    at = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    history.record_range_run("cli-next", DAY, DAY, [StepOutcome("bronze_b3", 0.5, 10, "success", None, at, at)])
    assert [(r.status, r.rows) for r in history.run("cli-next")] == [("success", 10)]
