from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from adapters.storage import migrations
from entrypoints.api.app import create_app
from entrypoints.container import build_container
from entrypoints.settings import Settings


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path / 'api.db'}"
    migrations.upgrade(url)
    container = build_container(Settings(database_url=url, data_dir=tmp_path))
    with TestClient(create_app(container)) as client:
        yield client


def test_health_reports_the_database_and_its_schema_revision(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == "ok"
    assert response.json()["detail"].startswith("schema revision ")


def test_health_is_503_when_the_database_is_unreachable(tmp_path: Path) -> None:
    # A PostgreSQL port nobody listens on: the connection is refused at once.
    container = build_container(Settings(database_url="postgresql+psycopg://nobody:secret@127.0.0.1:1/none",
                                         data_dir=tmp_path))
    with TestClient(create_app(container)) as client:
        response = client.get("/health")
    assert response.status_code == 503
    assert response.json() == {"status": "degraded", "database": "unreachable",
                               "detail": "unreachable (OperationalError)"}
    assert "secret" not in response.text


def test_health_is_503_when_the_schema_is_not_migrated_or_behind_the_code(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'api.db'}"
    head = migrations.head_revision()
    container = build_container(Settings(database_url=url, data_dir=tmp_path))
    with TestClient(create_app(container)) as client:
        never = client.get("/health")
        migrations.upgrade(url)
        migrations.downgrade(url, "-1")  # one migration short of what the code needs
        behind = client.get("/health")
        migrations.upgrade(url)
        current = client.get("/health")
    assert never.status_code == 503 and never.json() == {
        "status": "degraded", "database": "not migrated",
        "detail": "schema revision none (run: macrodesk db upgrade)"}
    assert behind.status_code == 503 and behind.json()["database"] == "schema behind"
    assert behind.json()["detail"].endswith(f"the code needs {head} (run: macrodesk db upgrade)")
    assert current.status_code == 200 and current.json()["detail"] == f"schema revision {head}"


def test_metrics_are_prometheus_text_and_count_requests(client: TestClient) -> None:
    client.get("/health")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert 'macrodesk_http_requests_total{method="GET",route="/health",status="200"} 1.0' in response.text
    assert "macrodesk_database_up 1.0" in response.text


def test_openapi_docs_are_served(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    schema = client.get("/openapi.json").json()
    assert "/health" in schema["paths"]
    # Generated clients key operations by id: each must be unique (FastAPI only warns about duplicates).
    ids = [op["operationId"] for path in schema["paths"].values() for op in path.values()]
    assert len(ids) == len(set(ids)) > 10


def test_documentation_and_metrics_requests_are_labelled_with_their_route(client: TestClient) -> None:
    for path in ("/docs", "/openapi.json", "/metrics", "/no-such-page"):
        client.get(path)
    text = client.get("/metrics").text
    for route, status in (("/docs", 200), ("/openapi.json", 200), ("/metrics", 200), ("unmatched", 404)):
        assert f'macrodesk_http_requests_total{{method="GET",route="{route}",status="{status}"}} 1.0' in text


def test_a_healthy_health_check_logs_no_alembic_lines(client: TestClient, capfd: pytest.CaptureFixture[str]) -> None:
    from entrypoints.logging import configure_logging

    configure_logging(Settings())
    capfd.readouterr()
    assert client.get("/health").status_code == 200
    captured = capfd.readouterr()
    assert "alembic" not in captured.err + captured.out


def test_the_documentation_page_loads_its_assets_from_the_api_itself(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert "cdn." not in page.text
    assert "/static-offline-docs/swagger-ui-bundle.js" in page.text
    script = client.get("/static-offline-docs/swagger-ui-bundle.js")
    assert script.status_code == 200 and len(script.content) > 100_000
    assert client.get("/static-offline-docs/swagger-ui.css").status_code == 200
