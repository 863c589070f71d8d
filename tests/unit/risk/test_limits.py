"""Risk limits: the nine limits from a constructed book, breaches at 100% utilisation, circuit breakers."""

import pytest

from domain.risk import (
    BreakerAction,
    LimitInputs,
    LimitName,
    RiskInputError,
    RiskLimits,
    circuit_breaker,
    evaluate_limits,
)

NAV = 100_000_000.0


def book(**overrides: object) -> LimitInputs:
    values: dict[str, object] = {
        "nav": NAV, "var95": 2_400_000.0, "var99": 5_500_000.0, "drawdown": 0.04,
        "gross_notional_by_position": {"DI1F27": -120_000_000.0, "DOLZ26": 60_000_000.0, "INDZ26": 30_000_000.0},
        "gross_notional_by_asset_class": {"rates": 120_000_000.0, "fx": 60_000_000.0, "equity": 30_000_000.0},
        "var_contribution_by_strategy": {"di_carry": 2_750_000.0, "fx_value": 1_650_000.0, "ibov": 1_100_000.0},
        "daily_pnl_by_strategy": {"di_carry": -1_500_000.0, "fx_value": 400_000.0},
        "daily_pnl_by_asset_class": {"rates": -1_500_000.0, "fx": 400_000.0, "equity": -100_000.0},
    }
    values.update(overrides)
    return LimitInputs(**values)  # type: ignore[arg-type]


def by_name(inputs: LimitInputs, limits: RiskLimits | None = None) -> dict[LimitName, object]:
    return {s.limit: s for s in evaluate_limits(inputs, limits)}


def test_the_defaults_are_the_funds_nine_limits():
    limits = RiskLimits()

    assert [limits.threshold(n) for n in LimitName] == [0.03, 0.05, 0.10, 3.0, 0.25, 0.50, 0.20, 0.02, 0.03]


def test_every_limit_is_evaluated_once_in_order():
    assert [s.limit for s in evaluate_limits(book())] == list(LimitName)


@pytest.mark.parametrize(("limit", "value", "utilisation", "breached", "subject"), [
    (LimitName.VAR95, 0.024, 0.8, False, None),                    # 2.4mn / 100mn vs 3%
    (LimitName.VAR99, 0.055, 1.1, True, None),                     # 5.5mn / 100mn vs 5%
    (LimitName.DRAWDOWN, 0.04, 0.4, False, None),
    (LimitName.GROSS_LEVERAGE, 2.1, 0.7, False, None),             # (120 + 60 + 30) / 100 vs 3x
    (LimitName.SINGLE_POSITION, 1.2, 4.8, True, "DI1F27"),         # |-120mn| / 100mn vs 25%
    (LimitName.ASSET_CLASS_CONCENTRATION, 0.4, 0.8, False, "rates"),  # 120mn vs half of the 3x gross limit
    (LimitName.RISK_BUDGET_SHARE, 0.55, 2.75, True, "di_carry"),  # 2.75mn vs 20% of the 5mn VaR99 limit
    (LimitName.STRATEGY_DAILY_LOSS, 0.015, 0.75, False, "di_carry"),  # 1.5mn loss vs 2%
    (LimitName.ASSET_CLASS_DAILY_LOSS, 0.015, 0.5, False, "rates"),   # 1.5mn loss vs 3%
])
def test_each_limit_is_measured_from_the_book(limit, value, utilisation, breached, subject):
    status = by_name(book())[limit]

    assert status.value == pytest.approx(value, rel=1e-12)
    assert status.threshold == RiskLimits().threshold(limit)
    assert status.utilisation == pytest.approx(utilisation, rel=1e-12)
    assert status.breached is breached
    assert status.subject == subject


def test_a_value_exactly_at_its_threshold_is_a_breach():
    status = by_name(book(var95=3_000_000.0, drawdown=0.10))

    assert status[LimitName.VAR95].utilisation == pytest.approx(1.0)
    assert status[LimitName.VAR95].breached
    assert status[LimitName.DRAWDOWN].breached


def test_a_strategy_losing_2_5_percent_of_nav_breaches_at_125_percent():
    status = by_name(book(daily_pnl_by_strategy={"di_carry": -2_500_000.0}))[LimitName.STRATEGY_DAILY_LOSS]

    assert status.utilisation == pytest.approx(1.25)
    assert status.breached


def test_a_day_of_gains_uses_none_of_the_daily_loss_limits():
    status = by_name(book(daily_pnl_by_strategy={"di_carry": 300_000.0},
                          daily_pnl_by_asset_class={"rates": 300_000.0}))

    assert status[LimitName.STRATEGY_DAILY_LOSS].value == 0.0
    assert status[LimitName.STRATEGY_DAILY_LOSS].subject is None
    assert status[LimitName.ASSET_CLASS_DAILY_LOSS].utilisation == 0.0


def test_custom_thresholds_change_utilisation():
    status = by_name(book(), RiskLimits(gross_leverage=2.0))[LimitName.GROSS_LEVERAGE]

    assert status.utilisation == pytest.approx(1.05)
    assert status.breached


def test_inconsistent_gross_notionals_are_rejected():
    with pytest.raises(RiskInputError, match="disagree"):
        book(gross_notional_by_asset_class={"rates": 120_000_000.0})


def test_the_risk_budget_is_a_slice_of_the_var99_limit_and_follows_it():
    inputs = book(var_contribution_by_strategy={"di_carry": 900_000.0, "fx_value": 100_000.0})
    assert by_name(inputs)[LimitName.RISK_BUDGET_SHARE].value == pytest.approx(900_000 / (0.05 * NAV))
    assert by_name(inputs)[LimitName.RISK_BUDGET_SHARE].breached is False  # 0.18 of the limit, under 0.20
    tighter = by_name(inputs, RiskLimits(var99_nav=0.04))[LimitName.RISK_BUDGET_SHARE]
    assert tighter.value == pytest.approx(900_000 / (0.04 * NAV))
    assert tighter.breached is True  # 0.225


@pytest.mark.parametrize(("drawdown", "action", "reduction"), [
    (0.0299, None, None),
    (0.03, BreakerAction.REDUCE_GROSS_25, 0.25),
    (0.049, BreakerAction.REDUCE_GROSS_25, 0.25),
    (0.06, BreakerAction.REDUCE_GROSS_50, 0.50),
    (0.085, BreakerAction.FLATTEN, 1.0),
])
def test_circuit_breakers_cut_gross_at_3_5_and_8_percent_drawdown(drawdown, action, reduction):
    breaker = circuit_breaker(drawdown)

    if action is None:
        assert breaker is None
    else:
        assert breaker is not None
        assert (breaker.action, breaker.gross_reduction) == (action, reduction)


def test_circuit_breaker_levels_must_increase():
    breakers = RiskLimits().circuit_breakers

    with pytest.raises(RiskInputError, match="increase"):
        RiskLimits(circuit_breakers=(breakers[1], breakers[0]))
