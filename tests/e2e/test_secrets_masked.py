"""A PostgreSQL password set in the database URL never reaches any output stream nor the API's health detail."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta

import httpx
import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from adapters.storage import migrations
from domain.market.calendar import b3_sessions, previous_b3_session
from tests.conftest import create_postgres_database, drop_postgres_database

PASSWORD = "Sup3r-Secret-Pa55word"
pytestmark = pytest.mark.postgres


@pytest.fixture
def secret_url(postgres_admin: Engine) -> Iterator[str]:
    plain = create_postgres_database(postgres_admin)
    migrations.upgrade(plain)
    # The test server trusts local connections, so any password is accepted: it only has to be in the URL.
    yield make_url(plain).set(password=PASSWORD).render_as_string(hide_password=False)
    drop_postgres_database(postgres_admin, plain)


@pytest.fixture
def env(secret_url: str, tmp_path: os.PathLike[str]) -> dict[str, str]:
    variables = {k: v for k, v in os.environ.items() if not k.startswith("MACRODESK_")}
    variables.update(MACRODESK_DATABASE_URL=secret_url, MACRODESK_DATA_DIR=str(tmp_path),
                     DAGSTER_HOME=str(tmp_path), MACRODESK_LOG_LEVEL="DEBUG", COLUMNS="200")
    return variables


def macrodesk(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "entrypoints.cli", *args], capture_output=True, text=True,
                          env=env, timeout=900, check=False)


def _assert_masked(*streams: str) -> None:
    for stream in streams:
        assert PASSWORD not in stream


def test_run_and_backfill_never_print_the_password(env: dict[str, str]) -> None:
    session = previous_b3_session(date.today())
    run = macrodesk("run", "--date", session.isoformat(), env=env)
    start = b3_sessions(session - timedelta(days=7), session)[0]
    backfill = macrodesk("backfill", "--start", start.isoformat(), "--end", session.isoformat(), env=env)
    # Without a year of history the book cannot start: both fail, in one line, after writing the layers before it.
    assert run.returncode == 1 and backfill.returncode == 1
    assert "portfolio_optimization" in run.stderr.splitlines()[-1]
    _assert_masked(run.stdout, run.stderr, backfill.stdout, backfill.stderr)


def test_the_demo_shows_the_database_url_with_its_password_masked(env: dict[str, str]) -> None:
    session = previous_b3_session(date.today())
    start = b3_sessions(session - timedelta(days=7), session)[0]
    demo = macrodesk("demo", "--history-start", start.isoformat(), env=env)
    assert demo.returncode == 1  # the short history cannot start a book; the header has already been printed
    assert f"postgres:***@127.0.0.1:5432/{make_url(env['MACRODESK_DATABASE_URL']).database}" in demo.stderr
    _assert_masked(demo.stdout, demo.stderr)


def test_an_unreachable_database_error_does_not_carry_the_password(env: dict[str, str]) -> None:
    url = make_url(env["MACRODESK_DATABASE_URL"]).set(port=1).render_as_string(hide_password=False)
    result = macrodesk("run", "--date", previous_b3_session(date.today()).isoformat(),
                       env={**env, "MACRODESK_DATABASE_URL": url})
    assert result.returncode == 1 and "unreachable" in result.stderr
    _assert_masked(result.stdout, result.stderr)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_and_the_health_detail_never_show_the_password(env: dict[str, str]) -> None:
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "entrypoints.cli", "serve", "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/health", timeout=5)
                break
            except httpx.TransportError:
                assert server.poll() is None and time.monotonic() < deadline, "the API did not start"
                time.sleep(0.5)
        assert response.status_code == 200
        assert response.json()["detail"].startswith("schema revision")
        _assert_masked(response.text, httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text)
    finally:
        server.terminate()
        out, err = server.communicate(timeout=60)
    assert "serving the API on" in err
    _assert_masked(out, err)
