"""The report model: validation of its values and an exact JSON round trip."""

import json
from datetime import UTC, date, datetime

import pytest

from domain.reporting.report import (
    SCHEMA_VERSION,
    SECTION_TITLES,
    DailyReport,
    Metric,
    Section,
    Table,
    assemble_report,
    new_section,
)

DAY = date(2023, 12, 28)
AT = datetime(2023, 12, 29, 9, 0, tzinfo=UTC)


def _sections() -> list[Section]:
    table = Table("Levels", ("series", "close", "flag", "note"),
                  (("DI pre 1Y", 13.02, True, None), ("VIX", 26, False, "x")))
    return [new_section(key, f"{title} commentary.", [Metric("m", 1.5, "%", -2.0, "bp")], [table], [f"gap {key}"],
                        ["a note"]) for key, title in SECTION_TITLES.items()]


def test_a_report_survives_a_json_round_trip_unchanged() -> None:
    report = DailyReport(DAY, AT, tuple(_sections()))
    text = report.to_json()
    again = DailyReport.from_json(text)
    assert again == report
    data = json.loads(text)
    assert data["schema_version"] == SCHEMA_VERSION == 1
    assert data["day"] == "2023-12-28"
    assert data["sections"][0]["tables"][0]["rows"][0] == ["DI pre 1Y", 13.02, True, None]
    assert [s["title"] for s in data["sections"]] == ["Market Snapshot", "Regime", "Agent Views", "Signals",
                                                      "Portfolio", "Risk", "Actions"]


def test_the_report_lists_every_gap_in_section_order() -> None:
    report = DailyReport(DAY, AT, tuple(_sections()))
    assert report.gaps == [f"gap {k}" for k in SECTION_TITLES]
    assert report.section("risk").title == "Risk"
    assert report.section("risk").table("Levels").column("close") == [13.02, 26]
    assert report.section("risk").metric("m").change == -2.0


def test_assemble_report_puts_sections_in_report_order() -> None:
    shuffled = list(reversed(_sections()))
    assert [s.key for s in assemble_report(DAY, AT, shuffled).sections] == list(SECTION_TITLES)
    with pytest.raises(ValueError, match="need each of"):
        assemble_report(DAY, AT, shuffled[1:])


def test_a_report_rejects_missing_or_misordered_sections_and_naive_timestamps() -> None:
    sections = _sections()
    with pytest.raises(ValueError, match="in order"):
        DailyReport(DAY, AT, tuple(reversed(sections)))
    with pytest.raises(ValueError, match="timezone-aware"):
        DailyReport(DAY, datetime(2023, 12, 29, 9, 0), tuple(sections))


def test_another_schema_version_is_refused_rather_than_misread() -> None:
    data = DailyReport(DAY, AT, tuple(_sections())).to_dict()
    data["schema_version"] = 2
    with pytest.raises(ValueError, match="schema version 2 is not readable"):
        DailyReport.from_dict(data)


def test_tables_reject_nan_wrong_row_lengths_and_non_plain_cells() -> None:
    with pytest.raises(ValueError, match="must be finite"):
        Table("t", ("a",), ((float("nan"),),))
    with pytest.raises(ValueError, match="row 0 has 2 cells for 1 columns"):
        Table("t", ("a",), ((1, 2),))
    with pytest.raises(ValueError, match="plain value"):
        Table("t", ("a",), ((date(2023, 1, 2),),))
    with pytest.raises(ValueError, match="unique"):
        Table("t", ("a", "a"), ())


def test_metrics_and_sections_reject_empty_or_non_finite_content() -> None:
    with pytest.raises(ValueError, match="finite"):
        Metric("VaR", float("inf"), "%")
    with pytest.raises(ValueError, match="finite"):
        Metric("VaR", 1.0, "%", float("nan"), "bp")
    with pytest.raises(ValueError, match="value must be"):
        Metric("VaR", None, "%")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="commentary"):
        new_section("risk", "  ")
    with pytest.raises(ValueError, match="unknown section key"):
        Section("weather", "Weather", "Sunny.")
