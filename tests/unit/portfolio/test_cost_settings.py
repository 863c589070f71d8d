"""Transaction costs are configured in settings and reach the model book's cost schedule."""

import pytest

from domain.portfolio.costs import CostSchedule, InstrumentCost, trade_cost
from entrypoints.container import build_container
from entrypoints.settings import Settings


def test_costs_set_in_the_environment_reach_the_book_cost_schedule(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MACRODESK_TRANSACTION_COSTS", '{"DI1": {"fee_brl": 2.0, "half_spread": 1.0}}')
    settings = Settings(data_dir=tmp_path)
    schedule = build_container(settings).cost_schedule()
    assert schedule == CostSchedule({"DI1": InstrumentCost(fee_brl=2.0, half_spread=1.0)})
    # 10 x (R$2.00 + 1bp x R$30/bp) = R$320.00; DOL is no longer charged.
    assert trade_cost("DI1F27", 10, bp_value=30.0, usdbrl=5.0, schedule=schedule) == pytest.approx(320.0)
    assert trade_cost("DOLF27", 10, bp_value=0.0, usdbrl=5.0, schedule=schedule) == 0.0


def test_the_default_costs_are_b3_fees_and_half_a_tick() -> None:
    schedule = build_container(Settings()).cost_schedule()
    assert schedule == CostSchedule()
    assert schedule.by_root["DI1"] == InstrumentCost(fee_brl=0.91, half_spread=0.5)


def test_a_negative_cost_is_rejected() -> None:
    with pytest.raises(ValueError):
        Settings(transaction_costs={"DI1": {"fee_brl": -1.0}})
