"""An optimiser failure is never silent: the session keeps the previous targets, and the fallback is stored with
its reason (for the report and the asset metadata); a re-run without the failure clears it."""

from dataclasses import replace
from pathlib import Path

from dependency_injector import providers

from entrypoints.container import build_container
from entrypoints.settings import Settings
from tests.conftest import BOOTSTRAP_START


def test_an_optimiser_that_stops_short_keeps_the_previous_targets_and_states_why(book_db: str) -> None:
    container = build_container(Settings(database_url=book_db, data_dir=Path(book_db.removeprefix("sqlite:///")).parent,
                                         history_start=BOOTSTRAP_START))
    with container.unit_of_work() as uow:
        weights = uow.book.read("portfolio_weights", BOOTSTRAP_START, BOOTSTRAP_START.replace(year=2100))
    table = weights.pivot(index="date", columns="generic", values="weight").fillna(0.0)
    # The session whose targets moved most: one iteration from the previous targets cannot reach its optimum.
    day = table.diff().abs().sum(axis=1).iloc[1:].idxmax()
    before = table.index[table.index.get_loc(day) - 1]
    first = last = day
    kept = weights[weights["date"] == before].set_index("generic")["weight"].to_dict()

    # One SLSQP iteration reaches no KKT point from the previous targets: every session of the range falls back.
    capped = replace(container.book_settings(), optimiser_max_iterations=1)
    container.book_settings.override(providers.Object(capped))
    result = container.portfolio_service().optimise_targets(first, last)
    assert [f.split(":")[0] for f in result.fallbacks] == [str(day)]
    with container.unit_of_work() as uow:
        stored = uow.book.fallbacks(first, last)
        after = uow.book.read("portfolio_weights", first, last)
    assert [f.day for f in stored] == [day]
    assert "SLSQP status 9" in stored[0].reason
    assert after.set_index("generic")["weight"].to_dict() == kept  # the previous session's targets
    # The day's report says so in its Portfolio section.
    container.report_service().assemble(day, day)
    notes = container.report_service().report(day).section("portfolio").notes
    assert notes[0].startswith(f"Optimiser fallback: the optimisation of {day.isoformat()} failed (SLSQP status 9")
    assert notes[0].endswith("the previous session's targets were kept.")

    # Re-run uncapped: the optimiser converges, the weights move and the stored fallbacks are gone.
    container.book_settings.reset_override()
    assert container.portfolio_service().optimise_targets(first, last).fallbacks == ()
    with container.unit_of_work() as uow:
        assert uow.book.fallbacks(first, last) == []
    container.report_service().assemble(day, day)
    assert not any("fallback" in n for n in container.report_service().report(day).section("portfolio").notes)
    container.shutdown_resources()
