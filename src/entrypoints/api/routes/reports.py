"""Report routes: the daily report as a web page or its stored JSON, the list, and the page's static files."""

from datetime import date
from typing import Annotated, Literal

from dependency_injector.wiring import inject
from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from application.reporting.reading import ReportReadingService
from entrypoints.api.dependencies import ReportReadingDep
from entrypoints.api.schemas import DB_INT_MAX, ReportListOut, ReportNotFoundOut, ReportSummaryOut

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])
PREFIX = "/api/v1/reports/daily"
Format = Annotated[Literal["html", "json"] | None,
                   Query(description="html (default) or json; overrides the Accept header")]
_NOT_FOUND = {404: {"model": ReportNotFoundOut, "description": "no report for that date"}}
_BOTH = {200: {"content": {"text/html": {}, "application/json": {}},
               "description": "the HTML page, or the stored JSON report"}}


def _matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 If-None-Match: ``*``, or any tag in the list equal to ``etag`` (weak comparison: ``W/`` ignored)."""
    if not if_none_match:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or etag in tags


def _wants_json(request: Request, format_: str | None) -> bool:
    if format_ is not None:
        return format_ == "json"
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


async def _respond(service: ReportReadingService, day: date | None, request: Request,
                   format_: str | None) -> Response:
    # An already rendered page is served on the event loop (one indexed read of the report's stamp): on worker
    # threads, 16 concurrent readers queued behind the GIL and the p99 was three times the median. Rendering and
    # the stored JSON go to a worker thread.
    if _wants_json(request, format_):
        stored = await run_in_threadpool(service.stored, day)
        return Response(stored.content, media_type="application/json")
    cached = service.cached_page(day)
    page = cached if cached is not None else await run_in_threadpool(service.page, day)
    headers = {"ETag": page.etag, "Cache-Control": "no-cache"}
    if _matches(request.headers.get("if-none-match"), page.etag):
        return Response(status_code=304, headers=headers)
    return HTMLResponse(page.html, headers=headers)


# HEAD too (link checkers and monitors probe the page without its body); kept out of the OpenAPI schema, whose
# operation ids must stay unique.
@router.head("/daily/latest", include_in_schema=False)
@router.get("/daily/latest", responses={**_BOTH, **_NOT_FOUND}, response_class=Response)
@inject
async def latest_report(request: Request, service: ReportReadingDep, format: Format = None) -> Response:
    """The latest session's report: the HTML page, or the stored JSON (Accept: application/json or ?format=json)."""
    return await _respond(service, None, request, format)


@router.head("/daily/{day}", include_in_schema=False)
@router.get("/daily/{day}", responses={**_BOTH, **_NOT_FOUND}, response_class=Response)
@inject
async def report_of(day: Annotated[date, Path(description="session date, YYYY-MM-DD")], request: Request,
                    service: ReportReadingDep, format: Format = None) -> Response:
    """One session's report, negotiated like ``/daily/latest``; 404 names the date and the latest available."""
    return await _respond(service, day, request, format)


@router.get("/daily", response_model=ReportListOut)
@inject
def list_reports(service: ReportReadingDep, limit: Annotated[int, Query(ge=1, le=500)] = 50,
                 offset: Annotated[int, Query(ge=0, le=DB_INT_MAX)] = 0) -> ReportListOut:
    """Stored daily reports, newest session first, paginated."""
    page = service.listing(limit=limit, offset=offset)
    return ReportListOut(
        items=[ReportSummaryOut(date=s.day, generated_at=s.generated_at, schema_version=s.schema_version,
                                html_url=f"{PREFIX}/{s.day.isoformat()}",
                                json_url=f"{PREFIX}/{s.day.isoformat()}?format=json") for s in page.items],
        total=page.total, limit=page.limit, offset=page.offset)


@router.head("/static/{name}", include_in_schema=False)
@router.get("/static/{name}", response_class=Response, responses={404: {"description": "no such asset"}})
@inject
def static_asset(name: str, service: ReportReadingDep) -> Response:
    """A static file of the report page (plotly.js, the stylesheet), served here so the page works offline."""
    asset = service.asset(name)
    return Response(asset.content, media_type=asset.media_type,
                    headers={"Cache-Control": "public, max-age=86400"})
