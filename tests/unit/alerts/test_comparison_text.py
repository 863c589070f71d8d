"""Alert messages print the compared numbers so that the comparison reads true."""

import pytest

from domain.alerts.evaluation import comparison_text


@pytest.mark.parametrize(("value", "threshold", "decimals", "expected"), [
    (2.5, 2.0, 1, ("2.5", "2.0")),        # the usual case keeps one decimal
    (0.0552, 0.01, 1, ("0.055", "0.010")),  # not "0.1% > 0.0%"
    (3.04, 3.0, 1, ("3.04", "3.00")),      # not "3.0% > 3.0%"
    (104.3, 100.0, 0, ("104", "100")),     # utilisation in whole percent
    (100.4, 100.0, 0, ("100.4", "100.0")),  # not "100% > 100%"
    (12.0, None, 1, ("12.0", "n/a")),
])
def test_the_decimals_grow_until_the_numbers_read_as_compared(value: float, threshold: float | None,
                                                              decimals: int, expected: tuple[str, str]) -> None:
    assert comparison_text(value, threshold, decimals) == expected
