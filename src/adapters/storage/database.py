"""Engine creation for SQLite (embedded default) and PostgreSQL (production)."""

from pathlib import Path

from sqlalchemy import Engine, create_engine, event, pool
from sqlalchemy.engine import make_url


def create_database_engine(url: str, *, echo: bool = False, pooled: bool = True) -> Engine:
    """An engine for ``url``; SQLite gets WAL, foreign keys and a busy timeout, and its folder is created.

    ``pooled=False`` opens a fresh connection each time (migrations, short-lived tools).
    """
    # Pooled: up to 20 connections are kept. The API answers up to 40 requests at once on worker threads; with
    # SQLAlchemy's default of 5, every connection beyond the fifth was closed on return and opened again (for
    # SQLite with its PRAGMAs) on the next request: a tenth of a cached report page's cost.
    extra: dict[str, object] = {"pool_size": 20, "max_overflow": 20} if pooled else {"poolclass": pool.NullPool}
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, echo=echo, connect_args={"timeout": 30}, **extra)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True, **extra)
