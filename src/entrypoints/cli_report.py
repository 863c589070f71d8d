"""``macrodesk report ...``: render the daily report as a page, send it by e-mail and Slack."""

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from application.messages import Channel
from entrypoints.cli_support import load_settings, migrated_container, print_progress, print_result
from entrypoints.commandline import CommandFailedError, CommandLine, CommandUsageError

if TYPE_CHECKING:
    from application.reporting import ReportDelivery
    from application.reporting.reading import ReportNotFoundError
    from entrypoints.container import Container
    from entrypoints.settings import Settings

report_app = CommandLine(help="The daily report: render it as a page, send it.", no_args_is_help=True)
REPORT_PATH = "/api/v1/reports/daily"


def write_report_page(container: "Container", day: date | None, out: Path | None = None) -> tuple[Path, date]:
    """Write ``day``'s report (the latest when None) as one self-contained HTML file; its path and session.

    Raises ``ReportNotFoundError`` when no report is stored for ``day``.
    """
    stored = container.report_reading().stored(day)
    settings = container.settings()
    path = out or settings.data_dir / "reports" / f"daily_report_{stored.day.isoformat()}.html"
    if out is None:  # the default folder is ours to create; a folder the user named must exist
        path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(container.report_renderer().document(stored), encoding="utf-8")
    return path.resolve(), stored.day


def report_url(settings: "Settings", day: date | None = None) -> str:
    """Where the API serves ``day``'s report page (the latest when None)."""
    return f"{settings.public_base_url.rstrip('/')}{REPORT_PATH}/{day.isoformat() if day else 'latest'}"


def _date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandUsageError(f"--date: {value!r} is not a date (YYYY-MM-DD)") from None


def _missing(exc: "ReportNotFoundError") -> Exception:
    """A ``--date`` without a report is a usage error (exit 2) naming the latest one; no report at all, with no
    ``--date``, is a runtime error (exit 1)."""
    return CommandUsageError(f"--date: {exc}") if exc.day is not None else CommandFailedError(str(exc))


@report_app.command("render")
def render(day: str | None = typer.Option(None, "--date", help="Session (YYYY-MM-DD); default: the latest report."),
           out: Path | None = typer.Option(None, "--out", help="HTML file to write (default under data_dir/reports).")
           ) -> None:
    """Render a stored daily report as one self-contained HTML page (charts interactive, no network needed)."""
    from application.reporting.reading import ReportNotFoundError

    session = _date(day)
    settings = load_settings()
    container = migrated_container(settings)
    try:
        path, session = write_report_page(container, session, out)
    except ReportNotFoundError as exc:
        raise _missing(exc) from None
    except OSError as exc:
        if out is None:
            raise
        raise CommandUsageError(f"--out: cannot write {out}: {exc.strerror or exc}") from None
    finally:
        container.shutdown_resources()
    print_result(str(path))
    print_progress(f"Report of {session} written to {path}; served by `macrodesk serve` at "
                   f"{report_url(settings, session)}")


def print_delivery(result: "ReportDelivery") -> None:
    """A table of the deliveries, then where each went (outbox file, e-mail Message-ID, Slack ts), one per line."""
    from rich.table import Table

    table = Table(title=f"Daily report {result.day}: {result.report_url}"
                        + (" (already delivered)" if result.already_delivered else ""))
    for column in ("channel", "status", "attempts", "error"):
        table.add_column(column)
    for d in result.deliveries:
        table.add_row(str(d.channel), str(d.status), str(d.attempts), (d.last_error or "")[:90])
    print_result(table)
    for d in result.deliveries:
        if d.provider_message_id:
            print_result(f"{d.channel}: {d.provider_message_id}")


@report_app.command("send")
def send(day: str | None = typer.Option(None, "--date", help="Session (YYYY-MM-DD); default: the latest report."),
         channels: list[Channel] | None = typer.Option(None, "--channel", help="slack or email (repeatable); "
                                                                               "default: both."),
         force: bool = typer.Option(False, "--force", help="Send again even if already delivered.")) -> None:
    """Deliver the stored report by e-mail and Slack (to var/reports/outbox when neither is configured)."""
    from application.messages import DeliveryStatus
    from application.reporting.reading import ReportNotFoundError

    session = _date(day)
    container = migrated_container(load_settings())
    try:
        result = container.report_delivery_service().send_daily_report(session, channels or None, force=force)
    except ReportNotFoundError as exc:
        raise _missing(exc) from None
    finally:
        container.shutdown_resources()
    print_delivery(result)
    failed = [d for d in result.deliveries if d.status == DeliveryStatus.FAILED]
    if failed:
        raise CommandFailedError("delivery failed on " + ", ".join(f"{d.channel} ({d.last_error})" for d in failed))
