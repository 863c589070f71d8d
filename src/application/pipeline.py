"""The whole pipeline over a date range, layer by layer, without per-partition orchestration.

Used by ``macrodesk run`` (one session), ``macrodesk backfill`` and the history bootstrap: every
step computes its range in one pass, so ten years take minutes, not hours.
"""

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from application.market_data.ingestion import MarketDataIngestion
from application.market_data.silver import SilverTransforms
from application.portfolio.service import PortfolioService
from application.ports import Clock
from application.reporting import ReportService
from application.risk.service import RiskService
from application.signals.service import AGENT_RUNNERS, AgentService, SignalService, agent_dependencies
from domain.market.bronze import Connector


@dataclass(frozen=True, slots=True)
class StepOutcome:
    """One step of a range run."""

    step: str
    seconds: float
    rows: int
    status: str  # "success" | "failed" | "skipped"
    error: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Step:
    """A named step, the steps it depends on, and the call that runs it over [start, end] returning rows."""

    name: str
    depends_on: tuple[str, ...]
    run: Callable[[date, date], int]


class RangePipeline:
    """Runs steps in order; a failed step skips its dependants and the independent steps still run."""

    def __init__(self, steps: Sequence[Step], clock: Clock | None = None) -> None:
        self._steps = list(steps)
        self._clock = clock

    @property
    def step_names(self) -> list[str]:
        """Step names in execution order."""
        return [s.name for s in self._steps]

    def run(self, start: date, end: date, *,
            on_step: Callable[[StepOutcome], None] | None = None) -> list[StepOutcome]:
        """Run every step over [start, end]; return the outcomes in order."""
        if end < start:
            raise ValueError(f"range end {end} is before its start {start}")
        outcomes: dict[str, StepOutcome] = {}
        for step in self._steps:
            blocked = [d for d in step.depends_on if outcomes.get(d) and outcomes[d].status != "success"]
            if blocked:
                outcome = StepOutcome(step.name, 0.0, 0, "skipped", f"upstream failed: {', '.join(blocked)}")
            else:
                began = self._clock.now() if self._clock else None
                started = time.perf_counter()
                try:
                    rows = step.run(start, end)
                    status, error = "success", None
                except Exception as exc:  # one failed step must not stop independent ones
                    rows, status, error = 0, "failed", f"{type(exc).__name__}: {exc}"
                ended = self._clock.now() if self._clock else None
                outcome = StepOutcome(step.name, time.perf_counter() - started, rows, status, error, began, ended)
            outcomes[step.name] = outcome
            if on_step is not None:
                on_step(outcome)
        return list(outcomes.values())


def market_data_steps(ingestion: MarketDataIngestion, silver: SilverTransforms) -> list[Step]:
    """The Bronze and Silver steps, with the same dependencies as the Dagster assets."""
    def bronze(connector: Connector) -> Step:
        return Step(f"bronze_{connector}", (), lambda s, e: ingestion.ingest(connector, s, e).fetched)

    return [
        *(bronze(c) for c in Connector),
        Step("silver_curves", ("bronze_b3", "bronze_treasury"), lambda s, e: silver.build_curves(s, e).rows),
        Step("silver_returns", ("bronze_b3", "bronze_treasury", "bronze_yahoo", "bronze_bcb_ptax", "silver_curves"),
             lambda s, e: silver.compute_returns(s, e).rows),
        Step("silver_macro", ("bronze_bcb_sgs", "bronze_fred"), lambda s, e: silver.compute_macro(s, e).rows),
    ]


def signal_steps(agents: AgentService, signals: SignalService) -> list[Step]:
    """The agent and signal steps, with the same dependencies as the Dagster assets."""
    def agent(name: str) -> Step:
        return Step(f"agent_{name}", agent_dependencies(name), lambda s, e: agents.run_agent(name, s, e).rows)

    return [
        *(agent(name) for name in AGENT_RUNNERS),
        Step("signal_aggregation", tuple(f"agent_{a}" for a in AGENT_RUNNERS),
             lambda s, e: signals.aggregate_signals(s, e).rows),
        Step("signal_monitor", ("signal_aggregation",), lambda s, e: signals.monitor_signals(s, e).rows),
    ]


def portfolio_steps(portfolio: PortfolioService) -> list[Step]:
    """The portfolio steps, with the same dependencies as the Dagster assets."""
    return [
        Step("portfolio_optimization", ("signal_aggregation", "silver_returns", "silver_curves"),
             lambda s, e: portfolio.optimise_targets(s, e).rows),
        Step("portfolio_sizing", ("portfolio_optimization", "bronze_b3", "bronze_treasury", "silver_returns",
                                  "signal_aggregation"), lambda s, e: portfolio.size_book(s, e).rows),
    ]


def risk_steps(risk: RiskService) -> list[Step]:
    """The risk steps, with the same dependencies as the Dagster assets."""
    return [
        Step("risk_var", ("portfolio_sizing", "silver_returns"), lambda s, e: risk.compute_var(s, e).rows),
        Step("risk_stress", ("portfolio_sizing",), lambda s, e: risk.run_stress(s, e).rows),
        Step("risk_limits", ("risk_var", "risk_stress", "portfolio_sizing"),
             lambda s, e: risk.evaluate_limits(s, e).rows),
    ]


REPORT_INPUTS = ("risk_var", "risk_stress", "risk_limits", "portfolio_sizing", "signal_monitor", "signal_aggregation",
                 "agent_inflation", "agent_monetary", "agent_fiscal", "agent_fx", "agent_cross_asset", "silver_curves")


def report_steps(report: ReportService) -> list[Step]:
    """The report step: it reads every layer."""
    return [Step("daily_report", REPORT_INPUTS, lambda s, e: report.assemble(s, e).rows)]
