"""The model book on two years of the synthetic market: accounting identities, sizing and trades."""

import itertools
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from entrypoints.container import build_container
from entrypoints.settings import Settings
from tests.conftest import BOOTSTRAP_END, BOOTSTRAP_START

LIMIT_GROSS = 3.0


@pytest.fixture(scope="module")
def book(bootstrapped_db: Path) -> dict[str, pd.DataFrame]:
    container = build_container(Settings(database_url=f"sqlite:///{bootstrapped_db}", data_dir=bootstrapped_db.parent,
                                         history_start=BOOTSTRAP_START))
    with container.unit_of_work() as uow:
        tables = {t: uow.book.read(t, BOOTSTRAP_START, BOOTSTRAP_END)
                  for t in ("portfolio_weights", "positions", "book_nav", "trades", "pnl_attribution")}
    tables["factors"] = container.factor_history().changes(BOOTSTRAP_START, BOOTSTRAP_END)
    container.shutdown_resources()
    return tables


def test_nav_moves_by_exactly_the_day_pnl_and_drawdown_is_measured_from_the_running_peak(
        book: dict[str, pd.DataFrame]) -> None:
    nav = book["book_nav"].sort_values("date")
    assert len(nav) > 150  # the book starts after 273 sessions of factor history
    np.testing.assert_allclose(nav["nav"].diff().iloc[1:], nav["pnl"].iloc[1:], rtol=0, atol=1e-6)
    peak = np.maximum.accumulate(np.r_[100_000_000.0, nav["nav"].to_numpy()])[1:]
    np.testing.assert_allclose(nav["drawdown"], nav["nav"] / peak - 1.0, atol=1e-12)


def test_pnl_is_yesterdays_sensitivities_times_todays_factor_changes(book: dict[str, pd.DataFrame]) -> None:
    positions, nav, factors = book["positions"], book["book_nav"].set_index("date"), book["factors"]
    days = sorted(nav.index)
    for previous, day in list(itertools.pairwise(days))[-60:]:
        held = positions[positions["date"] == previous]
        change = factors.loc[pd.Timestamp(day)]
        expected = float((held["sensitivity_brl"] * held["factor"].map(change)).sum())
        assert nav.loc[day, "pnl"] == pytest.approx(expected, abs=1e-6), day


def test_the_book_respects_the_gross_leverage_limit_up_to_contract_rounding(book: dict[str, pd.DataFrame]) -> None:
    weights = book["portfolio_weights"]
    gross = weights.groupby("date")["weight"].apply(lambda w: w.abs().sum())
    assert gross.max() <= LIMIT_GROSS + 1e-6
    assert book["book_nav"]["gross_leverage"].max() <= LIMIT_GROSS * 1.02


def test_trades_are_the_difference_between_consecutive_books(book: dict[str, pd.DataFrame]) -> None:
    positions, trades = book["positions"], book["trades"]
    days = sorted(positions["date"].unique())
    for previous, day in list(itertools.pairwise(days))[-20:]:
        before = positions[positions["date"] == previous].set_index("instrument")["contracts"]
        after = positions[positions["date"] == day].set_index("instrument")["contracts"]
        delta = after.sub(before, fill_value=0)
        delta = delta[delta != 0].astype(int)
        today = trades[trades["date"] == day].set_index("instrument")
        signed = np.where(today["direction"] == "BUY", today["contracts"], -today["contracts"])
        assert dict(zip(today.index, signed.tolist(), strict=True)) == delta.to_dict(), day


def test_every_trade_reads_like_a_desk_order_with_its_rationale(book: dict[str, pd.DataFrame]) -> None:
    trades = book["trades"]
    pattern = r"^(Open|Close|Increase|Reduce|Reverse) \S+ "
    assert trades["sentence"].str.match(pattern).all()
    assert trades["rationale"].str.contains("aggregated signal").mean() > 0.9
    di1 = trades[trades["instrument"].str.startswith("DI1")]
    assert di1["note"].str.contains("rate").all()


def test_pnl_attribution_adds_up_to_the_day_pnl_in_every_dimension(book: dict[str, pd.DataFrame]) -> None:
    attribution = book["pnl_attribution"]
    nav = book["book_nav"].set_index("date")["pnl"]
    for dimension in ("instrument", "asset_class", "strategy"):
        sums = attribution[attribution["dimension"] == dimension].groupby("date")["pnl"].sum()
        np.testing.assert_allclose(sums.to_numpy(), nav.loc[sums.index].to_numpy(), atol=1e-4)


def test_rerunning_a_book_day_reproduces_it(book_db: str) -> None:
    container = build_container(Settings(database_url=book_db, history_start=BOOTSTRAP_START))
    day = date(2023, 12, 27)
    with container.unit_of_work() as uow:
        before = {t: uow.book.read(t, day, day) for t in ("positions", "book_nav", "trades")}
    container.portfolio_service().optimise_targets(day, day)
    container.portfolio_service().size_book(day, day)
    with container.unit_of_work() as uow:
        after = {t: uow.book.read(t, day, day) for t in ("positions", "book_nav", "trades")}
    container.shutdown_resources()
    for table in before:
        pd.testing.assert_frame_equal(before[table], after[table], obj=table)
