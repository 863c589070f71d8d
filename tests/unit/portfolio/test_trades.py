"""Trade list: desk phrasing, directions, DI1 rate-convention notes and rolls."""

import pytest

from domain.book import Position
from domain.market.instruments import AssetClass
from domain.portfolio.errors import InvalidPortfolioInputError
from domain.portfolio.trades import Direction, Trade, describe_change, trade_list

RATES = AssetClass.RATES


def di1(ticker: str, contracts: int, generic: str = "DI1_2Y") -> Position:
    return Position(ticker, generic, contracts, RATES)


def test_a_larger_short_reads_increase_short_by_the_difference() -> None:
    trades = trade_list([di1("DI1F27", -30)], [di1("DI1F27", -50)], {"DI1_2Y": "Taylor gap: receive 2y"})
    assert trades == (Trade(instrument="DI1F27", generic="DI1_2Y", asset_class=RATES, direction=Direction.SELL,
                            contracts=20, from_contracts=-30, to_contracts=-50, rationale="Taylor gap: receive 2y",
                            sentence="Increase DI1F27 short by 20 contracts",
                            note="SELL DI1 = receive the rate: gains if rates fall"),)


@pytest.mark.parametrize(("start", "end", "sentence", "direction", "size"), [
    (10, 5, "Reduce DI1F27 long by 5 contracts", Direction.SELL, 5),
    (0, -20, "Open DI1F27 short of 20 contracts", Direction.SELL, 20),
    (20, 0, "Close DI1F27 long of 20 contracts", Direction.SELL, 20),
    (10, -15, "Reverse DI1F27 from long 10 to short 15 contracts", Direction.SELL, 25),
    (-15, -14, "Reduce DI1F27 short by 1 contract", Direction.BUY, 1),
    (-5, 5, "Reverse DI1F27 from short 5 to long 5 contracts", Direction.BUY, 10),
])
def test_each_kind_of_change_is_phrased_the_desk_way(start: int, end: int, sentence: str, direction: Direction,
                                                     size: int) -> None:
    current = [di1("DI1F27", start)] if start else []
    target = [di1("DI1F27", end)] if end else []
    (trade,) = trade_list(current, target)
    assert (trade.sentence, trade.direction, trade.contracts) == (sentence, direction, size)
    assert trade.note.startswith("BUY DI1 = pay the rate" if direction is Direction.BUY else "SELL DI1 = receive")


def test_a_contract_change_for_a_generic_closes_the_old_and_opens_the_new() -> None:
    trades = trade_list([di1("DI1F27", -30)], [di1("DI1F28", -30)], {"DI1_2Y": "carry"})
    assert [(t.sentence, t.direction, t.contracts) for t in trades] == [
        ("Close DI1F27 short of 30 contracts", Direction.BUY, 30),
        ("Open DI1F28 short of 30 contracts", Direction.SELL, 30),
    ]
    assert all("roll of DI1_2Y from DI1F27 to DI1F28" in t.note for t in trades)
    assert all(t.rationale == "carry" for t in trades)


def test_unchanged_positions_trade_nothing_and_bonds_are_counted_in_bonds() -> None:
    current = [di1("DI1F27", -30), Position("NTNB_20300815", "NTNB_5Y", 100, AssetClass.INFLATION)]
    target = [di1("DI1F27", -30), Position("NTNB_20300815", "NTNB_5Y", 1_100, AssetClass.INFLATION)]
    (trade,) = trade_list(current, target)
    assert trade.sentence == "Increase NTNB_20300815 long by 1000 bonds"
    assert (trade.direction, trade.note) == (Direction.BUY, "")


def test_trades_are_grouped_by_generic_in_target_order() -> None:
    current = [Position("DOLG25", "USDBRL", 10, AssetClass.FX), di1("DI1F26", 5, "DI1_1Y")]
    target = [di1("DI1F27", -40), Position("DOLG25", "USDBRL", 4, AssetClass.FX)]
    assert [t.sentence for t in trade_list(current, target)] == [
        "Open DI1F27 short of 40 contracts", "Reduce DOLG25 long by 6 contracts",
        "Close DI1F26 long of 5 contracts"]


def test_describing_no_change_is_an_error() -> None:
    with pytest.raises(InvalidPortfolioInputError, match="no change"):
        describe_change("DI1F27", 3, 3)
