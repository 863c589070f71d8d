"""Agent value types: signals validate themselves, composites combine models as documented."""

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from domain.agents.base import (
    AgentSignal,
    Direction,
    SignalSpec,
    composite_path,
    direction_of,
    signal_path,
)

INDEX = pd.bdate_range("2025-01-01", periods=3)


def path(signal_id: str, scores: list[float], confidences: list[float]):
    spec = SignalSpec(signal_id, "x", 21, "test")
    s = pd.Series(scores, index=INDEX, dtype=float)
    return signal_path(spec, s, s, pd.Series(confidences, index=INDEX, dtype=float))


def test_an_agent_signal_rejects_strength_or_confidence_outside_the_unit_interval():
    with pytest.raises(ValueError, match="strength"):
        AgentSignal("a.b", Direction.LONG, 1.2, 0.5, 0.1, 21)
    with pytest.raises(ValueError, match="confidence"):
        AgentSignal("a.b", Direction.LONG, 0.2, -0.1, 0.1, 21)
    with pytest.raises(ValueError, match="horizon"):
        AgentSignal("a.b", Direction.LONG, 0.2, 0.1, 0.1, 0)


def test_the_signed_score_of_a_signal_follows_its_direction():
    assert AgentSignal("a.b", Direction.SHORT, 0.4, 0.5, -0.01, 21).score == -0.4
    assert AgentSignal("a.b", Direction.NEUTRAL, 0.05, 0.5, 0.0, 21).score == 0.0


def test_scores_inside_the_neutral_band_have_no_direction():
    assert [direction_of(s) for s in (0.1, 0.09, -0.09, -0.1)] == [
        Direction.LONG, Direction.NEUTRAL, Direction.NEUTRAL, Direction.SHORT]


def test_a_signal_path_clips_and_blanks_dates_where_any_part_is_missing():
    spec = SignalSpec("a.b", "x", 21, "test")
    result = signal_path(spec, pd.Series([0.1, np.nan, 0.3], index=INDEX),
                         pd.Series([1.5, 0.2, -0.3], index=INDEX), pd.Series([0.5, 0.5, np.nan], index=INDEX))

    assert_allclose(result.score, [1.0, np.nan, np.nan])
    assert_allclose(result.confidence, [0.5, np.nan, np.nan])


def test_a_composite_is_the_confidence_weighted_score_with_an_agreement_penalty():
    a = path("a.one", [0.8, 0.8, np.nan], [0.5, 0.5, np.nan])
    b = path("a.two", [-0.4, 0.4, 0.6], [1.0, 1.0, 0.9])

    result = composite_path(SignalSpec("a.composite", "x", 21, "test"), (a, b))

    # Date 0: (0.5*0.8 - 1.0*0.4) / 1.5 = 0; agreement 0 -> confidence 1.5/2 * 0.5.
    # Date 1: (0.4 + 0.4) / 1.5; agreement 1 -> confidence 0.75. Date 2: only b, half the models.
    assert_allclose(result.score, [0.0, 0.8 / 1.5, 0.6], atol=1e-15)
    assert_allclose(result.confidence, [0.375, 0.75, 0.45])


def test_a_composite_with_no_model_on_a_date_is_missing():
    a = path("a.one", [np.nan, 0.5, 0.5], [np.nan, 0.5, 0.5])

    result = composite_path(SignalSpec("a.composite", "x", 21, "test"), (a,))

    assert math.isnan(result.score.iloc[0])


def test_signal_ids_name_their_agent():
    assert SignalSpec("fx.beer", "USD/BRL", 126, "x").agent == "fx"
    with pytest.raises(ValueError, match=r"<agent>\.<model>"):
        SignalSpec("beer", "USD/BRL", 126, "x")
