"""Dialect-aware ``INSERT ... ON CONFLICT DO UPDATE`` for SQLite and PostgreSQL."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite

# SQLite caps bound parameters per statement; chunking keeps executemany batches well under it.
_CHUNK = 5_000


def upsert_rows(connection: Connection, table: Table, rows: Sequence[dict[str, Any]], key: Sequence[str]) -> None:
    """Insert ``rows`` into ``table``, replacing the non-key columns of rows whose ``key`` exists."""
    if not rows:
        return
    dialect = connection.dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(table)
    updates = {c.name: stmt.excluded[c.name] for c in table.columns if c.name not in key and not c.primary_key}
    stmt = stmt.on_conflict_do_update(index_elements=list(key), set_=updates) if updates else \
        stmt.on_conflict_do_nothing(index_elements=list(key))
    for i in range(0, len(rows), _CHUNK):
        connection.execute(stmt, list(rows[i:i + _CHUNK]))
