"""Gaps are stated, never filled: closed markets, missing prints on held factors and stale levels.

Through the real services on the bootstrapped synthetic database (2022-2023, every layer computed),
with the stores edited the way a live source fails: a print removed, a series that stops updating.
"""

from collections.abc import Iterator
from datetime import date

import pandas as pd
import pytest
from sqlalchemy import create_engine, text

from domain.book import FACTOR_SOURCES
from domain.errors import DataGapError
from domain.market.factor_days import FactorGap, MarketCalendar
from entrypoints.container import Container, build_container
from entrypoints.settings import Settings
from tests.conftest import BOOTSTRAP_START

DAY = date(2023, 12, 27)


@pytest.fixture
def container(book_db: str) -> Iterator[Container]:
    built = build_container(Settings(database_url=book_db, history_start=BOOTSTRAP_START))
    yield built
    built.shutdown_resources()


def execute(url: str, sql: str, **params: object) -> int:
    engine = create_engine(url)
    with engine.begin() as conn:
        count = conn.execute(text(sql), params).rowcount
    engine.dispose()
    return int(count)


def test_a_us_holiday_is_a_closed_market_not_a_gap(container: Container) -> None:
    history = container.factor_history().read(date(2023, 7, 3), date(2023, 10, 10))

    changes = history.changes
    # 4 July: NYSE and the bond market closed, B3 open: no move, and not a gap.
    assert changes.loc["2023-07-04", ["SP500", "OIL", "UST:3652"]].tolist() == [0.0, 0.0, 0.0]
    # Columbus Day: the bond market closed but the NYSE open: the UST did not move, the S&P did.
    assert changes.loc["2023-10-09", "UST:3652"] == 0.0
    assert changes.loc["2023-10-09", "SP500"] != 0.0
    assert history.gaps == ()
    assert not changes.isna().any().any()


def test_a_missing_print_on_a_held_factor_is_a_gap_that_fails_the_session(container: Container,
                                                                           book_db: str) -> None:
    with container.unit_of_work() as uow:
        held = uow.book.read("positions", date(2023, 12, 26), date(2023, 12, 26))
    factor = str(held["factor"].iloc[0])
    source = FACTOR_SOURCES[factor]
    assert execute(book_db, "DELETE FROM returns WHERE instrument = :i AND trade_date = :d",
                   i=source.return_instrument, d=DAY) == 1

    history = container.factor_history().read(date(2023, 12, 1), DAY)

    assert pd.isna(history.changes.loc[pd.Timestamp(DAY), factor])  # not a zero
    calendar = MarketCalendar.B3 if factor not in ("SP500", "OIL", "UST:3652") else history.gaps[0].calendar
    assert history.gaps == (FactorGap(factor, DAY, calendar),)
    with pytest.raises(DataGapError, match=factor):
        container.portfolio_service().size_book(DAY, DAY)
    with pytest.raises(DataGapError, match=factor):
        container.risk_service().compute_var(DAY, DAY)


def test_a_level_that_stops_updating_is_stale_then_missing_and_the_report_says_so(container: Container,
                                                                                    book_db: str) -> None:
    # The S&P 500 stops after 2023-12-20: on the 27th its last close is 4 NYSE sessions old
    # (21, 22, 26, 27 December; the 25th is Christmas), stale (fresh 0) but within the limit (5).
    assert execute(book_db, "DELETE FROM observations WHERE series_id = 'MKT_SP500' AND observation_date > :d",
                   d=date(2023, 12, 20)) > 0
    builder = container.panel_builder()

    pit = builder.build_point_in_time(date(2023, 12, 28))

    assert pit.stale(DAY)["sp500"] == (date(2023, 12, 20), 4)
    assert pit.values.loc["2023-12-27", "sp500"] == pit.values.loc["2023-12-20", "sp500"]
    assert pit.overdue.loc["2023-12-27", "sp500"] == 4.0
    # The 28th is 5 sessions: still the limit; a sixth would be missing.
    assert pit.stale(date(2023, 12, 28))["sp500"][1] == 5
    assert "sp500" not in pit.stale(date(2023, 12, 19))

    assert container.report_service().assemble(DAY, DAY).rows == 1
    stored = container.report_service().report(DAY)
    assert stored is not None
    snapshot = next(s for s in stored.sections if s.key == "market_snapshot")
    assert any(g.startswith("S&P 500: stale, the last value known on 2023-12-27 is dated 2023-12-20 (4 sessions old)")
               for g in snapshot.gaps)
    sp500 = next(row for row in snapshot.tables[0].rows if row[0] == "S&P 500")
    assert sp500[4] is None  # no fake 0.0% change


def test_a_level_older_than_its_limit_is_missing(container: Container, book_db: str) -> None:
    execute(book_db, "DELETE FROM observations WHERE series_id = 'MKT_SP500' AND observation_date > :d",
            d=date(2023, 12, 12))
    panel = container.panel_builder().build(DAY)
    # 13..27 December hold 9 NYSE sessions after the 12th: beyond the limit of 5.
    assert pd.isna(panel.loc["2023-12-27", "sp500"])
    assert pd.notna(panel.loc["2023-12-19", "sp500"])  # 5 sessions: still shown (stale)
    assert pd.isna(panel.loc["2023-12-20", "sp500"])


def test_stale_inputs_decay_the_aggregated_confidence(container: Container, book_db: str) -> None:
    # The same session aggregated twice by the real service: with every input fresh, then with the FX levels
    # (PTAX and the dollar index) stopped after 2023-12-21, 3 sessions overdue on the 27th.
    def aggregated() -> pd.DataFrame:
        container.signal_service().aggregate_signals(DAY, DAY)
        with container.unit_of_work() as uow:
            return uow.signals.aggregated(DAY, DAY).set_index("generic")

    fresh = aggregated()
    execute(book_db, "DELETE FROM observations WHERE series_id IN ('BR_PTAX_SELL', 'MKT_DXY') "
                     "AND observation_date > :d", d=date(2023, 12, 21))
    stored = aggregated()

    fx = stored.index[stored["asset_class"] == "fx"]
    others = stored.index[stored["asset_class"] != "fx"]
    assert len(fx) > 0 and len(others) > 0
    assert (stored.loc[fx, "confidence"] < fresh.loc[fx, "confidence"]).all()
    pd.testing.assert_series_equal(stored.loc[others, "confidence"], fresh.loc[others, "confidence"], rtol=1e-12)
