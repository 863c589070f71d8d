"""The daily report as structured data: the model (report), the section builders and their commentary.

Seven sections per session (Market Snapshot, Regime, Agent Views, Signals, Portfolio, Risk, Actions),
each built by a pure function from the stored layers; rendering and delivery read the result.
"""

from domain.reporting.book_sections import DI1_CONVENTION, actions_section, portfolio_section, risk_section
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
from domain.reporting.sections import (
    MARKET_SERIES,
    agents_section,
    market_section,
    regime_section,
    signals_section,
)

__all__ = [
    "DI1_CONVENTION",
    "MARKET_SERIES",
    "SCHEMA_VERSION",
    "SECTION_TITLES",
    "DailyReport",
    "Metric",
    "Section",
    "Table",
    "actions_section",
    "agents_section",
    "assemble_report",
    "market_section",
    "new_section",
    "portfolio_section",
    "regime_section",
    "risk_section",
    "signals_section",
]
