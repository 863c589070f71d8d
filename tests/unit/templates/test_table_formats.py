"""Report table cells: one precision per column, no non-zero number printed as zero, mixed columns by cell."""

from adapters.templates.formats import num, signed, table_cells


def texts(rows: list[tuple[object, ...]]) -> list[list[str]]:
    return [[text for _, text in row] for row in table_cells(rows)]


def test_a_column_of_small_changes_reads_at_one_precision_that_shows_its_smallest_value() -> None:
    # Smallest non-zero 0.002971: floor(log10) = -3, so 1 + 3 = 4 decimals for the whole column.
    rows = [("DI1_1Y", -0.02), ("DI1_2Y", -0.003047), ("DI1_3Y", -0.002971), ("DI1_5Y", -0.01)]
    assert texts(rows) == [["DI1_1Y", "-0.0200"], ["DI1_2Y", "-0.0030"], ["DI1_3Y", "-0.0030"],
                           ["DI1_5Y", "-0.0100"]]


def test_a_column_in_thousands_drops_decimals_unless_it_mixes_in_small_numbers() -> None:
    assert texts([("a", -10_680.2), ("b", -117.88)]) == [["a", "-10,680"], ["b", "-118"]]
    # 0.3 in whole units would read 0: the column falls back to the cell-by-cell format.
    assert texts([("a", 1_500.0), ("b", 0.3)]) == [["a", "1,500"], ["b", "0.3"]]
    # Levels in their own units: a DI rate keeps its decimals beside the S&P 500.
    assert texts([("DI pre 1Y", 10.9), ("DI pre 2Y", 10.84), ("S&P 500", 5_027.9)]) == [
        ["DI pre 1Y", "10.90"], ["DI pre 2Y", "10.84"], ["S&P 500", "5,028"]]


def test_a_column_of_mixed_quantities_gets_four_significant_digits_per_cell() -> None:
    # Model diagnostics: a variance of 4.8e-06 next to a VIX of 26.76 (ratio > 1e4); Selic 10.25% as a decimal.
    rows = [("r_star_variance", 4.8e-06), ("selic", 0.1025), ("vix", 26.76), ("hy_oas", None)]
    rows.append(("debt_5y_baseline", 1.2))
    assert texts(rows) == [["r_star_variance", "4.8e-06"], ["selic", "0.1025"], ["vix", "26.76"],
                           ["hy_oas", "n/a"], ["debt_5y_baseline", "1.20"]]


def test_integers_booleans_and_text_keep_their_own_formats_beside_a_float_column() -> None:
    assert texts([("DOLF25", 11, True, 5.1075), ("WDOF25", 2_000, False, 5.11)]) == [
        ["DOLF25", "11", "yes", "5.11"], ["WDOF25", "2,000", "no", "5.11"]]
    assert table_cells([]) == []


def test_a_headline_number_that_its_decimals_would_round_to_zero_keeps_two_significant_digits() -> None:
    assert (num(-0.003047), signed(0.0019), num(0.0)) == ("-0.003", "+0.0019", "0.00")
    assert (num(0.04, "bp"), num(0.4, "BRL"), num(143_524.4, "BRL"), num(-2.63, "bp")) == (
        "0.04", "0.4", "143,524", "-2.6")
    assert num(6.1715, "BRL/USD") == "6.1715"  # FX quoted to four decimals, as in the commentary
