"""The report endpoints against the app on a database filled by the pipeline: page, JSON, list, 404, 422."""

import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from domain.reporting import SECTION_TITLES, DailyReport
from entrypoints.api.app import create_app
from entrypoints.container import Container
from tests.conftest import BOOTSTRAP_END
from tests.e2e.report_fixtures import report_container


@pytest.fixture(scope="module")
def api(bootstrapped_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Container]]:
    container = report_container(bootstrapped_db, tmp_path_factory.mktemp("api_reports"))
    with TestClient(create_app(container)) as client:
        yield client, container


def test_latest_is_the_html_page_of_the_last_session_with_its_seven_sections(api) -> None:
    client, _ = api
    response = client.get("/api/v1/reports/daily/latest")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert f"Daily report, session of {BOOTSTRAP_END.isoformat()}" in page
    positions = [page.index(f"<h2>{title}</h2>") for title in SECTION_TITLES.values()]
    assert positions == sorted(positions)
    assert '<script src="/api/v1/reports/static/plotly.min.js"></script>' in page
    assert "cdn" not in page.lower()


def test_latest_answers_the_stored_json_to_accept_json_and_to_format_json(api) -> None:
    client, container = api
    with container.unit_of_work() as uow:
        stored = uow.reports.latest()
    assert stored is not None
    by_header = client.get("/api/v1/reports/daily/latest", headers={"Accept": "application/json"})
    by_query = client.get("/api/v1/reports/daily/latest?format=json")
    for response in (by_header, by_query):
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        assert response.text == stored.content
    assert DailyReport.from_json(by_header.text).day == BOOTSTRAP_END


def test_a_session_is_served_by_date_in_both_encodings(api) -> None:
    client, _ = api
    day = date(2023, 12, 27)
    page = client.get(f"/api/v1/reports/daily/{day.isoformat()}")
    data = client.get(f"/api/v1/reports/daily/{day.isoformat()}", headers={"Accept": "application/json"})
    assert page.status_code == data.status_code == 200
    assert "Daily report, session of 2023-12-27" in page.text
    assert json.loads(data.text)["day"] == "2023-12-27"


def test_a_date_without_a_report_is_404_naming_it_and_the_latest_available(api) -> None:
    client, _ = api
    for accept in ("text/html", "application/json"):
        response = client.get("/api/v1/reports/daily/2021-06-01", headers={"Accept": accept})
        assert response.status_code == 404
        assert response.json() == {
            "detail": f"no daily report for 2021-06-01; the latest available is {BOOTSTRAP_END.isoformat()}",
            "date": "2021-06-01", "latest_available": BOOTSTRAP_END.isoformat()}


def test_a_malformed_date_is_422_naming_the_field(api) -> None:
    client, _ = api
    for bad in ("2023-13-01", "yesterday", "2023-02-30"):
        response = client.get(f"/api/v1/reports/daily/{bad}")
        assert response.status_code == 422, bad
        assert response.json()["detail"][0]["loc"] == ["path", "day"]
    assert client.get("/api/v1/reports/daily/latest?format=pdf").status_code == 422


def test_the_list_is_newest_first_and_paginated(api) -> None:
    client, container = api
    with container.unit_of_work() as uow:
        total = uow.reports.count()
    first = client.get("/api/v1/reports/daily?limit=3").json()
    second = client.get("/api/v1/reports/daily?limit=3&offset=3").json()
    assert first["total"] == second["total"] == total > 100
    days = [item["date"] for item in first["items"] + second["items"]]
    assert days == sorted(days, reverse=True) and len(set(days)) == 6
    assert days[0] == BOOTSTRAP_END.isoformat()
    assert first["items"][0]["html_url"] == f"/api/v1/reports/daily/{BOOTSTRAP_END.isoformat()}"
    assert first["items"][0]["json_url"] == f"/api/v1/reports/daily/{BOOTSTRAP_END.isoformat()}?format=json"
    assert client.get("/api/v1/reports/daily?limit=0").status_code == 422
    # Offsets past the databases' integers are refused, not passed to SQLite (which raised OverflowError: a 500).
    beyond = client.get(f"/api/v1/reports/daily?offset={2**63}")
    assert beyond.status_code == 422 and beyond.json()["detail"][0]["loc"] == ["query", "offset"]
    assert client.get(f"/api/v1/reports/daily?offset={2**63 - 1}").json()["items"] == []
    # Instants carry their time zone, as in the report JSON (SQLite itself returns them naive).
    stamped = datetime.fromisoformat(first["items"][0]["generated_at"])
    assert stamped.utcoffset() == timedelta(0)


