"""Market Snapshot and Regime sections from hand-made panels and regime rows."""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from domain import panel as p
from domain.reporting import sections
from domain.reporting.cells import panel_rows, records
from domain.reporting.report import Section
from domain.reporting.sections import MARKET_SERIES

D0, D1 = date(2023, 12, 27), date(2023, 12, 28)


# The builders take plain rows; these tests write the panel and the stored regimes as frames.
def market_section(panel: pd.DataFrame, day: date) -> Section:
    return sections.market_section(panel_rows(panel), day)


def regime_section(regimes: pd.DataFrame, day: date) -> Section:
    return sections.regime_section(records(regimes), day)


def _panel() -> pd.DataFrame:
    rows = {
        p.DI_1Y: (0.1303, 0.1302), p.DI_2Y: (0.1290, 0.1285), p.DI_5Y: (0.1250, 0.1260), p.DI_10Y: (0.1200, np.nan),
        p.NTNB_REAL_5Y: (0.0750, 0.0750), p.BREAKEVEN_5Y: (0.0465, 0.0466), p.SELIC: (0.1325, 0.1325),
        p.IPCA_12M: (np.nan, 0.0679), p.FOCUS_IPCA_12M: (0.0503, 0.0503), p.USDBRL: (5.0, 5.1),
        p.IBOVESPA: (100_000.0, 99_000.0), p.SP500: (4_000.0, 4_040.0), p.VIX: (20.0, 19.0),
        p.US_UST_10Y: (0.0490, 0.0480),
    }
    index = pd.DatetimeIndex([pd.Timestamp(D0), pd.Timestamp(D1)], name="date")
    return pd.DataFrame(rows, index=index)


def test_market_snapshot_shows_rates_in_percent_with_bp_changes_and_prices_with_percent_changes() -> None:
    section = market_section(_panel(), D1)
    di = section.metric("DI pre 1Y")
    assert (di.unit, di.change_unit) == ("%", "bp")
    assert di.value == pytest.approx(13.02)
    assert di.change == pytest.approx(-1.0)
    assert section.metric("DI pre 5Y").change == pytest.approx(10.0)
    fx = section.metric("USD/BRL")
    assert (fx.value, fx.unit, fx.change_unit) == (5.1, "BRL/USD", "%")
    assert fx.change == pytest.approx(2.0)
    assert section.metric("Ibovespa").change == pytest.approx(-1.0)
    assert section.metric("UST 10Y").change == pytest.approx(-10.0)
    assert section.metric("IPCA 12m").change is None
    assert section.title == "Market Snapshot"


def test_market_snapshot_states_missing_levels_and_changes_instead_of_filling_them() -> None:
    section = market_section(_panel(), D1)
    assert section.gaps == ("DI pre 10Y: no value known on 2023-12-28",
                            "IPCA 12m: no value on 2023-12-27, so no 1-session change")
    with pytest.raises(KeyError):
        section.metric("DI pre 10Y")
    table = section.table("Levels and 1-session changes")
    assert table.column("series") == [s.label for s in MARKET_SERIES]
    row = dict(zip(table.column("series"), table.rows, strict=True))["DI pre 10Y"]
    assert row[:4] == ("DI pre 10Y", "%", pytest.approx(12.0), None) and row[4] is None
    assert section.commentary == (
        "On 2023-12-28 DI pre 1Y closed at 13.02% (-1bp), USD/BRL at 5.1000 (+2%) and Ibovespa at 99,000 (-1%). "
        "The largest rate move was UST 10Y at -10bp; the largest price move was VIX at -5%. "
        "Not available: DI pre 10Y.")


def test_market_snapshot_of_a_day_outside_the_panel_says_so() -> None:
    section = market_section(_panel(), date(2023, 12, 29))
    assert section.gaps == ("the point-in-time panel has no row for 2023-12-29",)
    assert section.metrics == ()
    assert section.commentary.startswith("No market levels are known on 2023-12-29.")


def _regimes() -> pd.DataFrame:
    rows = [(date(2023, 12, 20), 0.48, 0.40, 0.07, 0.05), (date(2023, 12, 27), 0.30, 0.55, 0.10, 0.05),
            (D1, 0.20, 0.62, 0.10, 0.08)]
    frame = pd.DataFrame(rows, columns=["date", "goldilocks", "reflation", "stagflation", "deflation"])
    frame["regime"] = frame[["goldilocks", "reflation", "stagflation", "deflation"]].idxmax(axis=1)
    return frame


def test_regime_section_compares_today_with_the_last_row_a_week_or_more_earlier() -> None:
    section = regime_section(_regimes(), D1)
    assert section.metric("Dominant regime").value == "reflation"
    reflation = section.metric("P(reflation)")
    assert reflation.value == pytest.approx(62.0)
    assert reflation.change == pytest.approx(22.0)
    assert reflation.change_unit == "pp"
    table = section.table("Regime probabilities")
    assert table.column("regime") == ["goldilocks", "reflation", "stagflation", "deflation"]
    assert table.column("week ago (%)") == pytest.approx([48.0, 40.0, 7.0, 5.0])
    assert section.gaps == ()
    assert section.commentary == (
        "Reflation is the dominant regime at 62% (goldilocks 20%, stagflation 10%, deflation 8%). "
        "On 2023-12-20 goldilocks led at 48%; reflation has moved +22pp since.")


def test_regime_section_without_probabilities_states_the_gap_and_makes_no_call() -> None:
    empty = _regimes().iloc[0:0]
    section = regime_section(empty, D1)
    assert section.gaps == ("regime probabilities not computed for 2023-12-28",
                            "no regime probabilities on or before 2023-12-21 for the week-ago comparison")
    assert section.metrics == () and section.tables == ()
    assert "no regime call" in section.commentary
    only_today = regime_section(_regimes().iloc[1:], D1)
    assert only_today.metric("P(goldilocks)").change is None
    assert only_today.commentary.endswith("No probabilities are stored from a week earlier to compare with.")
