"""Number formatting for agent narratives: every sentence is built from the models' numbers."""

import math

import pandas as pd

from domain.agents.base import AgentRun, Direction, direction_of

# What a narrative prints for a number its model cannot compute yet (warm-up, missing input): explicit, never blank.
MISSING = "[insufficient data]"


def pct(x: float, digits: int = 1) -> str:
    """``0.0475 -> '4.8%'``; the MISSING marker for NaN."""
    return MISSING if not math.isfinite(x) else f"{100.0 * x:.{digits}f}%"


def pp(x: float, digits: int = 1) -> str:
    """Signed percentage points: ``0.006 -> '+0.6pp'``."""
    return MISSING if not math.isfinite(x) else f"{100.0 * x:+.{digits}f}pp"


def bp(x: float) -> str:
    """Signed basis points: ``0.0012 -> '+12bp'``."""
    return MISSING if not math.isfinite(x) else f"{10_000.0 * x:+.0f}bp"


def num(x: float, digits: int = 2, signed: bool = False) -> str:
    """Plain number, optionally signed; the MISSING marker for NaN."""
    if not math.isfinite(x):
        return MISSING
    return f"{x:+.{digits}f}" if signed else f"{x:.{digits}f}"


def view(run: AgentRun, signal_id: str, day: pd.Timestamp, up: str, down: str) -> str:
    """'<up|down|no clear> view (score +0.42, confidence 0.61)' for one signal on a date."""
    _, score, confidence = run.at(signal_id, day)
    if not math.isfinite(score):
        return "no view (insufficient data)"
    words = {Direction.LONG: up, Direction.SHORT: down, Direction.NEUTRAL: "neutral"}[direction_of(score)]
    return f"{words} (score {score:+.2f}, confidence {confidence:.2f})"


def numbers(run: AgentRun, day: pd.Timestamp) -> dict[str, float]:
    """An agent's diagnostics on a date as plain floats."""
    return run.numbers(day)
