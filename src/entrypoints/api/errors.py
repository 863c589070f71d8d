"""Application errors mapped to HTTP responses, in one place."""

import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
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


_ECHO_CHARS = 200  # of an invalid input echoed in a 422: enough to recognise it, never megabytes back


def _json_safe(value: Any) -> Any:
    """``value`` writable as strict UTF-8 JSON: a non-finite float as its text (``"inf"``), a lone surrogate
    escaped (``"\\ud800"``), a long string cut to its first characters."""
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    if isinstance(value, str):
        text = value.encode("utf-8", "backslashreplace").decode("utf-8")
        return text if len(text) <= _ECHO_CHARS else text[:_ECHO_CHARS] + "..."
    if isinstance(value, dict):
        return {_json_safe(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    return value


async def _invalid_request(_request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's 422 body (each error with its location, message and input), made writable when the input held
    a number JSON cannot carry (``1e400``, ``NaN``): without this, writing the 422 itself failed with a 500."""
    assert isinstance(exc, RequestValidationError)
    return JSONResponse({"detail": _json_safe(jsonable_encoder(exc.errors()))}, status_code=422)


def install_error_handlers(app: FastAPI) -> None:
    """Register the mapping: a missing report or entity is 404 with a sentence naming it; an invalid request is
    422 naming the field, whatever its input."""
    app.add_exception_handler(ReportNotFoundError, _report_not_found)
    app.add_exception_handler(NotFoundError, _not_found)
    app.add_exception_handler(RequestValidationError, _invalid_request)
