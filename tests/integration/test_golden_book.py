"""Golden numbers: one seeded session's posterior returns, weights, contracts, P&L and VaR, pinned.

Any change to a number of the chain (market, signals, Black-Litterman, optimiser, sizing, marking, costs, VaR)
fails here loudly. When a change is intended, regenerate the fixture and review its diff:

    MACRODESK_REGENERATE_GOLDEN=1 .venv/bin/python -m pytest tests/integration/test_golden_book.py

The session is the last of the 2022-2023 synthetic bootstrap (seed 20100104) of ``tests/conftest.py``.
"""

import json
import os
from pathlib import Path

import pytest

from entrypoints.container import build_container
from entrypoints.settings import Settings
from tests.conftest import BOOTSTRAP_END, BOOTSTRAP_START

GOLDEN = Path(__file__).parents[1] / "fixtures" / "golden" / "book_session.json"
REGENERATE = os.environ.get("MACRODESK_REGENERATE_GOLDEN") == "1"
RTOL = 1e-9


def _session(db: Path) -> dict[str, object]:
    container = build_container(Settings(database_url=f"sqlite:///{db}", data_dir=db.parent,
                                         history_start=BOOTSTRAP_START))
    day = BOOTSTRAP_END
    with container.unit_of_work() as uow:
        weights = uow.book.read("portfolio_weights", day, day).sort_values("generic")
        positions = uow.book.read("positions", day, day).sort_values("instrument")
        nav = uow.book.read("book_nav", day, day)
        var = uow.book.read("risk_metrics", day, day).sort_values(["method", "confidence", "horizon_days"])
    container.shutdown_resources()
    return {
        "date": day.isoformat(),
        "posterior_expected_return": dict(zip(weights["generic"], weights["expected_return"].astype(float),
                                              strict=True)),
        "weight": dict(zip(weights["generic"], weights["weight"].astype(float), strict=True)),
        "contracts": dict(zip(positions["instrument"], positions["contracts"].astype(int).tolist(), strict=True)),
        "pnl": float(nav["pnl"].iloc[0]),
        "nav": float(nav["nav"].iloc[0]),
        "costs": float(nav["costs"].iloc[0]),
        "var_brl": {f"{m}/{c:.2f}/{h}d": float(v) for m, c, h, v in zip(
            var["method"], var["confidence"], var["horizon_days"], var["var_brl"], strict=True)},
    }


def test_the_seeded_session_reproduces_its_golden_numbers(bootstrapped_db: Path) -> None:
    actual = _session(bootstrapped_db)
    if REGENERATE:
        GOLDEN.write_text(json.dumps(actual, indent=2, sort_keys=True) + "\n")
    golden = json.loads(GOLDEN.read_text())
    assert actual["date"] == golden["date"]
    assert actual["contracts"] == golden["contracts"]
    for key in ("posterior_expected_return", "weight", "var_brl"):
        got, want = actual[key], golden[key]
        assert isinstance(got, dict) and isinstance(want, dict)
        assert sorted(got) == sorted(want), key
        for name in want:
            assert got[name] == pytest.approx(want[name], rel=RTOL, abs=1e-12), f"{key}[{name}]"
    for key in ("pnl", "nav", "costs"):
        assert actual[key] == pytest.approx(golden[key], rel=RTOL), key
