import pytest
from sqlalchemy import inspect

from adapters.storage import migrations
from adapters.storage.database import create_database_engine
from adapters.storage.tables import Base

EXPECTED_TABLES = set(Base.metadata.tables)


def _tables(url: str) -> set[str]:
    engine = create_database_engine(url, pooled=False)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_upgrade_downgrade_upgrade_round_trips_the_schema(kind: str, request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue("sqlite_url" if kind == "sqlite" else "postgres_url")
    migrations.upgrade(url)
    assert _tables(url) == EXPECTED_TABLES
    migrations.downgrade(url, "base")
    assert _tables(url) == set()
    migrations.upgrade(url)
    assert _tables(url) == EXPECTED_TABLES


def test_migrations_match_the_table_definitions(sqlite_url: str) -> None:
    # Alembic's autogenerate comparison must find nothing left to migrate.
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    migrations.upgrade(sqlite_url)
    engine = create_database_engine(sqlite_url, pooled=False)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert diff == []