def test_the_page_assets_are_served_by_the_api_itself(api) -> None:
    client, _ = api
    plotly_js = client.get("/api/v1/reports/static/plotly.min.js")
    css = client.get("/api/v1/reports/static/report.css")
    assert plotly_js.status_code == css.status_code == 200
    assert plotly_js.headers["content-type"].startswith("text/javascript") and len(plotly_js.content) > 1_000_000
    assert css.headers["content-type"].startswith("text/css") and "report-section" in css.text
    missing = client.get("/api/v1/reports/static/jquery.js")
    assert missing.status_code == 404 and "jquery.js" in missing.json()["detail"]


def test_the_page_is_rendered_once_per_build_and_revalidated_by_etag(api) -> None:
    client, container = api
    service = container.report_reading()
    client.get("/api/v1/reports/daily/2023-12-26")
    renders = service.renders
    first = client.get("/api/v1/reports/daily/2023-12-26")
    assert service.renders == renders  # served from the cache
    unchanged = client.get("/api/v1/reports/daily/2023-12-26", headers={"If-None-Match": first.headers["etag"]})
    assert unchanged.status_code == 304
    etag = first.headers["etag"]
    for header in (f'W/{etag}', f'"other", {etag}', "*"):  # weak form, a list, any: all mean "unchanged"
        assert client.get("/api/v1/reports/daily/2023-12-26", headers={"If-None-Match": header}).status_code == 304
    assert client.get("/api/v1/reports/daily/2023-12-26", headers={"If-None-Match": '"other"'}).status_code == 200
    probed = client.head("/api/v1/reports/daily/2023-12-26")  # a monitor's probe: same headers, no body
    assert probed.status_code == 200 and probed.headers["etag"] == first.headers["etag"] and probed.content == b""
    assert client.head("/api/v1/reports/daily/2021-01-04").status_code == 404
    with container.unit_of_work() as uow:
        stored = uow.reports.get(date(2023, 12, 26))
        assert stored is not None
        rebuilt = stored.generated_at.replace(microsecond=(stored.generated_at.microsecond + 1) % 1_000_000)
        uow.reports.save(stored.day, stored.content, generated_at=rebuilt, schema_version=stored.schema_version)
        uow.commit()
    again = client.get("/api/v1/reports/daily/2023-12-26", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 200 and again.headers["etag"] != first.headers["etag"]
    assert service.renders == renders + 1


def test_each_page_rendering_is_counted_and_sized_in_the_metrics_and_cache_hits_are_not(api) -> None:
    client, _ = api

    def rendered_pages() -> tuple[float, float]:
        text = client.get("/metrics").text
        lines = dict(line.rsplit(" ", 1) for line in text.splitlines() if line and not line.startswith("#"))
        return (float(lines.get('macrodesk_report_render_seconds_count{format="page"}', "0")),
                float(lines.get('macrodesk_report_rendered_bytes{format="page"}', "0")))

    before, _ = rendered_pages()
    page = client.get("/api/v1/reports/daily/2023-12-20")
    client.get("/api/v1/reports/daily/2023-12-20")  # a cache hit: no second rendering
    count, size = rendered_pages()
    assert count == before + 1
    assert size == len(page.text.encode())
