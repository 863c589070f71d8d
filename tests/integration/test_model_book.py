"""The model book on two years of the synthetic market: accounting identities, sizing and trades."""

import itertools
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from domain.market.calendar import is_b3_session, is_business_day, previous_b3_session
from entrypoints.container import build_container
from entrypoints.settings import Settings
from tests.conftest import BOOTSTRAP_END, BOOTSTRAP_START

LIMIT_GROSS = 3.0
POINT_VALUES = {"DOL": 50.0, "WDO": 10.0, "IND": 1.0, "WIN": 0.2}


@pytest.fixture(scope="module")
def book(bootstrapped_db: Path) -> dict[str, pd.DataFrame]:
    container = build_container(Settings(database_url=f"sqlite:///{bootstrapped_db}", data_dir=bootstrapped_db.parent,
                                         history_start=BOOTSTRAP_START))
    with container.unit_of_work() as uow:
        tables = {t: uow.book.read(t, BOOTSTRAP_START, BOOTSTRAP_END)
                  for t in ("portfolio_weights", "positions", "book_nav", "trades", "pnl_attribution")}
        tables["prices"] = uow.prices.between(BOOTSTRAP_START, BOOTSTRAP_END)
        tables["cdi"] = uow.observations.as_of(["BR_CDI_DAILY"], BOOTSTRAP_START, BOOTSTRAP_END, as_of=BOOTSTRAP_END)
        tables["ust"] = uow.returns.between(BOOTSTRAP_START, BOOTSTRAP_END, instruments=["UST_NOMINAL_STD:3652"])
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


def _expected_mark(book: dict[str, pd.DataFrame], previous: date, day: date) -> float:
    """Yesterday's positions marked from the stored settlements, CDI and UST moves, by the B3 formulas."""
    positions = book["positions"]
    prices = book["prices"].set_index(["trade_date", "instrument"])
    cdi = dict(zip(book["cdi"]["observation_date"], book["cdi"]["value"], strict=True))
    ust = book["ust"].set_index("trade_date")["rate_change_bp"]
    fc = np.prod([1 + cdi[d] / 100 for d in pd.date_range(previous, day, inclusive="left").date if is_business_day(d)])
    expected = 0.0
    for _, p in positions[positions["date"] == previous].iterrows():
        n, i = int(p["contracts"]), p["instrument"]
        if i == "UST10":
            expected += p["sensitivity_brl"] * ust[(ust.index > previous) & (ust.index <= day)].sum()
            continue
        before, after = prices.loc[(previous, i), "price"], prices.loc[(day, i), "price"]
        if i.startswith("DI1"):
            expected += -n * (after - before * fc)          # B3 daily adjustment, long = long the rate
        elif i.startswith("NTNB_"):
            expected += n * (after - before * fc)           # no coupon date in the windows checked
        else:
            expected += n * (after - before) * POINT_VALUES[i[:3]]
    return float(expected)


def test_each_days_pnl_is_the_settlement_mark_of_yesterdays_positions_less_todays_costs(
        book: dict[str, pd.DataFrame]) -> None:
    nav = book["book_nav"].set_index("date")
    for previous, day in list(itertools.pairwise(sorted(nav.index)))[-40:]:
        assert nav.loc[day, "pnl"] == pytest.approx(_expected_mark(book, previous, day) - nav.loc[day, "costs"],
                                                    abs=0.01), day


def test_a_ust_move_on_a_b3_holiday_is_booked_on_the_next_b3_session(book: dict[str, pd.DataFrame]) -> None:
    # On a B3 holiday with the US open (Tiradentes, Corpus Christi, 20 November...), the UST10 held at the
    # previous close earns that day's yield move and the next one's, both on the next B3 session.
    nav, positions = book["book_nav"].set_index("date"), book["positions"]
    ust = book["ust"].set_index("trade_date")["rate_change_bp"]
    held = set(positions.loc[positions["instrument"] == "UST10", "date"])
    cases = [(previous_b3_session(day), day) for day in ust.index
             if not is_b3_session(day) and day.weekday() < 5 and ust.loc[day] != 0
             and previous_b3_session(day) in held and previous_b3_session(day) in nav.index]
    assert cases, "the fixture's book never holds UST10 into a B3 holiday with the US open"
    for before, holiday in cases:
        after = next(d for d in sorted(nav.index) if d > holiday)
        expected = _expected_mark(book, before, after) - nav.loc[after, "costs"]
        assert nav.loc[after, "pnl"] == pytest.approx(expected, abs=0.01), (before, holiday, after)


def test_the_book_pays_costs_and_reports_turnover(book: dict[str, pd.DataFrame]) -> None:
    nav, trades = book["book_nav"].set_index("date"), book["trades"]
    traded_days = set(trades["date"])
    assert (nav["costs"] >= 0).all() and (nav.loc[sorted(traded_days), "costs"] > 0).all()
    assert (nav.loc[[d for d in nav.index if d not in traded_days], "costs"] == 0).all()
    assert (nav.loc[sorted(traded_days), "traded_notional"] > 0).all()
    components = book["pnl_attribution"].query("dimension == 'component' and bucket == 'costs'")
    np.testing.assert_allclose(-components.set_index("date")["pnl"], nav.loc[components["date"], "costs"], atol=1e-6)


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
    for dimension in ("instrument", "asset_class", "strategy", "component"):
        sums = attribution[attribution["dimension"] == dimension].groupby("date")["pnl"].sum()
        np.testing.assert_allclose(sums.to_numpy(), nav.loc[sums.index].to_numpy(), atol=1e-4)


def test_rerunning_a_book_day_reproduces_it(book_db: str) -> None:
    container = build_container(Settings(database_url=book_db, history_start=BOOTSTRAP_START))
    day = date(2023, 12, 27)
    with container.unit_of_work() as uow:
        before = {t: uow.book.read(t, day, day) for t in ("positions", "book_nav", "trades", "pnl_attribution")}
    container.portfolio_service().optimise_targets(day, day)
    container.portfolio_service().size_book(day, day)
    with container.unit_of_work() as uow:
        after = {t: uow.book.read(t, day, day) for t in ("positions", "book_nav", "trades", "pnl_attribution")}
    container.shutdown_resources()
    for table in before:
        pd.testing.assert_frame_equal(before[table], after[table], obj=table)
