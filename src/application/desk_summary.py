"""A short text summary of one session for the terminal: what the demo and operators look at first."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from application.ports import UnitOfWork
from domain.market.bronze import Connector

_DI_TENORS = {252: "1Y", 504: "2Y", 1260: "5Y", 2520: "10Y"}
_LEVELS = {"BR_SELIC_TARGET": ("Selic target", "{:.2f}%"), "BR_PTAX_SELL": ("USD/BRL PTAX", "{:.4f}"),
           "MKT_IBOVESPA": ("Ibovespa", "{:,.0f}")}


@dataclass(frozen=True, slots=True)
class DeskSummary:
    """Named sections of ``(label, value)`` lines."""

    session: date
    sections: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def render(self) -> str:
        """Plain text, one section after another."""
        lines = [f"Session {self.session.isoformat()}"]
        for title, rows in self.sections.items():
            lines.append(f"  {title}")
            lines += [f"    {label:<28} {value}" for label, value in rows]
        return "\n".join(lines)


class DeskSummaryService:
    """Reads the stores and assembles the summary; reports gaps instead of inventing numbers."""

    def __init__(self, uow: Callable[[], UnitOfWork]) -> None:
        self._uow = uow

    def summarise(self, session: date) -> DeskSummary:
        """The market snapshot and connector status of ``session``."""
        summary = DeskSummary(session)
        with self._uow() as uow:
            curve = uow.curves.between(["DI_PRE"], session, session)
            levels = uow.observations.as_of(list(_LEVELS), date(session.year - 1, 1, 1), session, as_of=session)
            features = uow.macro_features.known_between(session, session)
            connectors = {r.connector: r for r in uow.pipeline_runs.connector_runs() if r.partition_date == session}
        market: list[tuple[str, str]] = []
        for tenor, name in _DI_TENORS.items():
            row = curve[curve["tenor_days"] == tenor]
            market.append((f"DI pre {name}", f"{row['rate'].iloc[0]:.2%}" if not row.empty else "missing"))
        for series_id, (label, fmt) in _LEVELS.items():
            rows = levels[levels["series_id"] == series_id]
            market.append((label, fmt.format(rows["value"].iloc[-1]) if not rows.empty else "missing"))
        ipca = features[(features["series_id"] == "BR_IPCA_MOM") & (features["feature"] == "ipca_12m")]
        market.append(("IPCA 12m (latest known)", f"{ipca['value'].iloc[-1]:.2f}%" if not ipca.empty else "missing"))
        summary.sections["Market snapshot"] = market
        summary.sections["Connectors"] = [
            (str(c), f"{connectors[c].status}, {connectors[c].rows} rows, data to {connectors[c].latest_data_date}"
             if c in connectors else "no run for this session") for c in Connector]
        return summary
