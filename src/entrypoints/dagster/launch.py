"""Running the daily pipeline through Dagster from the command line (demo, make dagster-run-all)."""

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import dagster as dg

from application.ports import AssetRun
from entrypoints.container import Container
from entrypoints.dagster.definitions import build_definitions
from entrypoints.dagster.run_history import asset_outcomes
from entrypoints.settings import Settings


@dataclass(frozen=True, slots=True)
class LaunchResult:
    """A finished Dagster run and its recorded outcomes."""

    run_id: str
    success: bool
    outcomes: list[AssetRun]
    dagster_home: Path


# One instance configuration for the demo, dagster-run and `make dagster`: the repository's deploy/dagster.yaml.
INSTANCE_CONFIG = Path(__file__).resolve().parents[3] / "deploy" / "dagster.yaml"
_MINIMAL_CONFIG = "telemetry:\n  enabled: false\n"  # what earlier demos wrote; replaced by INSTANCE_CONFIG


def dagster_home(settings: Settings) -> Path:
    """``DAGSTER_HOME``, defaulting to ``<data_dir>/dagster``, holding deploy/dagster.yaml as its dagster.yaml.

    A dagster.yaml already there is kept (an operator's own), except the minimal one earlier demos wrote.
    """
    home = Path(os.environ.get("DAGSTER_HOME") or (settings.data_dir / "dagster")).resolve()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists() or config.read_text() == _MINIMAL_CONFIG:
        config.write_text(INSTANCE_CONFIG.read_text() if INSTANCE_CONFIG.exists() else _MINIMAL_CONFIG)
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def run_daily_pipeline(container: Container, session: date) -> LaunchResult:
    """Materialize every asset for ``session`` in this process, on the persistent instance, and record it.

    The run lands in the same instance the webserver reads, so the UI shows it; its outcomes are
    written to the pipeline-run history here because no daemon sensor is watching.
    """
    settings: Settings = container.settings()
    home = dagster_home(settings)
    with dg.DagsterInstance.get() as instance:
        job = build_definitions(settings).resolve_job_def("daily_pipeline")
        result = job.execute_in_process(partition_key=session.isoformat(), instance=instance,
                                        resources={"macrodesk": container}, raise_on_error=False,
                                        tags={"macrodesk/trigger": "cli"},
                                        # Every event is in the instance (and the UI); the terminal gets problems.
                                        run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}})
        outcomes = asset_outcomes(instance, result.run_id)
    container.run_history().record(outcomes)
    return LaunchResult(result.run_id, result.success, outcomes, home)
