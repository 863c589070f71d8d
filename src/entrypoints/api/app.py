"""FastAPI application factory."""

import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from fastapi_offline import FastAPIOffline
from starlette.routing import Match

from entrypoints.api import security
from entrypoints.api.errors import install_error_handlers
from entrypoints.api.routes import alerts, report_delivery, reports, system
from entrypoints.container import Container

_ROUTE_MODULES = [system, alerts, reports, report_delivery]


def _route_path(app: FastAPI, request: Request) -> str:
    """The route template that serves ``request`` (``/docs``, ``/reports/{day}``...), or 'unmatched'.

    FastAPI's own routes put themselves in the scope; the documentation routes do not, so they are matched here.
    """
    route = request.scope.get("route")
    if route is not None:
        return str(getattr(route, "path", "unmatched"))
    for candidate in app.router.routes:
        match, _ = candidate.matches(request.scope)
        if match == Match.FULL:
            return str(getattr(candidate, "path", "unmatched"))
    return "unmatched"


def create_app(container: Container) -> FastAPI:
    """Build the API around ``container``; routes get their services from it through wiring."""
    container.wire(modules=[*_ROUTE_MODULES, security])

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        container.shutdown_resources()

    # Swagger UI and ReDoc assets are served from the fastapi-offline package: /docs works without a CDN.
    app = FastAPIOffline(title="macrodesk", version="0.1.0", lifespan=lifespan,
                  description="Daily operations API of the macro fund: health, metrics, reports and alert rules.")
    app.state.container = container
    metrics = container.metrics()

    @app.middleware("http")
    async def record_metrics(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        path = _route_path(app, request)
        metrics.http_requests.labels(request.method, path, str(response.status_code)).inc()
        metrics.http_latency.labels(request.method, path).observe(time.perf_counter() - started)
        return response

    install_error_handlers(app)
    for module in _ROUTE_MODULES:
        app.include_router(module.router)
    return app
