"""The Dagster code location: ``dagster dev -m entrypoints.dagster.definitions``."""

import dagster as dg


def build_definitions() -> dg.Definitions:
    """Assemble assets, jobs, schedules, sensors and resources."""
    return dg.Definitions(assets=[])


defs = build_definitions()
