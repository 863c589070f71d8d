"""The report's charts: one pure function per chart, from the stored report's tables to a plotly figure.

No arithmetic happens here beyond reading cells: every series is a table of the stored report (see
:mod:`domain.reporting.series`). A chart whose table is absent or empty is returned as a stated gap,
never as an empty or invented figure.
"""

from collections.abc import Callable
from dataclasses import dataclass

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from domain.reporting import DailyReport, Table
from domain.reporting.series import DI_CURVES, NAV_HISTORY, REGIME_HISTORY, VAR_HISTORY

HEATMAP = "Heatmap: mean strategy signal (asset class x strategy)"
STRESS = "Stress scenarios"
BY_STRATEGY, BY_CLASS = "P&L by strategy", "P&L by asset class"
_FONT = {"family": "Helvetica, Arial, sans-serif", "size": 12}
_WIDTH, _HEIGHT = 860, 380


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart of one section: its figure, or the gap that stands in for it."""

    key: str
    section: str
    title: str
    figure: go.Figure | None
    gap: str | None = None


def _table(report: DailyReport, section: str, title: str) -> Table | None:
    for table in report.section(section).tables:
        if table.title == title:
            return table if table.rows else None
    return None


def _layout(figure: go.Figure, title: str, height: int = _HEIGHT) -> go.Figure:
    figure.update_layout(title={"text": title, "x": 0.01}, font=_FONT, width=_WIDTH, height=height,
                         margin={"l": 60, "r": 20, "t": 50, "b": 40}, template="plotly_white",
                         legend={"orientation": "h", "y": -0.15})
    return figure


def equity_curve(report: DailyReport) -> go.Figure | None:
    """NAV (BRL) year to date above the underwater drawdown (% below the running peak)."""
    table = _table(report, "portfolio", NAV_HISTORY)
    if table is None:
        return None
    days = table.column("date")
    figure = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.65, 0.35], vertical_spacing=0.06)
    figure.add_trace(go.Scatter(x=days, y=table.column("NAV (BRL)"), name="NAV (BRL)", line={"color": "#1f4e79"}),
                     row=1, col=1)
    figure.add_trace(go.Scatter(x=days, y=table.column("drawdown (%)"), name="drawdown (%)", fill="tozeroy",
                                line={"color": "#b22222"}), row=2, col=1)
    figure.update_yaxes(title_text="BRL", row=1, col=1)
    figure.update_yaxes(title_text="%", row=2, col=1)
    return _layout(figure, "Equity curve and underwater drawdown (year to date)", 420)


def pnl_attribution(report: DailyReport) -> go.Figure | None:
    """Day P&L (BRL) by strategy and by asset class, side by side."""
    by_strategy, by_class = _table(report, "portfolio", BY_STRATEGY), _table(report, "portfolio", BY_CLASS)
    if by_strategy is None and by_class is None:
        return None
    figure = make_subplots(rows=1, cols=2, subplot_titles=("by strategy", "by asset class"), horizontal_spacing=0.25)
    for column, table in ((1, by_strategy), (2, by_class)):
        if table is None:
            continue
        values = table.column("P&L (BRL)")
        figure.add_trace(go.Bar(y=table.column(table.columns[0]), x=values, orientation="h", showlegend=False,
                                marker={"color": ["#2e7d32" if (v or 0) >= 0 else "#c62828" for v in values]}),
                         row=1, col=column)
    figure.update_xaxes(title_text="BRL")
    return _layout(figure, "Day P&L attribution")


def var_history(report: DailyReport) -> go.Figure | None:
    """1-day 99% VaR by method against its limit (% of NAV), with the backtest exceptions marked."""
    table = _table(report, "risk", VAR_HISTORY)
    if table is None:
        return None
    days = table.column("date")
    figure = go.Figure()
    for column, colour in (("historical (% NAV)", "#1f4e79"), ("parametric (% NAV)", "#6a8caf"),
                           ("Monte Carlo (% NAV)", "#e69f00")):
        figure.add_trace(go.Scatter(x=days, y=table.column(column), name=column.split(" (")[0], mode="lines",
                                    line={"color": colour}))
    figure.add_trace(go.Scatter(x=days, y=table.column("limit (% NAV)"), name="VaR99 limit", mode="lines",
                                line={"color": "#b22222", "dash": "dash"}))
    losses = [(d, -p) for d, p, e in zip(days, table.column("P&L (% NAV)"), table.column("exception"), strict=True)
              if e == 1.0 and isinstance(p, int | float)]
    figure.add_trace(go.Scatter(x=[d for d, _ in losses], y=[v for _, v in losses], mode="markers",
                                name=f"exceptions ({len(losses)}): loss beyond the previous VaR",
                                marker={"symbol": "x", "size": 10, "color": "#000000"}))
    figure.update_yaxes(title_text="% of NAV")
    return _layout(figure, "VaR 99% 1-day against its limit, with backtest exceptions")


def stress_bars(report: DailyReport) -> go.Figure | None:
    """Stress-scenario P&L (% of NAV), each bar labelled with its reverse-stress multiple."""
    table = _table(report, "risk", STRESS)
    if table is None:
        return None
    multiples = table.column("reverse multiple (x)")
    values = table.column("P&L (% NAV)")
    labels = [f"x{m:.1f} to the loss limit" if isinstance(m, int | float) else "no reverse multiple"
              for m in multiples]
    figure = go.Figure(go.Bar(y=table.column("scenario"), x=values, orientation="h", text=labels,
                              textposition="auto",
                              marker={"color": ["#2e7d32" if (v or 0) >= 0 else "#c62828" for v in values]}))
    figure.update_xaxes(title_text="P&L, % of NAV")
    return _layout(figure, "Stress scenarios (bars) and reverse-stress multiples (labels)",
                   max(_HEIGHT, 60 + 28 * len(values)))



def signal_heatmap(report: DailyReport) -> go.Figure | None:
    """Mean strategy signal per asset class x strategy on a diverging scale centred on 0 (-1..+1)."""
    table = _table(report, "signals", HEATMAP)
    if table is None or all(v is None for row in table.rows for v in row[1:]):
        return None
    strategies = list(table.columns[1:])
    classes = table.column(table.columns[0])
    z = [[v if isinstance(v, int | float) else None for v in row[1:]] for row in table.rows]
    figure = go.Figure(go.Heatmap(z=z, x=strategies, y=classes, zmin=-1.0, zmid=0.0, zmax=1.0,
                                  colorscale="RdBu", hoverongaps=False,
                                  colorbar={"title": {"text": "signal"}}))
    figure.update_xaxes(tickangle=-35)
    return _layout(figure, "Signal heatmap (+1 full long, -1 full short; blank: no signal)", 420)


def di_curves(report: DailyReport) -> go.Figure | None:
    """The DI pre curve today against one week and one month ago (% a year, BUS/252)."""
    table = _table(report, "market_snapshot", DI_CURVES)
    if table is None:
        return None
    figure = go.Figure()
    for column, dash in zip(table.columns[1:], ("solid", "dash", "dot"), strict=False):
        figure.add_trace(go.Scatter(x=table.column("tenor"), y=table.column(column), name=column.replace(" (%)", ""),
                                    mode="lines+markers", line={"dash": dash}))
    figure.update_yaxes(title_text="% a year")
    return _layout(figure, "DI pre curve: today, one week and one month ago")


def regime_history(report: DailyReport) -> go.Figure | None:
    """Regime probabilities over time, stacked to 100%."""
    table = _table(report, "regime", REGIME_HISTORY)
    if table is None:
        return None
    figure = go.Figure()
    for column in table.columns[1:]:
        figure.add_trace(go.Scatter(x=table.column("date"), y=table.column(column), name=column.replace(" (%)", ""),
                                    stackgroup="regimes", mode="lines"))
    figure.update_yaxes(title_text="%", range=[0, 100])
    return _layout(figure, "Regime probabilities over time")


CHARTS: tuple[tuple[str, str, str, Callable[[DailyReport], go.Figure | None]], ...] = (
    ("di_curves", "market_snapshot", "DI pre curve: today, one week and one month ago", di_curves),
    ("regime_history", "regime", "Regime probabilities over time", regime_history),
    ("signal_heatmap", "signals", "Signal heatmap", signal_heatmap),
    ("equity_curve", "portfolio", "Equity curve and drawdown", equity_curve),
    ("pnl_attribution", "portfolio", "Day P&L attribution", pnl_attribution),
    ("var_history", "risk", "VaR against its limit, with backtest exceptions", var_history),
    ("stress", "risk", "Stress scenarios and reverse-stress multiples", stress_bars),
)
"""Every chart of the report: key, section, title and the function that draws it, in report order."""


def report_charts(report: DailyReport) -> list[Chart]:
    """Every chart of ``report``, a stated gap in place of each one whose data the report lacks."""
    out = []
    for key, section, title, draw in CHARTS:
        figure = draw(report)
        gap = None if figure is not None else f"{title}: chart not drawn, the report carries no data for it"
        out.append(Chart(key, section, title, figure, gap))
    return out
