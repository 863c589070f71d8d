"""run_strategies on a seeded ten-year panel: shape, coverage, both signs (speed: benchmarks/bench_domain_speed.py)."""

import numpy as np
import pytest

from domain import panel as pn
from domain.agents import PanelError, run_agents
from domain.book import GENERICS
from domain.market.instruments import AssetClass
from domain.signals import aggregate, monitor
from domain.strategies import STRATEGIES, STRATEGY_COLUMNS, run_strategies


@pytest.fixture(scope="module")
def signals(panel, agents):
    return run_strategies(panel, agents)


def test_the_desk_runs_at_least_eight_strategies_across_every_asset_class_and_generic(signals):
    assert len(STRATEGIES) >= 8
    assert set(signals["asset_class"]) == {a.value for a in AssetClass}
    assert set(signals["generic"]) == set(GENERICS)
    assert list(signals.columns) == STRATEGY_COLUMNS


def test_signals_are_bounded_and_confidences_are_probabilities(signals):
    assert signals["signal"].between(-1, 1).all()
    assert signals["confidence"].between(0, 1).all()
    assert not signals.duplicated(["date", "strategy_id", "generic"]).any()


def test_every_strategy_goes_both_long_and_short_over_ten_years(signals):
    sides = signals.groupby("strategy_id")["signal"].agg(lambda s: (int((s > 0).sum()), int((s < 0).sum())))

    assert all(longs > 0 and shorts > 0 for longs, shorts in sides), sides.to_dict()


def test_strategies_refuse_agents_computed_on_another_panel(panel, agents):
    with pytest.raises(ValueError, match="different dates"):
        run_strategies(panel.iloc[:-1], agents)


def test_agents_strategies_aggregation_and_monitor_run_over_2500_sessions_with_finite_signals(panel):
    assert len(panel) >= 2500
    agents = run_agents(panel)
    strategies = run_strategies(panel, agents)
    aggregated = aggregate(strategies, agents.regime_probs)
    monitor(aggregated, strategies)

    assert np.isfinite(aggregated["signal"]).all()


def test_a_strategy_names_the_panel_columns_it_misses(panel, agents):
    with pytest.raises(PanelError, match=r"di1_slope: panel lacks columns \['di_5y'\]"):
        run_strategies(panel.drop(columns=[pn.DI_5Y]), agents)
