"""Limits that act: one settings-backed definition read everywhere, and circuit breakers that shape the book."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from domain.risk.limits import LimitName
from entrypoints.container import build_container
from entrypoints.settings import Settings
from tests.conftest import BOOTSTRAP_END, BOOTSTRAP_START


def _container(url: str, **limits: object):  # type: ignore[no-untyped-def]
    return build_container(Settings(database_url=url, data_dir=Path(url.removeprefix("sqlite:///")).parent,
                                    history_start=BOOTSTRAP_START, **limits))


def test_changing_one_limit_in_settings_moves_the_optimiser_the_checks_the_limit_evaluation_and_the_alert_threshold(
        book_db: str) -> None:
    container = _container(book_db, limit_gross_leverage=2.0, limit_var95_nav=0.02, limit_drawdown=0.08)
    assert container.risk_limits().threshold(LimitName.GROSS_LEVERAGE) == 2.0
    # The alert rules that restate a limit read the same definition (migrated rules, real database).
    thresholds = {r.id: (r.threshold, r.follows_limit) for r in container.alert_service().rules()}
    assert thresholds["VAR_BREACH"] == (2.0, True)
    assert (thresholds["DRAWDOWN_WARNING"], thresholds["DRAWDOWN_CRITICAL"]) == ((4.0, True), (8.0, True))
    assert thresholds["VAR_CRITICAL"] == (5.0, True)  # var99 left at its default
    # The optimiser aims at 95% of it.
    assert container.book_settings().constraints.gross_leverage == pytest.approx(1.9)
    with container.unit_of_work() as uow:
        weights = uow.book.read("portfolio_weights", BOOTSTRAP_START, BOOTSTRAP_END)
    gross = weights.groupby("date")["weight"].apply(lambda w: w.abs().sum())
    day = gross.idxmax()
    # The data-quality check judges against the same 2.0x.
    verdict = container.data_quality().weights_within_leverage(day)
    assert verdict.metadata["limit"] == 2.0
    assert verdict.passed == (gross.max() <= 2.0 * (1 + 1e-6))
    # The limit evaluation stores 2.0 as the threshold of every gross-leverage row.
    container.risk_service().evaluate_limits(day, day)
    with container.unit_of_work() as uow:
        rows = uow.book.read("limit_status", day, day)
    assert rows.loc[rows["limit_name"] == "gross_leverage", "threshold"].tolist() == [2.0]
    container.shutdown_resources()


def _first_level_crossed_alone(drawdown: pd.Series) -> float:
    """The smallest level (0.05% grid) the book's drawdown first crosses without reaching twice the level that day."""
    for level in np.arange(1, 40) * 0.0005:
        crossed = drawdown[drawdown >= level]
        if not crossed.empty and crossed.iloc[0] < 2 * level:
            return float(level)
    raise AssertionError("the book's drawdown never crosses a level alone")


def test_circuit_breakers_cut_the_next_book_then_flatten_it_and_the_trades_name_the_breaker(book_db: str) -> None:
    with _container(book_db).unit_of_work() as uow:
        uncut = uow.book.read("book_nav", BOOTSTRAP_START, BOOTSTRAP_END).set_index("date").sort_index()
    # Breakers at l, 2l, 3l with l found on the uncut book (identical up to its first crossing), so that the
    # first crossing triggers the first breaker alone, whatever the size of the market's daily moves.
    first = _first_level_crossed_alone(-uncut["drawdown"])
    levels = [first, 2 * first, 3 * first]
    container = _container(book_db, limit_circuit_breaker_drawdowns=",".join(map(str, levels)))
    container.portfolio_service().size_book(BOOTSTRAP_START, BOOTSTRAP_END)
    with container.unit_of_work() as uow:
        nav = uow.book.read("book_nav", BOOTSTRAP_START, BOOTSTRAP_END).set_index("date").sort_index()
        trades = uow.book.read("trades", BOOTSTRAP_START, BOOTSTRAP_END)
        positions = uow.book.read("positions", BOOTSTRAP_START, BOOTSTRAP_END)
    container.shutdown_resources()
    drawdown = -nav["drawdown"]
    first_cut = drawdown[(drawdown >= levels[0]) & (drawdown < levels[1])].index[0]
    flatten = drawdown[drawdown >= levels[2]].index[0]
    assert first_cut < flatten
    # Until the first breaker the book is the uncut one: that session's market P&L is the same, only the costs of
    # its (different) trades differ; on that session the gross is cut by a quarter.
    assert nav.loc[first_cut, "nav"] + nav.loc[first_cut, "costs"] == pytest.approx(
        uncut.loc[first_cut, "nav"] + uncut.loc[first_cut, "costs"], rel=1e-12)
    assert nav.loc[first_cut, "gross_notional"] == pytest.approx(0.75 * uncut.loc[first_cut, "gross_notional"],
                                                                 rel=0.05)
    cut_trades = trades[trades["date"] == first_cut]
    assert not cut_trades.empty
    assert cut_trades["rationale"].str.startswith("Circuit breaker reduce_gross_25 (drawdown").all()
    # At 0.3% the book is flattened, every closing trade says so, and it stays flat (re-risking is a human call).
    assert positions[positions["date"] >= flatten].empty
    closing = trades[trades["date"] == flatten]
    assert not closing.empty and (closing["to_contracts"] == 0).all()
    assert closing["rationale"].str.contains("Circuit breaker flatten").all()
    assert closing["rationale"].str.contains("book flattened").all()
    assert (nav.loc[nav.index >= flatten, "gross_notional"] == 0).all()
    assert pd.Index(trades["date"]).max() == flatten
