"""The rolling VaR backtest: 250 pairs of (P&L on t, historical 99% VaR of t-1), on the real database."""

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from adapters.storage import migrations
from adapters.storage.database import create_database_engine
from adapters.storage.unit_of_work import SqlAlchemyUnitOfWork
from application.portfolio.factors import FactorHistory
from application.risk import RiskService
from tests.integration.risk.constructed import market, sessions, write_book, write_market

HISTORY = sessions(date(2022, 1, 3), 560)  # 2022-01-03 .. 2024-04-01
BOOK_DAYS = HISTORY[-280:]                # the first book date's refit (1 Feb 2023) has 270 sessions behind it
FIRST_ROW = BOOK_DAYS[250]                # the 251st book date: the first with 250 pairs


def _backtest_and_metrics(url: str, chunks: list[tuple[date, date]]) -> tuple[pd.DataFrame, pd.DataFrame,
                                                                               pd.DataFrame]:
    migrations.upgrade(url)
    engine = create_database_engine(url)
    uow = lambda: SqlAlchemyUnitOfWork(engine)  # noqa: E731
    data = market(HISTORY, seed=7_250)
    with uow() as u:
        write_market(u, data)
        write_book(u, data, BOOK_DAYS)
        u.commit()
    service = RiskService(uow, FactorHistory(uow), mc_scenarios=1_000)
    for start, end in chunks:
        service.compute_var(start, end)
    with uow() as u:
        frames = (u.book.read("var_backtest", BOOK_DAYS[0], BOOK_DAYS[-1]),
                  u.book.read("risk_metrics", BOOK_DAYS[0], BOOK_DAYS[-1]),
                  u.book.read("book_nav", BOOK_DAYS[0], BOOK_DAYS[-1]))
    engine.dispose()
    return frames


@pytest.fixture(scope="module")
def single_pass(tmp_path_factory: pytest.TempPathFactory) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    return _backtest_and_metrics(f"sqlite:///{tmp_path_factory.mktemp('one') / 'risk.db'}",
                                 [(BOOK_DAYS[0], BOOK_DAYS[-1])])


def test_backtest_rows_start_on_the_first_date_with_250_pairs(single_pass: tuple[pd.DataFrame, ...]) -> None:
    backtest, _, _ = single_pass
    assert backtest["date"].tolist() == BOOK_DAYS[250:]
    assert backtest["date"].iloc[0] == FIRST_ROW
    assert (backtest["window_days"] == 250).all()
    assert (backtest["expected"] == 2.5).all()


def test_exceptions_kupiec_and_zone_match_a_hand_count_against_the_previous_day_s_var(
        single_pass: tuple[pd.DataFrame, ...]) -> None:
    backtest, metrics, nav = single_pass
    var = metrics[(metrics["method"] == "historical") & (metrics["confidence"] == 0.99)
                  & (metrics["horizon_days"] == 1)].set_index("date")["var_brl"]
    pnl = nav.set_index("date")["pnl"]
    breaches = [pnl[BOOK_DAYS[i]] < -var[BOOK_DAYS[i - 1]] for i in range(1, len(BOOK_DAYS))]
    for row in backtest.itertuples():
        j = BOOK_DAYS.index(row.date)
        x = int(sum(breaches[j - 250:j]))  # pairs j-249..j, i.e. breaches[i - 1] for i in that range
        assert row.exceptions == x
        p, t = 0.01, 250
        lr = -2 * ((t - x) * math.log(1 - p) + x * math.log(p))
        if x > 0:  # 0 log 0 = 0: with no exception the alternative's log-likelihood is 0
            lr += 2 * ((t - x) * math.log(1 - x / t) + x * math.log(x / t))
        assert row.kupiec_lr == pytest.approx(lr, rel=1e-9, abs=1e-12)
        assert row.traffic_light == ("green" if x <= 4 else "yellow" if x <= 9 else "red")
    assert backtest["exceptions"].max() > 0  # the constructed fat tails do breach the VaR now and then


def test_a_backfill_in_chunks_gives_the_same_var_and_backtest_as_one_pass(
        single_pass: tuple[pd.DataFrame, ...], tmp_path_factory: pytest.TempPathFactory) -> None:
    # The second chunk starts on 9 Aug 2023, mid-month: its first dates use the 1 Aug refit all the same.
    chunked = _backtest_and_metrics(f"sqlite:///{tmp_path_factory.mktemp('chunks') / 'risk.db'}",
                                    [(BOOK_DAYS[0], BOOK_DAYS[120]), (BOOK_DAYS[121], BOOK_DAYS[-1])])
    for one, many in zip(single_pass[:2], chunked[:2], strict=True):
        pd.testing.assert_frame_equal(one, many, check_exact=True)
    assert np.isfinite(chunked[0]["kupiec_p_value"]).all()
