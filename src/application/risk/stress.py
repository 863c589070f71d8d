"""The stress scenarios and reverse stress on one date's book, as ``stress_results`` rows."""

from typing import Any

from application.risk.book import BookDay
from domain.risk.stress import NOT_APPLIED_NO_EXPOSURE, STRESS_SCENARIOS, run_stress_tests


def stress_rows(book: BookDay) -> list[dict[str, Any]]:
    """One row per scenario: P&L (BRL and fraction of NAV), the multiple losing 10% of NAV (None when the
    scenario gains or the book is flat) and the shocked families the book has no exposure to (``CDS``...)."""
    results = run_stress_tests(book.matrix(), asset_classes=book.asset_classes, nav=book.nav,
                               scenarios=STRESS_SCENARIOS)
    return [{"date": book.day, "scenario": r.scenario, "pnl_brl": r.pnl, "pnl_pct_nav": r.pnl / book.nav,
             "reverse_multiple": r.reverse_multiple,
             "not_applied": ",".join(f.name for f, status in r.shock_status.items()
                                     if status == NOT_APPLIED_NO_EXPOSURE)}
            for r in results]
