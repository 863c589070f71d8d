"""No look-ahead, end to end: data released after D never changes any signal dated D or earlier."""

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from adapters.storage import migrations
from application.pipeline import RangePipeline, market_data_steps, signal_steps
from entrypoints.container import build_container
from entrypoints.settings import Settings

START = date(2021, 1, 4)
LATE_END = date(2024, 7, 31)
rng = np.random.default_rng(20241)
CUTS = sorted({date(2024, int(m), int(d)) for m, d in zip(rng.integers(2, 7, 2), rng.integers(3, 28, 2), strict=True)})


def _signals(tmp: Path, name: str, end: date) -> dict[str, pd.DataFrame]:
    url = f"sqlite:///{tmp / name}"
    migrations.upgrade(url)
    container = build_container(Settings(database_url=url, data_dir=tmp, history_start=START))
    pipeline = RangePipeline(market_data_steps(container.market_data_ingestion(), container.silver_transforms())
                             + signal_steps(container.agent_service(), container.signal_service()))
    outcomes = pipeline.run(START, end)
    assert all(o.status == "success" for o in outcomes), outcomes
    with container.unit_of_work() as uow:
        frames = {"agent_signals": uow.signals.agent_signals(START, end),
                  "strategy_signals": uow.signals.strategies(START, end),
                  "aggregated_signals": uow.signals.aggregated(START, end),
                  "regimes": uow.signals.regimes(START, end)}
    container.shutdown_resources()
    return frames


@pytest.fixture(scope="module")
def late(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    return _signals(tmp_path_factory.mktemp("late"), "late.db", LATE_END)


@pytest.mark.parametrize("cut", CUTS, ids=str)
def test_signals_dated_up_to_d_are_identical_with_or_without_later_data(
        cut: date, late: dict[str, pd.DataFrame], tmp_path: Path) -> None:
    early = _signals(tmp_path, "early.db", cut)
    for table, frame in early.items():
        later = late[table]
        later = later[later["date"] <= cut].reset_index(drop=True)
        assert len(frame) > 0, table
        pd.testing.assert_frame_equal(frame.reset_index(drop=True), later, check_exact=False, rtol=1e-12,
                                      obj=f"{table} up to {cut}")
