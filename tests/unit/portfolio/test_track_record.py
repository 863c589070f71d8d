"""Book accounting: the NAV recursion, peak, drawdown, leverage, start-of-book rule, and the summary."""

from datetime import date

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from domain.errors import DataGapError
from domain.portfolio.attribution import attribute_by_strategy
from domain.portfolio.errors import InvalidPortfolioInputError
from domain.portfolio.track_record import NavState, book_starts, close_session, initial_state, performance


def test_three_sessions_of_nav_peak_drawdown_and_leverage_match_the_hand_computation() -> None:
    state = initial_state(1_000_000.0)
    # Session 1: +20,000 market, 500 costs -> NAV 1,019,500 (new peak); gross 2,039,000 -> 2.0x.
    one = close_session(state, market_pnl=20_000.0, costs=500.0, gross_notional=2_039_000.0, traded_notional=1e6)
    assert (one.nav, one.pnl, one.peak_nav, one.drawdown) == (1_019_500.0, 19_500.0, 1_019_500.0, 0.0)
    assert one.daily_return == pytest.approx(0.0195) and one.gross_leverage == pytest.approx(2.0)
    # Session 2: -40,780 -> NAV 978,720, 4% under the peak of 1,019,500.
    two = close_session(one.state, market_pnl=-40_780.0, costs=0.0, gross_notional=0.0, traded_notional=0.0)
    assert two.nav == pytest.approx(978_720.0) and two.peak_nav == 1_019_500.0
    assert two.drawdown == pytest.approx(-0.04) and two.daily_return == pytest.approx(-40_780.0 / 1_019_500.0)
    # Session 3: +10,195 -> 988,915, still 3% under the peak.
    three = close_session(two.state, market_pnl=10_195.0, costs=0.0, gross_notional=0.0, traded_notional=0.0)
    assert three.drawdown == pytest.approx(-0.03) and three.state == NavState(three.nav, 1_019_500.0)


def test_the_book_starts_on_the_first_session_with_targets_and_a_later_gap_fails() -> None:
    assert book_starts(started=False, has_targets=False, day=date(2025, 1, 2)) is False
    assert book_starts(started=False, has_targets=True, day=date(2025, 1, 3)) is True
    assert book_starts(started=True, has_targets=True, day=date(2025, 1, 6)) is True
    with pytest.raises(DataGapError, match="no target weights for 2025-01-07"):
        book_starts(started=True, has_targets=False, day=date(2025, 1, 7))


def test_invalid_sessions_are_rejected() -> None:
    with pytest.raises(InvalidPortfolioInputError):
        initial_state(0.0)
    with pytest.raises(InvalidPortfolioInputError):
        close_session(initial_state(1.0e6), market_pnl=0.0, costs=-1.0, gross_notional=0.0, traded_notional=0.0)
    with pytest.raises(InvalidPortfolioInputError, match="NAV fell"):
        close_session(initial_state(1.0e6), market_pnl=-2.0e6, costs=0.0, gross_notional=0.0, traded_notional=0.0)


def test_performance_summarises_return_volatility_sharpe_drawdown_turnover_and_costs() -> None:
    r = np.array([0.01, -0.02, 0.015, 0.0])
    nav = 100.0 * np.cumprod(1 + r)
    result = performance(r, [0.0, -0.02, -0.005, -0.005], nav, [252.0, 0.0, 0.0, 0.0], [1.0, 1.0, 0.0, 0.0])
    years = 4 / 252
    assert result.annual_return == pytest.approx(np.prod(1 + r) ** (1 / years) - 1)
    assert result.volatility == pytest.approx(np.std(r, ddof=1) * np.sqrt(252))
    assert result.sharpe == pytest.approx(np.mean(r) / np.std(r, ddof=1) * np.sqrt(252))
    assert result.max_drawdown == -0.02
    assert result.turnover == pytest.approx(252.0 / nav.mean() / years)
    assert result.costs_brl == 2.0 and result.costs_pct_nav == pytest.approx(2.0 / nav.mean() / years)


def test_attribution_by_strategy_adds_up_to_the_total() -> None:
    pnl = pd.DataFrame({"DI1F27": [0.0, 10_000.0, -6_000.0], "DOLG25": [0.0, -20_000.0, 10_000.0]})
    strategies = attribute_by_strategy(pnl, {"DI1F27": {"di_slope": 0.25, "taylor_gap": 0.75}})
    assert list(strategies.columns) == ["di_slope", "taylor_gap", "unattributed"]
    assert_allclose(strategies["di_slope"], [0.0, 2_500.0, -1_500.0])
    assert_allclose(strategies["unattributed"], [0.0, -20_000.0, 10_000.0])
    assert_allclose(strategies.sum(axis=1), pnl.sum(axis=1))
    with pytest.raises(InvalidPortfolioInputError, match="sum to 1"):
        attribute_by_strategy(pnl, {"DI1F27": {"a": 0.5, "b": 0.4}})
