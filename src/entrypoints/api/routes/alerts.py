"""Alert routes: rules (read, PATCH at runtime), history, active alerts, a test alert and silences."""

from collections.abc import Callable
from typing import Annotated, NoReturn, TypeVar

from dependency_injector.wiring import inject
from fastapi import APIRouter, HTTPException, Path, Query, status

from application.alerts.service import RuleUpdate, UnknownRuleError, UnknownSilenceError
from domain.alerts.lifecycle import EventKind
from domain.alerts.rules import InvalidRuleError
from entrypoints.api.alert_schemas import (
    ActiveAlertOut,
    AlertEventOut,
    ChannelOutcome,
    RuleChangeOut,
    RuleOut,
    RulePatch,
    SilenceIn,
    SilenceOut,
)
from entrypoints.api.dependencies import AlertServiceDep
from entrypoints.api.schemas import DB_INT_MAX, UtcInstant
from entrypoints.api.security import TokenDep

router = APIRouter(prefix="/api/v1/alerts", tags=["alerts"])
T = TypeVar("T")


def _unprocessable(exc: InvalidRuleError) -> NoReturn:
    raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, [
        {"loc": ["body", exc.field], "msg": f"{exc.field} {exc.reason}", "type": "value_error"}])


def _call(fn: Callable[[], T]) -> T:
    """Map the service's errors: unknown rule or silence -> 404, invalid setting -> 422 naming the field."""
    try:
        return fn()
    except (UnknownRuleError, UnknownSilenceError) as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from None
    except InvalidRuleError as exc:
        _unprocessable(exc)


@router.get("/rules", response_model=list[RuleOut])
@inject
def list_rules(service: AlertServiceDep) -> list[RuleOut]:
    """The ten rules as configured now, with defaults and valid ranges."""
    defaults = service.defaults()
    return [RuleOut.of(r, defaults[r.id]) for r in service.rules()]


@router.get("/rules/{rule_id}", response_model=RuleOut)
@inject
def get_rule(rule_id: str, service: AlertServiceDep) -> RuleOut:
    """One rule (404 for an unknown id)."""
    rule = _call(lambda: service.rule(rule_id))
    return RuleOut.of(rule, service.defaults()[rule.id])


@router.patch("/rules/{rule_id}", response_model=RuleOut)
@inject
def patch_rule(rule_id: str, body: RulePatch, service: AlertServiceDep, token: TokenDep) -> RuleOut:
    """Enable/disable a rule, change its threshold or cooldown, or make it follow its risk limit again; audited."""
    change = RuleUpdate(enabled=body.enabled, threshold=None if body.threshold is None else float(body.threshold),
                        cooldown_minutes=body.cooldown_minutes, follow_limit=body.follow_limit)
    rule = _call(lambda: service.update_rule(rule_id, change, changed_by=token))
    return RuleOut.of(rule, service.defaults()[rule.id])


@router.get("/rules/{rule_id}/audit", response_model=list[RuleChangeOut])
@inject
def rule_audit(rule_id: str, service: AlertServiceDep,
               limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[RuleChangeOut]:
    """Who changed the rule, when, from what to what (newest first)."""
    return [RuleChangeOut.of(c) for c in _call(lambda: service.audit(rule_id, limit))]


@router.get("", response_model=list[AlertEventOut])
@inject
def history(service: AlertServiceDep, rule: str | None = None, status: EventKind | None = None,
            since: Annotated[UtcInstant | None, Query(description="with its offset, e.g. 2026-11-27T09:00:00Z")]
            = None,
            limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[AlertEventOut]:
    """Alert history, newest first (status: fired, renotified, resolved, suppressed, inhibited)."""
    return [AlertEventOut.of(e) for e in _call(lambda: service.history(rule_id=rule, kind=status, since=since,
                                                                        limit=limit))]


@router.get("/active", response_model=list[ActiveAlertOut])
@inject
def active(service: AlertServiceDep) -> list[ActiveAlertOut]:
    """Alerts firing now (silenced and inhibited ones say so)."""
    return [ActiveAlertOut.of(s) for s in service.active()]


@router.post("/test", response_model=list[ChannelOutcome])
@inject
def send_test(service: AlertServiceDep, token: TokenDep) -> list[ChannelOutcome]:
    """Send a test alert to both channels now and report each channel's outcome."""
    return [ChannelOutcome.of(d) for d in service.send_test(requested_by=token)]


@router.post("/silences", response_model=SilenceOut, status_code=status.HTTP_201_CREATED)
@inject
def add_silence(body: SilenceIn, service: AlertServiceDep, token: TokenDep) -> SilenceOut:
    """Silence a rule (or one subject of it) between start and end: recorded as suppressed, not sent."""
    return SilenceOut.of(_call(lambda: service.add_silence(body.rule, body.subject, body.start, body.end,
                                                           body.reason, created_by=token)))


@router.get("/silences", response_model=list[SilenceOut])
@inject
def list_silences(service: AlertServiceDep) -> list[SilenceOut]:
    """Unexpired silences."""
    return [SilenceOut.of(s) for s in service.silences()]


@router.delete("/silences/{silence_id}", response_model=SilenceOut)
@inject
def expire_silence(silence_id: Annotated[int, Path(ge=1, le=DB_INT_MAX)], service: AlertServiceDep,
                   token: TokenDep) -> SilenceOut:
    """Expire a silence now (404 when there is no such unexpired silence)."""
    return SilenceOut.of(_call(lambda: service.expire_silence(silence_id)))
