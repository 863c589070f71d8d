"""Before a command touches the database: is it there and migrated? And its URL, fit to print."""

from pathlib import Path

from sqlalchemy.engine import make_url

from entrypoints.commandline import CommandFailedError, register_secret

UPGRADE_HINT = "run `macrodesk db upgrade` first"


def masked_url(url: str) -> str:
    """``url`` with its password replaced by asterisks (what logs, tables and messages show)."""
    return make_url(url).render_as_string(hide_password=True)


def register_url_secret(url: str) -> None:
    """Make the URL's password one of the values error lines mask."""
    register_secret(make_url(url).password)  # type: ignore[arg-type]


def require_migrated(url: str) -> None:
    """Raise a one-line :class:`CommandFailedError` unless the database at ``url`` is at the code's head revision.

    An embedded SQLite file that does not exist is reported without being created, so a mistyped
    data directory leaves no empty database behind.
    """
    from sqlalchemy.exc import SQLAlchemyError

    from adapters.storage.database import create_database_engine
    from adapters.storage.migrations import schema_state

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(parsed.database or "")
        if not path.exists():
            raise CommandFailedError(f"no database at {path}: {UPGRADE_HINT}")
    engine = create_database_engine(url, pooled=False)
    try:
        state, revision, head = schema_state(engine)
    except SQLAlchemyError as exc:
        raise CommandFailedError(f"database {masked_url(url)} is unreachable ({type(exc).__name__}: "
                             f"{str(exc).splitlines()[0]})") from None
    finally:
        engine.dispose()
    if state == "not migrated":
        raise CommandFailedError(f"database {masked_url(url)} was never migrated: {UPGRADE_HINT}")
    if state == "schema behind":
        raise CommandFailedError(f"database {masked_url(url)} is at revision {revision}, the code needs {head}: "
                             f"run `macrodesk db upgrade`")
