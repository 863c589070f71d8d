"""The reading service on fakes: renders on read, once per build of a session's report, 404 naming the latest."""

from datetime import UTC, date, datetime

import pytest

from application.ports import ReportStamp, StaticAsset, StoredReport
from application.reporting.reading import AssetNotFoundError, ReportNotFoundError, ReportReadingService
from tests.fakes import FakeReportRenderer

BUILT = datetime(2024, 1, 2, 9, 0, tzinfo=UTC)


class _Reports:
    def __init__(self) -> None:
        self.rows: dict[date, StoredReport] = {}

    def save(self, day: date, content: str, *, generated_at: datetime, schema_version: int) -> None:
        self.rows[day] = StoredReport(day, generated_at, schema_version, content)

    def get(self, day: date) -> StoredReport | None:
        return self.rows.get(day)

    def latest(self) -> StoredReport | None:
        return self.rows[max(self.rows)] if self.rows else None

    def stamp(self, day: date | None = None) -> ReportStamp | None:
        found = self.get(day) if day is not None else self.latest()
        return ReportStamp(found.day, found.generated_at, found.schema_version) if found else None

    def stamps(self, *, limit: int, offset: int = 0) -> list[ReportStamp]:
        days = sorted(self.rows, reverse=True)[offset:offset + limit]
        return [ReportStamp(d, self.rows[d].generated_at, 1) for d in days]

    def count(self) -> int:
        return len(self.rows)


class _Uow:
    def __init__(self, reports: _Reports) -> None:
        self.reports = reports

    def __enter__(self) -> "_Uow":
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class _Assets:
    def asset(self, name: str) -> StaticAsset | None:
        return StaticAsset(name, b"body{}", "text/css") if name == "report.css" else None


@pytest.fixture
def reports() -> _Reports:
    store = _Reports()
    for day in (date(2023, 12, 27), date(2023, 12, 28)):
        store.save(day, "{}", generated_at=BUILT, schema_version=1)
    return store


def _service(reports: _Reports, renderer: FakeReportRenderer) -> ReportReadingService:
    return ReportReadingService(lambda: _Uow(reports), renderer, _Assets())  # type: ignore[arg-type, return-value]


def test_a_page_is_rendered_once_until_its_session_is_rebuilt(reports: _Reports) -> None:
    renderer = FakeReportRenderer()
    service = _service(reports, renderer)
    assert service.page().day == date(2023, 12, 28)
    service.page(date(2023, 12, 28))
    assert renderer.calls == [("page", "2023-12-28")]
    reports.save(date(2023, 12, 28), "{}", generated_at=BUILT.replace(hour=10), schema_version=1)
    rebuilt = service.page()
    assert renderer.calls == [("page", "2023-12-28"), ("page", "2023-12-28")]
    assert rebuilt.generated_at == BUILT.replace(hour=10)


def test_the_cached_page_is_only_what_this_build_already_rendered(reports: _Reports) -> None:
    renderer = FakeReportRenderer()
    service = _service(reports, renderer)
    assert service.cached_page() is None and renderer.calls == []  # never renders
    rendered = service.page()
    assert service.cached_page() is rendered and service.cached_page(date(2023, 12, 28)) is rendered
    reports.save(date(2023, 12, 28), "{}", generated_at=BUILT.replace(hour=10), schema_version=1)
    assert service.cached_page() is None  # the session was rebuilt: its old page is not served
    with pytest.raises(ReportNotFoundError):
        service.cached_page(date(2021, 1, 4))


def test_nothing_is_rendered_until_someone_reads(reports: _Reports) -> None:
    renderer = FakeReportRenderer()
    _service(reports, renderer)
    assert renderer.calls == []


def test_the_email_and_slack_content_are_cached_per_link(reports: _Reports) -> None:
    renderer = FakeReportRenderer()
    service = _service(reports, renderer)
    service.email(report_url="http://a")
    service.email(report_url="http://a")
    service.slack(date(2023, 12, 27), report_url="http://a")
    assert renderer.calls == [("email", "2023-12-28"), ("slack", "2023-12-27")]


def test_a_missing_session_names_the_latest_available_and_an_empty_store_says_so(reports: _Reports) -> None:
    service = _service(reports, FakeReportRenderer())
    with pytest.raises(ReportNotFoundError, match="no daily report for 2021-01-04; the latest available is 2023-12-28"):
        service.page(date(2021, 1, 4))
    empty = _service(_Reports(), FakeReportRenderer())
    with pytest.raises(ReportNotFoundError, match="no daily report; no report is stored yet"):
        empty.stored()


def test_the_list_is_newest_first_and_unknown_assets_are_not_found(reports: _Reports) -> None:
    service = _service(reports, FakeReportRenderer())
    page = service.listing(limit=1, offset=1)
    assert [s.day for s in page.items] == [date(2023, 12, 27)] and page.total == 2
    assert service.asset("report.css").media_type == "text/css"
    with pytest.raises(AssetNotFoundError, match=r"'x\.js'"):
        service.asset("x.js")
