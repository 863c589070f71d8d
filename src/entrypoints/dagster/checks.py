"""Asset checks: connector freshness, complete curves, leverage within limits, sane VaR."""

from datetime import date

import dagster as dg

from application.quality import CheckVerdict
from domain.market.bronze import Connector
from entrypoints.container import Container

_RANGE_END = "dagster/asset_partition_range_end"
# Check steps are named "<asset>_<check>"; the run history records assets, Dagster keeps the check verdicts.
CHECK_NAMES = ("data_is_fresh", "no_nan_in_curves", "weights_within_leverage_limit", "var_is_finite_and_positive")
_PARTITION = "dagster/partition"


def _checked_day(context: dg.AssetCheckExecutionContext) -> date:
    """The session the run computed (the last of a range)."""
    tags = context.run.tags
    value = tags.get(_PARTITION) or tags.get(_RANGE_END)
    if value is None:
        raise dg.Failure("asset check outside a partitioned run: no session to check")
    return date.fromisoformat(value)


def _result(verdict: CheckVerdict) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=verdict.passed, description=verdict.description,
                               metadata=dict(verdict.metadata),
                               severity=dg.AssetCheckSeverity.ERROR)


def _freshness(connector: Connector) -> dg.AssetChecksDefinition:
    @dg.asset_check(asset=f"bronze_{connector}", name="data_is_fresh",
                    description=f"The {connector} fetch succeeded and its newest data is recent enough.")
    def _check(context: dg.AssetCheckExecutionContext, macrodesk: dg.ResourceParam[Container]) -> dg.AssetCheckResult:
        return _result(macrodesk.data_quality().connector_freshness(connector, _checked_day(context)))

    return _check


@dg.asset_check(asset="silver_curves", name="no_nan_in_curves",
                description="Every Silver curve has vertices for the session and none is NaN.")
def no_nan_in_curves(context: dg.AssetCheckExecutionContext,
                     macrodesk: dg.ResourceParam[Container]) -> dg.AssetCheckResult:
    """Curves complete and finite."""
    return _result(macrodesk.data_quality().curves_complete(_checked_day(context)))


@dg.asset_check(asset="portfolio_optimization", name="weights_within_leverage_limit",
                description="The target weights' gross leverage is within the limit.")
def weights_within_leverage_limit(context: dg.AssetCheckExecutionContext,
                                  macrodesk: dg.ResourceParam[Container]) -> dg.AssetCheckResult:
    """Gross leverage within the limit."""
    return _result(macrodesk.data_quality().weights_within_leverage(_checked_day(context)))


@dg.asset_check(asset="risk_var", name="var_is_finite_and_positive",
                description="Every VaR and CVaR is finite and positive, and CVaR is at least VaR.")
def var_is_finite_and_positive(context: dg.AssetCheckExecutionContext,
                               macrodesk: dg.ResourceParam[Container]) -> dg.AssetCheckResult:
    """VaR sane."""
    return _result(macrodesk.data_quality().var_finite_positive(_checked_day(context)))


def asset_checks() -> list[dg.AssetChecksDefinition]:
    """Every asset check of the code location."""
    return [*(_freshness(c) for c in Connector), no_nan_in_curves, weights_within_leverage_limit,
            var_is_finite_and_positive]
