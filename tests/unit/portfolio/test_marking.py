"""Mark-to-market P&L of one session per instrument type, to the centavo against hand computations."""

from datetime import date

import pytest

from domain.errors import DataGapError
from domain.market.calendar import is_b3_session
from domain.portfolio.attribution import attribute_day
from domain.portfolio.costs import CostSchedule, trade_cost
from domain.portfolio.marking import (
    HeldPosition,
    SessionMarket,
    Settlement,
    accrual_days,
    cdi_factor,
    change_since,
    mark_book,
    mark_position,
    ntnb_coupon,
    pnl_components,
)

MON, TUE = date(2025, 6, 2), date(2025, 6, 3)
CDI = 0.050788  # % a day, about 13.65% a year
CENTAVO = 0.005


def market(previous: dict[str, Settlement], today: dict[str, Settlement], **kw: object) -> SessionMarket:
    return SessionMarket(previous_day=MON, day=TUE, previous=previous, today=today, **kw)  # type: ignore[arg-type]


def test_a_receiver_di1_with_unchanged_rates_earns_its_carry_over_the_cdi() -> None:
    # DI1F27 at 14.00% both days: du 399 then 398 to 2027-01-04; PU = 100000 / 1.14^(du/252) rounded to the
    # centavo: 81,264.46 then 81,306.72. Short 100 (dado, long PU): AD = 100 x (81,306.72 - 81,264.46 x 1.00050788).
    held = HeldPosition("DI1F27", -100, "DI_PRE:504", -100 * 13.0)
    pnl = mark_position(held, market({"DI1F27": Settlement(81_264.46, 0.14)}, {"DI1F27": Settlement(81_306.72, 0.14)},
                                     cdi_factor=cdi_factor([CDI]), factor_changes={"DI_PRE:504": 0.0}))
    assert pnl.total == pytest.approx(98.74, abs=CENTAVO)
    # All of it is carry (the rate did not move), up to the PU rounding: 100 contracts x half a centavo.
    assert pnl.carry_roll == pytest.approx(98.74, abs=0.5)
    assert pnl.factor_move == 0.0
    assert pnl.total == pytest.approx(pnl.factor_move + pnl.carry_roll + pnl.residual, abs=1e-9)


def test_a_payer_di1_gains_when_its_rate_rises_in_the_rate_convention() -> None:
    # Long 10 (tomado) DI1F27: PU falls from 81,264.46 to 81,100.00: AD = -10 x (81,100.00 - 81,264.46 x FC).
    held = HeldPosition("DI1F27", 10, "DI_PRE:504", 10 * 13.0)
    pnl = mark_position(held, market({"DI1F27": Settlement(81_264.46, 0.14)}, {"DI1F27": Settlement(81_100.00, 0.1415)},
                                     cdi_factor=1.00050788))
    assert pnl.total == pytest.approx(-10 * (81_100.00 - 81_264.46 * 1.00050788), abs=CENTAVO)
    assert pnl.total == pytest.approx(2057.33, abs=CENTAVO)


def test_a_short_dol_earns_the_rate_differential_when_spot_is_unchanged() -> None:
    # Spot 5.50, DI 14.9%, cupom 5%: DOLN25 = 1000 S (1.149)^(du/252) / (1 + 0.05 dc/360), du 20 -> 19, dc 29 -> 28:
    # 5,538.654 then 5,536.368 (DOLQ25, du 43 and dc 60: 5,585.361). Short 10 DOL at R$50 a point:
    # -10 x (5,536.368 - 5,538.654) x 50 = +1,143.00.
    held = HeldPosition("DOLN25", -10, "USDBRL", -10 * 50_000 * 5.5 / 100)
    before = {"DOLN25": Settlement(5_538.654), "DOLQ25": Settlement(5_585.361)}
    pnl = mark_position(held, market(before, {"DOLN25": Settlement(5_536.368)}, factor_changes={"USDBRL": 0.0}))
    assert pnl.total == pytest.approx(1_143.00, abs=CENTAVO)
    assert pnl.carry_roll > 0.8 * pnl.total  # the calendar spread explains most of it
    assert pnl.total == pytest.approx(pnl.factor_move + pnl.carry_roll + pnl.residual, abs=1e-9)


