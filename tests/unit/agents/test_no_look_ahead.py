"""No look-ahead: the pipeline on a panel truncated at D reproduces exactly the full run up to D."""

import numpy as np
import pandas as pd
import pytest

from domain.agents import run_agents
from domain.signals import AggregationMethod, aggregate
from domain.strategies import run_strategies


def _up_to(frame: pd.DataFrame, cut: pd.Timestamp) -> pd.DataFrame:
    return frame[frame["date"] <= cut].reset_index(drop=True)


@pytest.fixture(scope="module")
def full_run(panel, agents):
    strategies = run_strategies(panel, agents)
    aggregated = {m: aggregate(strategies, agents.regime_probs, method=m) for m in AggregationMethod}
    return strategies, aggregated


def test_truncating_the_panel_at_any_date_leaves_every_earlier_output_unchanged(panel, agents, full_run):
    strategies, aggregated = full_run
    rng = np.random.default_rng(2024)
    # Cuts inside every warm-up (before the z-score, Phillips and BEER windows fill) and after.
    cuts = sorted({*rng.integers(30, 700, size=2).tolist(), *rng.integers(700, len(panel) - 1, size=4).tolist()})

    for position in cuts:
        cut = panel.index[position]
        truncated = panel.loc[:cut]

        short_agents = run_agents(truncated)
        short_strategies = run_strategies(truncated, short_agents)

        pd.testing.assert_frame_equal(short_agents.signals, _up_to(agents.signals, cut), check_exact=True)
        for name, run in short_agents.runs.items():
            pd.testing.assert_frame_equal(run.diagnostics, agents.runs[name].diagnostics.loc[:cut], check_exact=True)
        pd.testing.assert_frame_equal(short_strategies, _up_to(strategies, cut), check_exact=True)
        for method in AggregationMethod:
            short = aggregate(short_strategies, short_agents.regime_probs, method=method)
            pd.testing.assert_frame_equal(short, _up_to(aggregated[method], cut), check_exact=True)


def test_a_shock_after_d_does_not_move_any_output_up_to_d(panel, agents):
    cut = panel.index[1500]
    shocked = panel.copy()
    shocked.loc[shocked.index > cut] *= 1.5

    rerun = run_agents(shocked)

    pd.testing.assert_frame_equal(_up_to(rerun.signals, cut), _up_to(agents.signals, cut), check_exact=True)
    assert not rerun.signals[rerun.signals["date"] > cut].equals(
        agents.signals[agents.signals["date"] > cut])
