"""``macrodesk report ...``: the daily report on the command line (send; render is added by the rendering work)."""

from datetime import date

import typer
from rich.console import Console
from rich.table import Table

from application.errors import ReportNotFoundError
from application.messages import Channel, DeliveryStatus
from entrypoints.container import build_container
from entrypoints.logging import configure_logging
from entrypoints.settings import Settings

report_app = typer.Typer(help="The daily report: send it (e-mail, Slack) or render it.", no_args_is_help=True)
console = Console(stderr=True)


def _settings() -> Settings:
    settings = Settings()
    configure_logging(settings)
    return settings


def _date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint="--date") from None


@report_app.command("send")
def send(day: str | None = typer.Option(None, "--date", help="Session (YYYY-MM-DD); default: the latest report."),
         channels: list[Channel] | None = typer.Option(None, "--channel", help="slack or email (repeatable); "
                                                                               "default: both."),
         force: bool = typer.Option(False, "--force", help="Send again even if already delivered.")) -> None:
    """Deliver the stored report by e-mail and Slack (to var/reports/outbox when neither is configured)."""
    container = build_container(_settings())
    try:
        result = container.report_delivery_service().send_daily_report(_date(day), channels or None, force=force)
    except ReportNotFoundError as exc:
        raise typer.BadParameter(str(exc), param_hint="--date") from None
    finally:
        container.shutdown_resources()
    table = Table(title=f"Daily report {result.day}: {result.report_url}"
                        + (" (already delivered)" if result.already_delivered else ""))
    for column in ("channel", "status", "attempts", "error"):
        table.add_column(column)
    for d in result.deliveries:
        table.add_row(str(d.channel), str(d.status), str(d.attempts), (d.last_error or "")[:90])
    console.print(table)
    for d in result.deliveries:
        if d.provider_message_id:  # the outbox's file path, the e-mail's Message-ID or the Slack ts
            console.print(f"{d.channel}: {d.provider_message_id}", soft_wrap=True, highlight=False)
    if any(d.status == DeliveryStatus.FAILED for d in result.deliveries):
        raise typer.Exit(1)
