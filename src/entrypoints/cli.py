"""The ``macrodesk`` command line."""

import time
import uuid
from datetime import date

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from adapters.storage import migrations
from application.pipeline import StepOutcome
from application.ports import AssetRun
from domain.market.calendar import is_b3_session, previous_b3_session
from entrypoints.cli_alerts import alerts_app
from entrypoints.container import Container, build_container
from entrypoints.logging import configure_logging
from entrypoints.settings import Settings

app = typer.Typer(help="macrodesk: daily operations of the macro fund.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema (Alembic).", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(alerts_app, name="alerts")
console = Console(stderr=True)


def _settings() -> Settings:
    settings = Settings()
    configure_logging(settings)
    return settings


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Option("head", help="Target revision.")) -> None:
    """Migrate the database up to REVISION (creates the embedded SQLite file when needed)."""
    settings = _settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    migrations.upgrade(settings.resolved_database_url, revision)
    console.print(f"database at revision [bold]{revision}[/bold]")


@db_app.command("downgrade")
def db_downgrade(revision: str = typer.Option(..., help="Target revision ('base' drops everything).")) -> None:
    """Migrate the database down to REVISION."""
    settings = _settings()
    migrations.downgrade(settings.resolved_database_url, revision)
    console.print(f"database at revision [bold]{revision}[/bold]")


@db_app.command("current")
def db_current() -> None:
    """Print the database's schema revision."""
    container = build_container(_settings())
    typer.echo(migrations.current_revision(container.engine()) or "none")
    container.shutdown_resources()


def _parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _run_range(start: date, end: date, title: str) -> list[StepOutcome]:
    container = build_container(_settings())
    pipeline = container.range_pipeline()
    try:
        with Progress(TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                      TimeElapsedColumn(), console=console) as progress:
            task = progress.add_task(title, total=len(pipeline.step_names))

            def advance(outcome: StepOutcome) -> None:
                progress.update(task, advance=1, description=f"{title}: {outcome.step} {outcome.status}")

            outcomes = pipeline.run(start, end, on_step=advance)
        run_id = f"cli-{uuid.uuid4()}"
        container.run_history().record_range_run(run_id, start, end, outcomes)
    finally:
        container.shutdown_resources()
    table = Table(title=f"{title} {start}..{end} (run {run_id})")
    for column in ("step", "status", "rows", "seconds", "error"):
        table.add_column(column)
    for o in outcomes:
        table.add_row(o.step, o.status, str(o.rows), f"{o.seconds:.2f}", (o.error or "")[:80])
    console.print(table)
    return outcomes


@app.command()
def run(day: str = typer.Option(..., "--date", help="Session to compute (YYYY-MM-DD).")) -> None:
    """Compute every layer for one session through the application services (no Dagster)."""
    d = _parse_date(day)
    if not is_b3_session(d):
        raise typer.BadParameter(f"{d} is not a B3 session (weekend or B3 holiday); the previous session is "
                                 f"{previous_b3_session(d)}", param_hint="--date")
    outcomes = _run_range(d, d, "run")
    if any(o.status != "success" for o in outcomes):
        raise typer.Exit(1)


@app.command()
def backfill(start: str = typer.Option(..., help="First session (YYYY-MM-DD)."),
             end: str = typer.Option(..., help="Last session (YYYY-MM-DD).")) -> None:
    """Compute every layer over a date range in one pass per layer, with a progress bar."""
    s, e = _parse_date(start), _parse_date(end)
    if e < s:
        raise typer.BadParameter(f"--end {e} is before --start {s}")
    outcomes = _run_range(s, e, "backfill")
    if any(o.status != "success" for o in outcomes):
        raise typer.Exit(1)


def _outcome_table(title: str, outcomes: list[AssetRun]) -> Table:
    table = Table(title=title)
    for column in ("asset", "status", "attempts", "seconds", "error"):
        table.add_column(column)
    for o in outcomes:
        seconds = (o.finished_at - o.started_at).total_seconds() if o.finished_at and o.started_at else 0.0
        table.add_row(o.asset, o.status, str(o.attempts), f"{seconds:.2f}", (o.error or "")[:70])
    return table


@app.command("dagster-run")
def dagster_run(day: str | None = typer.Option(None, "--date", help="Session (default: the latest complete one).")
                ) -> None:
    """Materialize every Dagster asset for one session (default: the latest complete B3 session)."""
    from entrypoints.dagster.launch import run_daily_pipeline

    container = build_container(_settings())
    session = _parse_date(day) if day else previous_b3_session(container.clock().today())
    result = run_daily_pipeline(container, session)
    console.print(_outcome_table(f"Dagster run {result.run_id} for {session}", result.outcomes))
    container.shutdown_resources()
    if not result.success:
        raise typer.Exit(1)


def _export_report(container: Container, session: date, settings: Settings) -> str:
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


@app.command()
def demo(history_start: str = typer.Option("2019-01-02", help="First session of the bootstrapped history.")
         ) -> None:
    """Migrate, bootstrap history on the configured source, run the latest session through Dagster, summarise."""
    from entrypoints.dagster.launch import run_daily_pipeline

    started = time.perf_counter()
    settings = _settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    migrations.upgrade(settings.resolved_database_url)
    container = build_container(settings)
    session = previous_b3_session(container.clock().today())
    bootstrap_end = previous_b3_session(session)
    console.print(f"[bold]macrodesk demo[/bold]: {settings.market_source} market, database "
                  f"{settings.resolved_database_url}")
    outcomes = _run_range(_parse_date(history_start), bootstrap_end, "history bootstrap")
    if any(o.status != "success" for o in outcomes):
        raise typer.Exit(1)
    result = run_daily_pipeline(container, session)
    console.print(_outcome_table(f"Dagster daily_pipeline for {session} (run {result.run_id})", result.outcomes))
    summary = container.demo_summary().summarise(session)
    console.print(summary.render())
    report = _export_report(container, session, settings)
    console.print(f"Daily report of {session}: stored in the daily_reports table; exported to {report}")
    console.print(f"Dagster instance: {result.dagster_home} (make dagster, then http://127.0.0.1:3001)")
    console.print(f"demo finished in {time.perf_counter() - started:.1f} s")
    container.shutdown_resources()
    if not result.success:
        raise typer.Exit(1)


@app.command()
def serve(host: str | None = typer.Option(None), port: int | None = typer.Option(None)) -> None:
    """Serve the REST API with uvicorn."""
    import uvicorn

    from entrypoints.api.app import create_app

    settings = _settings()
    container = build_container(settings)
    uvicorn.run(create_app(container), host=host or settings.api_host, port=port or settings.api_port,
                log_config=None)


if __name__ == "__main__":
    app()
