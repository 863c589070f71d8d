"""Alembic environment: runs migrations on the URL given in the configuration."""

from alembic import context

from adapters.storage.database import create_database_engine
from adapters.storage.tables import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    url = config.get_main_option("sqlalchemy.url")
    assert url is not None
    engine = create_database_engine(url, pooled=False)
    with engine.connect() as connection:
        # SQLite cannot ALTER most things: batch mode rebuilds tables there and is a no-op elsewhere.
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
