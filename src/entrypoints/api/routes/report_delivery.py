"""Report delivery route: send a stored daily report by e-mail and Slack (bearer token required)."""

from typing import Annotated

from dependency_injector.wiring import inject
from fastapi import APIRouter, Body
from fastapi.responses import JSONResponse

from application.messages import DeliveryStatus
from entrypoints.api.dependencies import ReportDeliveryServiceDep
from entrypoints.api.schemas import DeliveryOut, ReportSendIn, ReportSendOut
from entrypoints.api.security import TokenDep

router = APIRouter(prefix="/api/v1/reports/daily", tags=["reports"])


@router.post("/send", response_model=ReportSendOut,
             responses={202: {"model": ReportSendOut, "description": "a delivery waits for a retry"},
                        404: {"description": "no report for that date (names the latest)"},
                        502: {"model": ReportSendOut, "description": "a channel refused the message for good"}})
@inject
def send_daily_report(_token: TokenDep, service: ReportDeliveryServiceDep,
                      body: Annotated[ReportSendIn | None, Body()] = None) -> JSONResponse:
    """Deliver a stored daily report (latest by default) once per channel; 200 sent, 202 retrying, 502 failed."""
    request = body or ReportSendIn()
    result = service.send_daily_report(request.date, request.channels, force=request.force)
    out = ReportSendOut(date=result.day, report_url=result.report_url, already_delivered=result.already_delivered,
                        queued=list(result.queued), deliveries=[DeliveryOut.of(d) for d in result.deliveries])
    statuses = {d.status for d in result.deliveries}
    code = 502 if DeliveryStatus.FAILED in statuses else 202 if DeliveryStatus.PENDING in statuses else 200
    return JSONResponse(out.model_dump(mode="json"), status_code=code)
