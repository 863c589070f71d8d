import subprocess
import sys
from pathlib import Path


def test_dagster_validates_the_code_location(tmp_path: Path) -> None:
    dagster = Path(sys.executable).with_name("dagster")
    result = subprocess.run([str(dagster), "definitions", "validate", "-m", "entrypoints.dagster.definitions"],
                            capture_output=True, text=True, timeout=240,
                            env={"DAGSTER_HOME": str(tmp_path), "PATH": str(Path(sys.executable).parent),
                                 "MACRODESK_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Validation successful" in result.stdout + result.stderr
