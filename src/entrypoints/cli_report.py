"""``macrodesk report ...``: render the daily report as a page, send it by e-mail and Slack."""

from datetime import date
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from application.messages import Channel, DeliveryStatus
from application.reporting import ReportDelivery
from application.reporting.reading import ReportNotFoundError
from entrypoints.container import Container, build_container
from entrypoints.logging import configure_logging
from entrypoints.settings import Settings

report_app = typer.Typer(help="The daily report: render it as a page, send it.", no_args_is_help=True)
console = Console(stderr=True)
REPORT_PATH = "/api/v1/reports/daily"


def write_report_page(container: Container, day: date | None, out: Path | None = None) -> tuple[Path, date]:
    """Write ``day``'s report (the latest when None) as one self-contained HTML file; its path and session.

    Raises ``ReportNotFoundError`` when no report is stored for ``day``.
    """
    stored = container.report_reading().stored(day)
    settings = container.settings()
    path = out or settings.data_dir / "reports" / f"daily_report_{stored.day.isoformat()}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(container.report_renderer().document(stored), encoding="utf-8")
    return path.resolve(), stored.day


def report_url(settings: Settings, day: date | None = None) -> str:
    """Where the API serves ``day``'s report page (the latest when None)."""
    return f"{settings.public_base_url.rstrip('/')}{REPORT_PATH}/{day.isoformat() if day else 'latest'}"


@report_app.command("render")
def render(day: str | None = typer.Option(None, "--date", help="Session (YYYY-MM-DD); default: the latest report."),
           out: Path | None = typer.Option(None, "--out", help="HTML file to write (default under data_dir/reports).")
           ) -> None:
    """Render a stored daily report as one self-contained HTML page (charts interactive, no network needed)."""
    settings = Settings()
    configure_logging(settings)
    try:
        session = date.fromisoformat(day) if day else None
    except ValueError:
        raise typer.BadParameter(f"{day!r} is not a date (YYYY-MM-DD)", param_hint="--date") from None
    container = build_container(settings)
    try:
        path, session = write_report_page(container, session, out)
    except ReportNotFoundError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    finally:
        container.shutdown_resources()
    typer.echo(str(path))
    console.print(f"Report of {session} written to {path}; served by `macrodesk serve` at "
                  f"{report_url(settings, session)}")


def _date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint="--date") from None


def print_delivery(result: ReportDelivery) -> None:
    """A table of the deliveries, then where each went (outbox file, e-mail Message-ID, Slack ts), one per line."""
    table = Table(title=f"Daily report {result.day}: {result.report_url}"
                        + (" (already delivered)" if result.already_delivered else ""))
    for column in ("channel", "status", "attempts", "error"):
        table.add_column(column)
    for d in result.deliveries:
        table.add_row(str(d.channel), str(d.status), str(d.attempts), (d.last_error or "")[:90])
    console.print(table)
    for d in result.deliveries:
        if d.provider_message_id:
            console.print(f"{d.channel}: {d.provider_message_id}", soft_wrap=True, highlight=False)


@report_app.command("send")
def send(day: str | None = typer.Option(None, "--date", help="Session (YYYY-MM-DD); default: the latest report."),
         channels: list[Channel] | None = typer.Option(None, "--channel", help="slack or email (repeatable); "
                                                                               "default: both."),
         force: bool = typer.Option(False, "--force", help="Send again even if already delivered.")) -> None:
    """Deliver the stored report by e-mail and Slack (to var/reports/outbox when neither is configured)."""
    settings = Settings()
    configure_logging(settings)
    container = build_container(settings)
    try:
        result = container.report_delivery_service().send_daily_report(_date(day), channels or None, force=force)
    except ReportNotFoundError as exc:
        raise typer.BadParameter(str(exc), param_hint="--date") from None
    finally:
        container.shutdown_resources()
    print_delivery(result)
    if any(d.status == DeliveryStatus.FAILED for d in result.deliveries):
        raise typer.Exit(1)
