"""The ``macrodesk`` command line.

Results and summaries go to stdout, progress and logs to stderr. Errors a user can cause are one line
(exit 2 for usage errors, 1 for runtime failures; see :mod:`entrypoints.commandline`). Only typer and the
standard library are imported here, so ``macrodesk --help`` answers at once: each command imports the
stack it needs when it runs, and sub-app modules registered below must stay as cheap to import.
"""

import time

# When the command started (this module is the console script's first import): the demo's timing line counts
# from here, so the seconds it prints include loading the stack, as a user waits for it.
_IMPORTED: list[float] = [time.perf_counter()]

import uuid  # noqa: E402
from datetime import date  # noqa: E402
from typing import TYPE_CHECKING  # noqa: E402

import typer  # noqa: E402

from entrypoints.cli_alerts import alerts_app  # noqa: E402
from entrypoints.cli_report import report_app  # noqa: E402
from entrypoints.cli_support import load_settings, migrated_container, print_progress, print_result  # noqa: E402
from entrypoints.commandline import CommandFailedError, CommandLine  # noqa: E402

if TYPE_CHECKING:
    from rich.table import Table

    from application.pipeline import StepOutcome
    from application.ports import AssetRun
    from entrypoints.container import Container
    from entrypoints.settings import Settings

app = CommandLine(help="macrodesk: daily operations of the macro fund.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
db_app = CommandLine(help="Database schema (Alembic).", no_args_is_help=True)

# Sub-apps: one `app.add_typer(...)` line each; their modules must import only typer at module level.
app.add_typer(db_app, name="db")
app.add_typer(alerts_app, name="alerts")
app.add_typer(report_app, name="report")


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Option("head", help="Target revision.")) -> None:
    """Migrate the database up to REVISION (creates the embedded SQLite file when needed)."""
    from adapters.storage import migrations
    from entrypoints.database_check import masked_url

    settings = load_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    migrations.upgrade(settings.resolved_database_url, revision)
    print_progress(f"database {masked_url(settings.resolved_database_url)} at revision {revision}")


@db_app.command("downgrade")
def db_downgrade(revision: str = typer.Option(..., help="Target revision ('base' drops everything).")) -> None:
    """Migrate the database down to REVISION."""
    from adapters.storage import migrations

    settings = load_settings()
    migrations.downgrade(settings.resolved_database_url, revision)
    print_progress(f"database at revision {revision}")


@db_app.command("current")
def db_current() -> None:
    """Print the database's schema revision ('none' when it was never migrated)."""
    from pathlib import Path

    from sqlalchemy.engine import make_url

    from adapters.storage import migrations
    from entrypoints.container import build_container

    settings = load_settings()
    url = make_url(settings.resolved_database_url)
    if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).exists():
        typer.echo("none")  # asking must not create an empty database file
        return
    container = build_container(settings)
    typer.echo(migrations.current_revision(container.engine()) or "none")
    container.shutdown_resources()


def _run_range(container: "Container", start: date, end: date, title: str) -> list["StepOutcome"]:
    """Run every layer over [start, end], recorded in the run history as started, then as finished."""
    from entrypoints.progress import step_progress

    pipeline = container.range_pipeline()
    history = container.run_history()
    run_id = f"cli-{uuid.uuid4()}"
    history.start_range_run(run_id, start, end, pipeline.step_names)
    with step_progress(title, len(pipeline.step_names)) as on_step:
        outcomes = pipeline.run(start, end, on_step=on_step)
    history.record_range_run(run_id, start, end, outcomes)
    print_result(_step_table(f"{title} {start}..{end} (run {run_id})", outcomes))
    return outcomes


def _step_table(title: str, outcomes: list["StepOutcome"]) -> "Table":
    from rich.table import Table

    table = Table(title=title)
    for column in ("step", "status", "rows", "seconds", "error"):
        table.add_column(column, overflow="fold")
    for o in outcomes:
        table.add_row(o.step, o.status, str(o.rows), f"{o.seconds:.2f}", o.error or "")
    return table


def _check_failed(outcomes: list["StepOutcome"], what: str) -> None:
    failed = [o for o in outcomes if o.status == "failed"]
    if failed:
        first = failed[0]
        raise CommandFailedError(f"{what}: {len(failed)} step(s) failed, first {first.step}: {first.error}")


def _today(container: "Container") -> date:
    return container.clock().today()


