"""Stress scenarios through sensitivities (DV01 x bp, delta x %), by position and asset class; reverse stress."""

import pandas as pd
import pytest

from domain.book import FactorFamily, Sensitivity
from domain.market.instruments import AssetClass
from domain.risk import (
    NOT_APPLIED_NO_EXPOSURE,
    STRESS_SCENARIOS,
    RiskInputError,
    StressScenario,
    apply_stress,
    exposure_matrix,
    reverse_stress_multiple,
    run_stress_tests,
)

NAV = 100_000_000.0
# Sensitivities in BRL per +1bp / +1%, with the book's sign convention (long DI1 gains when rates rise):
#   DI1F27 short 100 contracts, DV01 R$13.50 (2y at 14%)       -> -1,350 per bp of DI_PRE:504
#   DI1F30 long 40 contracts, DV01 R$22.80 (5y)                 -> +912 per bp of DI_PRE:1260
#   DOLZ26 long 20 contracts x US$50,000 x 5.40 BRL/US$ x 1%   -> +54,000 per % of USDBRL
#   INDZ26 long 10 contracts x 130,000 points x R$1 x 1%       -> +13,000 per % of IBOVESPA
#   NTN-B 2030 long (a bond: loses when the real yield rises)  -> -800 per bp of NTNB_REAL:1260
#   UST10 long                                                  -> -300 per bp of UST:3652
BOOK = exposure_matrix([
    Sensitivity("DI1F27", "DI_PRE:504", -100 * 13.50),
    Sensitivity("DI1F30", "DI_PRE:1260", 40 * 22.80),
    Sensitivity("DOLZ26", "USDBRL", 20 * 50_000 * 5.40 * 0.01),
    Sensitivity("INDZ26", "IBOVESPA", 10 * 130_000 * 1.0 * 0.01),
    Sensitivity("NTNB_20300815", "NTNB_REAL:1260", -800.0),
    Sensitivity("UST10", "UST:3652", -300.0),
])
CLASSES = {"DI1F27": AssetClass.RATES, "DI1F30": AssetClass.RATES, "DOLZ26": AssetClass.FX,
           "INDZ26": AssetClass.EQUITY, "NTNB_20300815": AssetClass.INFLATION, "UST10": AssetClass.GLOBAL_RATES}
SCENARIO = {s.name: s for s in STRESS_SCENARIOS}


def test_the_six_domain_scenarios_carry_their_shocks_in_bp_and_percent():
    assert list(SCENARIO) == ["Taper tantrum 2013", "Brazil crisis 2015", "Covid 2020", "Rate shock 2022",
                              "Brazil fiscal crisis", "Global risk-off"]
    assert dict(SCENARIO["Taper tantrum 2013"].shocks) == {
        FactorFamily.USDBRL: 15.0, FactorFamily.DI_PRE: 200.0, FactorFamily.NTNB_REAL: 150.0,
        FactorFamily.IBOVESPA: -15.0, FactorFamily.UST: 100.0}
    assert SCENARIO["Brazil fiscal crisis"].shocks[FactorFamily.CDS] == 40.0
    assert SCENARIO["Global risk-off"].shocks[FactorFamily.UST] == -50.0
    assert SCENARIO["Covid 2020"].shocks[FactorFamily.OIL] == -50.0


def test_taper_tantrum_pnl_is_dv01_times_bp_plus_delta_times_percent():
    result = apply_stress(BOOK, SCENARIO["Taper tantrum 2013"], asset_classes=CLASSES, nav=NAV)

    assert result.pnl_by_position.to_dict() == pytest.approx({
        "DI1F27": -1_350 * 200, "DI1F30": 912 * 200, "DOLZ26": 54_000 * 15, "INDZ26": 13_000 * -15,
        "NTNB_20300815": -800 * 150, "UST10": -300 * 100})
    assert result.pnl == pytest.approx(-270_000 + 182_400 + 810_000 - 195_000 - 120_000 - 30_000)
    assert result.pnl == pytest.approx(377_400.0)


