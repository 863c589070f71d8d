"""The daily report as a web page, an e-mail and a Slack summary (jinja2 + plotly + kaleido).

The stored JSON is the only input: it is parsed into the domain report, the charts are drawn from its
tables (:mod:`adapters.charts.figures`), and the templates only lay out what the report says.
"""

import logging
from collections.abc import Mapping
from datetime import UTC
from functools import cache
from pathlib import Path
from typing import Any

import plotly
import plotly.io as pio
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from adapters.charts.export import KaleidoPngExporter
from adapters.charts.figures import Chart, report_charts
from adapters.templates import formats, view
from adapters.templates.slack import slack_summary
from application.messages import EmailContent, InlineImage, SlackContent
from application.ports import StaticAsset, StoredReport
from domain.market.calendar import SAO_PAULO
from domain.reporting import DailyReport

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
ASSETS: dict[str, tuple[Path, str]] = {
    "plotly.min.js": (PLOTLY_JS, "text/javascript; charset=utf-8"),
    "report.css": (HERE / "report.css", "text/css; charset=utf-8"),
}
"""Static files the page needs, served by the API itself (no CDN): name -> (path, media type)."""
EMAIL_IMAGE_WIDTH = 640


@cache
def _asset_bytes(name: str) -> bytes:
    return ASSETS[name][0].read_bytes()


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE), undefined=StrictUndefined, trim_blocks=False,
                      autoescape=select_autoescape(enabled_extensions=("html", "html.j2"),
                                                   default_for_string=True, default=False))
    env.filters.update(num=formats.num, signed=formats.signed, cells=formats.table_cells)
    env.globals.update(zip=zip)
    return env


class JinjaReportRenderer:
    """Renders a stored report as a page, an e-mail (HTML with ``cid:`` PNGs, plus text) and Slack blocks."""

    def __init__(self, exporter: KaleidoPngExporter, *, assets_path: str = "/api/v1/reports/static",
                 report_path: str = "/api/v1/reports/daily") -> None:
        self._exporter = exporter
        self._assets = assets_path
        self._reports = report_path
        self._env = _environment()

    @property
    def export_failures(self) -> int:
        """Charts whose PNG export failed or timed out since this renderer was built."""
        return self._exporter.failures

    def asset(self, name: str) -> StaticAsset | None:
        """The static file ``name`` (``plotly.min.js``, ``report.css``), or None."""
        if name not in ASSETS:
            return None
        return StaticAsset(name, _asset_bytes(name), ASSETS[name][1])

    def _context(self, report: DailyReport) -> dict[str, Any]:
        charts = report_charts(report)
        by_section: dict[str, list[Chart]] = {s.key: [] for s in report.sections}
        for chart in charts:
            by_section[chart.section].append(chart)
        return {"h": view.headline(report), "sections": report.sections, "charts": by_section,
                "chart_gaps": {k: [c.gap for c in v if c.gap] for k, v in by_section.items()},
                "chart_data": view.CHART_DATA, "css": Markup(_asset_bytes("report.css").decode()),
                # The desk reads São Paulo time; UTC beside it is what the logs and the JSON carry.
                "generated_at": f"{report.generated_at.astimezone(SAO_PAULO):%Y-%m-%d %H:%M} São Paulo "
                                f"({report.generated_at.astimezone(UTC):%H:%M} UTC)"}

    def _page(self, stored: StoredReport, *, inline: bool) -> str:
        report = DailyReport.from_json(stored.content)
        context = self._context(report)
        config = {"displaylogo": False, "responsive": True}
        # plotly's own HTML for each figure (its JSON is serialised by plotly, strings inside are data).
        chart_html = {c.key: Markup(pio.to_html(c.figure, full_html=False, include_plotlyjs=False,
                                                div_id=f"chart-{c.key}", config=config))
                      for group in context["charts"].values() for c in group if c.figure is not None}
        context.update(chart_html=chart_html, inline=inline, assets=self._assets,
                       plotly_js=Markup(_asset_bytes("plotly.min.js").decode()) if inline else "",
                       json_url=f"{self._reports}/{report.day.isoformat()}?format=json")
        return self._env.get_template("page.html.j2").render(context)

    def page(self, report: StoredReport) -> str:
        """The web page: interactive plotly charts, stylesheet and plotly.js from the API's static route."""
        return self._page(report, inline=False)

    def document(self, report: StoredReport) -> str:
        """The same page as one self-contained file (stylesheet and plotly.js inline), to open from disk."""
        return self._page(report, inline=True)

    def email(self, report: StoredReport, *, report_url: str) -> EmailContent:
        """Subject, plain text and HTML whose charts are inline ``cid:`` PNGs exported in one browser session."""
        self._exporter.prepare()  # a cold browser starts while the figures are built
        parsed = DailyReport.from_json(report.content)
        context = self._context(parsed)
        drawn = [(c.key, c.figure) for group in context["charts"].values() for c in group if c.figure is not None]
        export = self._exporter.export(drawn)
        day = parsed.day.isoformat()
        cids = {key: f"chart-{key}-{day}@macrodesk" for key in export.images}
        images = tuple(InlineImage(cids[key], png, f"{key}-{day}.png") for key, png in export.images.items())
        context.update(images=cids, export_errors=export.errors, report_url=report_url, width=EMAIL_IMAGE_WIDTH)
        html = self._env.get_template("email.html.j2").render(context)
        text = self._env.get_template("email.txt.j2").render(context)
        h: view.Headline = context["h"]
        pnl = f", day P&L {formats.signed(h.pnl.value, 'BRL')} BRL" if h.pnl else ""
        subject = f"macrodesk daily report {day}: NAV {formats.num(h.nav.value, 'BRL') if h.nav else 'n/a'} BRL{pnl}"
        return EmailContent(subject=subject, text=text, html=html, inline_images=images)

    def slack(self, report: StoredReport, *, report_url: str) -> SlackContent:
        """The condensed Block Kit summary with a button to ``report_url``."""
        return slack_summary(DailyReport.from_json(report.content), report_url)


def chart_keys(report: DailyReport) -> Mapping[str, str | None]:
    """Each chart key of ``report`` and its gap (None when drawn): what a page must show."""
    return {c.key: c.gap for c in report_charts(report)}