@app.command()
def run(day: str = typer.Option(..., "--date", help="Session to compute (YYYY-MM-DD).")) -> None:
    """Compute every layer for one session through the application services (no Dagster)."""
    from entrypoints.container import build_container
    from entrypoints.session_input import parse_date, require_range, require_session

    session = require_session(parse_date(day, "--date"), "--date")
    settings = load_settings()
    require_range(session, session, today=_today(build_container(settings)), history_start=settings.history_start,
                  start_option="--date", end_option="--date")
    container = migrated_container(settings)
    try:
        _check_failed(_run_range(container, session, session, "run"), f"run {session}")
    finally:
        container.shutdown_resources()


@app.command()
def backfill(start: str = typer.Option(..., help="First session (YYYY-MM-DD)."),
             end: str = typer.Option(..., help="Last session (YYYY-MM-DD).")) -> None:
    """Compute every layer over a range of sessions in one pass per layer."""
    from entrypoints.container import build_container
    from entrypoints.session_input import parse_date, require_range, require_session

    s, e = parse_date(start, "--start"), parse_date(end, "--end")
    s, e = require_session(s, "--start", roll="next"), require_session(e, "--end")
    settings = load_settings()
    require_range(s, e, today=_today(build_container(settings)), history_start=settings.history_start)
    container = migrated_container(settings)
    try:
        _check_failed(_run_range(container, s, e, "backfill"), f"backfill {s}..{e}")
    finally:
        container.shutdown_resources()


def _outcome_table(title: str, outcomes: list["AssetRun"]) -> "Table":
    from rich.table import Table

    table = Table(title=title)
    for column in ("asset", "status", "attempts", "seconds", "error"):
        table.add_column(column, overflow="fold")
    for o in outcomes:
        seconds = (o.finished_at - o.started_at).total_seconds() if o.finished_at and o.started_at else 0.0
        table.add_row(o.asset, o.status, str(o.attempts), f"{seconds:.2f}", o.error or "")
    return table


@app.command("dagster-run")
def dagster_run(day: str | None = typer.Option(None, "--date", help="Session (default: the latest complete one).")
                ) -> None:
    """Materialize every Dagster asset for one session (default: the latest complete B3 session)."""
    from entrypoints.container import build_container
    from entrypoints.session_input import latest_complete_session, parse_date, require_range, require_session

    settings = load_settings()
    today = _today(build_container(settings))
    session = require_session(parse_date(day, "--date"), "--date") if day else latest_complete_session(today)
    require_range(session, session, today=today, history_start=settings.history_start,
                  start_option="--date", end_option="--date")
    container = migrated_container(settings)
    from entrypoints.dagster.launch import run_daily_pipeline

    try:
        result = run_daily_pipeline(container, session)
    finally:
        container.shutdown_resources()
    print_result(_outcome_table(f"Dagster run {result.run_id} for {session}", result.outcomes))
    failed = [o for o in result.outcomes if o.status == "failed"]
    if not result.success:
        first = f", first {failed[0].asset}: {failed[0].error}" if failed else ""
        raise CommandFailedError(f"Dagster run {result.run_id} for {session} failed{first}")


def _export_report(container: "Container", session: date, settings: "Settings") -> str:
    """Write the stored report of ``session`` as JSON under data_dir/reports (the same content the API serves)."""
    with container.unit_of_work() as uow:
        stored = uow.reports.get(session)
    if stored is None:
        return "nowhere: no report was assembled for this session"
    folder = settings.data_dir / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"daily_report_{session.isoformat()}.json"
    path.write_text(stored.content)
    return str(path.resolve())


# The book needs 273 sessions of factor history before its first day; 15 months give it about two months.
DEMO_HISTORY_DAYS = 455


