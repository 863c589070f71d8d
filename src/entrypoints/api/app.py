"""FastAPI application factory."""

import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response

from entrypoints.api import security
from entrypoints.api.routes import alerts, system
from entrypoints.container import Container

_ROUTE_MODULES = [system, alerts]


def create_app(container: Container) -> FastAPI:
    """Build the API around ``container``; routes get their services from it through wiring."""
    container.wire(modules=[*_ROUTE_MODULES, security])

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        container.shutdown_resources()

    app = FastAPI(title="macrodesk", version="0.1.0", lifespan=lifespan,
                  description="Daily operations API of the macro fund: health, metrics, reports and alert rules.")
    app.state.container = container
    metrics = container.metrics()

    @app.middleware("http")
    async def record_metrics(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        route = request.scope.get("route")
        path = getattr(route, "path", "unmatched")
        metrics.http_requests.labels(request.method, path, str(response.status_code)).inc()
        metrics.http_latency.labels(request.method, path).observe(time.perf_counter() - started)
        return response

    for module in _ROUTE_MODULES:
        app.include_router(module.router)
    return app
