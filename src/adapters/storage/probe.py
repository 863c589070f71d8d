"""Database reachability check for /health."""

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from adapters.storage.migrations import current_revision


class SqlAlchemyDatabaseProbe:
    """Runs ``SELECT 1`` and reads the Alembic revision."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def check(self) -> tuple[bool, str]:
        """(reachable, detail): the schema revision when reachable, the error class otherwise."""
        try:
            with self._engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return True, f"schema revision {current_revision(self._engine) or 'none (run: macrodesk db upgrade)'}"
        except SQLAlchemyError as exc:
            # The class name only: driver messages can carry the connection URL and its password.
            return False, f"unreachable ({type(exc).__name__})"