@app.command()
def demo(history_start: str | None = typer.Option(
        None, help=f"First session of the bootstrapped history (default: {DEMO_HISTORY_DAYS} days before the "
                   "latest complete session).")) -> None:
    """Migrate, compute the history not yet computed, run the latest session through Dagster, summarise.

    A second demo reuses what the first computed: only sessions after the newest stored daily report
    are computed, and a session already reported is not run again.
    """
    from datetime import timedelta

    from adapters.storage import migrations
    from domain.market.calendar import b3_sessions, previous_b3_session
    from entrypoints.container import build_container
    from entrypoints.database_check import masked_url
    from entrypoints.session_input import latest_complete_session, parse_date, require_session

    started = _command_start()
    chosen = require_session(parse_date(history_start, "--history-start"), "--history-start",
                             roll="next") if history_start else None
    settings = load_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    migrations.upgrade(settings.resolved_database_url)
    container = build_container(settings)
    try:
        session = latest_complete_session(_today(container))
        first = chosen or b3_sessions(session - timedelta(days=DEMO_HISTORY_DAYS), session)[0]
        print_progress(f"macrodesk demo: {settings.market_source} market, database "
                f"{masked_url(settings.resolved_database_url)}, session {session}")
        with container.unit_of_work() as uow:
            latest = uow.reports.latest()
        done = latest.day if latest is not None else None
        bootstrap_end = previous_b3_session(session)
        new_sessions = b3_sessions(first, bootstrap_end) if done is None else [
            d for d in b3_sessions(done, bootstrap_end) if d > done]
        if new_sessions:
            resume = new_sessions[0]
            what = "history bootstrap" if done is None else f"new sessions since {done}"
            _check_failed(_run_range(container, resume, bootstrap_end, what), what)
        else:
            print_progress(f"history already computed through {done}: nothing to bootstrap")
        if done is not None and done >= session:
            print_progress(f"session {session} already computed (its daily report is stored): not run again")
        else:
            from entrypoints.dagster.launch import run_daily_pipeline

            print_progress(f"running session {session} through Dagster (the 22 assets)")
            result = run_daily_pipeline(container, session)
            print_result(_outcome_table(f"Dagster daily_pipeline for {session} (run {result.run_id})",
                                   result.outcomes))
            # The instance follows the data directory: `make dagster` must be told where it is.
            print_progress(f"Dagster instance: {result.dagster_home} (DAGSTER_HOME={result.dagster_home} make dagster, "
                           "then http://127.0.0.1:3001)")
            if not result.success:
                raise CommandFailedError(f"the Dagster run {result.run_id} for {session} failed: see the table above")
        print_result(container.demo_summary().summarise(session).render())
        report = _export_report(container, session, settings)
        print_result(f"Daily report of {session}: stored in the daily_reports table; exported to {report}")
        from application.reporting.reading import ReportNotFoundError
        from entrypoints.cli_report import print_delivery, report_url, write_report_page

        print_progress("writing the report page, and its e-mail and Slack summary unless already delivered")
        try:
            page, _ = write_report_page(container, session)
            # E-mail and Slack: to the local outbox (.eml, .slack.json) unless SMTP / Slack are configured.
            print_delivery(container.report_delivery_service().send_daily_report(session))
            # Last, where a reader looks first: the page on disk and in the API.
            print_result(f"HTML report: {page} (open it in a browser), or run `macrodesk serve` (make api) and "
                         f"open {report_url(settings)}")
        except ReportNotFoundError as exc:
            raise CommandFailedError(f"HTML report not written: {exc}") from exc
    finally:
        container.shutdown_resources()
    print_progress(f"demo finished in {time.perf_counter() - started:.1f} s")


def _command_start() -> float:
    """The console script's start for the first command of a process; a later one (tests invoking the app in
    one process) counts from its own start."""
    return _IMPORTED.pop() if _IMPORTED else time.perf_counter()


@app.command()
def serve(host: str | None = typer.Option(None, help="Interface to listen on (default: MACRODESK_API_HOST)."),
          port: int | None = typer.Option(None, min=1, max=65535,
                                          help="TCP port (default: MACRODESK_API_PORT).")) -> None:
    """Serve the REST API with uvicorn."""
    import gc
    import socket

    import uvicorn

    from entrypoints.api.app import create_app
    from entrypoints.database_check import masked_url

    settings = load_settings()
    host = host if host is not None else settings.api_host
    port = port if port is not None else settings.api_port
    container = migrated_container(settings)  # a never-migrated database is refused, as by every other command
    # A taken port or an unknown interface is one line, not uvicorn's log (nothing is printed before).
    try:
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        # create_server appends "(while attempting to bind on address ...)": the line already names it.
        reason = (exc.strerror or str(exc)).split(" (while attempting")[0]
        raise CommandFailedError(f"cannot listen on {host}:{port}: {reason}") from None
    print_progress(f"serving the API on http://{host}:{port}, database {masked_url(settings.resolved_database_url)}")
    app = create_app(container)
    # The start-up objects (pandas, plotly, the container...) move out of the collector's reach, and the young
    # generation is collected every 50,000 allocations instead of 700: collections over them stalled every request
    # in flight (the cached report page's p99 was 190 ms at 16 connections; 45-50 ms with this).
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 50, 50)
    uvicorn.run(app, host=host, port=port, log_config=None)


if __name__ == "__main__":
    app()
