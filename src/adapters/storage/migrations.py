"""Alembic, driven from code: the only way the schema is created or changed."""

import functools
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine

_SCRIPT_LOCATION = str(Path(__file__).with_name("migration_scripts"))


def alembic_config(url: str) -> Config:
    """An Alembic configuration for ``url`` using the packaged migration scripts."""
    config = Config()
    config.set_main_option("script_location", _SCRIPT_LOCATION)
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Migrate the database at ``url`` up to ``revision``."""
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str = "base") -> None:
    """Migrate the database at ``url`` down to ``revision``."""
    command.downgrade(alembic_config(url), revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None when it was never migrated."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@functools.cache
def head_revision() -> str | None:
    """The revision this code's migrations end at (None only if there were no migrations); read once per process,
    since /health asks on every probe."""
    from alembic.script import ScriptDirectory

    head: str | None = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    return head


def schema_state(engine: Engine) -> tuple[str, str | None, str | None]:
    """Whether the database is usable by this code: (``ok`` | ``not migrated`` | ``schema behind``, its
    revision, the code's head). Raises SQLAlchemy's error when the database cannot be reached."""
    revision, head = current_revision(engine), head_revision()
    state = "not migrated" if revision is None else "ok" if revision == head else "schema behind"
    return state, revision, head
