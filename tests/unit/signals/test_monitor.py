"""The signal monitor: flips, conviction surges and divergence events on small hand-made histories."""

import math
from datetime import date

import pandas as pd
import pytest

from domain.signals import EVENT_COLUMNS, EventKind, MonitorParams, aggregate, monitor, to_events
from domain.strategies import run_strategies

D = pd.bdate_range("2025-06-02", periods=5)


def aggregated(values: dict[str, list[float]]) -> pd.DataFrame:
    return pd.DataFrame([(D[i], generic, x) for generic, xs in values.items() for i, x in enumerate(xs)],
                        columns=["date", "generic", "signal"])


def strategies(values: dict[tuple[str, str, str], list[float]]) -> pd.DataFrame:
    return pd.DataFrame([(D[i], s, a, g, x) for (s, a, g), xs in values.items() for i, x in enumerate(xs)],
                        columns=["date", "strategy_id", "asset_class", "generic", "signal"])


NO_STRATEGIES = strategies({})


def test_a_sign_change_through_zero_is_one_flip_with_the_previous_value():
    events = monitor(aggregated({"DI1_1Y": [0.2, 0.0, -0.1, -0.15]}), NO_STRATEGIES)

    flips = events[events["kind"] == "flip"]
    assert len(flips) == 1
    assert flips.iloc[0][["date", "subject", "previous", "value"]].tolist() == [D[2], "DI1_1Y", 0.0, -0.1]
    assert flips.iloc[0]["detail"] == "DI1_1Y flipped from long to short (+0.00 -> -0.10)"


def test_a_change_above_point_three_is_a_conviction_surge():
    events = monitor(aggregated({"USDBRL": [0.1, 0.45, 0.2, 0.21]}), NO_STRATEGIES)

    assert events["kind"].tolist() == ["conviction_surge"]
    row = events.iloc[0]
    assert (row["date"], row["previous"], row["value"]) == (D[1], 0.1, 0.45)
    assert row["detail"] == "USDBRL conviction rose by 0.35 (+0.10 -> +0.45)"


def test_a_flip_that_is_also_a_large_move_raises_both_events():
    events = monitor(aggregated({"IBOV": [0.3, -0.3]}), NO_STRATEGIES)

    assert sorted(events["kind"]) == ["conviction_surge", "flip"]


def test_divergence_is_reported_when_an_asset_class_enters_it():
    table = strategies({("usdbrl_carry", "fx", "USDBRL"): [0.3, 0.4, 0.4, 0.1],
                        ("usdbrl_fair_value", "fx", "USDBRL"): [0.0, -0.2, -0.3, 0.0]})

    events = monitor(aggregated({}), table)

    assert len(events) == 1
    row = events.iloc[0]
    assert (row["date"], row["kind"], row["subject"]) == (D[1], "divergence", "fx")
    assert (row["previous"], row["value"]) == pytest.approx((0.3, 0.6))
    assert row["detail"] == "fx strategies diverge by 0.60: usdbrl_carry +0.40 vs usdbrl_fair_value -0.20"


def test_a_strategy_on_several_generics_counts_once_with_its_mean():
    table = strategies({("di1_carry_rolldown", "rates", "DI1_1Y"): [0.9],
                        ("di1_carry_rolldown", "rates", "DI1_3Y"): [-0.5],
                        ("di1_slope", "rates", "DI1_5Y"): [0.0]})

    events = monitor(aggregated({}), table)

    assert events.empty  # mean 0.2 vs 0.0: no divergence (the two legs alone would differ by 1.4)
    assert list(events.columns) == EVENT_COLUMNS


def test_thresholds_are_parameters():
    events = monitor(aggregated({"UST10": [0.1, 0.25]}), NO_STRATEGIES, MonitorParams(surge_threshold=0.1))

    assert events["kind"].tolist() == ["conviction_surge"]


def test_events_convert_to_records():
    events = to_events(monitor(aggregated({"DI1_2Y": [0.5, -0.5]}), NO_STRATEGIES))

    assert events[0].date == date(2025, 6, 3)
    assert {e.kind for e in events} == {EventKind.FLIP, EventKind.CONVICTION_SURGE}


def test_the_monitor_on_ten_years_of_the_seeded_pipeline_finds_every_kind_of_event(panel, agents):
    signals = run_strategies(panel, agents)

    events = monitor(aggregate(signals, agents.regime_probs), signals)

    assert set(events["kind"]) == {k.value for k in EventKind}
    assert events["date"].is_monotonic_increasing
    first_flip = events[events["kind"] == "flip"].iloc[0]
    assert math.copysign(1, first_flip["previous"]) != math.copysign(1, first_flip["value"])
