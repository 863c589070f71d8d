"""FastAPI application factory."""

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi_offline import FastAPIOffline
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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


class _RequestMetrics:
    """Counts and times each HTTP request by method, route template and status.

    A plain ASGI middleware: Starlette's ``BaseHTTPMiddleware`` (``@app.middleware``) cost more per request than
    serving the cached report page itself.
    """

    def __init__(self, app: ASGIApp, *, api: FastAPI, metrics: Any) -> None:
        self._app = app
        self._api = api
        self._metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # an exception that escapes every handler is answered with a 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self._app(scope, receive, sending)
        finally:
            path = _route_path(self._api, Request(scope))
            self._metrics.http_requests.labels(scope["method"], path, str(status)).inc()
            self._metrics.http_latency.labels(scope["method"], path).observe(time.perf_counter() - started)


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

    app.add_middleware(_RequestMetrics, api=app, metrics=metrics)

    install_error_handlers(app)
    for module in _ROUTE_MODULES:
        app.include_router(module.router)
    return app