def test_wdo_and_ind_and_win_earn_settlement_changes_times_their_point_values() -> None:
    before = {"WDON25": Settlement(5_538.654), "INDQ25": Settlement(135_000.0), "WINQ25": Settlement(135_000.0)}
    today = {"WDON25": Settlement(5_560.154), "INDQ25": Settlement(136_250.0), "WINQ25": Settlement(136_250.0)}
    marks = mark_book([HeldPosition("WDON25", 3, "USDBRL", 1.0), HeldPosition("INDQ25", 5, "IBOVESPA", 1.0),
                       HeldPosition("WINQ25", -10, "IBOVESPA", 1.0)], market(before, today))
    assert marks["WDON25"].total == pytest.approx(3 * 21.5 * 10, abs=CENTAVO)       # R$645.00
    assert marks["INDQ25"].total == pytest.approx(5 * 1_250 * 1.0, abs=CENTAVO)     # R$6,250.00
    assert marks["WINQ25"].total == pytest.approx(-10 * 1_250 * 0.2, abs=CENTAVO)   # -R$2,500.00


def test_an_ntnb_with_an_unchanged_real_yield_earns_its_vna_accrual_less_cdi_funding() -> None:
    # 1,000 bonds, 4,381.12 -> 4,383.02 at 6.50% real both days: 1000 x (4,383.02 - 4,381.12 x 1.00050788).
    held = HeldPosition("NTNB_20300815", 1_000, "NTNB_REAL:1260", -1_000 * 1.9)
    pnl = mark_position(held, market({"NTNB_20300815": Settlement(4_381.12, 0.065)},
                                     {"NTNB_20300815": Settlement(4_383.02, 0.065)}, cdi_factor=1.00050788,
                                     factor_changes={"NTNB_REAL:1260": 0.0}))
    assert pnl.total == pytest.approx(-325.08, abs=CENTAVO)
    assert pnl.carry_roll == pytest.approx(pnl.total, abs=1e-6)  # nothing moved but time
    assert pnl.residual == pytest.approx(0.0, abs=1e-6)


def test_an_ntnb_pays_its_semiannual_coupon_on_the_vna_in_the_session_that_spans_it() -> None:
    # 6% a year paid as 1.06^(1/2) - 1 of the VNA: 4,400 x 0.029563014 = R$130.08 per bond.
    assert ntnb_coupon("NTNB_20300815", date(2025, 8, 14), date(2025, 8, 15), 4_400.0) == pytest.approx(130.08,
                                                                                                     abs=CENTAVO)
    assert ntnb_coupon("NTNB_20300815", date(2025, 2, 14), date(2025, 2, 17), 4_400.0) == pytest.approx(130.08,
                                                                                                     abs=CENTAVO)
    assert ntnb_coupon("NTNB_20300815", date(2025, 8, 15), date(2025, 8, 18), 4_400.0) == 0.0


def test_a_ust_move_on_a_b3_holiday_is_booked_on_the_next_b3_session() -> None:
    # 2021-04-21 (Tiradentes): B3 closed, US open; the 10-year fell 5bp then 2bp on 04-22. 58 contracts short
    # the yield at R$-22,451 per bp earn -22,451 x (-5 - 2) = R$157,157 on 2021-04-22, not R$44,902.
    assert not is_b3_session(date(2021, 4, 21))
    moves = {date(2021, 4, 20): 1.0, date(2021, 4, 21): -5.0, date(2021, 4, 22): -2.0}
    change = change_since(moves, date(2021, 4, 20), date(2021, 4, 22))
    assert change == -7.0
    session = SessionMarket(previous_day=date(2021, 4, 20), day=date(2021, 4, 22), previous={}, today={},
                            ust_yield_change_bp=change)
    pnl = mark_position(HeldPosition("UST10", 58, "UST:3652", -22_451.0), session)
    assert pnl.total == pytest.approx(157_157.00, abs=CENTAVO)
    assert pnl.component == "rate" and pnl.factor_move == pnl.total


