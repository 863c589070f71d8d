"""A container and API on a private copy of the bootstrapped database (reports stored by the pipeline)."""

import shutil
from pathlib import Path

from entrypoints.container import Container, build_container
from entrypoints.settings import Settings
from tests.conftest import BOOTSTRAP_START


def report_container(bootstrapped_db: Path, folder: Path, **settings: object) -> Container:
    """A container on a copy of ``bootstrapped_db`` in ``folder``."""
    shutil.copyfile(bootstrapped_db, folder / "macrodesk.db")
    return build_container(Settings(database_url=f"sqlite:///{folder / 'macrodesk.db'}", data_dir=folder,
                                     history_start=BOOTSTRAP_START, **settings))  # type: ignore[arg-type]
