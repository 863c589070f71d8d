"""Database check for /health: reachable, and at the schema revision the code needs."""

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from adapters.storage.migrations import current_revision, head_revision


class SqlAlchemyDatabaseProbe:
    """Runs ``SELECT 1`` and compares the Alembic revision with the code's head."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def check(self) -> tuple[str, str]:
        """(state, detail): ``ok`` at the code's head revision; ``not migrated`` or ``schema behind`` (every data
        route would fail); ``unreachable`` with the error's class only."""
        try:
            with self._engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            revision = current_revision(self._engine)
        except SQLAlchemyError as exc:
            # The class name only: driver messages can carry the connection URL and its password.
            return "unreachable", f"unreachable ({type(exc).__name__})"
        head = head_revision()
        if revision is None:
            return "not migrated", "schema revision none (run: macrodesk db upgrade)"
        if revision != head:
            return "schema behind", f"schema revision {revision}, the code needs {head} (run: macrodesk db upgrade)"
        return "ok", f"schema revision {revision}"
