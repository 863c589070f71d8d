"""Database check for /health: reachable, and at the schema revision the code needs."""

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from adapters.storage.migrations import schema_state


class SqlAlchemyDatabaseProbe:
    """Reads the Alembic revision and compares it with the code's head."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def check(self) -> tuple[str, str]:
        """(state, detail): ``ok`` at the code's head revision; ``not migrated`` or ``schema behind`` (every data
        route would fail); ``unreachable`` with the error's class only."""
        try:  # reading the revision is the round trip that proves the database answers
            state, revision, head = schema_state(self._engine)
        except SQLAlchemyError as exc:
            # The class name only: driver messages can carry the connection URL and its password.
            return "unreachable", f"unreachable ({type(exc).__name__})"
        if state == "not migrated":
            return state, "schema revision none (run: macrodesk db upgrade)"
        if state == "schema behind":
            return state, f"schema revision {revision}, the code needs {head} (run: macrodesk db upgrade)"
        return state, f"schema revision {revision}"
