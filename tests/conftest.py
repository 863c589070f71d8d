"""Shared fixtures: migrated databases (SQLite file and a fresh PostgreSQL database), settings, containers."""

import os
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from adapters.storage import migrations
from adapters.storage.database import create_database_engine

POSTGRES_URL = os.environ.get("MACRODESK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REQUIRE_POSTGRES = os.environ.get("MACRODESK_REQUIRE_POSTGRES") == "1"


def _postgres_admin() -> Engine | None:
    engine = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return engine
    except Exception as exc:
        engine.dispose()
        if REQUIRE_POSTGRES:
            raise RuntimeError(f"PostgreSQL required but unreachable at {POSTGRES_URL}: {exc}") from exc
        return None


@pytest.fixture(scope="session")
def postgres_admin() -> Iterator[Engine]:
    engine = _postgres_admin()
    if engine is None:
        pytest.skip("PostgreSQL unreachable (set MACRODESK_REQUIRE_POSTGRES=1 to make this a failure)")
    yield engine
    engine.dispose()


def create_postgres_database(admin: Engine) -> str:
    """A new empty database on the test server; returns its URL."""
    name = f"macrodesk_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(admin: Engine, url: str) -> None:
    name = make_url(url).database
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'macrodesk.db'}"


@pytest.fixture
def postgres_url(postgres_admin: Engine) -> Iterator[str]:
    url = create_postgres_database(postgres_admin)
    yield url
    drop_postgres_database(postgres_admin, url)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    """An empty database of each kind, migrated to head."""
    url: str = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")
    migrations.upgrade(url)
    return url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_database_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_engine(sqlite_url: str) -> Iterator[Engine]:
    migrations.upgrade(sqlite_url)
    engine = create_database_engine(sqlite_url)
    yield engine
    engine.dispose()


BOOTSTRAP_START = date(2022, 1, 3)
BOOTSTRAP_END = date(2023, 12, 28)


@pytest.fixture(scope="session")
def bootstrapped_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file with every layer computed on the synthetic market over 2022-2023 (built once per session)."""
    from application.pipeline import StepOutcome  # noqa: F401  (import check: the pipeline module loads)
    from entrypoints.container import build_container
    from entrypoints.settings import Settings

    folder = tmp_path_factory.mktemp("bootstrapped")
    path = folder / "macrodesk.db"
    url = f"sqlite:///{path}"
    migrations.upgrade(url)
    container = build_container(Settings(database_url=url, data_dir=folder, history_start=BOOTSTRAP_START))
    outcomes = container.range_pipeline().run(BOOTSTRAP_START, BOOTSTRAP_END)
    container.shutdown_resources()
    failed = [o for o in outcomes if o.status != "success"]
    assert not failed, failed
    return path


@pytest.fixture
def book_db(bootstrapped_db: Path, tmp_path: Path) -> str:
    """A private copy of the bootstrapped database (tests may write to it)."""
    import shutil

    copy = tmp_path / "macrodesk.db"
    shutil.copyfile(bootstrapped_db, copy)
    return f"sqlite:///{copy}"


# Delivery test servers (SMTP and Slack on loopback), shared by the report and alert tests.
from tests.slack_server import slack_api  # noqa: E402, F401
from tests.smtp_server import smtp_server  # noqa: E402, F401
