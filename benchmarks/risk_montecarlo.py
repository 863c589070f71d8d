"""Benchmark of Monte Carlo VaR: t-copula / GARCH(1,1) fit and simulate + VaR for 30 factors.

Run: ``.venv/bin/python benchmarks/bench_risk_var.py``. Prints a table and writes
``benchmarks/results/risk_montecarlo.json``. The factor history is generated here, seeded, from a
known t-copula GARCH(1,1) process (30 factors x 2,500 days), so the fit has realistic work to do.
"""

import json
import os
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from domain.risk import fit_marginals, monte_carlo_var, scenario_pnl, simulate  # noqa: E402

FACTORS = 30
DAYS = 2_500
SCENARIOS = 100_000
RUNS = 5
FIT_RUNS = 3
GOAL_SECONDS = 0.5
RESULT = ROOT / "benchmarks" / "results" / "risk_montecarlo.json"


def synthetic_history(rng: np.random.Generator) -> pd.DataFrame:
    """Daily changes of 30 factors: t copula (5 dof, 4-factor correlation) with GARCH(1,1) volatility."""
    loadings = rng.standard_normal((FACTORS, 4))
    cov = loadings @ loadings.T + np.eye(FACTORS)
    d = np.sqrt(np.diag(cov))
    chol = np.linalg.cholesky(cov / np.outer(d, d))
    dof = 5.0
    shocks = (chol @ rng.standard_normal((FACTORS, DAYS))).T / np.sqrt(rng.chisquare(dof, DAYS) / dof)[:, None]
    shocks *= np.sqrt((dof - 2.0) / dof)
    omega, alpha, beta = 0.05, 0.08, 0.90
    changes = np.empty((DAYS, FACTORS))
    variance = np.full(FACTORS, omega / (1.0 - alpha - beta))
    for t in range(DAYS):
        changes[t] = np.sqrt(variance) * shocks[t]
        variance = omega + alpha * changes[t] ** 2 + beta * variance
    changes *= rng.uniform(0.5, 12.0, FACTORS)  # bp-like and pct-like scales
    return pd.DataFrame(changes, index=pd.bdate_range("2015-01-02", periods=DAYS),
                        columns=[f"factor_{i:02d}" for i in range(FACTORS)])


def machine() -> dict[str, object]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "logical_cpus": os.cpu_count(), "python": platform.python_version(),
            "numpy": np.__version__, "pandas": pd.__version__, "platform": platform.platform()}


def main() -> None:
    rng = np.random.default_rng(20250101)
    history = synthetic_history(rng)
    exposure = pd.Series(rng.normal(0.0, 10_000.0, FACTORS), index=history.columns)

    fit_times = []
    for _ in range(FIT_RUNS):
        start = time.perf_counter()
        fitted = fit_marginals(history)
        fit_times.append(time.perf_counter() - start)

    run_times = []
    results = []
    for run in range(RUNS):
        start = time.perf_counter()
        scenarios = simulate(fitted, SCENARIOS, np.random.default_rng(run))
        pnl = scenario_pnl(scenarios, fitted, exposure)
        results = [monte_carlo_var(pnl, confidence=a, horizon_days=h) for a in (0.95, 0.99) for h in (1, 10)]
        run_times.append(time.perf_counter() - start)

    seconds = statistics.median(run_times)
    info = machine()
    report = {
        "benchmark": "risk_montecarlo",
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "factors": FACTORS,
        "scenarios": SCENARIOS,
        "simulate_var_seconds_median": round(seconds, 4),
        "simulate_var_seconds_runs": [round(t, 4) for t in run_times],
        "simulate_var_goal_seconds": GOAL_SECONDS,
        "meets_goal": seconds < GOAL_SECONDS,
        "simulate_var_measures": "simulate + scenario P&L + VaR/CVaR at 95% and 99%, 1 and 10 days",
        "fit_history_days": DAYS,
        "fit_seconds_median": round(statistics.median(fit_times), 4),
        "fit_seconds_runs": [round(t, 4) for t in fit_times],
        "fitted_copula_dof": round(fitted.copula_dof, 3),
        "generating_copula_dof": 5.0,
        "var_brl_last_run": {f"{r.confidence:.0%}_{r.horizon_days}d": {"var": round(r.var, 2),
                                                                      "cvar": round(r.cvar, 2)}
                             for r in results},
        "machine": info,
    }
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(report, indent=2) + "\n")

    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Monte Carlo VaR: {FACTORS} factors, {SCENARIOS:,} scenarios")
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_row("simulate + VaR, median of 5 (s)", f"{seconds:.3f}")
    table.add_row("simulate + VaR, runs (s)", ", ".join(f"{t:.3f}" for t in run_times))
    table.add_row(f"goal < {GOAL_SECONDS} s", "met" if seconds < GOAL_SECONDS else "MISSED")
    table.add_row(f"fit {FACTORS} x {DAYS:,} days, median of {FIT_RUNS} (s)", f"{statistics.median(fit_times):.3f}")
    table.add_row("fitted copula dof (true 5)", f"{fitted.copula_dof:.2f}")
    for r in results:
        table.add_row(f"VaR / CVaR {r.confidence:.0%} {r.horizon_days}d (BRL)", f"{r.var:,.0f} / {r.cvar:,.0f}")
    table.add_row("machine", f"{info['cpu']} x{info['logical_cpus']}")
    Console().print(table)
    print(f"wrote {RESULT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
