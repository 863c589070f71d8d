"""The daily report: ten-year assembly, cold and warm rendering, and the latest-report endpoint under load.

1. ``assembly_seconds``: assembling (and storing) the structured reports of every session of the range
   (default 2015-01-01..2024-12-31) on a database bootstrapped by the range pipeline (target <= 10 s).
2. ``cold render seconds``: page + e-mail (every chart exported to PNG) of the latest report by a new
   renderer, the headless Chromium start included (target <= 6 s); ``warm render seconds``: the same
   again with the browser open (target <= 2 s). No render cache is involved in either.
3. ``requests per second`` and ``p99``: ``GET /api/v1/reports/daily/latest`` served by ``macrodesk serve``
   (uvicorn, one process) under wrk (Debian's package; ``make bench`` installs it) on loopback, or an async
   httpx client when wrk is missing (it takes a large share of the same 2 cores); targets >= 500/s,
   p99 <= 50 ms. ``load generator`` in the results says which.
   The page is cached by the reading service per session and ``generated_at``; each request costs one
   stamp query (date, generated_at) and a dictionary lookup.

``--db FILE`` reuses a bootstrapped SQLite file (the assembly is then timed on it) instead of
bootstrapping one. Prints a table and writes benchmarks/results/report_rendering.json, with the load
average at the time (the lead re-measures on a quiet machine).
"""

import argparse
import asyncio
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import httpx
from bench_report_assembly import bootstrap as bootstrap_database
from harness import ROOT, machine, write_result
from rich.console import Console
from rich.table import Table

from adapters.charts.export import KaleidoPngExporter
from adapters.templates.renderer import JinjaReportRenderer
from entrypoints.container import build_container
from entrypoints.settings import Settings

START, END = date(2015, 1, 1), date(2024, 12, 31)
PATH = "/api/v1/reports/daily/latest"


def assembly(db: Path, folder: Path, start: date, end: date, bootstrap: bool) -> dict[str, object]:
    if bootstrap:
        bootstrap_database(folder, start, end)
    container = build_container(Settings(database_url=f"sqlite:///{db}", data_dir=folder, history_start=start))
    started = time.perf_counter()
    result = container.report_service().assemble(start, end)
    seconds = time.perf_counter() - started
    container.shutdown_resources()
    return {"assembly_seconds": round(seconds, 2), "assembled_reports": result.rows, "range": f"{start}..{end}"}


def rendering(db: Path, folder: Path) -> dict[str, object]:
    container = build_container(Settings(database_url=f"sqlite:///{db}", data_dir=folder))
    stored = container.report_reading().stored(None)
    exporter = KaleidoPngExporter()
    renderer = JinjaReportRenderer(exporter)
    timings = []
    for _ in range(2):
        started = time.perf_counter()
        renderer.page(stored)
        mail = renderer.email(stored, report_url="http://127.0.0.1:8000" + PATH)
        timings.append(time.perf_counter() - started)
    exporter.close()
    container.shutdown_resources()
    return {"cold render seconds": round(timings[0], 2), "warm render seconds": round(timings[1], 2),
            "charts exported": len(mail.inline_images), "export failures": exporter.failures,
            "email html bytes": len((mail.html or "").encode()), "report day": stored.day.isoformat()}


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _load(url: str, seconds: float, concurrency: int) -> tuple[int, list[float], int]:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=10.0) as client:
        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                response = await client.get(url)
                latencies.append(time.perf_counter() - started)
                errors += response.status_code != 200
        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return len(latencies), latencies, errors


_WRK_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def _wrk(url: str, seconds: float, concurrency: int) -> dict[str, object]:
    """wrk's requests/s, p50 and p99 (ms) and non-2xx count for ``seconds`` at ``concurrency`` connections."""
    out = subprocess.run(["wrk", "-t1", f"-c{concurrency}", f"-d{int(seconds)}s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout

    def latency(q: str) -> float:
        value, unit = re.search(rf"^\s*{q}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()  # type: ignore[union-attr]
        return round(float(value) * _WRK_UNITS[unit], 2)
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"requests per second": round(float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), 1),  # type: ignore[union-attr]
            "p50 ms": latency("50"), "p99 ms": latency("99"), "requests": requests,
            "errors": int(errors.group(1)) if errors else 0, "load generator": "wrk -t1"}


def serving(db: Path, folder: Path, seconds: float, concurrency: int) -> dict[str, object]:
    port = _port()
    env = {**os.environ, "MACRODESK_DATABASE_URL": f"sqlite:///{db}", "MACRODESK_DATA_DIR": str(folder),
           "MACRODESK_LOG_LEVEL": "WARNING"}
    server = subprocess.Popen([str(Path(sys.executable).with_name("macrodesk")), "serve", "--host", "127.0.0.1",
                               "--port", str(port)], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}{PATH}"
    try:
        for _ in range(600):
            try:
                if httpx.get(url, timeout=60.0).status_code == 200:  # also renders and caches the page
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        if shutil.which("wrk"):
            return {**_wrk(url, seconds, concurrency), "concurrency": concurrency, "load seconds": seconds}
        started = time.perf_counter()
        count, latencies, errors = asyncio.run(_load(url, seconds, concurrency))
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(10)
    latencies.sort()
    p = lambda q: round(1000 * latencies[min(len(latencies) - 1, int(q * len(latencies)))], 1)  # noqa: E731
    return {"requests per second": round(count / elapsed, 1), "p50 ms": p(0.50), "p99 ms": p(0.99),
            "requests": count, "errors": errors, "concurrency": concurrency, "load seconds": seconds,
            "load generator": "httpx (async, same machine)"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, help="reuse this bootstrapped SQLite file")
    parser.add_argument("--start", type=date.fromisoformat, default=START)
    parser.add_argument("--end", type=date.fromisoformat, default=END)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=16, help="connections (a desk's morning readers: 16)")
    parser.add_argument("--name", default="report_rendering", help="results file name (contains 'report')")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "report.db"
        if args.db:
            shutil.copyfile(args.db, db)
        result: dict[str, object] = {"machine": machine(), "load_average_1m_before": round(load_before, 2)}
        result.update(assembly(db, folder, args.start, args.end, bootstrap=args.db is None))
        result.update(rendering(db, folder))
        result.update(serving(db, folder, args.seconds, args.concurrency))
    result["load_average_1m_after"] = round(os.getloadavg()[0], 2)
    result["targets"] = {"assembly_seconds": 10.0, "cold render seconds": 6.0, "warm render seconds": 2.0,
                         "requests per second": 500.0, "p99 ms": 50.0}
    table = Table(title="Daily report benchmark")
    table.add_column("measure")
    table.add_column("value")
    for key, value in result.items():
        if key not in ("machine", "targets"):
            table.add_row(key, str(value))
    Console().print(table)
    write_result(args.name, result)


if __name__ == "__main__":
    main()