def test_scenario_pnl_is_also_reported_by_asset_class():
    result = apply_stress(BOOK, SCENARIO["Brazil crisis 2015"], asset_classes=CLASSES, nav=NAV)

    assert result.pnl_by_asset_class.to_dict() == pytest.approx({
        "rates": (-1_350 + 912) * 400, "fx": 54_000 * 30, "equity": 13_000 * -25, "inflation": -800 * 250,
        "global_rates": 0.0})
    assert result.pnl_by_asset_class.sum() == pytest.approx(result.pnl)


def test_a_shock_to_every_di_vertex_moves_all_of_them():
    book = exposure_matrix([Sensitivity("DI1F26", "DI_PRE:252", 100.0), Sensitivity("DI1F35", "DI_PRE:2520", 50.0)])

    result = apply_stress(book, SCENARIO["Rate shock 2022"], asset_classes={"DI1F26": AssetClass.RATES,
                                                                            "DI1F35": AssetClass.RATES}, nav=NAV)

    assert result.pnl == pytest.approx((100.0 + 50.0) * 500)


def test_the_cds_shock_is_kept_but_reported_as_not_applied_without_exposure():
    result = apply_stress(BOOK, SCENARIO["Brazil fiscal crisis"], asset_classes=CLASSES, nav=NAV)

    assert result.shock_status[FactorFamily.CDS] == NOT_APPLIED_NO_EXPOSURE == "not applied: no exposure"
    assert result.shock_status[FactorFamily.DI_PRE] == "applied"
    assert result.pnl == pytest.approx((-1_350 + 912) * 350 + 54_000 * 25 - 800 * 150 + 13_000 * -18)


def test_families_the_book_does_not_hold_are_reported_as_not_applied():
    result = apply_stress(BOOK, SCENARIO["Covid 2020"], asset_classes=CLASSES, nav=NAV)

    assert result.shock_status[FactorFamily.SP500] == NOT_APPLIED_NO_EXPOSURE
    assert result.shock_status[FactorFamily.OIL] == NOT_APPLIED_NO_EXPOSURE
    assert result.shock_status[FactorFamily.USDBRL] == "applied"


def test_reverse_stress_finds_the_multiple_that_loses_ten_percent_of_nav():
    receiver_short_usd = exposure_matrix([Sensitivity("DI1F27", "DI_PRE:504", -1_350.0),
                                          Sensitivity("DOLZ26", "USDBRL", -54_000.0)])
    classes = {"DI1F27": AssetClass.RATES, "DOLZ26": AssetClass.FX}

    result = apply_stress(receiver_short_usd, SCENARIO["Rate shock 2022"], asset_classes=classes, nav=NAV)

    assert result.pnl == pytest.approx(-1_350 * 500 - 54_000 * 25)  # -2,025,000
    assert result.reverse_multiple == pytest.approx(10_000_000 / 2_025_000)
    assert result.reverse_multiple * result.pnl == pytest.approx(-0.10 * NAV)


def test_a_scenario_the_book_gains_from_has_no_reverse_multiple():
    result = apply_stress(BOOK, SCENARIO["Taper tantrum 2013"], asset_classes=CLASSES, nav=NAV)

    assert result.reverse_multiple is None
    assert reverse_stress_multiple(0.0, NAV) is None
    assert reverse_stress_multiple(-2_000_000.0, NAV, loss_fraction=0.05) == pytest.approx(2.5)


def test_run_stress_tests_returns_one_result_per_scenario_in_order():
    results = run_stress_tests(BOOK, asset_classes=CLASSES, nav=NAV)

    assert [r.scenario for r in results] == list(SCENARIO)


def test_a_position_without_an_asset_class_is_rejected():
    with pytest.raises(RiskInputError, match="UST10"):
        apply_stress(BOOK, SCENARIO["Covid 2020"], asset_classes={k: v for k, v in CLASSES.items() if k != "UST10"},
                     nav=NAV)


def test_a_scenario_without_shocks_is_rejected():
    with pytest.raises(RiskInputError, match="at least one shock"):
        StressScenario("Nothing", {})


def test_an_empty_book_loses_nothing_in_any_scenario():
    empty = pd.DataFrame(columns=list(BOOK.columns), dtype=float)

    result = apply_stress(empty, SCENARIO["Covid 2020"], asset_classes={}, nav=NAV)

    assert result.pnl == 0.0
    assert set(result.shock_status.values()) == {NOT_APPLIED_NO_EXPOSURE}
