"""Seeded synthetic panel and the agents run on it, shared by this directory's tests."""

import pandas as pd
import pytest

from domain.agents import AgentOutputs, run_agents
from tests.unit.agents.panel_factory import synthetic_panel


@pytest.fixture(scope="session")
def panel() -> pd.DataFrame:
    return synthetic_panel(seed=7)


@pytest.fixture(scope="session")
def agents(panel: pd.DataFrame) -> AgentOutputs:
    return run_agents(panel)