def test_the_cdi_accrues_over_every_anbima_business_day_between_two_sessions() -> None:
    # 2024-12-23 (Mon) to 2024-12-26 (Thu): 23 and 24 Dec are ANBIMA business days (B3 closes the 24th), 25th not.
    assert accrual_days(date(2024, 12, 23), date(2024, 12, 26)) == [date(2024, 12, 23), date(2024, 12, 24)]
    assert cdi_factor([CDI, CDI]) == pytest.approx(1.00050788 ** 2, rel=1e-15)


def test_a_held_instrument_without_a_settlement_is_a_data_gap() -> None:
    with pytest.raises(DataGapError, match="DI1F27"):
        mark_position(HeldPosition("DI1F27", 1, "DI_PRE:504", 1.0), market({"DI1F27": Settlement(81_000.0, 0.14)}, {}))


def test_costs_are_fees_plus_half_the_spread_per_contract() -> None:
    costs = CostSchedule()
    # DI1: 20 x (R$0.91 + 0.5bp x R$25/bp) = R$268.20; DOL: 3 x (US$0.97 x 5.50 + 0.25 pt x R$50) = R$53.505.
    assert trade_cost("DI1F27", -20, bp_value=25.0, usdbrl=5.5, schedule=costs) == pytest.approx(268.20, abs=CENTAVO)
    assert trade_cost("DOLN25", 3, bp_value=0.0, usdbrl=5.5, schedule=costs) == pytest.approx(53.505, abs=1e-9)
    assert trade_cost("INDQ25", 2, bp_value=0.0, usdbrl=None, schedule=costs) == pytest.approx(7.00, abs=CENTAVO)
    assert trade_cost("WINQ25", -4, bp_value=0.0, usdbrl=None, schedule=costs) == pytest.approx(3.00, abs=CENTAVO)


def test_attribution_with_costs_and_components_sums_to_the_net_pnl_in_every_dimension() -> None:
    before = {"DI1F27": Settlement(81_264.46, 0.14), "INDQ25": Settlement(135_000.0), "INDV25": Settlement(137_900.0)}
    today = {"DI1F27": Settlement(81_230.00, 0.1405), "INDQ25": Settlement(136_250.0)}
    marks = mark_book([HeldPosition("DI1F27", -100, "DI_PRE:504", -1_300.0),
                       HeldPosition("INDQ25", 5, "IBOVESPA", 6_750.0)],
                      market(before, today, cdi_factor=1.00050788, factor_changes={"DI_PRE:504": 4.0,
                                                                                   "IBOVESPA": 0.9}))
    components = pnl_components(marks.values())
    assert sum(components.values()) == pytest.approx(sum(m.total for m in marks.values()), abs=1e-9)
    assert components["rate"] == pytest.approx(-1_300.0 * 4.0) and components["equity"] == pytest.approx(6_750 * 0.9)
    costs = {"DI1F27": 26.82, "DOLN25": 17.84}
    rows = attribute_day({i: m.total for i, m in marks.items()},
                         {"DI1F27": "rates", "INDQ25": "equity", "DOLN25": "fx"},
                         {"DI1F27": "DI1_2Y", "INDQ25": "IBOV", "DOLN25": "USDBRL"},
                         {"DI1_2Y": {"di1_slope": 0.25, "di1_carry_rolldown": 0.75}}, costs=costs,
                         cost_weights={"USDBRL": {"usdbrl_carry": 1.0}}, components=components)
    net = sum(m.total for m in marks.values()) - sum(costs.values())
    for dimension in ("instrument", "asset_class", "strategy", "component"):
        assert sum(v for d, _, v in rows if d == dimension) == pytest.approx(net, abs=1e-9), dimension
    assert ("component", "costs", -44.66) in [(d, b, round(v, 2)) for d, b, v in rows]
