

def test_a_days_pnl_is_split_by_instrument_asset_class_and_strategy_weights() -> None:
    from domain.portfolio.attribution import attribute_day

    rows = attribute_day({"DI1F27": -300.0, "DOLF27": 100.0},
                         {"DI1F27": "rates", "DOLF27": "fx"}, {"DI1F27": "DI1_1Y", "DOLF27": "USDBRL"},
                         {"DI1_1Y": {"taylor": 0.75, "carry": 0.25}})
    assert sorted(rows) == sorted([("instrument", "DI1F27", -300.0), ("instrument", "DOLF27", 100.0),
                                   ("asset_class", "rates", -300.0), ("asset_class", "fx", 100.0),
                                   ("strategy", "taylor", -225.0), ("strategy", "carry", -75.0),
                                   ("strategy", "unattributed", 100.0)])
