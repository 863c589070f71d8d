"""Re-running a session, or a range split into chunks, leaves every table's contents as a one-pass run left them."""

import json
from datetime import date

import pandas as pd
import pytest
from sqlalchemy import Engine, select

from adapters.storage.tables import Base
from entrypoints.container import build_container
from entrypoints.settings import Settings
from tests.conftest import BOOTSTRAP_START

# Run bookkeeping (when a step ran, how long it took) differs by nature between two runs; everything
# the pipeline computes must not.
RUN_LOG_TABLES = {"asset_runs", "connector_runs", "pipeline_runs"}
RUN_LOG_COLUMNS = {"generated_at", "started_at", "finished_at", "created_at", "updated_at", "run_id"}


def _contents(engine: Engine) -> dict[str, pd.DataFrame]:
    out = {}
    with engine.connect() as connection:
        for name, table in Base.metadata.tables.items():
            if name in RUN_LOG_TABLES:
                continue
            columns = [c for c in table.columns if c.name not in RUN_LOG_COLUMNS]
            frame = pd.DataFrame(connection.execute(select(*columns)).mappings().all(),
                                 columns=[c.name for c in columns])
            if name == "daily_reports":
                # The stored report carries its generation time inside its JSON too.
                frame["content"] = [json.dumps({k: v for k, v in json.loads(c).items() if k not in RUN_LOG_COLUMNS},
                                               sort_keys=True) for c in frame["content"]]
            keys = [c.name for c in table.primary_key.columns if c.name not in RUN_LOG_COLUMNS] or list(frame.columns)
            out[name] = frame.sort_values(keys).reset_index(drop=True)
    return out


def _assert_same_contents(before: dict[str, pd.DataFrame], after: dict[str, pd.DataFrame]) -> None:
    assert before.keys() == after.keys()
    differences = []
    for name in before:
        if len(after[name]) != len(before[name]):
            differences.append(f"{name}: {len(before[name])} rows -> {len(after[name])}")
            continue
        for column in before[name].columns:
            old, new = before[name][column], after[name][column]
            changed = before[name].index[(old != new) & ~(old.isna() & new.isna())]
            if not changed.empty:
                first = before[name].loc[changed[0]].to_dict()
                differences.append(f"{name}.{column} changed in {len(changed)} rows, first: {first} -> "
                                   f"{new.loc[changed[0]]!r}")
    assert not differences, "\n".join(differences)


@pytest.fixture
def pipeline_and_engine(book_db: str):  # type: ignore[no-untyped-def]
    container = build_container(Settings(database_url=book_db, history_start=BOOTSTRAP_START))
    yield container.range_pipeline(), container.engine()
    container.shutdown_resources()


def test_rerunning_one_session_leaves_every_table_row_for_row_identical(pipeline_and_engine) -> None:  # type: ignore[no-untyped-def]
    pipeline, engine = pipeline_and_engine
    one_pass = _contents(engine)
    assert len(one_pass["pnl_attribution"]) > 0 and len(one_pass["limit_status"]) > 0
    outcomes = pipeline.run(date(2023, 12, 27), date(2023, 12, 27))
    assert [o.status for o in outcomes] == ["success"] * len(outcomes), outcomes
    _assert_same_contents(one_pass, _contents(engine))


def test_a_range_rerun_as_two_chunks_leaves_every_table_row_for_row_identical(pipeline_and_engine) -> None:  # type: ignore[no-untyped-def]
    pipeline, engine = pipeline_and_engine
    one_pass = _contents(engine)
    for start, end in ((date(2023, 12, 18), date(2023, 12, 21)), (date(2023, 12, 22), date(2023, 12, 28))):
        outcomes = pipeline.run(start, end)
        assert [o.status for o in outcomes] == ["success"] * len(outcomes), outcomes
    _assert_same_contents(one_pass, _contents(engine))
