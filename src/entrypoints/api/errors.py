"""Application errors mapped to HTTP responses, in one place."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from application.errors import NotFoundError
from application.reporting.reading import ReportNotFoundError
from entrypoints.api.schemas import ErrorOut, ReportNotFoundOut


async def _report_not_found(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ReportNotFoundError)
    body = ReportNotFoundOut(detail=str(exc), date=exc.day, latest_available=exc.latest)
    return JSONResponse(body.model_dump(mode="json"), status_code=404)


async def _not_found(_request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse(ErrorOut(detail=str(exc)).model_dump(), status_code=404)


def install_error_handlers(app: FastAPI) -> None:
    """Register the mapping: a missing report or entity is 404 with a sentence naming it."""
    app.add_exception_handler(ReportNotFoundError, _report_not_found)
    app.add_exception_handler(NotFoundError, _not_found)
