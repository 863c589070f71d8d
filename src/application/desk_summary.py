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


def _brl(value: float) -> str:
    return f"R$ {value:,.0f}"


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
        summary.sections.update(self._book(session))
        summary.sections["Connectors"] = [
            (str(c), f"{connectors[c].status}, {connectors[c].rows} rows, data to {connectors[c].latest_data_date}"
             if c in connectors else "no run for this session") for c in Connector]
        return summary

    def _book(self, session: date) -> dict[str, list[tuple[str, str]]]:
        with self._uow() as uow:
            nav = uow.book.read("book_nav", session, session)
            risk = uow.book.read("risk_metrics", session, session)
            limits = uow.book.read("limit_status", session, session)
            signals = uow.signals.aggregated(session, session)
            trades = uow.book.read("trades", session, session)
            report = uow.reports.get(session)
        sections: dict[str, list[tuple[str, str]]] = {}
        if nav.empty:
            sections["Model book"] = [("status", f"no book for {session} (not enough history yet)")]
            return sections
        row = nav.iloc[0]
        book = [("NAV", _brl(float(row["nav"]))), ("P&L today", f"{_brl(float(row['pnl']))} "
                                                               f"({float(row['daily_return']):+.2%})"),
                ("Drawdown from peak", f"{float(row['drawdown']):.2%}"),
                ("Gross leverage", f"{float(row['gross_leverage']):.2f}x")]
        for method in ("historical", "monte_carlo"):
            var = risk[(risk["method"] == method) & (risk["confidence"] == 0.99) & (risk["horizon_days"] == 1)]
            book.append((f"VaR 99% 1-day ({method.replace('_', ' ')})",
                         f"{_brl(float(var['var_brl'].iloc[0]))} ({float(var['var_pct_nav'].iloc[0]):.2%} of NAV)"
                         if not var.empty else "not computed"))
        breached = limits[limits["breached"].astype(bool)] if not limits.empty else limits
        book.append(("Limits breached", ", ".join(breached["limit_name"]) if not breached.empty else "none"))
        sections["Model book"] = book
        top = signals.reindex(signals["signal"].abs().sort_values(ascending=False).index).head(5)
        sections["Top signals"] = [(str(g), f"{float(v):+.2f} (confidence {float(c):.2f})") for g, v, c in zip(
            top["generic"].tolist(), top["signal"].tolist(), top["confidence"].tolist(), strict=True)] or [
            ("signals", "none today")]
        sections["Trades"] = [(str(t.instrument), str(t.sentence)) for t in trades.itertuples()] or [
            ("trades", "none: the book is unchanged")]
        sections["Daily report"] = [("stored", f"daily_reports table, session {report.day}, "
                                               f"{len(report.content):,} bytes JSON") if report else
                                    ("stored", "not assembled for this session")]
        return sections
