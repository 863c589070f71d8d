"""Sizing weights into whole contracts, with sensitivities in the book's sign convention."""

from datetime import date

import pytest

from domain.book import Position, Sensitivity
from domain.market.calendar import business_days
from domain.market.di1 import di1_dv01
from domain.market.instruments import AssetClass
from domain.portfolio.bonds import ntnb_coupon_days, ntnb_dv01, par_bond_modified_duration
from domain.portfolio.errors import InvalidPortfolioInputError
from domain.portfolio.exposure import return_scales
from domain.portfolio.sizing import SizingMarket, book_sensitivities, choose_di1_contract, size_book

AS_OF = date(2025, 1, 2)
# Business days from 2 Jan 2025: DI1F26 252, DI1F27 501, DI1N27 624, DI1F28 752, DI1J28 815, DI1F30 1249.
DI1 = {"DI1F26": 0.1510, "DI1F27": 0.1525, "DI1N27": 0.1530, "DI1F28": 0.1530, "DI1J28": 0.1532,
       "DI1F30": 0.1520}
NTNB = {"NTNB_20290515": 0.0720, "NTNB_20300815": 0.0715, "NTNB_20350515": 0.0700}
MARKET = SizingMarket(as_of=AS_OF, di1_rates=DI1, ntnb_yields=NTNB, ntnb_vna=4_400.0, usdbrl=5.0,
                      fx_contract="DOLG25", ibovespa=125_000.0, equity_contract="INDG25", ust10_yield=0.045)
SCALES = return_scales({"DI1_1Y": 0.151, "DI1_2Y": 0.1525, "DI1_3Y": 0.153, "DI1_5Y": 0.152, "DI1_10Y": 0.15,
                        "NTNB_5Y": 0.0718, "UST10": 0.045})
NAV = 100_000_000.0


def test_di1_contracts_times_dv01_reproduce_the_target_risk_within_half_a_contract() -> None:
    book = size_book({"DI1_2Y": -0.4}, MARKET, SCALES, nav=NAV)
    target = -0.4 * NAV * (504 / 252) / 1.1525 * 1e-4  # BRL per bp; negative: short DI1 = receiver
    dv01 = di1_dv01(0.1525, 501)  # DI1F27, nearest January to 504 business days
    assert book.instruments == {"DI1_2Y": "DI1F27"}
    assert book.targets["DI1_2Y"] == pytest.approx(target)
    assert book.positions == (Position("DI1F27", "DI1_2Y", round(target / dv01), AssetClass.RATES),)
    contracts = book.positions[0].contracts
    # R$-6,941.6 per bp / R$13.01 per contract (PU 75,416 x 1.988y / 1.1525 x 1bp) = -533.6 -> -534.
    assert contracts == -534
    assert abs(contracts * dv01 * 1 - target) <= dv01 / 2
    assert book.sensitivities == (Sensitivity("DI1F27", "DI_PRE:504", contracts * dv01),)


def test_a_long_di1_is_long_the_rate_and_gains_when_rates_rise() -> None:
    book = size_book({"DI1_5Y": 0.1}, MARKET, SCALES, nav=NAV)
    assert book.positions[0].instrument == "DI1F30"
    assert book.positions[0].contracts > 0
    assert book.sensitivities[0].brl_per_unit > 0


def test_january_contracts_are_preferred_unless_told_otherwise() -> None:
    market = SizingMarket(as_of=AS_OF, di1_rates={"DI1F27": 0.15, "DI1N27": 0.15, "DI1J28": 0.15})
    assert choose_di1_contract(756, market) == "DI1F27"  # 501 days: the only January
    assert choose_di1_contract(756, market, prefer_january=False) == "DI1J28"  # 815 days, 59 away


