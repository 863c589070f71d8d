"""Alert benchmark: evaluating all ten rules on ten years of synthetic history (warm) and PATCH latency.

Bootstraps every layer over 2015-01-01..2024-12-31 on the synthetic market (``--start`` to shorten), records the
bootstrap as a run, then times ``AlertService.evaluate`` at 07:00 São Paulo on the next session (first call cold,
then warm calls: rules, state, silences, the snapshot queries, the lifecycle, the commit and the dispatch of
nothing new) and ``PATCH /api/v1/alerts/rules/{id}`` through the FastAPI app with its token (in-process client).
Prints a table and writes benchmarks/results/alerts.json.
"""

import argparse
import os
import shutil
import statistics
import tempfile
import time as clock
import uuid
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from harness import fresh_container, machine, write_result
from pydantic import SecretStr
from rich.console import Console
from rich.table import Table

from domain.alerts.staleness import next_b3_session

END = date(2024, 12, 31)
WARM_RUNS = 50
PATCHES = 200


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--start", default="2015-01-01")
    parser.add_argument("--end", default=END.isoformat())
    parser.add_argument("--from-db", type=Path, default=None,
                        help="a SQLite file already bootstrapped over --start..--end (copied; no bootstrap)")
    args = parser.parse_args()
    start, end = date.fromisoformat(args.start), date.fromisoformat(args.end)
    at = datetime.combine(next_b3_session(end), time(7, 0), tzinfo=ZoneInfo("America/Sao_Paulo"))
    from fastapi.testclient import TestClient

    from entrypoints.api.app import create_app

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.from_db is not None:
            shutil.copyfile(args.from_db, folder / "alerts.db")
        container = fresh_container(folder, "alerts.db", history_start=start, api_token=SecretStr("bench"))
        bootstrap_seconds = None
        if args.from_db is None:
            started = clock.perf_counter()
            outcomes = container.range_pipeline().run(start, end)
            bootstrap_seconds = round(clock.perf_counter() - started, 1)
            failed = [o.step for o in outcomes if o.status != "success"]
            if failed:
                raise SystemExit(f"bootstrap failed: {failed}")
            container.run_history().record_range_run(f"cli-{uuid.uuid4()}", start, end, outcomes)
        service = container.alert_service()

        t = clock.perf_counter()
        first = service.evaluate(at)
        cold_ms = 1000 * (clock.perf_counter() - t)
        warm = []
        for _ in range(WARM_RUNS):
            t = clock.perf_counter()
            service.evaluate(at)
            warm.append(1000 * (clock.perf_counter() - t))

        api = create_app(container)
        latencies = []
        with TestClient(api) as client:
            headers = {"Authorization": "Bearer bench"}
            for i in range(PATCHES):
                t = clock.perf_counter()
                response = client.patch("/api/v1/alerts/rules/VAR_BREACH", json={"threshold": 3.0 + (i % 2) / 10},
                                        headers=headers)
                latencies.append(1000 * (clock.perf_counter() - t))
                assert response.status_code == 200, response.text
        container.shutdown_resources()

    result = {
        "history": f"{start.isoformat()}..{end.isoformat()}", "bootstrap_seconds": bootstrap_seconds,
        "evaluated_at": at.isoformat(), "alerts_firing": len(first.firing),
        "rules_firing": sorted({str(i.rule_id) for i in first.firing}),
        "evaluate_cold_ms": round(cold_ms, 2),
        "evaluate_warm_ms": {"runs": WARM_RUNS, "median": round(statistics.median(warm), 2),
                             "p99": round(_pct(warm, 0.99), 2), "max": round(max(warm), 2)},
        "patch_ms": {"requests": PATCHES, "median": round(statistics.median(latencies), 2),
                     "p99": round(_pct(latencies, 0.99), 2)},
        "targets_ms": {"evaluate_warm": 50, "patch_p99": 50},
        "load_average_1m": round(os.getloadavg()[0], 2), "machine": machine(),
    }
    table = Table(title="Alerts benchmark")
    table.add_column("measure")
    table.add_column("value")
    table.add_row("history", result["history"])
    table.add_row("bootstrap (s)", str(result["bootstrap_seconds"]))
    table.add_row("alerts firing", f"{result['alerts_firing']} ({', '.join(result['rules_firing'])})")
    table.add_row("evaluate cold (ms)", str(result["evaluate_cold_ms"]))
    table.add_row("evaluate warm median / p99 (ms)",
                  f"{result['evaluate_warm_ms']['median']} / {result['evaluate_warm_ms']['p99']}")
    table.add_row("PATCH median / p99 (ms)", f"{result['patch_ms']['median']} / {result['patch_ms']['p99']}")
    table.add_row("load average (1 min)", str(result["load_average_1m"]))
    Console().print(table)
    write_result("alerts", result)


if __name__ == "__main__":
    main()
