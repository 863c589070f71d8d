"""What every benchmark shares: the import path, a fresh migrated database, machine facts and the result file."""

import json
import os
import platform
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from adapters.storage import migrations  # noqa: E402
from entrypoints.container import Container, build_container  # noqa: E402
from entrypoints.settings import Settings  # noqa: E402


def fresh_container(folder: Path, name: str = "bench.db", **settings: Any) -> Container:
    """A container on a new SQLite file in ``folder``, migrated to head, on the synthetic market."""
    url = f"sqlite:///{folder / name}"
    migrations.upgrade(url)
    return build_container(Settings(database_url=url, data_dir=folder, **settings))


def machine() -> dict[str, object]:
    """The facts that make a timing comparable."""
    # The load at the end of the run says whether the timing was taken on a shared, busy machine.
    return {"python": platform.python_version(), "cpus": os.cpu_count(),
            "load_average_1m": round(os.getloadavg()[0], 2)}


def write_result(name: str, result: dict[str, Any]) -> Path:
    """Write ``benchmarks/results/<name>.json`` and say where."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {path.relative_to(ROOT)}")
    return path
