"""Data-quality checks behind the Dagster asset checks: each returns a verdict with its evidence."""

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from application.ports import UnitOfWork
from domain.market.bronze import Connector
from domain.market.freshness import connector_freshness
from domain.risk.limits import RiskLimits

REQUIRED_CURVES = ("DI_PRE", "NTNB_REAL", "BR_BREAKEVEN", "UST_NOMINAL_STD")


@dataclass(frozen=True, slots=True)
class CheckVerdict:
    """Passed or not, why, and the numbers behind it."""

    passed: bool
    description: str
    metadata: dict[str, float | int | str] = field(default_factory=dict)


class DataQualityService:
    """Checks of one session's stored outputs."""

    def __init__(self, uow: Callable[[], UnitOfWork], *, limits: RiskLimits | None = None) -> None:
        self._uow = uow
        self._leverage = (limits or RiskLimits()).gross_leverage

    def connector_freshness(self, connector: Connector, day: date) -> CheckVerdict:
        """The connector's run for ``day`` succeeded and its newest data is at most N sessions older."""
        with self._uow() as uow:
            runs = [r for r in uow.pipeline_runs.connector_runs(connector) if r.partition_date == day]
        if not runs:
            return CheckVerdict(False, f"{connector}: no run recorded for {day}")
        run = runs[0]
        if run.status != "success" or run.latest_data_date is None:
            return CheckVerdict(False, f"{connector}: run for {day} {run.status}: {run.error or 'no data'}")
        freshness = connector_freshness(connector, run.latest_data_date, day)
        lag, allowed = freshness.lag_sessions, freshness.allowed_sessions
        return CheckVerdict(freshness.fresh, f"{connector}: latest data {run.latest_data_date}, {lag} session(s) "
                                            f"behind {day} (allowed {allowed})",
                            {"lag_sessions": lag, "allowed_sessions": allowed, "rows": run.rows})

    def curves_complete(self, day: date) -> CheckVerdict:
        """Every Silver curve has vertices on ``day`` and none is NaN or infinite."""
        with self._uow() as uow:
            points = uow.curves.between(list(REQUIRED_CURVES), day, day)
        missing = [c for c in REQUIRED_CURVES if c not in set(points["curve_id"])]
        bad = int((~points["rate"].map(lambda r: math.isfinite(float(r)))).sum()) if not points.empty else 0
        return CheckVerdict(not missing and bad == 0,
                            f"curves on {day}: missing {missing or 'none'}, non-finite rates {bad}",
                            {"vertices": len(points), "non_finite": bad, "missing_curves": len(missing)})

    def weights_within_leverage(self, day: date) -> CheckVerdict:
        """The target weights' gross leverage is within the limit."""
        with self._uow() as uow:
            weights = uow.book.read("portfolio_weights", day, day)
        if weights.empty:
            return CheckVerdict(False, f"no target weights for {day}")
        gross = float(weights["weight"].abs().sum())
        return CheckVerdict(gross <= self._leverage * (1 + 1e-6),
                            f"gross leverage {gross:.3f}x on {day} (limit {self._leverage:.1f}x)",
                            {"gross_leverage": round(gross, 6), "limit": self._leverage})

    def var_finite_positive(self, day: date) -> CheckVerdict:
        """Every VaR and CVaR of ``day`` is finite and positive, and CVaR >= VaR."""
        with self._uow() as uow:
            metrics = uow.book.read("risk_metrics", day, day)
        if metrics.empty:
            return CheckVerdict(False, f"no VaR computed for {day}")
        values = metrics[["var_brl", "cvar_brl"]].to_numpy(float)
        finite_positive = bool(((values > 0) & (values < float("inf"))).all())
        ordered = bool((metrics["cvar_brl"] >= metrics["var_brl"] - 1e-6).all())
        return CheckVerdict(finite_positive and ordered,
                            f"{len(metrics)} VaR figures on {day}: finite and positive {finite_positive}, "
                            f"CVaR >= VaR {ordered}", {"figures": len(metrics)})
