"""FastAPI dependency aliases, resolved from the container: the only place routes get services from."""

from typing import Annotated

from dependency_injector.wiring import Provide
from fastapi import Depends

from adapters.metrics import PrometheusMetrics
from application.alerts.service import AlertService
from application.health import HealthService
from entrypoints.container import Container

HealthServiceDep = Annotated[HealthService, Depends(Provide[Container.health_service])]
MetricsDep = Annotated[PrometheusMetrics, Depends(Provide[Container.metrics])]
AlertServiceDep = Annotated[AlertService, Depends(Provide[Container.alert_service])]
