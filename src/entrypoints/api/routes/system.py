"""System routes: health and Prometheus metrics."""

from dependency_injector.wiring import inject
from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from entrypoints.api.dependencies import HealthServiceDep, MetricsDep
from entrypoints.api.schemas import HealthOut

router = APIRouter(tags=["system"])


@router.get("/health", response_model=HealthOut, responses={503: {"model": HealthOut}})
@inject
def health(service: HealthServiceDep, metrics: MetricsDep) -> JSONResponse:
    """Whether the service and its database are up (503 when the database is unreachable)."""
    report = service.check()
    metrics.database_up.set(1 if report.healthy else 0)
    body = HealthOut(status="ok" if report.healthy else "degraded", database=report.database, detail=report.detail)
    return JSONResponse(body.model_dump(), status_code=200 if report.healthy else 503)


@router.get("/metrics", response_class=Response)
@inject
def metrics(metrics: MetricsDep) -> Response:
    """Prometheus metrics in the text exposition format."""
    return Response(metrics.render(), media_type=metrics.content_type)
