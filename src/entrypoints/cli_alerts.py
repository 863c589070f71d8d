"""``macrodesk alerts``: evaluate the rules now, list rules and active alerts."""

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import typer

from entrypoints.cli_support import load_settings, migrated_container, print_result
from entrypoints.commandline import CommandLine

if TYPE_CHECKING:
    from entrypoints.container import Container

alerts_app = CommandLine(help="Alert rules: evaluate now, list rules and active alerts.", no_args_is_help=True)


def _container() -> "Container":
    return migrated_container(load_settings())


@alerts_app.command("evaluate")
def evaluate(at: str | None = typer.Option(None, help="The clock of this evaluation, an ISO instant with timezone "
                                                      "(default: now): cooldowns and data ages are measured from "
                                                      "it; the metrics are the latest stored.")) -> None:
    """Evaluate every enabled rule, persist the state, queue and send the messages."""
    when = None
    if at is not None:
        try:
            when = datetime.fromisoformat(at)
        except ValueError:
            raise typer.BadParameter(f"{at!r} is not an ISO instant", param_hint="--at") from None
        if when.tzinfo is None:
            raise typer.BadParameter("give a timezone (e.g. 2026-11-24T09:00-03:00)", param_hint="--at")
        from domain.market.calendar import CALENDAR_END, CALENDAR_START

        try:
            day = when.astimezone(UTC).date()
        except OverflowError:
            day = None
        if day is None or not CALENDAR_START <= day < CALENDAR_END:  # staleness reads the day after it
            raise typer.BadParameter(f"{at!r} is outside the calendars' range {CALENDAR_START}..{CALENDAR_END}",
                                     param_hint="--at")
    container = _container()
    try:
        report = container.alert_service().evaluate(when)
    finally:
        container.shutdown_resources()
    from rich.table import Table

    table = Table(title=f"Alert evaluation at {report.at.isoformat()}: {len(report.firing)} firing, "
                        f"{len(report.notifications)} message(s)")
    for column in ("rule", "subject", "value", "threshold", "message"):
        table.add_column(column)
    for i in report.firing:
        table.add_row(i.rule_id, i.subject, "" if i.value is None else f"{i.value:g}",
                      "" if i.threshold is None else f"{i.threshold:g}", i.message[:100])
    print_result(table)
    for n in report.notifications:
        print_result(f"sent {n.kind} message {n.key}: {n.headline[:100]}")


@alerts_app.command("list")
def list_rules(active: bool = typer.Option(False, "--active", help="Only the alerts firing now.")) -> None:
    """The rules with their thresholds, and the alerts firing now."""
    container = _container()
    try:
        service = container.alert_service()
        rules, firing = service.rules(), service.active()
    finally:
        container.shutdown_resources()
    from rich.table import Table

    if not active:
        table = Table(title="Alert rules")
        for column in ("rule", "severity", "fires when", "threshold", "unit", "enabled", "cooldown"):
            table.add_column(column)
        for r in rules:
            threshold = "-" if r.threshold is None else f"{r.threshold:g}" + (" (limit)" if r.follows_limit else "")
            table.add_row(r.id, r.severity, r.comparison, threshold, r.unit,
                          "yes" if r.enabled else "no", f"{int(r.cooldown.total_seconds() // 60)} min")
        print_result(table)
    table = Table(title=f"Active alerts ({len(firing)})")
    for column in ("rule", "subject", "since", "muted", "message"):
        table.add_column(column)
    for s in firing:
        table.add_row(s.rule_id, s.subject, s.since.isoformat(timespec="minutes"), s.muted or "", s.message[:100])
    print_result(table)
