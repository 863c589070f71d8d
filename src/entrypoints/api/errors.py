"""Application errors mapped to HTTP answers, in one place."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from application.errors import NotFoundError, ReportNotFoundError


def _not_found(_request: Request, exc: Exception) -> JSONResponse:
    body: dict[str, object] = {"detail": str(exc)}
    if isinstance(exc, ReportNotFoundError):
        body |= {"date": exc.day.isoformat() if exc.day else None,
                 "latest": exc.latest.isoformat() if exc.latest else None}
    return JSONResponse(body, status_code=404)


def register_error_handlers(app: FastAPI) -> None:
    """Install the mapping: ``NotFoundError`` (and ``ReportNotFoundError``) -> 404 with the message."""
    app.add_exception_handler(NotFoundError, _not_found)
