"""The ``macrodesk`` command line."""

import typer
from rich.console import Console

from adapters.storage import migrations
from entrypoints.container import build_container
from entrypoints.logging import configure_logging
from entrypoints.settings import Settings

app = typer.Typer(help="macrodesk: daily operations of the macro fund.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema (Alembic).", no_args_is_help=True)
app.add_typer(db_app, name="db")
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
