"""The risk engine: VaR/CVaR (historical, parametric, Monte Carlo), component VaR, backtesting,
stress tests, risk limits and drawdowns. Pure functions over exposures and factor histories.

Inputs are the exposure matrix :math:`S` (positions x factors, BRL per +1 unit of each factor, from
:class:`~domain.book.Sensitivity` records) and daily factor changes :math:`X` (dates x factors, in
each factor's unit). Portfolio P&L scenarios are :math:`X s` with :math:`s = \\sum_i S_i`. Every VaR
and CVaR is a positive BRL loss.
"""

from domain.risk.backtest import (
    KupiecTest,
    TrafficLight,
    count_exceptions,
    kupiec_pof,
    traffic_light,
    traffic_light_bounds,
    var_exceptions,
)
from domain.risk.component import ComponentVar, aggregate_components, component_var
from domain.risk.copula import copula_correlation, estimate_copula_dof, t_copula_loglik
from domain.risk.errors import CorrelationRepairWarning, GarchConvergenceWarning, RiskInputError
from domain.risk.exposure import exposure_matrix, factor_covariance, pnl_history, portfolio_exposure
from domain.risk.garch import FittedMarginals, fit_marginals, gaussian_marginals, update_marginals
from domain.risk.limits import (
    DEFAULT_CIRCUIT_BREAKERS,
    BreakerAction,
    CircuitBreaker,
    LimitInputs,
    LimitName,
    LimitStatus,
    RiskLimits,
    circuit_breaker,
    evaluate_limits,
)
from domain.risk.montecarlo import copula_to_innovations, monte_carlo_var, scenario_pnl, simulate, to_horizon
from domain.risk.stress import (
    NOT_APPLIED_NO_EXPOSURE,
    STRESS_SCENARIOS,
    StressResult,
    StressScenario,
    apply_stress,
    reverse_stress_multiple,
    run_stress_tests,
)
from domain.risk.var import (
    CONFIDENCE_LEVELS,
    HORIZONS_DAYS,
    VarMethod,
    VarResult,
    empirical_var,
    historical_var,
    parametric_var,
    portfolio_volatility,
)

__all__ = [
    "CONFIDENCE_LEVELS",
    "DEFAULT_CIRCUIT_BREAKERS",
    "HORIZONS_DAYS",
    "NOT_APPLIED_NO_EXPOSURE",
    "STRESS_SCENARIOS",
    "BreakerAction",
    "CircuitBreaker",
    "ComponentVar",
    "CorrelationRepairWarning",
    "FittedMarginals",
    "GarchConvergenceWarning",
    "KupiecTest",
    "LimitInputs",
    "LimitName",
    "LimitStatus",
    "RiskInputError",
    "RiskLimits",
    "StressResult",
    "StressScenario",
    "TrafficLight",
    "VarMethod",
    "VarResult",
    "aggregate_components",
    "apply_stress",
    "circuit_breaker",
    "component_var",
    "copula_correlation",
    "copula_to_innovations",
    "count_exceptions",
    "empirical_var",
    "estimate_copula_dof",
    "evaluate_limits",
    "exposure_matrix",
    "factor_covariance",
    "fit_marginals",
    "gaussian_marginals",
    "historical_var",
    "kupiec_pof",
    "monte_carlo_var",
    "parametric_var",
    "pnl_history",
    "portfolio_exposure",
    "portfolio_volatility",
    "reverse_stress_multiple",
    "run_stress_tests",
    "scenario_pnl",
    "simulate",
    "t_copula_loglik",
    "to_horizon",
    "traffic_light",
    "traffic_light_bounds",
    "update_marginals",
    "var_exceptions",
]