def test_ntnb_bonds_are_sized_by_dv01_and_a_long_bond_loses_when_real_yields_rise() -> None:
    book = size_book({"NTNB_5Y": 0.2}, MARKET, SCALES, nav=NAV)
    # Nearest to 1260 business days: NTNB_20300815 (1405) against NTNB_20290515 (1091).
    bond = "NTNB_20300815"
    assert business_days(AS_OF, date(2030, 8, 15)) == 1405
    dv01 = ntnb_dv01(0.0715, ntnb_coupon_days(AS_OF, bond), 4_400.0)
    target = 0.2 * NAV * SCALES["NTNB_5Y"]
    position = book.positions[0]
    assert position.instrument == bond
    assert position.contracts == round(target / -dv01) > 0
    assert abs(position.contracts * -dv01 - target) <= dv01 / 2
    assert book.sensitivities[0].brl_per_unit == pytest.approx(-position.contracts * dv01)


def test_usd_notional_goes_in_dol_with_the_remainder_in_wdo() -> None:
    # 12.34% of R$100mm = R$12.34mm = US$2.468mm at 5.00 -> 246.8 -> 247 WDO = 49 DOL + 2 WDO.
    book = size_book({"USDBRL": 0.1234}, MARKET, SCALES, nav=NAV)
    assert book.positions == (Position("DOLG25", "USDBRL", 49, AssetClass.FX),
                              Position("WDOG25", "USDBRL", 2, AssetClass.FX))
    assert [s.brl_per_unit for s in book.sensitivities] == pytest.approx([49 * 50_000 * 5.0 * 0.01,
                                                                          2 * 10_000 * 5.0 * 0.01])
    short = size_book({"USDBRL": -0.1234}, MARKET, SCALES, nav=NAV)
    assert [p.contracts for p in short.positions] == [-49, -2]
    whole = size_book({"USDBRL": 0.1234}, MARKET, SCALES, nav=NAV, use_minis=False)
    assert [(p.instrument, p.contracts) for p in whole.positions] == [("DOLG25", 49)]  # 49.36 -> 49


def test_ibovespa_notional_goes_in_ind_with_the_remainder_in_win() -> None:
    # R$5.03mm / (125,000 x R$0.20) = 201.2 -> 201 WIN = 40 IND + 1 WIN.
    book = size_book({"IBOV": 0.0503}, MARKET, SCALES, nav=NAV)
    assert [(p.instrument, p.contracts) for p in book.positions] == [("INDG25", 40), ("WING25", 1)]
    assert book.achieved["IBOV"] == pytest.approx((40 * 125_000 + 125_000 * 0.2) * 0.01)


def test_ust_futures_are_the_brl_notional_over_us_100k_and_a_short_gains_when_yields_rise() -> None:
    book = size_book({"UST10": -0.3}, MARKET, SCALES, nav=NAV)
    assert [(p.instrument, p.contracts) for p in book.positions] == [("UST10", -60)]  # R$30mm / (US$100k x 5)
    duration = par_bond_modified_duration(0.045, 10)
    assert book.sensitivities[0].brl_per_unit == pytest.approx(60 * 100_000 * 5.0 * duration * 1e-4)


def test_a_current_book_gets_sensitivities_from_the_same_contract_specs() -> None:
    current = [Position("DI1F26", "DI1_1Y", -100, AssetClass.RATES),
               Position("INDG25", "IBOV", 10, AssetClass.EQUITY)]
    sens = book_sensitivities(current, MARKET)
    assert sens[0] == Sensitivity("DI1F26", "DI_PRE:252", -100 * di1_dv01(0.151, 252))
    assert sens[1] == Sensitivity("INDG25", "IBOVESPA", 10 * 125_000 * 1.0 * 0.01)


def test_zero_weights_hold_nothing_and_missing_market_data_is_named() -> None:
    assert size_book({"DI1_2Y": 0.0}, MARKET, SCALES).positions == ()
    with pytest.raises(InvalidPortfolioInputError, match="market lacks USD/BRL"):
        size_book({"USDBRL": 0.1}, SizingMarket(as_of=AS_OF, fx_contract="DOLG25"), SCALES)
    with pytest.raises(InvalidPortfolioInputError, match="no listed DI1"):
        size_book({"DI1_2Y": 0.1}, SizingMarket(as_of=AS_OF), SCALES)
